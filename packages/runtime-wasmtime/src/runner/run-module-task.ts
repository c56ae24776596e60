import { OutputBuffer } from '@jsbox/core';
import { BYTE_VEC_SIZE } from '../ffi/layout.js';
import { type ActiveExecution, beginExecution, endExecution } from '../wasmtime/active-execution.js';
import {
  callFunction,
  exportedFunction,
  exportedMemory,
  type Instantiated,
  instantiate,
  instantiateWithImports,
} from '../wasmtime/linker.js';
import { createStore, deleteStore, fuelConsumed, type Store } from '../wasmtime/store.js';
import { type CallFailure, check } from '../wasmtime/traps.js';
import { type CapturedOutput, collectCapturedOutput, configurePlugin } from './captured-output.js';
import type { CompiledModuleCache } from './compiled-module-cache.js';
import type { ModuleEnd, ModuleReport, ModuleTask } from './module-task.js';
import { runProgram } from './program-loader.js';
import { instantiatePlugin, moduleCache, type ThreadRuntime, threadLinker } from './thread-runtime.js';

export { disposeThreadRuntime, type ThreadRuntime } from './thread-runtime.js';

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
  let plugin: { name: string; instance: Buffer; memory: Buffer | undefined } | undefined;
  if (task.plugin !== undefined) {
    const instance = instanceOf(instantiatePlugin(runtime, task.plugin.module, store.context));
    // A program is copied into the plugin's memory, which may also keep its output.
    const memory = task.program ? exportedMemory(library, store.context, instance) : undefined;
    plugin = { name: task.plugin.namespace, instance, memory };
    const output = configurePlugin(library, task, store.context, instance, memory, fail);
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
