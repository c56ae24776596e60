/**
 * An execution worker of the pool: compiles source (when the task carries source) with
 * `@jsbox/compiler`, then runs the module in a fresh store on the engine and plugins the engine
 * host compiled (shared by pointer). Counting itself in the control block wakes the epoch ticker
 * for the duration of the run. The wasmtime call is marked `withoutTermination`: the pool never
 * tears this thread down while wasmtime may call back into JavaScript (that would crash the
 * process); the epoch deadline stops the guest instead. The compile step is plain JavaScript and
 * WebAssembly in this isolate, so the pool's backstop may terminate it safely.
 */
import { workerData } from 'node:worker_threads';
import { compileProgram } from '@jsbox/compiler';
import { CompileError, serveWorkerTasks } from '@jsbox/core';
import { CONTROL_ACTIVE, wakeEngineHost } from './engine-host/engine-host-protocol.js';
import { openLibrary } from './ffi/library.js';
import type { ModuleReport, ModuleTask } from './runner/module-task.js';
import { disposeThreadRuntime, runModuleTask, type ThreadRuntime } from './runner/run-module-task.js';
import { SourceCache } from './runner/source-cache.js';

/** `workerData` of an execution worker. */
export interface ExecutionWorkerData {
  libraryPath: string;
  engine: bigint;
  control: SharedArrayBuffer;
}

const data = workerData as ExecutionWorkerData;
const control = new Int32Array(data.control);
const runtime: ThreadRuntime = {
  library: await openLibrary(data.libraryPath),
  engine: data.engine,
};

function emptyReport(fields: Partial<ModuleReport>): ModuleReport {
  return {
    end: { kind: 'exit', exitCode: 1 },
    stdout: '',
    stderr: '',
    truncated: { stdout: false, stderr: false },
    outcomeText: '',
    fuelConsumed: 0,
    durationMs: 0,
    ...fields,
  };
}

const compiledSources = new SourceCache<{ bytecode: Uint8Array; sourceMap: string | undefined }>();

serveWorkerTasks<ModuleTask, ModuleReport>(
  async (task, taskControl) => {
    let runnable = task;
    let sourceMap: string | undefined;
    if (task.source) {
      const started = performance.now();
      try {
        const { source } = task;
        const key = SourceCache.key([
          source.language,
          source.filename,
          String(source.maxCodeBytes),
          source.code,
        ]);
        const cached = key === undefined ? undefined : compiledSources.get(key);
        const compiled =
          cached ??
          (await compileProgram(source.code, {
            language: source.language,
            filename: source.filename,
            maxCodeBytes: source.maxCodeBytes,
          }));
        if (key !== undefined && !cached)
          compiledSources.set(key, { bytecode: compiled.bytecode, sourceMap: compiled.sourceMap });
        sourceMap = compiled.sourceMap;
        // Compile time counts against the execution's wall-clock budget.
        const left = Math.max(1, task.timeoutMs - (performance.now() - started));
        runnable = { ...task, program: compiled.bytecode, timeoutMs: left };
      } catch (error) {
        if (error instanceof RangeError && /call stack/i.test(error.message)) {
          // The parser's recursion on deeply nested code ran out of this thread's native stack.
          return emptyReport({
            compileError: { message: 'stack overflow (the program nests too deeply to compile)' },
            durationMs: performance.now() - started,
          });
        }
        if (!CompileError.isInstance(error)) throw error;
        return emptyReport({
          compileError: {
            message: error.message,
            ...(error.line === undefined ? {} : { line: error.line, column: error.column ?? 1 }),
          },
          durationMs: performance.now() - started,
        });
      }
    }
    Atomics.add(control, CONTROL_ACTIVE, 1);
    wakeEngineHost(control);
    try {
      const report = taskControl.withoutTermination(() =>
        runModuleTask(runtime, runnable, taskControl.flags),
      );
      return sourceMap === undefined ? report : { ...report, sourceMap };
    } finally {
      Atomics.sub(control, CONTROL_ACTIVE, 1);
    }
  },
  // The thread's compiled modules and linker hold the engine: free them before the thread exits.
  { onClose: () => disposeThreadRuntime(runtime) },
);
