import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built `jsbox-mcp` bin of the workspace's `@jsbox/mcp-server`. */
export function mcpServerBin(): string {
  const packageJson = createRequire(import.meta.url).resolve('@jsbox/mcp-server/package.json');
  const bin = join(dirname(packageJson), 'dist', 'cli.js');
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: build first (pnpm exec turbo run build --filter @jsbox/mcp-server...)`,
    );
  }
  return bin;
}

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  backend: string;
  /** Extra `jsbox-mcp` flags, e.g. `['--max-concurrency', '1']`. */
  args?: string[];
  /** Flags for node itself, before the script (e.g. `['--import', hookUrl]`). */
  nodeArgs?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** How long to wait for the "serving" line. Default 60 s. */
  startTimeoutMs?: number;
}

/** A `jsbox-mcp --http` child on a free loopback port. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: URL;
  /** The last 256 KiB the server wrote to stderr. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs` (default 15 s). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ exit: number | string; elapsedMs: number }>;
}

const STDERR_KEEP = 256 * 1024;

/** Starts the built MCP server over Streamable HTTP on 127.0.0.1 (loopback only) and waits until it serves. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'JSBOX_MCP_TOKEN' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      mcpServerBin(),
      '--http',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--backend',
      options.backend,
      ...(options.args ?? []),
    ],
    { env: { ...env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the server did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${stderr}`),
        ),
      options.startTimeoutMs ?? 60_000,
    );
    const onData = () => {
      const match = /serving MCP over HTTP at (\S+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      resolve(new URL(match[1]!));
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before serving:\n${stderr}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    url,
    exited,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      const started = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const exit = await exited;
      clearTimeout(killer);
      return { exit, elapsedMs: Math.round(performance.now() - started) };
    },
  };
}
