import { createHash } from 'node:crypto';
import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { compileModule } from '../wasmtime/module.js';

/** Compiled modules kept per thread. */
const CAPACITY = 64;
/** Only small modules (jsbox dynamic modules are a few hundred bytes) are kept; big ones are not. */
const MAX_CACHED_MODULE_BYTES = 256 * 1024;

/**
 * A per-thread LRU of modules compiled by wasmtime, keyed by the sha256 of their bytes: running
 * the same program again skips Cranelift (~0.7 ms for a dynamic module, most of a warm run).
 * Modules belong to the engine, not to a store, so a cached module is safe to instantiate in
 * every new store; nothing of a run survives in it.
 */
export class CompiledModuleCache {
  private readonly entries = new Map<string, Pointer>();

  constructor(
    private readonly library: WasmtimeLibrary,
    private readonly engine: Pointer,
  ) {}

  /**
   * The compiled module for `bytes` (compiled on a miss) and a `release` to call after the run:
   * it frees modules that are not kept. Throws what `compileModule` throws.
   */
  acquire(bytes: Uint8Array): { module: Pointer; release(): void } {
    const { functions } = this.library;
    if (bytes.byteLength > MAX_CACHED_MODULE_BYTES) {
      const module = compileModule(this.library, this.engine, bytes);
      return { module, release: () => functions.wasmtime_module_delete(module) };
    }
    const key = createHash('sha256').update(bytes).digest('hex');
    let module = this.entries.get(key);
    if (module === undefined) {
      module = compileModule(this.library, this.engine, bytes);
    } else {
      this.entries.delete(key);
    }
    this.entries.set(key, module);
    if (this.entries.size > CAPACITY) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Pointer];
      this.entries.delete(oldestKey);
      functions.wasmtime_module_delete(oldest);
    }
    return { module, release: () => {} };
  }
}
