import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { CONFORMANCE_CASES } from './conformance/cases.js';
import { testBackends } from './helpers/backends.js';

for (const backendName of await testBackends()) {
  describe(`conformance: ${backendName}`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await createSandbox({ backend: backendName, poolSize: 2 });
      expect(sandbox.backend).toBe(backendName);
    });
    afterAll(async () => {
      await sandbox?.dispose();
    });

    for (const testCase of CONFORMANCE_CASES) {
      it(testCase.name, async () => {
        const result = await sandbox.execute(testCase.request);
        expect(result.backend).toBe(backendName);
        testCase.check(result);
      });
    }

    it('nothing leaks from one execution to the next', async () => {
      const first = await sandbox.execute({
        code: 'globalThis.leak = 1; Object.prototype.polluted = "yes"; Array.prototype.push = null; 1',
      });
      expect(first.status).toBe('success');
      for (let attempt = 0; attempt < 4; attempt++) {
        const next = await sandbox.execute({ code: '[typeof leak, ({}).polluted, typeof [].push]' });
        expect(next).toMatchObject({
          status: 'success',
          result: ['undefined', { $jsbox: 'undefined' }, 'function'],
        });
      }
    });

    it('Math.random differs between executions', async () => {
      const a = await sandbox.execute('Math.random()');
      const b = await sandbox.execute('Math.random()');
      expect(a.status).toBe('success');
      expect(a).not.toEqual(expect.objectContaining({ result: (b as { result?: unknown }).result }));
    });

    it('an AbortSignal cancels a running execution', async () => {
      const controller = new AbortController();
      const pending = sandbox.execute(
        { code: 'for (;;) {}', limits: { timeoutMs: 10_000 } },
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 200);
      const result = await pending;
      expect(result).toMatchObject({ status: 'timeout', reason: 'cancelled' });
      if (result.status === 'timeout') expect(result.elapsedMs).toBeLessThan(5000);
    });

    it('is healthy after every hostile case', async () => {
      const result = await sandbox.execute({ code: 'console.log("ok"); 40 + 2' });
      expect(result).toMatchObject({ status: 'success', result: 42, stdout: 'ok\n' });
    });
  });
}
