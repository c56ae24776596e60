import { InvalidOptionsError } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../src/cli-options.js';

describe('parseCliOptions', () => {
  it('defaults to stdio, auto backend, loopback HTTP settings', () => {
    const options = parseCliOptions([], {});
    expect(options).toMatchObject({
      command: 'serve',
      transport: 'stdio',
      backend: 'auto',
      host: '127.0.0.1',
      port: 3000,
      maxQueued: 16,
      logLevel: 'info',
    });
    expect(options.token).toBeUndefined();
  });

  it('reads limit caps within the contract bounds', () => {
    expect(
      parseCliOptions(['--max-timeout-ms', '2000', '--max-memory-limit-bytes', '33554432'], {}),
    ).toMatchObject({ maxTimeoutMs: 2000, maxMemoryLimitBytes: 33554432 });
    expect(parseCliOptions([], {}).maxTimeoutMs).toBeUndefined();
    expect(() => parseCliOptions(['--max-timeout-ms', '0'], {})).toThrow(
      /--max-timeout-ms must be at least 1/,
    );
    expect(() => parseCliOptions(['--max-memory-limit-bytes', '1e12'], {})).toThrow(InvalidOptionsError);
  });

  it('reads flags, then the environment', () => {
    const options = parseCliOptions(
      [
        '--http',
        '--port',
        '0',
        '--max-concurrency',
        '2',
        '--allowed-host',
        'a.lan',
        '--allowed-host',
        'b.lan',
        '--quiet',
      ],
      { MCP_SANDBOX_BACKEND: ' QuickJS ', JSBOX_MCP_TOKEN: 'sixteen-chars-ok' },
    );
    expect(options).toMatchObject({
      transport: 'http',
      port: 0,
      maxConcurrency: 2,
      backend: 'quickjs',
      token: 'sixteen-chars-ok',
      allowedHosts: ['a.lan', 'b.lan'],
      logLevel: 'error',
    });
    expect(parseCliOptions(['--backend', 'wasmtime'], { MCP_SANDBOX_BACKEND: 'quickjs' }).backend).toBe(
      'wasmtime',
    );
  });

  it('lists every problem at once', () => {
    let caught: unknown;
    try {
      parseCliOptions(['--port=-1', '--max-queued', '1.5', '--preset', 'x'], {
        JSBOX_MCP_TOKEN: 'has space in it!!',
      });
    } catch (error) {
      caught = error;
    }
    expect(InvalidOptionsError.isInstance(caught)).toBe(true);
    const paths = (caught as InvalidOptionsError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['maxQueued', 'port', 'preset', 'token']);
  });

  it('short-circuits help and version', () => {
    expect(parseCliOptions(['--help', '--port', 'nonsense'], {}).command).toBe('help');
    expect(parseCliOptions(['-v'], {}).command).toBe('version');
  });
});
