// Small process helpers for the repo's setup scripts. Progress goes to stderr so that
// `node scripts/start.mjs` keeps stdout clean for the MCP stdio protocol.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function log(message) {
  process.stderr.write(`[jsbox setup] ${message}\n`);
}

/**
 * Runs a command with its stdout redirected to our stderr; throws with a readable message on
 * failure. `options.timeoutMs` stops it (SIGTERM) and throws when it runs longer.
 */
export function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.inheritStdout ? 'inherit' : process.stderr, 'inherit'],
    ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGTERM' } : {}),
  });
  if (result.error?.code === 'ETIMEDOUT')
    throw new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`);
  if (result.error) throw new Error(`could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
  return Date.now() - started;
}

export function pinnedPnpmVersion() {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(pkg.packageManager ?? '');
  if (!match) throw new Error('package.json has no pinned "packageManager": "pnpm@x.y.z"');
  return match[1];
}

/**
 * Returns the path of the pinned pnpm, installing it with npm into .tools/ when missing.
 * npm resolves it from whatever registry this machine's npm is configured with.
 */
export function ensurePnpm() {
  const version = pinnedPnpmVersion();
  const prefix = path.join(repoRoot, '.tools', `pnpm-${version}`);
  const bin = path.join(prefix, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (!existsSync(bin)) {
    log(`installing pnpm ${version} into .tools/ with npm`);
    run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', `pnpm@${version}`]);
  }
  return bin;
}

export function pnpm(args, options = {}) {
  const bin = ensurePnpm();
  // turbo looks for the package manager on PATH: put the pinned pnpm (and this Node) first.
  const binDirs = [path.join(path.dirname(bin), '..', '..', '.bin'), path.dirname(process.execPath)];
  const env = {
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    // Builds and test results depend on the Node major: part of turbo's cache key (globalEnv).
    JSBOX_NODE_MAJOR: process.versions.node.split('.')[0],
    ...options.env,
    PATH: [...binDirs, process.env.PATH].join(path.delimiter),
  };
  return run(process.execPath, [bin, ...args], { ...options, env });
}
