import { closeSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendUnavailableError } from '@jsbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';

// A truncated libwasmtime passes a version-string check, but the dynamic loader would map
// segments past its end and kill this process with SIGBUS: nothing may load it.
let truncated: string | undefined;
const previous = process.env.JSBOX_WASMTIME_LIBRARY;

beforeAll(async () => {
  const { checkWasmtimeAvailability } = await import('@jsbox/runtime-wasmtime');
  const status = await checkWasmtimeAvailability({ loadLibrary: false });
  if (!status.available) return; // no library on this platform: nothing to truncate
  const source = openSync(status.libraryPath, 'r');
  const bytes = Buffer.alloc(4_000_000);
  readSync(source, bytes, 0, bytes.byteLength, 0);
  closeSync(source);
  truncated = join(mkdtempSync(join(tmpdir(), 'jsbox-unified-broken-')), 'libwasmtime.so');
  writeFileSync(truncated, bytes);
  process.env.JSBOX_WASMTIME_LIBRARY = truncated;
});

afterAll(() => {
  if (previous === undefined) delete process.env.JSBOX_WASMTIME_LIBRARY;
  else process.env.JSBOX_WASMTIME_LIBRARY = previous;
});

describe('a broken libwasmtime', () => {
  it('does not stop the quickjs backend, and is not listed as available', async (context) => {
    if (!truncated) context.skip();
    const sandbox = await createSandbox({ backend: 'quickjs' });
    try {
      expect(await sandbox.execute('6 * 7')).toMatchObject({ status: 'success', result: 42 });
      expect(sandbox.describe().availableBackends).toEqual(['quickjs']);
    } finally {
      await sandbox.dispose();
    }
  });

  it('makes auto fall back to quickjs with a note saying why', async (context) => {
    if (!truncated) context.skip();
    const sandbox = await createSandbox({ backend: 'auto' });
    try {
      expect(sandbox.backend).toBe('quickjs');
      expect(sandbox.backendNote).toMatch(/wasmtime unavailable: .* it is truncated or corrupt/);
    } finally {
      await sandbox.dispose();
    }
  });

  it('fails a wasmtime sandbox with the one BackendUnavailableError, said once', async (context) => {
    if (!truncated) context.skip();
    const attempt = createSandbox({ backend: 'wasmtime' });
    await expect(attempt).rejects.toSatisfy((error: unknown) => {
      if (!BackendUnavailableError.isInstance(error)) return false;
      expect(error.message.match(/is unavailable/g)).toHaveLength(1);
      expect(error.message.match(/Install the platform package/g)).toHaveLength(1);
      expect(error.reason).toMatch(/truncated or corrupt/);
      return true;
    });
  });
});
