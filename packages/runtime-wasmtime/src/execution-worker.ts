/**
 * An execution worker of the pool: runs one module at a time in a fresh store, on the engine
 * and plugins the engine host compiled (shared by pointer). Counting itself in the control
 * block wakes the epoch ticker for the duration of the run.
 */
import { workerData } from 'node:worker_threads';
import { serveWorkerTasks } from '@jsbox/core';
import { CONTROL_ACTIVE } from './engine-host/engine-host-protocol.js';
import { openLibrary } from './ffi/library.js';
import type { ModuleReport, ModuleTask } from './runner/module-task.js';
import { runModuleTask, type ThreadRuntime } from './runner/run-module-task.js';

/** `workerData` of an execution worker. */
export interface ExecutionWorkerData {
  libraryPath: string;
  engine: bigint;
  plugins: Array<[namespace: string, module: bigint]>;
  control: SharedArrayBuffer;
}

const data = workerData as ExecutionWorkerData;
const control = new Int32Array(data.control);
const runtime: ThreadRuntime = {
  library: await openLibrary(data.libraryPath),
  engine: data.engine,
  plugins: new Map(data.plugins),
};

serveWorkerTasks<ModuleTask, ModuleReport>((task, taskControl) => {
  Atomics.add(control, CONTROL_ACTIVE, 1);
  Atomics.notify(control, CONTROL_ACTIVE);
  try {
    return runModuleTask(runtime, task, taskControl.flags);
  } finally {
    Atomics.sub(control, CONTROL_ACTIVE, 1);
  }
});
