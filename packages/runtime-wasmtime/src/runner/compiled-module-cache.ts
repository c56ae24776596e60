import { createHash } from 'node:crypto';
import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { readModuleInfo } from '../wasm/module-info.js';
import { type ModuleImport, moduleImports } from '../wasmtime/linker.js';
import { compileModule } from '../wasmtime/module.js';
import { LruMap } from './lru-map.js';

/** Compiled modules kept per thread. */
const CAPACITY = 64;
/** Only small modules (jsbox dynamic modules are a few hundred bytes) are kept; big ones are not. */
const MAX_CACHED_MODULE_BYTES = 256 * 1024;

/** A compiled module and its imports, in order. */
export interface CompiledModule {
  module: Pointer;
  imports: readonly ModuleImport[];
}

/**
 * A per-thread LRU of modules compiled by wasmtime, keyed by the sha256 of their bytes (or by a
 * key the caller vouches for, such as the program loader's): running the same
 * program again skips Cranelift (~0.7 ms for a dynamic module, most of a warm run). Modules
 * belong to the engine, not to a store, so a cached module is safe to instantiate in every new
 * store; nothing of a run survives in it.
 */
export class CompiledModuleCache {
  private readonly entries: LruMap<string, CompiledModule>;

  constructor(
    private readonly library: WasmtimeLibrary,
    private readonly engine: Pointer,
  ) {
    this.entries = new LruMap(CAPACITY, (evicted) =>
      library.functions.wasmtime_module_delete(evicted.module),
    );
  }

  /**
   * The compiled module for `bytes` (compiled on a miss) and a `release` to call after the run:
   * it frees modules that are not kept. `key`, when given, must identify `bytes` exactly.
   * Throws what `compileModule` and `readModuleInfo` throw.
   */
  acquire(bytes: Uint8Array, key?: string): CompiledModule & { release(): void } {
    const { functions } = this.library;
    if (bytes.byteLength > MAX_CACHED_MODULE_BYTES) {
      const compiled = this.compile(bytes);
      return { ...compiled, release: () => functions.wasmtime_module_delete(compiled.module) };
    }
    const cacheKey = key ?? createHash('sha256').update(bytes).digest('hex');
    const compiled = this.entries.get(cacheKey) ?? this.compile(bytes);
    this.entries.set(cacheKey, compiled);
    return { ...compiled, release: () => {} };
  }

  /** Frees every kept module (the thread is about to exit). */
  clear(): void {
    for (const { module } of this.entries.values()) this.library.functions.wasmtime_module_delete(module);
    this.entries.clear();
  }

  private compile(bytes: Uint8Array): CompiledModule {
    const module = compileModule(this.library, this.engine, bytes); // wasmtime's message for bad bytes
    return { module, imports: moduleImports(readModuleInfo(bytes).imports) };
  }
}
