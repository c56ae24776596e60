import { buildLoaderModule, LOADER_RUN_EXPORT } from '@jsbox/compiler';
import { OutputBuffer } from '@jsbox/core';
import type { Pointer } from '../ffi/functions.js';
import { BYTE_VEC_SIZE, EXTERN_KIND, EXTERN_SIZE, UNION_OFFSET } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import {
  type ActiveExecution,
  beginExecution,
  endExecution,
  type HostStop,
} from '../wasmtime/active-execution.js';
import {
  callFunction,
  callI32Function,
  exportedFunction,
  type Instantiated,
  instantiate,
  instantiatePrelinked,
  instantiateWithImports,
  prelink,
} from '../wasmtime/linker.js';
import { createStore, deleteStore, fuelConsumed, type Store } from '../wasmtime/store.js';
import { type CallFailure, check } from '../wasmtime/traps.js';
import { createWasiLinker, releaseWasiHost } from '../wasmtime/wasi-host.js';
import { CompiledModuleCache } from './compiled-module-cache.js';
import type { ModuleEnd, ModuleReport, ModuleTask } from './module-task.js';

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

function threadLinker(runtime: ThreadRuntime): Pointer {
  runtime.linker ??= createWasiLinker(runtime.library, runtime.engine);
  return runtime.linker;
}

/** Instantiates the plugin from its pre-linked form (pre-linked on first use by this thread). */
function instantiatePlugin(runtime: ThreadRuntime, plugin: Pointer, context: Pointer): Instantiated {
  runtime.prelinked ??= new Map();
  let prelinked = runtime.prelinked.get(plugin);
  if (prelinked === undefined) {
    prelinked = prelink(runtime.library, threadLinker(runtime), plugin);
    runtime.prelinked.set(plugin, prelinked);
  }
  return instantiatePrelinked(runtime.library, prelinked, context);
}

/** Thrown inside a run to end it with a given {@link ModuleEnd}. */
class RunEnded {
  constructor(readonly end: ModuleEnd) {}
}

function endOf(failure: CallFailure, execution: ActiveExecution): ModuleEnd {
  if (execution.stop) return { kind: 'stopped', stop: execution.stop };
  if (failure.kind === 'exit') return { kind: 'exit', exitCode: failure.exitCode ?? 1 };
  if (failure.kind === 'trap') {
    return {
      kind: 'trap',
      message: failure.message,
      ...(failure.trapCode === undefined ? {} : { trapCode: failure.trapCode }),
    };
  }
  return { kind: 'error', message: failure.message };
}

function configureWasi(runtime: ThreadRuntime, store: Store, stdin: Uint8Array): void {
  const { functions } = runtime.library;
  const config = functions.wasi_config_new();
  functions.wasi_config_set_argv(config, 1, ['jsbox']);
  if (stdin.byteLength > 0) {
    const vector = Buffer.alloc(BYTE_VEC_SIZE);
    functions.wasm_byte_vec_new(vector, stdin.byteLength, stdin); // copies; the config takes ownership
    functions.wasi_config_set_stdin_bytes(config, vector);
  }
  check(runtime.library, functions.wasmtime_context_set_wasi(store.context, config), 'set WASI'); // takes ownership
}

/** Where the plugin keeps captured output: its memory and the address of its capture area. */
interface CapturedOutput {
  memory: Buffer;
  area: number;
}

/** The `memory` export of an instance (a `wasmtime_memory_t` slice), or `undefined`. */
function exportedMemory(library: WasmtimeLibrary, context: Pointer, instance: Buffer): Buffer | undefined {
  const item = Buffer.alloc(EXTERN_SIZE);
  if (
    !library.functions.wasmtime_instance_export_get(
      context,
      instance,
      MEMORY_NAME,
      MEMORY_NAME.byteLength,
      item,
    )
  )
    return undefined;
  return item.readUInt8(0) === EXTERN_KIND.memory ? item.subarray(UNION_OFFSET) : undefined;
}

const MEMORY_NAME = Buffer.from('memory');

/**
 * Applies the task's limits to the plugin (`jsbox-configure`). For a program, the jsbox plugin is
 * also asked to keep output in its memory (`jsbox-configure-capture`); the host collects it after
 * the run (see {@link collectCapturedOutput}) instead of taking one `fd_write` call per write.
 */
function configurePlugin(
  library: WasmtimeLibrary,
  task: ModuleTask,
  context: Pointer,
  instance: Buffer,
  fail: (failure: CallFailure | undefined) => void,
): CapturedOutput | undefined {
  if (!task.configure) return undefined;
  const capture = task.program
    ? exportedFunction(library, context, instance, 'jsbox-configure-capture')
    : undefined;
  const memory = capture && exportedMemory(library, context, instance);
  if (capture && memory) {
    const answer = callI32Function(library, context, capture, [...task.configure, task.maxOutputBytes]);
    if ('failure' in answer) fail(answer.failure);
    return { memory, area: (answer as { result: number }).result >>> 0 };
  }
  const configure = exportedFunction(library, context, instance, 'jsbox-configure');
  if (configure) fail(callFunction(library, context, configure, task.configure));
  return undefined;
}

/**
 * Copies what the plugin still holds in its capture area ([stdout ptr, len, stderr ptr, len,
 * outcome ptr, len]) into the execution's capped buffers, however the run ended. The plugin
 * sends a write that passes the output cap out at once (so the guest was stopped then), so a
 * cap reached here is only a safety net; it stops the run as the live check would have.
 */
function collectCapturedOutput(
  library: WasmtimeLibrary,
  context: Pointer,
  captured: CapturedOutput,
  execution: ActiveExecution,
  end: ModuleEnd,
): ModuleEnd {
  const { functions, koffi } = library;
  const size = Number(functions.wasmtime_memory_data_size(context, captured.memory));
  if (captured.area + 24 > size) return end;
  const base = functions.wasmtime_memory_data(context, captured.memory);
  const area = new DataView(koffi.view(base + BigInt(captured.area), 24));
  const sinks = [
    [execution.stdout, 'output'],
    [execution.stderr, 'output'],
    [execution.outcome, 'result'],
  ] as const;
  let stop: HostStop | undefined;
  for (const [index, [sink, reason]] of sinks.entries()) {
    const pointer = area.getUint32(index * 8, true);
    const length = area.getUint32(index * 8 + 4, true);
    if (!sink || length === 0 || pointer + length > size) continue;
    if (!sink.write(new Uint8Array(koffi.view(base + BigInt(pointer), length)))) stop ??= reason;
  }
  if (stop === undefined || end.kind === 'stopped') return end;
  execution.stop = stop;
  return { kind: 'stopped', stop };
}

function runStages(
  runtime: ThreadRuntime,
  task: ModuleTask,
  store: Store,
  execution: ActiveExecution,
  captured: { output?: CapturedOutput },
): ModuleEnd {
  const { library } = runtime;
  const fail = (failure: CallFailure | undefined) => {
    if (failure) throw new RunEnded(endOf(failure, execution));
  };
  const instanceOf = (instantiated: Instantiated) => {
    if ('failure' in instantiated) fail(instantiated.failure);
    return (instantiated as { instance: Buffer }).instance;
  };
  const linker = threadLinker(runtime);
  let plugin: { name: string; instance: Buffer } | undefined;
  if (task.plugin !== undefined) {
    const instance = instanceOf(instantiatePlugin(runtime, task.plugin.module, store.context));
    plugin = { name: task.plugin.namespace, instance };
    const output = configurePlugin(library, task, store.context, instance, fail);
    if (output) captured.output = output;
  }
  if (task.program) {
    if (!plugin) throw new RunEnded({ kind: 'error', message: 'a program needs the plugin that runs it' });
    return runProgram(runtime, task.program, store, plugin, fail, instanceOf);
  }
  if (!task.module) throw new RunEnded({ kind: 'error', message: 'the task has no module to run' });
  let compiled: ReturnType<CompiledModuleCache['acquire']>;
  try {
    compiled = moduleCache(runtime).acquire(task.module);
  } catch (error) {
    throw new RunEnded({ kind: 'error', message: (error as Error).message });
  }
  try {
    const instance = instanceOf(
      plugin
        ? instantiateWithImports(library, linker, store.context, compiled.module, compiled.imports, plugin)
        : instantiate(library, linker, store.context, compiled.module),
    );
    if (task.plugin === undefined && task.configure) {
      const configure = exportedFunction(library, store.context, instance, 'jsbox-configure');
      if (configure) fail(callFunction(library, store.context, configure, task.configure));
    }
    const start = exportedFunction(library, store.context, instance, '_start');
    if (!start) return { kind: 'error', message: 'the module exports no _start function' };
    fail(callFunction(library, store.context, start));
    return { kind: 'exit', exitCode: 0 };
  } finally {
    compiled.release();
  }
}

function moduleCache(runtime: ThreadRuntime): CompiledModuleCache {
  runtime.modules ??= new CompiledModuleCache(runtime.library, runtime.engine);
  return runtime.modules;
}

/**
 * Runs bytecode through the program loader: copies it into the plugin's memory (allocated with
 * the plugin's `cabi_realloc`, as a dynamic module's `_start` does), instantiates the loader
 * against the plugin and calls its `jsbox-run(ptr, len)`, which calls the plugin's `invoke`.
 */
function runProgram(
  runtime: ThreadRuntime,
  bytecode: Uint8Array,
  store: Store,
  plugin: { name: string; instance: Buffer },
  fail: (failure: CallFailure | undefined) => void,
  instanceOf: (instantiated: Instantiated) => Buffer,
): ModuleEnd {
  const { library } = runtime;
  const { functions, koffi } = library;
  const { context } = store;
  const realloc = exportedFunction(library, context, plugin.instance, 'cabi_realloc');
  const handle = exportedMemory(library, context, plugin.instance);
  if (!realloc || !handle) return { kind: 'error', message: 'the plugin exports no cabi_realloc and memory' };
  const allocated = callI32Function(library, context, realloc, [0, 0, 1, bytecode.byteLength]);
  if ('failure' in allocated) fail(allocated.failure);
  const pointer = (allocated as { result: number }).result >>> 0;
  const size = Number(functions.wasmtime_memory_data_size(context, handle));
  if (pointer + bytecode.byteLength > size)
    return { kind: 'error', message: 'cabi_realloc returned memory out of bounds' };
  const base = functions.wasmtime_memory_data(context, handle);
  new Uint8Array(koffi.view(base + BigInt(pointer), Math.max(1, bytecode.byteLength))).set(bytecode);
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

/**
 * Runs one module in a fresh store on the calling thread, exactly like
 * `wasmtime run [--preload NS=plugin.wasm] module.wasm` plus jsbox's limits and captured
 * stdio. Never throws for anything the guest does; the store and linker are always deleted.
 */
export function runModuleTask(
  runtime: ThreadRuntime,
  task: ModuleTask,
  cancelFlags?: Int32Array,
): ModuleReport {
  const { library } = runtime;
  const started = performance.now();
  const execution: ActiveExecution = {
    stdout: new OutputBuffer(task.maxOutputBytes),
    stderr: new OutputBuffer(task.maxOutputBytes),
    outcome: task.maxOutcomeBytes === undefined ? undefined : new OutputBuffer(task.maxOutcomeBytes),
    deadlineAt: started + task.timeoutMs,
    cancelFlags,
    stop: undefined,
  };
  const store = createStore(library, runtime.engine, {
    linearMemoryLimitBytes: task.linearMemoryLimitBytes,
    fuel: task.fuel,
  });
  let end: ModuleEnd;
  const captured: { output?: CapturedOutput } = {};
  beginExecution(execution);
  try {
    configureWasi(runtime, store, task.stdin);
    end = runStages(runtime, task, store, execution, captured);
  } catch (error) {
    end =
      error instanceof RunEnded
        ? error.end
        : { kind: 'error', message: String((error as Error)?.message ?? error) };
  } finally {
    endExecution();
  }
  if (captured.output) end = collectCapturedOutput(library, store.context, captured.output, execution, end);
  const consumed = fuelConsumed(library, store);
  deleteStore(library, store);
  return {
    end,
    stdout: execution.stdout.text(),
    stderr: execution.stderr.text(),
    truncated: { stdout: execution.stdout.overflowed, stderr: execution.stderr.overflowed },
    outcomeText: execution.outcome?.text() ?? '',
    fuelConsumed: consumed,
    durationMs: performance.now() - started,
  };
}
