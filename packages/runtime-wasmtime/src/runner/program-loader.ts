import { buildLoaderModule, LOADER_RUN_EXPORT } from '@jsbox/compiler';
import {
  callFunction,
  callI32Function,
  exportedFunction,
  type Instantiated,
  instantiateWithImports,
} from '../wasmtime/linker.js';
import { memoryRegion } from '../wasmtime/memory-region.js';
import type { Store } from '../wasmtime/store.js';
import type { CallFailure } from '../wasmtime/traps.js';
import type { ModuleEnd } from './module-task.js';
import { moduleCache, type ThreadRuntime, threadLinker } from './thread-runtime.js';

/**
 * Runs bytecode through the program loader: copies it into the plugin's memory (allocated with
 * the plugin's `cabi_realloc`, as a dynamic module's `_start` does), instantiates the loader
 * against the plugin and calls its `jsbox-run(ptr, len)`, which calls the plugin's `invoke`.
 */
export function runProgram(
  runtime: ThreadRuntime,
  bytecode: Uint8Array,
  store: Store,
  plugin: { name: string; instance: Buffer; memory: Buffer | undefined },
  fail: (failure: CallFailure | undefined) => void,
  instanceOf: (instantiated: Instantiated) => Buffer,
): ModuleEnd {
  const { library } = runtime;
  const { context } = store;
  const realloc = exportedFunction(library, context, plugin.instance, 'cabi_realloc');
  if (!realloc || !plugin.memory)
    return { kind: 'error', message: 'the plugin exports no cabi_realloc and memory' };
  const allocated = callI32Function(library, context, realloc, [0, 0, 1, bytecode.byteLength]);
  if ('failure' in allocated) fail(allocated.failure);
  const pointer = (allocated as { result: number }).result >>> 0;
  const memory = memoryRegion(library, context, plugin.memory);
  if (!memory.contains(pointer, bytecode.byteLength))
    return { kind: 'error', message: 'cabi_realloc returned memory out of bounds' };
  memory.bytes(pointer, bytecode.byteLength).set(bytecode);
  const loaderKey = `jsbox-loader:${plugin.name}`;
  const loader = moduleCache(runtime).acquire(buildLoaderModuleOnce(plugin.name), loaderKey);
  try {
    const instance = instanceOf(
      instantiateWithImports(library, threadLinker(runtime), context, loader.module, loader.imports, plugin),
    );
    const run = exportedFunction(library, context, instance, LOADER_RUN_EXPORT);
    if (!run) return { kind: 'error', message: `the program loader exports no ${LOADER_RUN_EXPORT}` };
    fail(callFunction(library, context, run, [pointer, bytecode.byteLength]));
    return { kind: 'exit', exitCode: 0 };
  } finally {
    loader.release();
  }
}

const loaders = new Map<string, Uint8Array>();

function buildLoaderModuleOnce(namespace: string): Uint8Array {
  const known = loaders.get(namespace);
  if (known) return known;
  const bytes = buildLoaderModule(namespace);
  loaders.set(namespace, bytes);
  return bytes;
}
