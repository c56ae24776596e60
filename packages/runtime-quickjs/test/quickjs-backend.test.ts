import { InvalidOptionsError, InvalidRequestError, SPECIFICATION_VERSION } from '@jsbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuickjsBackend } from '../dist/index.js';
import { startBackend, type TestBackend } from './helpers.js';

let box: TestBackend;
beforeAll(async () => {
  box = await startBackend({ poolSize: 1 });
});
afterAll(async () => {
  await box.backend.dispose();
});

describe('quickjs backend: results', () => {
  it('describes itself', () => {
    expect(box.backend.name).toBe('quickjs');
    expect(box.backend.specificationVersion).toBe(SPECIFICATION_VERSION);
    expect(box.backend.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(box.backend.capabilities).toEqual({
      languages: ['javascript'],
      fuel: false,
      isolatedThreads: true,
      engine: 'QuickJS (quickjs-emscripten 0.32.0)',
    });
  });

  it('returns the value of the last expression', async () => {
    const result = await box.run({ code: '1 + 1' });
    expect(result).toMatchObject({
      status: 'success',
      result: 2,
      stdout: '',
      stderr: '',
      backend: 'quickjs',
    });
    expect(result.truncated).toEqual({ stdout: false, stderr: false });
  });

  it('captures console.log to stdout and console.error to stderr', async () => {
    const result = await box.run({
      code: 'console.log("hi", { a: 1 }, [1, 2]); console.error("oops"); console.warn("w")',
    });
    expect(result).toMatchObject({
      status: 'success',
      stdout: 'hi { a: 1 } [ 1, 2 ]\n',
      stderr: 'oops\nw\n',
    });
  });

  it('exposes the input as a global and as stdin JSON', async () => {
    const code = `
      const buffer = new Uint8Array(64);
      const length = Javy.IO.readSync(0, buffer);
      let text = '';
      for (let i = 0; i < length; i++) text += String.fromCharCode(buffer[i]);
      ({ doubled: input.n * 2, stdin: text, end: Javy.IO.readSync(0, buffer) })`;
    const result = await box.run({ code, input: { n: 21 } });
    expect(result).toMatchObject({ status: 'success', result: { doubled: 42, stdin: '{"n":21}', end: 0 } });
    expect(await box.run({ code: 'typeof input' })).toMatchObject({ result: 'undefined' });
  });

  it('supports top-level await and settles a promise result', async () => {
    expect(await box.run({ code: 'const x = await Promise.resolve(20); x + 1' })).toMatchObject({
      status: 'success',
      result: 21,
    });
    expect(await box.run({ code: 'Promise.resolve({ ok: true })' })).toMatchObject({ result: { ok: true } });
    expect(await box.run({ code: 'async function f() { await null; return "done" } f()' })).toMatchObject({
      result: 'done',
    });
    const rejected = await box.run({ code: 'await Promise.reject(new TypeError("nope"))' });
    expect(rejected).toMatchObject({
      status: 'error',
      error: { type: 'runtime', name: 'TypeError', message: 'nope' },
    });
  });

  it('encodes values JSON cannot hold', async () => {
    const result = await box.run({
      code: '({ big: 12n, nothing: undefined, map: new Map([["k", 1]]), nan: NaN })',
    });
    expect(result).toMatchObject({
      status: 'success',
      result: {
        big: { $jsbox: 'bigint', value: '12' },
        nothing: { $jsbox: 'undefined' },
        map: { $jsbox: 'map', entries: [['k', 1]] },
        nan: { $jsbox: 'number', value: 'NaN' },
      },
    });
  });

  it('reports a syntax error (e.g. TypeScript syntax) with line and column', async () => {
    const result = await box.run({ code: 'const ok = 1;\nlet a: number = 1' });
    expect(result).toMatchObject({
      status: 'error',
      error: { type: 'syntax', name: 'SyntaxError', line: 2 },
    });
    if (result.status === 'error') expect(result.error.column).toBeGreaterThan(0);
  });

  it('reports a runtime error with its stack line and column', async () => {
    const result = await box.run({
      code: 'const a = 1;\nfunction f() {\n  return null.x;\n}\nf()',
      filename: 'job.js',
    });
    expect(result).toMatchObject({
      status: 'error',
      error: { type: 'runtime', name: 'TypeError', line: 3 },
    });
    if (result.status === 'error') {
      expect(result.error.stack).toContain('job.js:3:');
      expect(result.error.column).toBeGreaterThan(1);
    }
  });

  it('reports a thrown non-error value', async () => {
    expect(await box.run({ code: 'throw "plain"' })).toMatchObject({
      status: 'error',
      error: { type: 'runtime', message: 'Uncaught "plain"' },
    });
  });

  it('a pending promise nothing can settle is reported as unsettled', async () => {
    expect(await box.run({ code: 'await new Promise(() => {})' })).toMatchObject({
      status: 'error',
      error: { name: 'UnsettledPromiseError' },
    });
  });

  it('require() is a security violation, even when the guest catches it', async () => {
    expect(await box.run({ code: 'require("fs")' })).toMatchObject({
      status: 'security_violation',
      violation: { kind: 'require', target: 'fs' },
    });
    expect(await box.run({ code: 'try { require("child_process") } catch {} 1' })).toMatchObject({
      status: 'security_violation',
      violation: { kind: 'require', target: 'child_process' },
    });
  });

  it('dynamic import() is a security violation', async () => {
    expect(await box.run({ code: 'await import("node:fs")' })).toMatchObject({
      status: 'security_violation',
      violation: { kind: 'import', target: 'node:fs' },
    });
    expect(await box.run({ code: 'import("os").catch(() => 1)' })).toMatchObject({
      status: 'security_violation',
      violation: { kind: 'import', target: 'os' },
    });
  });

  it('static import is a syntax error in a script', async () => {
    expect(await box.run({ code: 'import fs from "fs"; 1' })).toMatchObject({
      status: 'error',
      error: { type: 'syntax' },
    });
  });

  it('nothing leaks between runs', async () => {
    expect(
      await box.run({ code: 'globalThis.secret = 42; Object.prototype.polluted = 1; secret' }),
    ).toMatchObject({
      result: 42,
    });
    expect(await box.run({ code: '[typeof secret, ({}).polluted === undefined]' })).toMatchObject({
      result: ['undefined', true],
    });
  });

  it('caps the result size', async () => {
    const result = await box.run({ code: '"x".repeat(5000)', limits: { maxResultBytes: 100 } });
    expect(result).toMatchObject({ status: 'error', error: { type: 'resource', limit: 'output' } });
  });

  it('over-size code fails before running', async () => {
    expect(await box.run({ code: `"${'a'.repeat(200)}"`, limits: { maxCodeBytes: 100 } })).toMatchObject({
      status: 'error',
      error: { type: 'resource', limit: 'code_size' },
    });
  });

  it('refuses TypeScript requests with InvalidRequestError (unified strips types first)', async () => {
    const error = await box
      .run({ code: 'const a: number = 1', language: 'typescript' })
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/JavaScript only/);
  });

  it('rejects bad options', async () => {
    await expect(createQuickjsBackend({ poolSize: 0 })).rejects.toSatisfy(InvalidOptionsError.isInstance);
    await expect(createQuickjsBackend({ maxQueued: -1 })).rejects.toThrow(/maxQueued/);
  });
});
