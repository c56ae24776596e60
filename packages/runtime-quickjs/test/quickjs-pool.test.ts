import { QueueFullError, SandboxDisposedError } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { startBackend } from './helpers.js';

describe('quickjs backend: pool', () => {
  it('runs executions in parallel workers, up to poolSize', async () => {
    const box = await startBackend({ poolSize: 2 });
    try {
      const started = Date.now();
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          box.run({ code: `const end = Date.now() + 300; while (Date.now() < end) {} ${n}` }),
        ),
      );
      expect(results.map((result) => (result.status === 'success' ? result.result : result.status))).toEqual([
        1, 2, 3, 4,
      ]);
      // Four 300 ms jobs on two workers need at least two rounds.
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    } finally {
      await box.backend.dispose();
    }
  });

  it('rejects with QueueFullError when the queue is full', async () => {
    const box = await startBackend({ poolSize: 1, maxQueued: 1 });
    try {
      const busy = box.run({ code: 'while (true) {}', limits: { timeoutMs: 300 } });
      const waiting = box.run({ code: '2' });
      const error = await box.run({ code: '3' }).catch((e: unknown) => e);
      expect(QueueFullError.isInstance(error)).toBe(true);
      expect(await busy).toMatchObject({ status: 'timeout' });
      expect(await waiting).toMatchObject({ status: 'success', result: 2 });
    } finally {
      await box.backend.dispose();
    }
  });

  it('dispose ends pending executions with a result; later calls throw', async () => {
    const box = await startBackend({ poolSize: 1 });
    const running = box.run({ code: 'while (true) {}', limits: { timeoutMs: 30_000 } });
    const queued = box.run({ code: '1' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await box.backend.dispose();
    expect(await running).toMatchObject({ status: 'timeout', reason: 'cancelled' });
    expect(await queued).toMatchObject({ status: 'timeout', reason: 'cancelled' });
    const error = await box.run({ code: '1' }).catch((e: unknown) => e);
    expect(SandboxDisposedError.isInstance(error)).toBe(true);
    await box.backend.dispose();
  });
});
