import {
  InvalidOptionsError,
  InvalidRequestError,
  SandboxDisposedError,
  UnknownBackendError,
} from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { createSandbox, resolveBackendChoice } from '../src/index.js';

describe('resolveBackendChoice', () => {
  it('prefers the option, then MCP_SANDBOX_BACKEND, then auto', () => {
    expect(resolveBackendChoice('quickjs', { MCP_SANDBOX_BACKEND: 'wasmtime' })).toEqual({
      choice: 'quickjs',
      source: 'option',
    });
    expect(resolveBackendChoice(undefined, { MCP_SANDBOX_BACKEND: ' WasmTime ' })).toEqual({
      choice: 'wasmtime',
      source: 'env',
    });
    expect(resolveBackendChoice(undefined, { MCP_SANDBOX_BACKEND: '' })).toEqual({
      choice: 'auto',
      source: 'default',
    });
    expect(resolveBackendChoice(undefined, {})).toEqual({ choice: 'auto', source: 'default' });
  });

  it('rejects unknown names with the list of valid ones', () => {
    const attempt = () => resolveBackendChoice(undefined, { MCP_SANDBOX_BACKEND: 'v8' });
    expect(attempt).toThrow(UnknownBackendError);
    expect(attempt).toThrow(/"v8 \(from MCP_SANDBOX_BACKEND\)".*auto, quickjs, wasmtime/);
    try {
      attempt();
    } catch (error) {
      expect(UnknownBackendError.isInstance(error)).toBe(true);
      expect((error as UnknownBackendError).code).toBe('unknown_backend');
    }
  });
});

describe('createSandbox', () => {
  it('rejects bad options before loading any backend', async () => {
    await expect(createSandbox({ preset: 'huge' as never })).rejects.toThrow(InvalidOptionsError);
    await expect(createSandbox({ limits: { timeoutMs: -5 } })).rejects.toThrow(
      /timeoutMs must be at least 1/,
    );
    await expect(createSandbox({ poolSize: 0 })).rejects.toThrow(/poolSize/);
    await expect(createSandbox({ backend: 'nope' })).rejects.toThrow(UnknownBackendError);
  });

  it('validates requests, runs, describes itself and refuses work after dispose', async () => {
    const sandbox = await createSandbox({ backend: 'quickjs', preset: 'restrictive', poolSize: 1 });
    expect(sandbox.backend).toBe('quickjs');
    const description = sandbox.describe();
    expect(description).toMatchObject({
      backend: 'quickjs',
      defaultPreset: 'restrictive',
      specificationVersion: 'v1',
    });
    expect(description.availableBackends).toContain('quickjs');
    await expect(sandbox.execute({ code: '' })).rejects.toThrow(InvalidRequestError);
    await expect(sandbox.execute({ code: '1', preset: 'x' as never })).rejects.toThrow(
      /valid presets: restrictive, default, permissive/,
    );
    await expect(sandbox.execute({ code: '1', bogus: true } as never)).rejects.toThrow(
      /unknown field "bogus"/,
    );
    await expect(sandbox.execute({ code: '1', input: { f: () => 1 } as never })).rejects.toThrow(
      /input must be a JSON value/,
    );
    await expect(sandbox.execute({ code: 'a\u0000b' })).rejects.toThrow(/NUL/);
    await expect(sandbox.execute({ code: '"\ud800"' })).rejects.toThrow(/not valid Unicode/);
    await expect(sandbox.execute('21 * 2')).resolves.toMatchObject({ status: 'success', result: 42 });
    await sandbox.dispose();
    await expect(sandbox.execute('1')).rejects.toThrow(SandboxDisposedError);
  });
});
