import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { type Instantiated, instantiatePrelinked, prelink } from '../wasmtime/linker.js';
import { createWasiLinker, releaseWasiHost } from '../wasmtime/wasi-host.js';
import { CompiledModuleCache } from './compiled-module-cache.js';

/** What a thread needs to run modules: the library and the shared engine. */
export interface ThreadRuntime {
  library: WasmtimeLibrary;
  engine: Pointer;
  /** Compiled guest modules of this thread (created on first use). */
  modules?: CompiledModuleCache;
  /** The WASI linker of this thread's stores (store-independent; created on first use). */
  linker?: Pointer;
  /** Plugins pre-linked against {@link linker}, by compiled module. */
  prelinked?: Map<Pointer, Pointer>;
}

/**
 * Frees what {@link runModuleTask} keeps per thread (compiled modules, linker, pre-linked
 * plugins): each holds the engine, which stays alive until they are gone. Call before the
 * thread exits.
 */
export function disposeThreadRuntime(runtime: ThreadRuntime): void {
  const { functions } = runtime.library;
  runtime.modules?.clear();
  for (const prelinked of runtime.prelinked?.values() ?? [])
    functions.wasmtime_instance_pre_delete(prelinked);
  runtime.prelinked?.clear();
  if (runtime.linker !== undefined) functions.wasmtime_linker_delete(runtime.linker);
  runtime.linker = undefined;
  releaseWasiHost(runtime.library, runtime.engine);
}

export function threadLinker(runtime: ThreadRuntime): Pointer {
  runtime.linker ??= createWasiLinker(runtime.library, runtime.engine);
  return runtime.linker;
}

/** Instantiates the plugin from its pre-linked form (pre-linked on first use by this thread). */
export function instantiatePlugin(runtime: ThreadRuntime, plugin: Pointer, context: Pointer): Instantiated {
  runtime.prelinked ??= new Map();
  let prelinked = runtime.prelinked.get(plugin);
  if (prelinked === undefined) {
    prelinked = prelink(runtime.library, threadLinker(runtime), plugin);
    runtime.prelinked.set(plugin, prelinked);
  }
  return instantiatePrelinked(runtime.library, prelinked, context);
}

/** This thread's compiled-module cache (created on first use). */
export function moduleCache(runtime: ThreadRuntime): CompiledModuleCache {
  runtime.modules ??= new CompiledModuleCache(runtime.library, runtime.engine);
  return runtime.modules;
}
