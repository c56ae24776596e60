import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import {
  InvalidOptionsError,
  QueueFullError,
  SandboxDisposedError,
  type ValidationIssue,
} from '../errors.js';
import {
  CONTROL_CANCELLED,
  CONTROL_DEADLINE,
  CONTROL_NATIVE_INDEX,
  CONTROL_RUNNING,
  CONTROL_SLOTS,
  CONTROL_TERMINATING_INDEX,
  type PoolCloseMessage,
  type PoolTaskMessage,
  type PoolWorkerMessage,
} from './pool-messages.js';

/** Why a running task is asked to stop early. */
export type PoolStopReason = 'cancelled' | 'deadline';

/** The main thread's view of one pool worker, given to {@link WorkerPoolOptions.onCancel}. */
export interface PoolWorkerHandle {
  readonly worker: Worker;
  readonly threadId: number;
  /** The worker's shared control block; `flags[0]` is the stop flag `TaskControl` reads. */
  readonly flags: Int32Array;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** ESM worker script (a built dist file) that calls `serveWorkerTasks`. */
  workerUrl: URL;
  /** Used in messages: `'quickjs'`, `'wasmtime'`. */
  name: string;
  /** Workers running tasks at once. Default: `min(4, os.availableParallelism())`. */
  poolSize?: number;
  /** Tasks allowed to wait for a worker; beyond it `run()` rejects with `QueueFullError`. Default 64. */
  maxQueued?: number;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  /** V8 heap limits of each worker; a worker that exceeds them dies and is replaced. */
  resourceLimits?: ResourceLimits;
  /**
   * Called on the main thread when a running task must stop early (abort signal or soft
   * deadline). Default: set the worker's shared stop flag to the reason (`TaskControl` sees it).
   */
  onCancel?: (worker: PoolWorkerHandle, reason: PoolStopReason) => void;
  /**
   * How long a task asked to stop (cancel) may take to answer before its worker is terminated.
   * Default 1000 ms. The hard deadline applies as well, whichever comes first.
   */
  cancelGraceMs?: number;
  /**
   * Extra time a freshly started worker gets to load its script before its first task's hard
   * deadline starts counting. Default 10000 ms.
   */
  startupAllowanceMs?: number;
}

/** Per-call options of {@link WorkerPool.run}. */
export interface PoolRunOptions {
  /**
   * Milliseconds from the moment the worker starts the task after which the worker is
   * terminated and replaced (the backstop against code that ignores every soft limit).
   */
  hardDeadlineMs: number;
  /** Aborting removes a queued task at once, or asks a running task to stop (`onCancel`). */
  signal?: AbortSignal;
  /** Milliseconds after which `onCancel(worker, 'deadline')` is called; optional. */
  softDeadlineMs?: number;
}

/** How a task ended: the worker's reply, or the worker was stopped/lost. */
export type PoolOutcome<R> =
  | { kind: 'reply'; reply: R }
  | { kind: 'killed'; reason: 'deadline' | 'cancelled' | 'crashed'; elapsedMs: number; message: string };

interface Job<T, R> {
  id: number;
  task: T;
  options: PoolRunOptions;
  resolve: (outcome: PoolOutcome<R>) => void;
  detachAbort: () => void;
  startedAt: number | undefined;
  stopRequested: PoolStopReason | undefined;
  timers: ReturnType<typeof setTimeout>[];
}

interface Slot<T, R> {
  handle: PoolWorkerHandle;
  job: Job<T, R> | undefined;
  /** Has started at least one task (its script loaded fine). */
  warm: boolean;
  /** We terminated it on purpose; its exit is expected. */
  retired: boolean;
  lastError: string | undefined;
  /** Node's own `worker.terminate` (the worker's `terminate` property goes through the pool). */
  terminate: () => Promise<number>;
  /** Resolves with the exit code once the thread has stopped. */
  exited: Promise<number>;
}

const DEFAULT_MAX_QUEUED = 64;
/** How long a retired idle worker gets to free its resources and exit before it is terminated. */
const CLOSE_GRACE_MS = 2_000;
/** Longest wait for a worker to leave a native section before the pool gives up terminating it. */
const NATIVE_WAIT_LIMIT_MS = 30_000;
/** Longest time process exit waits for busy workers to leave their native sections. */
const EXIT_NATIVE_WAIT_MS = 1_000;

/** Every pool worker of this thread, with what stops its running task (for the exit hook). */
const liveWorkers = new Map<PoolWorkerHandle, () => void>();
let exitHookInstalled = false;

/**
 * At process exit Node terminates every worker thread. A worker inside a native section
 * (`TaskControl.withoutTermination`) must not be torn down there: native code calling back into
 * a terminated isolate crashes the process (for wasmtime through koffi: the callback's return
 * value is left unset and wasmtime dereferences it). So the exit hook marks every worker as
 * terminating, asks the busy ones to stop, and blocks (bounded) until their native sections end.
 */
function holdExitForNativeSections(): void {
  const busy: PoolWorkerHandle[] = [];
  for (const [handle, stop] of liveWorkers) {
    Atomics.store(handle.flags, CONTROL_TERMINATING_INDEX, 1);
    if (Atomics.load(handle.flags, CONTROL_NATIVE_INDEX) <= 0) continue;
    busy.push(handle);
    stop(); // never throws (askToStop)
  }
  const until = performance.now() + EXIT_NATIVE_WAIT_MS;
  for (const handle of busy) {
    for (;;) {
      const inside = Atomics.load(handle.flags, CONTROL_NATIVE_INDEX);
      const left = until - performance.now();
      if (inside <= 0 || left <= 0) break;
      Atomics.wait(handle.flags, CONTROL_NATIVE_INDEX, inside, left);
    }
  }
}

function positiveInteger(value: unknown, path: string, min: number, issues: ValidationIssue[]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    issues.push({ path, message: `${path} must be a whole number >= ${min}, got ${String(value)}` });
  }
}

function validate(options: WorkerPoolOptions): void {
  const issues: ValidationIssue[] = [];
  if (!(options?.workerUrl instanceof URL)) {
    issues.push({ path: 'workerUrl', message: 'workerUrl must be a URL of the built worker script' });
  }
  if (typeof options?.name !== 'string' || options.name === '') {
    issues.push({ path: 'name', message: 'name must be a non-empty string' });
  }
  positiveInteger(options?.poolSize, 'poolSize', 1, issues);
  positiveInteger(options?.maxQueued, 'maxQueued', 0, issues);
  positiveInteger(options?.cancelGraceMs, 'cancelGraceMs', 0, issues);
  positiveInteger(options?.startupAllowanceMs, 'startupAllowanceMs', 0, issues);
  if (issues.length > 0) throw new InvalidOptionsError(issues);
}

function setStopFlag(worker: PoolWorkerHandle, reason: PoolStopReason): void {
  Atomics.store(worker.flags, 0, reason === 'cancelled' ? CONTROL_CANCELLED : CONTROL_DEADLINE);
  Atomics.notify(worker.flags, 0);
}

/**
 * A bounded pool of worker threads with a bounded queue and a hard per-task backstop. A worker
 * that crashes, or runs past its task's hard deadline, is terminated and replaced; the pool never
 * hangs and never leaks workers. Workers start lazily, on demand, up to `poolSize`; idle workers
 * do not keep the process alive.
 *
 * @example
 * const pool = new WorkerPool<Job, Answer>({ workerUrl: new URL('./worker.js', import.meta.url), name: 'quickjs' });
 * const outcome = await pool.run(job, { hardDeadlineMs: 6000, signal });
 * if (outcome.kind === 'reply') use(outcome.reply); else console.error(outcome.reason, outcome.message);
 * await pool.dispose();
 */
export class WorkerPool<T, R> {
  private readonly options: WorkerPoolOptions;
  private readonly poolSize: number;
  private readonly maxQueued: number;
  private readonly slots = new Set<Slot<T, R>>();
  private readonly queue: Job<T, R>[] = [];
  private readonly exits = new Set<Promise<unknown>>();
  private nextId = 1;
  private disposed = false;

  constructor(options: WorkerPoolOptions) {
    validate(options);
    this.options = options;
    this.poolSize = options.poolSize ?? Math.max(1, Math.min(4, availableParallelism()));
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  }

  /** Live workers (started lazily, at most `poolSize`). */
  get size(): number {
    return this.slots.size;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Workers running a task right now. */
  get busy(): number {
    let count = 0;
    for (const slot of this.slots) if (slot.job) count++;
    return count;
  }

  /**
   * Runs one task on a worker. Resolves with the reply, or with `killed` when the task was
   * cancelled, ran past `hardDeadlineMs` or its worker died. Rejects only for host misuse:
   * `QueueFullError` when `maxQueued` tasks already wait, `SandboxDisposedError` after `dispose()`.
   */
  run(task: T, options: PoolRunOptions): Promise<PoolOutcome<R>> {
    if (this.disposed) return Promise.reject(new SandboxDisposedError(`${this.options.name} worker pool`));
    const deadline = options?.hardDeadlineMs;
    if (typeof deadline !== 'number' || !(deadline > 0) || !Number.isFinite(deadline)) {
      return Promise.reject(
        new InvalidOptionsError([
          { path: 'hardDeadlineMs', message: 'hardDeadlineMs must be a positive number of milliseconds' },
        ]),
      );
    }
    if (options.signal?.aborted) {
      return Promise.resolve(this.killed('cancelled', 0, 'The task was cancelled before it started'));
    }
    const idle = this.idleSlot();
    if (!idle && this.queue.length >= this.maxQueued)
      return Promise.reject(new QueueFullError(this.maxQueued));
    return new Promise<PoolOutcome<R>>((resolve) => {
      const job: Job<T, R> = {
        id: this.nextId++,
        task,
        options,
        resolve,
        detachAbort: () => {},
        startedAt: undefined,
        stopRequested: undefined,
        timers: [],
      };
      const signal = options.signal;
      if (signal) {
        const onAbort = () => this.abort(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detachAbort = () => signal.removeEventListener('abort', onAbort);
      }
      if (idle) this.dispatch(idle, job);
      else this.queue.push(job);
    });
  }

  /**
   * Terminates every worker; queued and running tasks resolve as `killed`/`cancelled` at once.
   * A running task is first asked to stop (as on cancel) and given `cancelGraceMs` to answer
   * before its thread is terminated: a worker inside native code that calls back into
   * JavaScript (the wasmtime backend) must not be terminated mid-task. Idempotent.
   */
  async dispose(): Promise<void> {
    if (!this.disposed) {
      this.disposed = true;
      for (const job of this.queue.splice(0))
        this.settle(job, this.killed('cancelled', 0, 'The worker pool was disposed'));
      for (const slot of [...this.slots]) {
        const job = slot.job;
        if (!job) {
          this.retire(slot, slot.warm);
          continue;
        }
        this.settle(job, this.killedAfter(job, 'cancelled', 'The worker pool was disposed'));
        const stopped = this.stopThenRetire(slot, job);
        this.exits.add(stopped);
        void stopped.then(() => this.exits.delete(stopped));
      }
    }
    await Promise.all([...this.exits]);
  }

  private async stopThenRetire(slot: Slot<T, R>, job: Job<T, R>): Promise<void> {
    const worker = slot.handle.worker;
    let answered = false;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', done);
        resolve();
      };
      const onMessage = (message: PoolWorkerMessage<R>) => {
        if (message?.id !== job.id || message.type === 'jsbox-pool-started') return;
        answered = true;
        done();
      };
      const timer = setTimeout(done, this.options.cancelGraceMs ?? 1000);
      worker.on('message', onMessage);
      worker.once('exit', done);
      if (!this.askToStop(slot, 'cancelled')) done();
    });
    // A worker that answered is idle again and can close itself; one that did not is stuck.
    await this.retire(slot, answered && slot.warm);
  }

  private idleSlot(): Slot<T, R> | undefined {
    for (const slot of this.slots) if (!slot.job) return slot;
    if (this.slots.size < this.poolSize) return this.spawn();
    return undefined;
  }

  private spawn(): Slot<T, R> {
    const worker = new Worker(this.options.workerUrl, {
      workerData: this.options.workerData,
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
      // Node pipes unread worker stdio to ours without holding the process open (reading it
      // ourselves would keep a referenced port for the worker's lifetime, so idle workers would
      // keep the process alive). `serveWorkerTasks` sends the worker's stdout to stderr, so
      // nothing a worker prints lands on our stdout (which may carry a protocol).
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const slot: Slot<T, R> = {
      handle: {
        worker,
        threadId: worker.threadId,
        flags: new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS)),
      },
      job: undefined,
      warm: false,
      retired: false,
      lastError: undefined,
      terminate: worker.terminate.bind(worker),
      exited: new Promise((resolve) => worker.once('exit', resolve)),
    };
    // Whoever else terminates this worker (an embedder holding the Worker, a fault-injection
    // hook) goes through the pool, so the thread is never torn down inside a native section.
    worker.terminate = () => {
      this.lose(slot);
      return slot.exited;
    };
    liveWorkers.set(slot.handle, () => {
      if (slot.job) this.askToStop(slot, 'cancelled');
    });
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', holdExitForNativeSections);
    }
    worker.on('message', (message: PoolWorkerMessage<R>) => this.onMessage(slot, message));
    worker.on('error', (error: Error) => {
      slot.lastError = error?.message ?? String(error);
    });
    worker.on('messageerror', (error: Error) => {
      slot.lastError = `a message from the worker could not be read: ${error.message}`;
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    this.slots.add(slot);
    return slot;
  }

  private dispatch(slot: Slot<T, R>, job: Job<T, R>): void {
    slot.job = job;
    Atomics.store(slot.handle.flags, 0, CONTROL_RUNNING);
    slot.handle.worker.ref();
    if (slot.warm) {
      // An idle warm worker starts the task as soon as the message lands: time it from now.
      this.startClock(slot, job);
    } else {
      // A new worker loads its script first: its first task is timed from the `started` message.
      const allowance = this.options.startupAllowanceMs ?? 10_000;
      job.timers.push(setTimeout(() => this.backstop(slot, job), job.options.hardDeadlineMs + allowance));
    }
    const message: PoolTaskMessage<T> = {
      type: 'jsbox-pool-task',
      id: job.id,
      task: job.task,
      control: slot.handle.flags.buffer as SharedArrayBuffer,
    };
    try {
      slot.handle.worker.postMessage(message);
    } catch (error) {
      this.finish(
        slot,
        this.killed('crashed', 0, `The task could not be sent to the worker: ${String(error)}`),
      );
    }
  }

  private onMessage(slot: Slot<T, R>, message: PoolWorkerMessage<R>): void {
    const job = slot.job;
    if (!job || message?.id !== job.id) return;
    if (message.type === 'jsbox-pool-started') {
      slot.warm = true;
      this.clearTimers(job);
      this.startClock(slot, job);
    } else if (message.type === 'jsbox-pool-reply') {
      this.finish(slot, { kind: 'reply', reply: message.reply });
    } else if (message.type === 'jsbox-pool-failed') {
      this.finish(
        slot,
        this.killedAfter(job, 'crashed', `The ${this.options.name} worker failed: ${message.message}`),
      );
    }
  }

  /** The task is running: arm its hard deadline (backstop) and soft deadline (stop request). */
  private startClock(slot: Slot<T, R>, job: Job<T, R>): void {
    job.startedAt = performance.now();
    job.timers.push(setTimeout(() => this.backstop(slot, job), job.options.hardDeadlineMs));
    const soft = job.options.softDeadlineMs;
    if (soft !== undefined && soft >= 0)
      job.timers.push(setTimeout(() => this.requestStop(slot, job, 'deadline'), soft));
  }

  private onExit(slot: Slot<T, R>, code: number): void {
    this.slots.delete(slot);
    liveWorkers.delete(slot.handle);
    if (slot.retired) return;
    const job = slot.job;
    const why = slot.lastError ?? `it exited with code ${code}`;
    if (job) {
      slot.job = undefined;
      this.settle(job, this.killedAfter(job, 'crashed', `The ${this.options.name} worker crashed: ${why}`));
    }
    this.replace(slot);
  }

  private abort(job: Job<T, R>): void {
    const queuedAt = this.queue.indexOf(job);
    if (queuedAt !== -1) {
      this.queue.splice(queuedAt, 1);
      this.settle(job, this.killed('cancelled', 0, 'The task was cancelled while it waited for a worker'));
      return;
    }
    for (const slot of this.slots) if (slot.job === job) this.requestStop(slot, job, 'cancelled');
  }

  private requestStop(slot: Slot<T, R>, job: Job<T, R>, reason: PoolStopReason): void {
    if (slot.job !== job || job.stopRequested) return;
    job.stopRequested = reason;
    // A failing hook must not stop the backstop below from doing its job.
    this.askToStop(slot, reason);
    const grace = this.options.cancelGraceMs ?? 1000;
    job.timers.push(setTimeout(() => this.backstop(slot, job), grace));
  }

  private backstop(slot: Slot<T, R>, job: Job<T, R>): void {
    if (slot.job !== job) return;
    const reason = job.stopRequested ?? 'deadline';
    const message =
      reason === 'deadline'
        ? `The ${this.options.name} worker was still busy ${job.options.hardDeadlineMs} ms after its task started and was terminated (hard deadline)`
        : `The ${this.options.name} worker did not stop after the task was cancelled and was terminated`;
    this.settle(job, this.killedAfter(job, reason, message));
    slot.job = undefined;
    this.retire(slot);
    this.replace(slot);
  }

  /**
   * A worker terminated from outside the pool: its task (asked to stop) ends at once as crashed,
   * the thread leaves the pool and is terminated as soon as it is out of native code, and a
   * replacement takes over. No-op for a worker already leaving the pool.
   */
  private lose(slot: Slot<T, R>): void {
    if (slot.retired || !this.slots.has(slot)) return;
    const job = slot.job;
    if (job) {
      slot.job = undefined;
      // The termination below waits for the native section even if this fails.
      this.askToStop(slot, 'cancelled');
      this.settle(
        job,
        this.killedAfter(
          job,
          'crashed',
          `The ${this.options.name} worker crashed: it was terminated during the task`,
        ),
      );
    }
    this.retire(slot);
    // Not inside the caller's terminate() call: one looping over every worker would end the
    // replacement too.
    queueMicrotask(() => this.replace(slot));
  }

  /** Asks the slot's running task to stop (`onCancel`, or the stop flag); false if the hook threw. */
  private askToStop(slot: Slot<T, R>, reason: PoolStopReason): boolean {
    try {
      (this.options.onCancel ?? setStopFlag)(slot.handle, reason);
      return true;
    } catch {
      return false;
    }
  }

  /** Replaces a lost worker: at once when it had proven healthy, else only when work waits. */
  private replace(lost: Slot<T, R>): void {
    if (this.disposed) return;
    if (lost.warm && this.slots.size < this.poolSize) this.spawn();
    this.pump();
  }

  /**
   * Takes a worker out of the pool. An idle worker (`graceful`) is asked to close, so it can free
   * native resources before it exits, and terminated only if it has not exited after
   * {@link CLOSE_GRACE_MS}; a busy or stuck one is terminated (see {@link terminateWhenSafe}).
   */
  private retire(slot: Slot<T, R>, graceful = false): Promise<void> {
    slot.retired = true;
    this.slots.delete(slot);
    const exit = graceful ? this.closeGracefully(slot) : this.terminateWhenSafe(slot);
    this.exits.add(exit);
    void exit.then(() => this.exits.delete(exit));
    return exit;
  }

  private async closeGracefully(slot: Slot<T, R>): Promise<void> {
    try {
      slot.handle.worker.postMessage({ type: 'jsbox-pool-close' } satisfies PoolCloseMessage);
    } catch {
      return this.terminateWhenSafe(slot);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = await Promise.race([
      slot.exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!exited) await this.terminateWhenSafe(slot);
  }

  /**
   * Terminates a worker, but never while it is inside native code marked with
   * `TaskControl.withoutTermination` (tearing down an isolate that native code will call back
   * into crashes the process). The worker has already left the pool, so a replacement can start
   * at once; it is terminated as soon as it leaves the native section, or left to exit with the
   * process if it never does (bounded by `NATIVE_WAIT_LIMIT_MS`).
   */
  private async terminateWhenSafe(slot: Slot<T, R>): Promise<void> {
    const { flags, worker } = slot.handle;
    // Marked before the counter is read: the worker enters no new native section from here on.
    Atomics.store(flags, CONTROL_TERMINATING_INDEX, 1);
    const started = performance.now();
    while (Atomics.load(flags, CONTROL_NATIVE_INDEX) > 0) {
      if (performance.now() - started > NATIVE_WAIT_LIMIT_MS) {
        worker.unref();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20).unref());
    }
    await slot.terminate().catch(() => undefined);
  }

  private finish(slot: Slot<T, R>, outcome: PoolOutcome<R>): void {
    const job = slot.job;
    if (!job) return;
    slot.job = undefined;
    slot.handle.worker.unref();
    this.settle(job, outcome);
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      const slot = this.idleSlot();
      if (!slot) return;
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private settle(job: Job<T, R>, outcome: PoolOutcome<R>): void {
    this.clearTimers(job);
    job.detachAbort();
    job.resolve(outcome);
  }

  private clearTimers(job: Job<T, R>): void {
    for (const timer of job.timers.splice(0)) clearTimeout(timer);
  }

  private killedAfter(
    job: Job<T, R>,
    reason: 'deadline' | 'cancelled' | 'crashed',
    message: string,
  ): PoolOutcome<R> {
    const elapsedMs = job.startedAt === undefined ? 0 : performance.now() - job.startedAt;
    return this.killed(reason, elapsedMs, message);
  }

  private killed(
    reason: 'deadline' | 'cancelled' | 'crashed',
    elapsedMs: number,
    message: string,
  ): PoolOutcome<R> {
    return { kind: 'killed', reason, elapsedMs: Math.round(elapsedMs), message };
  }
}
