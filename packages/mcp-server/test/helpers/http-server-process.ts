import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { assertBuilt, CLI_PATH, serverEnv } from './built-cli.js';

/** A spawned `node dist/cli.js --http` and the URL it announced. */
export interface HttpServerProcess {
  child: ChildProcess;
  url: URL;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** Starts the built server over HTTP on a free port and waits for its "serving" log line. */
export async function startHttpServerProcess(
  backend: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<HttpServerProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_PATH, '--http', '--port', '0', ...args], {
    env: serverEnv(backend, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /serving MCP over HTTP at (\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${stderr}`));
    });
  });
  return {
    child,
    url,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

/** Runs the built CLI to completion and returns its exit code and output. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code: code as number | null, stdout, stderr };
}
