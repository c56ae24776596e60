import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendUnavailableError,
  type ExecutionRequest,
  resolveExecutionRequest,
  type SandboxBackend,
} from '@jsbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWasmtimeAvailability, createWasmtimeBackend } from '../src/index.js';

let backend: SandboxBackend;
const cacheDirectory = mkdtempSync(join(tmpdir(), 'jsbox-wasmtime-test-'));

beforeAll(async () => {
  backend = await createWasmtimeBackend({ cacheDirectory, poolSize: 2 });
});

afterAll(async () => {
  await backend?.dispose();
});

const run = (request: ExecutionRequest, signal?: AbortSignal) =>
  backend.execute(resolveExecutionRequest(request), signal ? { signal } : {});

describe('wasmtime backend', () => {
  it('evaluates 1 + 1 and reports fuel', async () => {
    const result = await run({ code: '1 + 1' });
    expect(result).toMatchObject({ status: 'success', result: 2, backend: 'wasmtime' });
    expect(result.fuelConsumed).toBeGreaterThan(0);
  });

  it('captures console output and reads input', async () => {
    const result = await run({
      code: 'console.log("hi", input.n); console.error("oops"); input.n * 2',
      input: { n: 21 },
    });
    expect(result).toMatchObject({ status: 'success', result: 42, stdout: 'hi 21\n', stderr: 'oops\n' });
  });

  it('runs TypeScript', async () => {
    const result = await run({
      code: 'const add = (a: number, b: number): number => a + b;\nadd(2, 3)',
      language: 'typescript',
    });
    expect(result).toMatchObject({ status: 'success', result: 5 });
  });

  it('stops an endless loop at the deadline, promise jobs included', async () => {
    const loop = await run({ code: 'while (true) {}', limits: { timeoutMs: 300, fuel: 1e15 } });
    expect(loop).toMatchObject({ status: 'timeout', reason: 'deadline', timeoutMs: 300 });
    const jobs = await run({
      code: 'const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {})',
      limits: { timeoutMs: 300, fuel: 1e15 },
    });
    expect(jobs).toMatchObject({ status: 'timeout', reason: 'deadline' });
  });

  it('stops at the fuel budget', async () => {
    const result = await run({ code: 'for (;;) {}', limits: { fuel: 5_000_000 } });
    expect(result).toMatchObject({
      status: 'error',
      error: { type: 'resource', limit: 'fuel' },
      fuelConsumed: 5_000_000,
    });
  });

  it('reports running out of memory as the memory limit', async () => {
    const result = await run({
      code: 'const keep = []; for (;;) keep.push(new Array(100000).fill(1))',
      limits: { memoryLimitBytes: 16 * 1024 * 1024 },
    });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'memory' } });
  });

  it('caps an output flood at maxOutputBytes', async () => {
    const result = await run({ code: 'for (;;) console.log("flood")', limits: { maxOutputBytes: 1000 } });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'output' } });
    expect(result.stdout.length).toBe(1000);
    expect(result.truncated.stdout).toBe(true);
  });

  it('reports syntax errors with their location', async () => {
    const result = await run({ code: 'let x = ;' });
    expect(result).toMatchObject({
      status: 'error',
      error: { type: 'syntax', name: 'SyntaxError', line: 1 },
    });
  });

  it('reports sandbox escapes as violations', async () => {
    const result = await run({ code: 'await import("node:fs")' });
    expect(result).toMatchObject({
      status: 'security_violation',
      violation: { kind: 'import', target: 'node:fs' },
    });
  });

  it('cancels a running execution through its AbortSignal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const result = await run(
      { code: 'while (true) {}', limits: { timeoutMs: 20_000, fuel: 1e15 } },
      controller.signal,
    );
    expect(result).toMatchObject({ status: 'timeout', reason: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('reruns a program from its compiled form only for the same language, file name and size cap', async () => {
    const code = 'const n: number = 20;\nn + 1';
    for (let round = 0; round < 2; round++) {
      expect(await run({ code, language: 'typescript' })).toMatchObject({ status: 'success', result: 21 });
      expect(await run({ code, language: 'javascript' })).toMatchObject({
        status: 'error',
        error: { type: 'syntax' },
      });
    }
    const thrower = 'throw new Error("where am I")';
    const stacks = [];
    for (const filename of ['first.js', 'second.js']) {
      const result = await run({ code: thrower, filename });
      stacks.push(result.status === 'error' ? result.error.stack : '');
    }
    expect(stacks[0]).toContain('first.js');
    expect(stacks[1]).toContain('second.js');
    expect(await run({ code: '1 + 1', limits: { maxCodeBytes: 4 } })).toMatchObject({
      status: 'error',
      error: { type: 'resource' },
    });
  });

  it('delivers output kept in the plugin complete and in order, across its 64 KiB flushes', async () => {
    const result = await run({
      code: 'for (let i = 0; i < 20000; i++) { console.log("line " + i); if (i % 1000 === 0) console.error("e" + i); } 7',
      limits: { maxOutputBytes: 1024 * 1024 },
    });
    const expected = Array.from({ length: 20000 }, (_, index) => `line ${index}\n`).join('');
    expect(result).toMatchObject({
      status: 'success',
      result: 7,
      truncated: { stdout: false, stderr: false },
    });
    expect(result.stdout.length).toBeGreaterThan(128 * 1024);
    expect(result.stdout).toBe(expected);
    expect(result.stderr).toBe(Array.from({ length: 20 }, (_, index) => `e${index * 1000}\n`).join(''));
  });

  it('stops a guest the moment its output passes the cap, even one that would write forever', async () => {
    const result = await run({
      code: 'console.log("start"); for (;;) console.log("more")',
      limits: { maxOutputBytes: 4096, timeoutMs: 5000 },
    });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'output' } });
    expect(result.stdout.startsWith('start\nmore\n')).toBe(true);
    expect(result.stdout.length).toBe(4096);
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('keeps output written before a trap or a deadline', async () => {
    const deep = await run({ code: 'console.log("before"); const f = (n) => f(n + 1) + 1; f(0)' });
    expect(deep).toMatchObject({ status: 'error', stdout: 'before\n' });
    const late = await run({ code: 'console.log("before"); for (;;) {}', limits: { timeoutMs: 200 } });
    expect(late).toMatchObject({ status: 'timeout', stdout: 'before\n' });
  });

  it('keeps nothing between executions', async () => {
    await run({ code: 'globalThis.leak = 42' });
    expect(await run({ code: 'typeof globalThis.leak' })).toMatchObject({
      status: 'success',
      result: 'undefined',
    });
  });
});

describe('meterFuel: false', () => {
  it('runs without fuel: a tiny fuel limit is ignored, the deadline still stops a loop', async () => {
    const unmetered = await createWasmtimeBackend({ cacheDirectory, poolSize: 1, meterFuel: false });
    try {
      expect(unmetered.capabilities.fuel).toBe(false);
      const sum = await unmetered.execute(
        resolveExecutionRequest({
          code: 'let s = 0; for (let i = 0; i < 1e5; i++) s += i; s',
          limits: { fuel: 1_000 },
        }),
      );
      expect(sum).toMatchObject({ status: 'success', result: 4999950000, fuelConsumed: 0 });
      const loop = await unmetered.execute(
        resolveExecutionRequest({ code: 'while (true) {}', limits: { timeoutMs: 300 } }),
      );
      expect(loop).toMatchObject({ status: 'timeout', reason: 'deadline' });
    } finally {
      await unmetered.dispose();
    }
  });

  it('is validated', async () => {
    await expect(createWasmtimeBackend({ meterFuel: 'no' as unknown as boolean })).rejects.toThrow(
      /meterFuel must be true or false/,
    );
  });
});

describe('a missing library', () => {
  it('makes the factory throw BackendUnavailableError and the check say why', async () => {
    const libraryPath = join(cacheDirectory, 'no-such-libwasmtime.so');
    await expect(createWasmtimeBackend({ libraryPath })).rejects.toSatisfy(
      (error: unknown) =>
        BackendUnavailableError.isInstance(error) && /no file at/.test((error as Error).message),
    );
    const availability = await checkWasmtimeAvailability({ libraryPath });
    expect(availability).toMatchObject({ available: false });
  });

  it('rejects a file that is not libwasmtime', async () => {
    const availability = await checkWasmtimeAvailability({ libraryPath: process.execPath });
    expect(availability.available).toBe(false);
    expect(await checkWasmtimeAvailability()).toMatchObject({ available: true, version: '49.0.0' });
  });
});
