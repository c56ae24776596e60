import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import releaseSyncVariant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';

// The package's typings are CommonJS-shaped; at run time the ESM default is the variant itself.
const variant = releaseSyncVariant as unknown as QuickJSSyncVariant;

const PAGE_BYTES = 65_536;
/** The engine's fixed initial heap (emscripten's `INITIAL_MEMORY` of this variant). */
export const ENGINE_BASE_MEMORY_BYTES = 16 * 1024 * 1024;
/** wasm32 ceiling of 2 GiB. */
const MAX_PAGES = 32_768;
/** An instance whose heap grew past this is dropped after its run, so an idle worker gives memory back. */
export const RECYCLE_ABOVE_BYTES = 64 * 1024 * 1024;

/** One instantiated QuickJS WebAssembly module with its own memory. */
export interface EngineInstance {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  maxPages: number;
}

/**
 * The heap cap for a run, in wasm pages. QuickJS's own `setMemoryLimit` is unreliable in this
 * build (its allocator cannot measure block sizes under emscripten, so it counts ~8 bytes per
 * allocation), so the hard cap is the WebAssembly memory's `maximum`: when the guest's heap would
 * grow past it, `malloc` fails and QuickJS throws its out-of-memory error.
 */
export function maxPagesFor(memoryLimitBytes: number): number {
  return Math.min(MAX_PAGES, Math.ceil((ENGINE_BASE_MEMORY_BYTES + memoryLimitBytes) / PAGE_BYTES));
}

let compiled: Promise<WebAssembly.Module> | undefined;

function compiledModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    return WebAssembly.compile(await readFile(path));
  })();
  return compiled;
}

async function instantiate(maxPages: number): Promise<EngineInstance> {
  const memory = new WebAssembly.Memory({
    initial: ENGINE_BASE_MEMORY_BYTES / PAGE_BYTES,
    maximum: maxPages,
  });
  const wasmModule = await compiledModule();
  const module = await newQuickJSWASMModuleFromVariant(
    newVariant(variant, {
      wasmModule,
      wasmMemory: memory,
      // emscripten's own diagnostics (e.g. an abort message) must never reach the host's stdout.
      // (`print`/`printErr` are emscripten Module settings the typings do not list.)
      emscriptenModule: { print: () => {}, printErr: () => {} } as Parameters<
        typeof newVariant
      >[1]['emscriptenModule'],
    }),
  );
  return { module, memory, maxPages };
}

/**
 * Hands out QuickJS module instances for runs, one at a time. An instance that a run left in a
 * doubtful state (timeout, out of memory, stack overflow, internal error) is *discarded*, never
 * disposed: disposing such a runtime can hit QuickJS's `gc_obj_list` assertion, which aborts
 * the whole module. The garbage collector reclaims the discarded instance and its memory.
 */
export class EngineInstances {
  private current: Promise<EngineInstance> | undefined;
  private currentPages = 0;

  /** An instance whose heap cap fits `memoryLimitBytes`, reusing the last one when it can. */
  async acquire(memoryLimitBytes: number): Promise<EngineInstance> {
    const pages = maxPagesFor(memoryLimitBytes);
    if (!this.current || this.currentPages !== pages) this.prepare(pages);
    try {
      return await this.current!;
    } catch (error) {
      this.current = undefined;
      throw error;
    }
  }

  /** Starts instantiating a fresh instance for `memoryLimitBytes` in the background. */
  prewarm(memoryLimitBytes: number): void {
    this.prepare(maxPagesFor(memoryLimitBytes));
    this.current?.catch(() => {
      this.current = undefined;
    });
  }

  /** Forgets `instance` (without disposing it) and prepares a fresh one with the same cap. */
  discard(instance: EngineInstance): void {
    this.prepare(instance.maxPages);
    this.current?.catch(() => {
      this.current = undefined;
    });
  }

  private prepare(pages: number): void {
    this.currentPages = pages;
    this.current = instantiate(pages);
  }
}
