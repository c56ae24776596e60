import { type ExecutionRequest, resolveExecutionRequest, type TaskControl } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { EngineInstances } from '../src/engine-instances.js';
import { runExecution } from '../src/run-execution.js';

function idleControl(): TaskControl {
  const flags = new Int32Array(new SharedArrayBuffer(4));
  return { flags, cancelled: () => false, stopReason: () => undefined, withoutTermination: (fn) => fn() };
}

const instances = new EngineInstances();

async function run(request: ExecutionRequest) {
  const resolved = resolveExecutionRequest(request);
  const instance = await instances.acquire(resolved.limits.memoryLimitBytes);
  const report = runExecution(instance, resolved, idleControl());
  if (report.poisoned) instances.discard(instance);
  return report;
}

// Disposing a runtime that still holds objects trips QuickJS's gc_obj_list assertion; the
// backend would then silently re-instantiate the engine after every run. Healthy runs must free
// everything and keep their instance.
describe('runExecution: engine instance reuse', () => {
  it.each([
    ['a value', { code: '({ a: [1, 2, { b: 3 }] })' }],
    ['console output', { code: 'console.log("x", { y: 1 }); console.error(new Error("e")); 1' }],
    [
      'input and stdin',
      { code: 'const b = new Uint8Array(8); Javy.IO.readSync(0, b); input', input: { k: 1 } },
    ],
    ['bytes to stdout', { code: 'Javy.IO.writeSync(1, new Uint8Array([104, 105])); 1' }],
    ['top-level await', { code: 'await Promise.all([1, 2].map(async (n) => n)); 3' }],
    ['a runtime error', { code: 'null.x' }],
    ['a syntax error', { code: 'let a: number = 1' }],
    ['a require violation', { code: 'require("fs")' }],
    ['an import violation', { code: 'await import("fs")' }],
    ['an unsettled promise', { code: 'new Promise(() => {})' }],
  ] as const)('%s leaves the instance reusable', async (_label, request) => {
    const report = await run(request);
    expect(report.poisoned).toBe(false);
  });

  it.each([
    ['a timeout', { code: 'for (;;) {}', limits: { timeoutMs: 20 } }, 'timeout'],
    [
      'out of memory',
      { code: 'new Uint8Array(64 * 1024 * 1024)', limits: { memoryLimitBytes: 8 * 1024 * 1024 } },
      'error',
    ],
    ['a stack overflow', { code: 'function f() { return f() } f()' }, 'error'],
    ['a string past the length cap', { code: 'let s = "x"; for (;;) s += s;' }, 'error'],
    // 10k nested brackets exhaust V8's native stack inside the engine's parser.
    ['code nested past the host stack', { code: `${'['.repeat(10_000)}${']'.repeat(10_000)}` }, 'error'],
  ] as const)('%s poisons the instance', async (_label, request, status) => {
    const report = await run(request);
    expect(report.result.status).toBe(status);
    expect(report.poisoned).toBe(true);
  });

  it('reports code nested past the host stack as the stack limit, and the next run is healthy', async () => {
    const report = await run({ code: `${'['.repeat(10_000)}${']'.repeat(10_000)}` });
    expect(report.result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'stack' } });
    expect((await run({ code: '[1, 2].map((n) => n * 2)' })).result).toMatchObject({ result: [2, 4] });
  });

  it('an uncaught null because the heap is exhausted is the memory limit; a thrown null is not', async () => {
    const exhausted = await run({
      code: 'const a = []; for (;;) a.push({ i: a.length });',
      limits: { memoryLimitBytes: 16 * 1024 * 1024 },
    });
    expect(exhausted.result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'memory' } });
    expect(exhausted.poisoned).toBe(true);
    const thrown = await run({ code: 'throw null' });
    expect(thrown.result).toMatchObject({
      status: 'error',
      error: { type: 'runtime', message: 'Uncaught null' },
    });
    expect(thrown.poisoned).toBe(false);
  });

  it('stops at the cancel flag with reason cancelled', async () => {
    const flags = new Int32Array(new SharedArrayBuffer(4));
    let polls = 0;
    const control: TaskControl = {
      flags,
      cancelled: () => polls > 0,
      stopReason: () => (++polls > 3 ? 'cancelled' : undefined),
      withoutTermination: (fn) => fn(),
    };
    const resolved = resolveExecutionRequest({ code: 'for (;;) {}', limits: { timeoutMs: 60_000 } });
    const report = runExecution(await instances.acquire(resolved.limits.memoryLimitBytes), resolved, control);
    expect(report.result).toMatchObject({ status: 'timeout', reason: 'cancelled' });
  });
});
