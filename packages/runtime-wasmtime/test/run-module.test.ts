import { compile, getEnginePlugin } from '@jsbox/compiler';
import { InvalidRequestError } from '@jsbox/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAP_CODE } from '../src/ffi/layout.js';
import { openLibrary } from '../src/ffi/library.js';
import { ModuleRejectedError, runModule } from '../src/index.js';
import { verifyLibrary } from '../src/library-location.js';
import { watToWasm } from '../src/wasmtime/module.js';
import * as wat from './wat-fixtures.js';

let toWasm: (text: string) => Uint8Array;

beforeAll(async () => {
  const library = await openLibrary((await verifyLibrary()).path);
  toWasm = (text) => watToWasm(library, text);
});

describe('runModule', () => {
  it('runs a plain WASI command and captures its stdout', async () => {
    const result = await runModule(toWasm(wat.writeOnce(1, 'plain')), { cacheDirectory: false });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'plain' });
    expect(result.fuelConsumed).toBeGreaterThan(0);
  });

  it('reports traps and fuel exhaustion', async () => {
    const trapped = await runModule(toWasm(wat.INFINITE_LOOP), {
      limits: { fuel: 10_000 },
      cacheDirectory: false,
    });
    expect(trapped).toMatchObject({ exitCode: 134, trap: { code: 11 }, fuelConsumed: 10_000 });
  });

  it('runs a dynamic module with its plugin (namespace read from the plugin) and a static one', async () => {
    const plugin = getEnginePlugin();
    const dynamic = await compile('console.log("from dynamic", input.x)', { format: 'dynamic' });
    const result = await runModule(dynamic.bytes, { plugin: plugin.bytes, stdin: '{"x":7}' });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'from dynamic 7\n', fd3: '' });
    const withOutcome = await runModule(dynamic.bytes, {
      plugin: plugin.bytes,
      stdin: '{"x":7}',
      outcomeChannel: true,
    });
    expect(withOutcome).toMatchObject({ exitCode: 0, stdout: 'from dynamic 7\n' });
    expect(JSON.parse(withOutcome.fd3)).toEqual({ kind: 'value', value: { $jsbox: 'undefined' } });
    const fixed = await compile('console.log("from static")', { format: 'static' });
    expect(await runModule(fixed.bytes)).toMatchObject({ exitCode: 0, stdout: 'from static\n' });
  });

  it("supplies jsbox's own plugin to a module compiled by @jsbox/compiler", async () => {
    const dynamic = await compile('console.log("own plugin", 6 * 7)', { format: 'dynamic' });
    expect(await runModule(dynamic.bytes)).toMatchObject({ exitCode: 0, stdout: 'own plugin 42\n' });
  });

  it('reports an uncaught error like `wasmtime run`: stderr and a trap (exit 134)', async () => {
    const throwing = await compile('console.log("before"); throw new Error("boom")', { format: 'dynamic' });
    const result = await runModule(throwing.bytes);
    expect(result).toMatchObject({
      exitCode: 134,
      stdout: 'before\n',
      fd3: '',
      trap: { code: TRAP_CODE.unreachable },
    });
    expect(result.stderr).toMatch(/Error: boom/);
    const structured = await runModule(throwing.bytes, { outcomeChannel: true });
    expect(structured).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(structured.fd3)).toMatchObject({ kind: 'exception', error: { message: 'boom' } });
  });

  it('rejects bad input with typed errors', async () => {
    const plugin = getEnginePlugin();
    const dynamic = await compile('1', { format: 'dynamic' });
    await expect(runModule(new Uint8Array([1, 2, 3]))).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof ModuleRejectedError &&
        error.reason === 'not_wasm' &&
        InvalidRequestError.isInstance(error),
    );
    const javyStyle = toWasm(
      '(module (import "javy-default-plugin-v3" "invoke" (func (param i32 i32 i32 i32 i32))) (func (export "_start")))',
    );
    await expect(runModule(javyStyle)).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof ModuleRejectedError && /javy-default-plugin-v3.*pass `plugin`/.test(error.message),
    );
    await expect(
      runModule(dynamic.bytes, { plugin: { bytes: plugin.bytes, namespace: 'other-v1' } }),
    ).rejects.toSatisfy(
      (error: unknown) => error instanceof ModuleRejectedError && error.reason === 'plugin_namespace',
    );
    const foreign = toWasm('(module (import "env" "f" (func)) (func (export "_start")))');
    await expect(runModule(foreign)).rejects.toSatisfy(
      (error: unknown) => error instanceof ModuleRejectedError && error.reason === 'imports',
    );
  });
});
