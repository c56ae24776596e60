import { parentPort } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import {
  CONTROL_CANCELLED,
  CONTROL_DEADLINE,
  CONTROL_NATIVE_INDEX,
  CONTROL_TERMINATING_INDEX,
  type PoolCloseMessage,
  type PoolTaskMessage,
  type PoolWorkerMessage,
} from './pool-messages.js';

/** What a task handler gets besides the task: the shared stop flag the main thread sets. */
export interface TaskControl {
  /**
   * `Int32Array` over a `SharedArrayBuffer`; `flags[0] !== 0` means "stop now" (set by the main
   * thread on cancel or soft deadline). Poll it from hot paths, e.g. an engine's interrupt handler.
   */
  flags: Int32Array;
  /** True once the main thread asked this task to stop. */
  cancelled(): boolean;
  /** Why the main thread asked to stop, or `undefined` while the task may run on. */
  stopReason(): 'cancelled' | 'deadline' | undefined;
  /**
   * Runs `fn` with the thread marked as inside native code that must not be torn down: every
   * termination the pool carries out (its backstop, `dispose`, a `terminate()` call on the
   * worker from outside, process exit) waits for `fn` to return first (the guest is expected
   * to be stopped by other means, e.g. wasmtime's epoch interruption). Throws, without calling
   * `fn`, once the thread is being terminated.
   */
  withoutTermination<V>(fn: () => V): V;
}

function controlOver(buffer: SharedArrayBuffer): TaskControl {
  const flags = new Int32Array(buffer);
  return {
    flags,
    withoutTermination(fn) {
      Atomics.add(flags, CONTROL_NATIVE_INDEX, 1);
      try {
        // Read after the increment: the main thread marks before it reads the counter, so
        // either it sees this section and waits for it, or this thread sees the mark.
        if (Atomics.load(flags, CONTROL_TERMINATING_INDEX) !== 0)
          throw new InternalError('the worker is being terminated');
        return fn();
      } finally {
        Atomics.sub(flags, CONTROL_NATIVE_INDEX, 1);
        Atomics.notify(flags, CONTROL_NATIVE_INDEX);
      }
    },
    cancelled: () => Atomics.load(flags, 0) !== 0,
    stopReason: () => {
      const value = Atomics.load(flags, 0);
      if (value === CONTROL_CANCELLED) return 'cancelled';
      if (value === CONTROL_DEADLINE) return 'deadline';
      return undefined;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Sends whatever this worker writes to stdout (console.log included) to stderr: the pool lets
 * Node pipe worker stdio straight to the parent's, and the parent's stdout may carry a protocol
 * (MCP over stdio). Exported for worker threads started outside the pool.
 */
export function routeStdoutToStderr(): void {
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = stderrWrite as typeof process.stdout.write;
}

/** Options of {@link serveWorkerTasks}. */
export interface ServeWorkerTasksOptions {
  /**
   * Runs when the pool retires this worker while it is idle, before the thread exits: free
   * native resources the thread holds (they would otherwise outlive it). Errors are ignored.
   */
  onClose?: () => void;
}

/**
 * Worker side of {@link WorkerPool}: call once at the top of the worker script. Tasks arrive one
 * at a time; the handler's value (or promise) is posted back as the reply. A handler that throws
 * ends its task as `killed`/`crashed` with the error's message, and the worker serves on.
 *
 * @example
 * // worker.ts, built to dist/worker.js
 * serveWorkerTasks<Job, Answer>(async (job, control) => runJob(job, () => control.cancelled()));
 */
export function serveWorkerTasks<T, R>(
  handler: (task: T, control: TaskControl) => R | Promise<R>,
  options: ServeWorkerTasksOptions = {},
): void {
  const port = parentPort;
  if (!port) {
    throw new InternalError('serveWorkerTasks() must be called inside a worker thread started by WorkerPool');
  }
  routeStdoutToStderr();
  const controls = new WeakMap<SharedArrayBuffer, TaskControl>();
  const post = (message: PoolWorkerMessage<R>) => port.postMessage(message);
  let served = 0;
  port.on('message', async (message: PoolTaskMessage<T> | PoolCloseMessage) => {
    if (message?.type === 'jsbox-pool-close') {
      try {
        options.onClose?.();
      } finally {
        process.exit(0); // in a worker thread: ends this thread only
      }
    }
    if (message?.type !== 'jsbox-pool-task') return;
    let control = controls.get(message.control);
    if (!control) {
      control = controlOver(message.control);
      controls.set(message.control, control);
    }
    // Only the first task waits for this: the pool times later tasks from their dispatch.
    if (served++ === 0) post({ type: 'jsbox-pool-started', id: message.id });
    try {
      const reply = await handler(message.task, control);
      post({ type: 'jsbox-pool-reply', id: message.id, reply });
    } catch (error) {
      post({ type: 'jsbox-pool-failed', id: message.id, message: describe(error) });
    }
  });
}
