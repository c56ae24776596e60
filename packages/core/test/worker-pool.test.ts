import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionsError, QueueFullError, SandboxDisposedError } from '../src/errors.js';
import { type PoolWorkerHandle, WorkerPool, type WorkerPoolOptions } from '../src/pool/worker-pool.js';

const workerUrl = new URL('./fixtures/pool-test-worker.mjs', import.meta.url);

type Task = { op: string; value?: unknown; ms?: number; ended?: SharedArrayBuffer; flag?: SharedArrayBuffer };
const pools: WorkerPool<Task, any>[] = [];

function makePool(options: Partial<WorkerPoolOptions> = {}): WorkerPool<Task, any> {
  const pool = new WorkerPool<Task, any>({ workerUrl, name: 'test', poolSize: 1, ...options });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
});

describe('WorkerPool', () => {
  it('runs a task and returns the reply', async () => {
    const pool = makePool();
    const outcome = await pool.run({ op: 'echo', value: { a: [1, 2] } }, { hardDeadlineMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'reply', reply: { value: { a: [1, 2] } } });
    expect(pool.size).toBe(1);
    expect(pool.busy).toBe(0);
  });

  it('never runs more than poolSize tasks at once and queues the rest', async () => {
    const pool = makePool({ poolSize: 2 });
    const runs = Array.from({ length: 5 }, () => pool.run({ op: 'sleep', ms: 50 }, { hardDeadlineMs: 5000 }));
    expect(pool.busy).toBe(2);
    expect(pool.queued).toBe(3);
    const outcomes = await Promise.all(runs);
    expect(outcomes.every((outcome) => outcome.kind === 'reply')).toBe(true);
    const threads = new Set(
      outcomes.map((outcome) => (outcome.kind === 'reply' ? outcome.reply.threadId : -1)),
    );
    expect(threads.size).toBe(2);
    expect(pool.size).toBe(2);
  });

  it('rejects with QueueFullError beyond maxQueued', async () => {
    const pool = makePool({ maxQueued: 1 });
    const running = pool.run({ op: 'sleep', ms: 100 }, { hardDeadlineMs: 5000 });
    const waiting = pool.run({ op: 'echo', value: 1 }, { hardDeadlineMs: 5000 });
    const error = await pool.run({ op: 'echo', value: 2 }, { hardDeadlineMs: 5000 }).catch((e: unknown) => e);
    expect(QueueFullError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'queue_full', maxQueued: 1 });
    expect((await running).kind).toBe('reply');
    expect(await waiting).toMatchObject({ kind: 'reply', reply: { value: 1 } });
  });

  it('terminates a worker stuck past the hard deadline and replaces it', async () => {
    const pool = makePool();
    const first = await pool.run({ op: 'echo', value: 0 }, { hardDeadlineMs: 5000 });
    const started = Date.now();
    const outcome = await pool.run({ op: 'loop' }, { hardDeadlineMs: 200 });
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'deadline' });
    expect(Date.now() - started).toBeLessThan(5000);
    if (outcome.kind === 'killed') expect(outcome.elapsedMs).toBeGreaterThanOrEqual(150);
    const after = await pool.run({ op: 'echo', value: 'alive' }, { hardDeadlineMs: 5000 });
    expect(after).toMatchObject({ kind: 'reply', reply: { value: 'alive' } });
    // A fresh thread took over.
    if (first.kind === 'reply' && after.kind === 'reply')
      expect(after.reply.threadId).not.toBe(first.reply.threadId);
    expect(pool.size).toBe(1);
  });

  it('never terminates a worker inside withoutTermination: it leaves the pool and dies after', async () => {
    const pool = makePool();
    const ended = new SharedArrayBuffer(4);
    const started = performance.now();
    const outcome = await pool.run({ op: 'guarded', ms: 600, ended }, { hardDeadlineMs: 100 });
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'deadline' });
    expect(performance.now() - started).toBeLessThan(550);
    expect(Atomics.load(new Int32Array(ended), 0)).toBe(0);
    // A replacement serves at once while the old thread finishes its native section.
    const next = await pool.run({ op: 'echo', value: 1 }, { hardDeadlineMs: 5000 });
    expect(next).toMatchObject({ kind: 'reply', reply: { value: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 900));
    // The old thread got out of its native section (then spun until it was terminated).
    expect(Atomics.load(new Int32Array(ended), 0)).toBe(1);
  });

  it('a terminate() from outside ends the task as crashed at once but the thread only after its native section', async () => {
    let handle: PoolWorkerHandle | undefined;
    // The soft deadline hands us the worker while the task is inside its native section.
    const pool = makePool({
      onCancel: (worker) => {
        if (!handle) handle = worker;
      },
    });
    const ended = new SharedArrayBuffer(4);
    const running = pool.run(
      { op: 'guarded', ms: 600, ended },
      { hardDeadlineMs: 10_000, softDeadlineMs: 100 },
    );
    while (!handle) await new Promise((resolve) => setTimeout(resolve, 10));
    const terminated = performance.now();
    const exited = handle.worker.terminate();
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'crashed' });
    if (outcome.kind === 'killed') expect(outcome.message).toContain('terminated during the task');
    expect(performance.now() - terminated).toBeLessThan(300);
    expect(Atomics.load(new Int32Array(ended), 0)).toBe(0);
    // terminate() resolves once the thread is gone, which was after its native section ended.
    expect(await exited).toBe(1);
    expect(Atomics.load(new Int32Array(ended), 0)).toBe(1);
    const next = await pool.run({ op: 'echo', value: 1 }, { hardDeadlineMs: 5000 });
    expect(next).toMatchObject({ kind: 'reply', reply: { value: 1 } });
    if (next.kind === 'reply') expect(next.reply.threadId).not.toBe(handle.threadId);
  });

  it('process.exit() waits for native sections to end before the workers are torn down', () => {
    const script = fileURLToPath(new URL('./fixtures/exit-in-native-section.mjs', import.meta.url));
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toMatchObject({
      status: 7,
      signal: null,
    });
    expect(child.stdout).toContain('native section ended before teardown: 1');
  });

  it('reports a crashed worker, replaces it and serves the queue', async () => {
    const pool = makePool();
    const crash = pool.run({ op: 'crash' }, { hardDeadlineMs: 5000 });
    const exit = pool.run({ op: 'exit' }, { hardDeadlineMs: 5000 });
    const next = pool.run({ op: 'echo', value: 'next' }, { hardDeadlineMs: 5000 });
    const crashed = await crash;
    expect(crashed).toMatchObject({ kind: 'killed', reason: 'crashed' });
    if (crashed.kind === 'killed') expect(crashed.message).toContain('boom from the worker');
    const exited = await exit;
    expect(exited).toMatchObject({ kind: 'killed', reason: 'crashed' });
    if (exited.kind === 'killed') expect(exited.message).toContain('code 3');
    expect(await next).toMatchObject({ kind: 'reply', reply: { value: 'next' } });
    expect(pool.size).toBe(1);
  });

  it('reports a handler that throws and keeps the worker', async () => {
    const pool = makePool();
    const outcome = await pool.run({ op: 'throw' }, { hardDeadlineMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'crashed' });
    if (outcome.kind === 'killed') expect(outcome.message).toContain('handler failed');
    expect(await pool.run({ op: 'echo', value: 1 }, { hardDeadlineMs: 5000 })).toMatchObject({
      kind: 'reply',
    });
  });

  it('a worker that dies over its resourceLimits is reported as crashed', async () => {
    const pool = makePool({ resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const outcome = await pool.run({ op: 'heap' }, { hardDeadlineMs: 20_000 });
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'crashed' });
    expect(await pool.run({ op: 'echo', value: 1 }, { hardDeadlineMs: 5000 })).toMatchObject({
      kind: 'reply',
    });
  });

  it('cancels through the shared flag: a cooperative task sees it and replies', async () => {
    const pool = makePool();
    const controller = new AbortController();
    const running = pool.run({ op: 'poll' }, { hardDeadlineMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await running).toMatchObject({ kind: 'reply', reply: { stopped: 'cancelled' } });
  });

  it('raises the flag with reason deadline at the soft deadline', async () => {
    const pool = makePool();
    const outcome = await pool.run({ op: 'poll' }, { hardDeadlineMs: 10_000, softDeadlineMs: 50 });
    expect(outcome).toMatchObject({ kind: 'reply', reply: { stopped: 'deadline' } });
  });

  it('terminates a running task that ignores cancel after the grace period', async () => {
    const pool = makePool({ cancelGraceMs: 100 });
    await pool.run({ op: 'echo' }, { hardDeadlineMs: 5000 });
    const controller = new AbortController();
    const running = pool.run({ op: 'loop' }, { hardDeadlineMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect(await running).toMatchObject({ kind: 'killed', reason: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await pool.run({ op: 'echo', value: 2 }, { hardDeadlineMs: 5000 })).toMatchObject({
      kind: 'reply',
    });
  });

  it('removes an aborted queued task at once; a pre-aborted signal never runs', async () => {
    const pool = makePool();
    const running = pool.run({ op: 'sleep', ms: 300 }, { hardDeadlineMs: 5000 });
    const controller = new AbortController();
    const queued = pool.run({ op: 'echo', value: 1 }, { hardDeadlineMs: 5000, signal: controller.signal });
    expect(pool.queued).toBe(1);
    controller.abort();
    expect(pool.queued).toBe(0);
    expect(await queued).toMatchObject({ kind: 'killed', reason: 'cancelled', elapsedMs: 0 });
    expect(
      await pool.run({ op: 'echo' }, { hardDeadlineMs: 5000, signal: AbortSignal.abort() }),
    ).toMatchObject({
      kind: 'killed',
      reason: 'cancelled',
    });
    expect((await running).kind).toBe('reply');
  });

  it('dispose ends queued and running tasks, terminates workers, and later runs throw', async () => {
    const pool = makePool();
    const running = pool.run({ op: 'loop' }, { hardDeadlineMs: 60_000 });
    const queued = pool.run({ op: 'echo' }, { hardDeadlineMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pool.dispose();
    expect(await running).toMatchObject({ kind: 'killed', reason: 'cancelled' });
    expect(await queued).toMatchObject({ kind: 'killed', reason: 'cancelled' });
    expect(pool.size).toBe(0);
    const error = await pool.run({ op: 'echo' }, { hardDeadlineMs: 1000 }).catch((e: unknown) => e);
    expect(SandboxDisposedError.isInstance(error)).toBe(true);
    await pool.dispose();
  });

  it('dispose asks a running task to stop and lets it answer before terminating its worker', async () => {
    const seen: string[] = [];
    const pool = makePool({
      onCancel(worker, reason) {
        seen.push(`cancel:${reason}`);
        // A slow worker may only now report that it started the task: that is not the answer.
        worker.worker.on('message', (message: { type: string }) => {
          if (message.type !== 'jsbox-pool-started') seen.push(message.type);
        });
        Atomics.store(worker.flags, 0, 1);
        Atomics.notify(worker.flags, 0);
      },
    });
    const running = pool.run({ op: 'poll' }, { hardDeadlineMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pool.dispose();
    expect(await running).toMatchObject({ kind: 'killed', reason: 'cancelled' });
    expect(seen).toEqual(['cancel:cancelled', 'jsbox-pool-reply']);
    expect(pool.size).toBe(0);
  });

  it('dispose lets an idle worker run its onClose hook and exit by itself', async () => {
    const pool = makePool();
    const flag = new SharedArrayBuffer(4);
    expect(await pool.run({ op: 'arm-close', flag }, { hardDeadlineMs: 5000 })).toMatchObject({
      kind: 'reply',
    });
    await pool.dispose();
    expect(Atomics.load(new Int32Array(flag), 0)).toBe(1);
  });

  it('a worker stuck in a task is terminated on dispose, without its onClose hook', async () => {
    const pool = makePool({ cancelGraceMs: 100 });
    const flag = new SharedArrayBuffer(4);
    await pool.run({ op: 'arm-close', flag }, { hardDeadlineMs: 5000 });
    const stuck = pool.run({ op: 'loop' }, { hardDeadlineMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pool.dispose();
    expect(await stuck).toMatchObject({ kind: 'killed', reason: 'cancelled' });
    expect(Atomics.load(new Int32Array(flag), 0)).toBe(0);
  });

  it('a worker script that fails to start fails its tasks without a respawn loop', async () => {
    const pool = makePool({ workerData: { failOnStart: true } });
    const outcome = await pool.run({ op: 'echo' }, { hardDeadlineMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'crashed' });
    if (outcome.kind === 'killed') expect(outcome.message).toContain('refuses to start');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pool.size).toBe(0);
  });

  it('rejects bad options with InvalidOptionsError', async () => {
    expect(() => new WorkerPool({ workerUrl, name: 'test', poolSize: 0 })).toThrow(InvalidOptionsError);
    expect(() => new WorkerPool({ workerUrl: 'x' as unknown as URL, name: 'test' })).toThrow(/workerUrl/);
    const pool = makePool();
    await expect(pool.run({ op: 'echo' }, { hardDeadlineMs: -1 })).rejects.toThrow(/hardDeadlineMs/);
  });
});
