import { describe, expect, it } from 'vitest';
import { MiB, startBackend } from './helpers.js';

// Hundreds of runs that poison their engine instance (timeouts, out-of-memory, stack overflow)
// in a row: the worker must stay healthy and its memory bounded (discarded instances are freed).
describe('quickjs backend: failure soak', () => {
  it('survives hundreds of timeouts and OOMs with bounded memory', { timeout: 180_000 }, async () => {
    const box = await startBackend({ poolSize: 1 });
    try {
      const failures = [
        { code: 'while (true) {}', limits: { timeoutMs: 10 } },
        {
          code: 'const a = []; for (;;) a.push(new Array(4096).fill(7))',
          limits: { memoryLimitBytes: 8 * MiB },
        },
        { code: 'function f() { return f() + 1 } f()' },
      ];
      const expected = ['timeout', 'error', 'error'];
      const rssAt: number[] = [];
      for (let round = 0; round < 100; round++) {
        for (const [index, request] of failures.entries()) {
          const result = await box.run(request);
          expect(result.status).toBe(expected[index]);
        }
        if (round % 25 === 24) rssAt.push(process.memoryUsage().rss);
      }
      expect(await box.run({ code: '6 * 7' })).toMatchObject({ status: 'success', result: 42 });
      // Generous: 300 poisoned runs each touched up to ~24 MiB of wasm heap. Unbounded growth
      // would be gigabytes; a bounded worker plateaus.
      const growth = rssAt.at(-1)! - rssAt[0]!;
      expect(growth).toBeLessThan(512 * MiB);
    } finally {
      await box.backend.dispose();
    }
  });
});
