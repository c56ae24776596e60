import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB, startBackend, type TestBackend } from './helpers.js';

let box: TestBackend;
beforeAll(async () => {
  box = await startBackend({ poolSize: 1 });
});
afterAll(async () => {
  await box.backend.dispose();
});

async function expectHealthy(): Promise<void> {
  expect(await box.run({ code: 'console.log("ok"); [1, 2].map((n) => n * 2)' })).toMatchObject({
    status: 'success',
    result: [2, 4],
    stdout: 'ok\n',
  });
}

describe('quickjs backend: limits', () => {
  it('stops an infinite loop at the deadline', async () => {
    const started = Date.now();
    const result = await box.run({
      code: 'console.log("before"); while (true) {}',
      limits: { timeoutMs: 300 },
    });
    const wall = Date.now() - started;
    expect(result).toMatchObject({
      status: 'timeout',
      reason: 'deadline',
      timeoutMs: 300,
      stdout: 'before\n',
    });
    if (result.status === 'timeout') {
      expect(result.elapsedMs).toBeGreaterThanOrEqual(300);
      expect(result.elapsedMs).toBeLessThan(3000);
    }
    expect(wall).toBeLessThan(5000);
    await expectHealthy();
  });

  it('stops an infinite loop inside a promise job', async () => {
    const result = await box.run({
      code: 'Promise.resolve().then(() => { for (;;) {} }); await new Promise(() => {})',
      limits: { timeoutMs: 200 },
    });
    expect(result).toMatchObject({ status: 'timeout', reason: 'deadline' });
    await expectHealthy();
  });

  it('stops an endless chain of awaits (top-level await never idles)', async () => {
    const result = await box.run({ code: 'for (;;) await null', limits: { timeoutMs: 200 } });
    expect(result).toMatchObject({ status: 'timeout', reason: 'deadline' });
    await expectHealthy();
  });

  it('stops catastrophic regex backtracking (ReDoS)', async () => {
    const result = await box.run({ code: '/(a+)+b/.test("a".repeat(40))', limits: { timeoutMs: 200 } });
    expect(result).toMatchObject({ status: 'timeout', reason: 'deadline' });
    await expectHealthy();
  });

  it('a memory bomb ends as resource/memory', async () => {
    const result = await box.run({
      code: 'const hoard = []; for (;;) hoard.push(new Array(10000).fill(1))',
      limits: { memoryLimitBytes: 32 * MiB },
    });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'memory' } });
    await expectHealthy();
  });

  it('a string memory bomb ends as resource/memory', async () => {
    const result = await box.run({
      code: 'const parts = []; for (let i = 0; ; i++) parts.push("y".repeat(100000) + i)',
      limits: { memoryLimitBytes: 16 * MiB },
    });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'memory' } });
    await expectHealthy();
  });

  it('the heap cap holds for one big allocation, and a fitting one succeeds', async () => {
    const code = 'new Uint8Array(48 * 1024 * 1024).length';
    expect(await box.run({ code, limits: { memoryLimitBytes: 32 * MiB } })).toMatchObject({
      status: 'error',
      error: { type: 'resource', limit: 'memory' },
    });
    expect(await box.run({ code, limits: { memoryLimitBytes: 128 * MiB } })).toMatchObject({
      status: 'success',
      result: 48 * MiB,
    });
    await expectHealthy();
  });

  it('deep recursion is a catchable RangeError in the guest', async () => {
    const result = await box.run({
      code: 'function down(n) { return down(n + 1) + 1 }\ntry { down(0) } catch (e) { [e instanceof RangeError, e.name, String(e)] }',
    });
    expect(result).toMatchObject({
      status: 'success',
      result: [true, 'RangeError', 'RangeError: stack overflow'],
    });
    await expectHealthy();
  });

  it('other engine errors keep their name', async () => {
    const result = await box.run({
      code: 'try { new Uint8Array(64 * 1024 * 1024) } catch (e) { e.name + ": " + e.message }',
      limits: { memoryLimitBytes: 8 * MiB },
    });
    expect(result).toMatchObject({ status: 'success', result: 'InternalError: out of memory' });
  });

  it('JSON.parse nesting too deep is a stack limit, not a syntax error', async () => {
    const result = await box.run({ code: 'JSON.parse("[".repeat(1e5) + "]".repeat(1e5)).length' });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'stack' } });
  });

  it('a rope-string doubling bomb ends as resource/memory', async () => {
    const result = await box.run({
      code: 'let s = "x"; const keep = []; for (;;) { s = s + s; keep.push(s); }',
      limits: { memoryLimitBytes: 16 * MiB },
    });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'memory' } });
    await expectHealthy();
  });

  it('uncaught deep recursion ends as resource/stack, at every stack preset', async () => {
    for (const preset of ['restrictive', 'default', 'permissive'] as const) {
      const result = await box.run({ code: 'function down(n) { return down(n + 1) + 1 }\ndown(0)', preset });
      expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'stack' } });
      if (result.status === 'error') expect(result.error.stack!.split('\n').length).toBeLessThan(50);
      await expectHealthy();
    }
  });

  it('caps an output flood: truncated, limit output, host memory bounded', async () => {
    const before = process.memoryUsage().rss;
    const result = await box.run({
      code: 'const line = "x".repeat(1023); for (let i = 0; i < 1024 * 1024; i++) console.log(line)', // 1 GiB
      limits: { maxOutputBytes: 64 * 1024, timeoutMs: 10_000 },
    });
    expect(result).toMatchObject({
      status: 'error',
      error: { type: 'resource', limit: 'output' },
      truncated: { stdout: true, stderr: false },
    });
    expect(result.stdout.length).toBe(64 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * MiB);
    await expectHealthy();
  });

  it('one huge write is cut at the cap without copying it all to the host', async () => {
    const result = await box.run({
      code: 'console.error("z".repeat(40 * 1024 * 1024)); "unreached"',
      limits: { maxOutputBytes: 1000 },
    });
    expect(result).toMatchObject({
      status: 'error',
      error: { limit: 'output' },
      truncated: { stdout: false, stderr: true },
    });
    expect(result.stderr).toBe('z'.repeat(1000));
  });

  it('a guest that catches the output error is still stopped', async () => {
    const result = await box.run({
      code: 'for (;;) { try { console.log("spam spam spam") } catch {} }',
      limits: { maxOutputBytes: 100, timeoutMs: 5000 },
    });
    expect(result).toMatchObject({
      status: 'error',
      error: { limit: 'output' },
      truncated: { stdout: true },
    });
    if (result.status === 'error') expect(result.durationMs).toBeLessThan(4000);
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const result = await box.run(
      { code: 'while (true) {}', limits: { timeoutMs: 20_000 } },
      controller.signal,
    );
    expect(result).toMatchObject({ status: 'timeout', reason: 'cancelled', timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expectHealthy();
  });

  it('an already aborted signal never runs', async () => {
    const result = await box.run({ code: 'console.log("ran")' }, AbortSignal.abort());
    expect(result).toMatchObject({ status: 'timeout', reason: 'cancelled', stdout: '' });
  });
});
