import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ExecutionRequest, resolveExecutionRequest, type SandboxBackend } from '@jsbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmtimeBackend } from '../src/index.js';

let backend: SandboxBackend;

beforeAll(async () => {
  backend = await createWasmtimeBackend({
    cacheDirectory: mkdtempSync(join(tmpdir(), 'jsbox-wasmtime-load-')),
    poolSize: 2,
    maxQueued: 2000,
  });
});

afterAll(async () => {
  await backend?.dispose();
});

const HOSTILE: Array<{ request: ExecutionRequest; expected: (result: any) => boolean }> = [
  {
    request: { code: 'for (;;) {}', limits: { fuel: 3_000_000 } },
    expected: (r) => r.error?.limit === 'fuel',
  },
  {
    request: {
      code: 'const a = []; for (;;) a.push("x".repeat(65536) + a.length)',
      limits: { memoryLimitBytes: 2 * 1024 * 1024, fuel: 1e10 },
    },
    expected: (r) => r.error?.limit === 'memory',
  },
  {
    request: { code: 'for (;;) console.log("flood")', limits: { maxOutputBytes: 200 } },
    expected: (r) => r.error?.limit === 'output',
  },
  { request: { code: 'function f() { return f() + 1 } f()' }, expected: (r) => r.error?.limit === 'stack' },
  { request: { code: 'throw new Error("boom")' }, expected: (r) => r.error?.message === 'boom' },
  { request: { code: 'await import("fs")' }, expected: (r) => r.status === 'security_violation' },
  {
    request: { code: 'while (true) {}', limits: { timeoutMs: 20, fuel: 1e15 } },
    expected: (r) => r.status === 'timeout',
  },
  {
    request: { code: '"x".repeat(2 ** 20)', limits: { maxResultBytes: 1024 } },
    expected: (r) => r.error?.limit === 'output',
  },
];

describe('1,000 hostile executions', () => {
  it('all end with the right result and leave the backend healthy', { timeout: 120_000 }, async () => {
    const batch = Array.from({ length: 1000 }, (_, index) => index % HOSTILE.length);
    const results = await Promise.all(
      batch.map(async (which) => {
        const { request } = HOSTILE[which]!;
        return { which, result: await backend.execute(resolveExecutionRequest(request)) };
      }),
    );
    const wrong = results.filter(({ which, result }) => !HOSTILE[which]!.expected(result));
    expect(wrong.slice(0, 3)).toEqual([]);
    const normal = await backend.execute(
      resolveExecutionRequest({ code: 'console.log("still fine"); 6 * 7' }),
    );
    expect(normal).toMatchObject({ status: 'success', result: 42, stdout: 'still fine\n' });
  });
});
