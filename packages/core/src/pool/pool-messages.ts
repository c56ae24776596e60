/**
 * The wire protocol between {@link WorkerPool} (main thread) and `serveWorkerTasks` (worker).
 * Internal to the pool, but exported so both sides share one definition.
 */

/** Value of `flags[0]` while a task may run on. */
export const CONTROL_RUNNING = 0;
/** Value of `flags[0]` once the caller aborted the task. */
export const CONTROL_CANCELLED = 1;
/** Value of `flags[0]` once the task's soft deadline passed (see `softDeadlineMs`). */
export const CONTROL_DEADLINE = 2;

/** Main thread -> worker: run one task. `control` is the worker's shared control block. */
export interface PoolTaskMessage<T> {
  type: 'jsbox-pool-task';
  id: number;
  task: T;
  control: SharedArrayBuffer;
}

/** Worker -> main thread. */
export type PoolWorkerMessage<R> =
  | { type: 'jsbox-pool-started'; id: number }
  | { type: 'jsbox-pool-reply'; id: number; reply: R }
  | { type: 'jsbox-pool-failed'; id: number; message: string };
