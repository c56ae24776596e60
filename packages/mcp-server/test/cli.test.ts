// Flag and environment validation at the edge, and clean shutdown, on the built bin.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { testBackends } from './helpers/backends.js';
import { CLI_PATH, serverEnv } from './helpers/built-cli.js';
import { runCli, startHttpServerProcess } from './helpers/http-server-process.js';

const backend = (await testBackends())[0]!;
const env = serverEnv(backend);

describe('jsbox-mcp flags', () => {
  it('prints help and version to stdout and exits 0', async () => {
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jsbox-mcp [options]');
    expect(help.stdout).toContain('JSBOX_MCP_TOKEN');
    const version = await runCli(['--version'], env);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses bad flags with a message saying what is allowed (exit 2)', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--max-concurrency', '0'], {}, /--max-concurrency must be at least 1/],
      [['--max-queued', 'lots'], {}, /--max-queued must be a number/],
      [['--port', '70000'], {}, /--port must be at most 65535/],
      [['--preset', 'huge'], {}, /valid presets: restrictive, default, permissive/],
      [['--backend', 'v8'], {}, /unknown backend "v8"; valid backends: auto, quickjs, wasmtime/],
      [[], { MCP_SANDBOX_BACKEND: 'v8' }, /valid backends: .*\(from MCP_SANDBOX_BACKEND\)/],
      [['--log-level', 'loud'], {}, /valid levels: error, warn, info, debug/],
      [['--bogus'], {}, /Unknown option '--bogus'.*--help/],
      [['--http'], { JSBOX_MCP_TOKEN: 'short' }, /JSBOX_MCP_TOKEN must be at least 16 characters/],
    ];
    for (const [args, extraEnv, message] of cases) {
      const run = await runCli(args, { ...env, ...extraEnv });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('refuses to serve HTTP off loopback without a token', async () => {
    const run = await runCli(['--http', '--host', '0.0.0.0', '--port', '0'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /refusing to serve on non-loopback address 0\.0\.0\.0 without a bearer token; set JSBOX_MCP_TOKEN/,
    );
  });
});

describe('jsbox-mcp shutdown', () => {
  it('exits 0 on SIGTERM and SIGINT over stdio', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(process.execPath, [CLI_PATH], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      await expect.poll(() => stderr, { timeout: 30_000 }).toContain('serving MCP over stdio');
      child.kill(signal);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(stderr).toContain(`shutting down (${signal})`);
    }
  });

  it('exits 0 on SIGTERM over HTTP', async () => {
    const server = await startHttpServerProcess(backend);
    expect(await server.stop()).toBe(0);
  });
});
