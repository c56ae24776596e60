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

/**
 * Index of the "do not terminate" counter in the control block: above 0 while the worker runs
 * native code that calls back into JavaScript (terminating the thread then would crash the
 * process). The pool waits for it to drop before it terminates a worker.
 */
export const CONTROL_NATIVE_INDEX = 1;

/**
 * Index of the "terminating" mark: set by the main thread before it terminates the worker.
 * From then on the worker enters no native section (see `TaskControl.withoutTermination`).
 */
export const CONTROL_TERMINATING_INDEX = 2;

/** Int32 slots of a worker's control block: [0] stop flag, [1] native-code counter, [2] terminating mark. */
export const CONTROL_SLOTS = 3;

/** Main thread -> worker: run one task. `control` is the worker's shared control block. */
export interface PoolTaskMessage<T> {
  type: 'jsbox-pool-task';
  id: number;
  task: T;
  control: SharedArrayBuffer;
}

/**
 * Main thread -> worker: the pool retires this idle worker; free what the thread holds outside
 * its JavaScript heap (see `serveWorkerTasks`' `onClose`) and exit.
 */
export interface PoolCloseMessage {
  type: 'jsbox-pool-close';
}

/** Worker -> main thread. `started` is only sent for a worker's first task (see WorkerPool). */
export type PoolWorkerMessage<R> =
  | { type: 'jsbox-pool-started'; id: number }
  | { type: 'jsbox-pool-reply'; id: number; reply: R }
  | { type: 'jsbox-pool-failed'; id: number; message: string };
