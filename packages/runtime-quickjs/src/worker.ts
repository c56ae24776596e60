/**
 * The quickjs worker thread (built to `dist/worker.js`): serves execution tasks from the
 * backend's `WorkerPool`, one at a time, each in a fresh QuickJS runtime and context.
 */
import { type ExecutionResult, PRESETS, serveWorkerTasks } from '@jsbox/core';
import { EngineInstances, RECYCLE_ABOVE_BYTES } from './engine-instances.js';
import { runExecution } from './run-execution.js';
import type { QuickjsTask } from './worker-task.js';

const instances = new EngineInstances();
instances.prewarm(PRESETS.default.memoryLimitBytes);

serveWorkerTasks<QuickjsTask, ExecutionResult>(async ({ request }, control) => {
  const instance = await instances.acquire(request.limits.memoryLimitBytes);
  const { result, poisoned } = runExecution(instance, request, control);
  if (poisoned || instance.memory.buffer.byteLength > RECYCLE_ABOVE_BYTES) instances.discard(instance);
  return result;
});
