// A throwaway local npm registry (verdaccio) for scripts/registry-test.mjs: installed with npm
// into .tools/, configured in a temporary directory, listening on 127.0.0.1 only. Packages of the
// @jsbox scope are served from its own storage alone; everything else comes from the registry
// this machine's npm is configured with (read at run time), as its uplink.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { log, repoRoot, run } from './run.mjs';

/** The last verdaccio release that runs on Node 20 (6.9 and later need Node >= 22). */
export const VERDACCIO_VERSION = '6.8.0';

/**
 * Returns the path of verdaccio's bin, installing the pinned version with npm into .tools/
 * when missing. verdaccio-audit asks for node-fetch by the dist-tag `cjs`, which not every
 * registry mirror carries: an override pins the same code by version (2.7.0).
 */
export function ensureVerdaccio() {
  const prefix = path.join(repoRoot, '.tools', `verdaccio-${VERDACCIO_VERSION}`);
  const bin = path.join(prefix, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  if (!existsSync(bin)) {
    log(`installing verdaccio ${VERDACCIO_VERSION} into .tools/ with npm`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(
      path.join(prefix, 'package.json'),
      `${JSON.stringify(
        {
          private: true,
          dependencies: { verdaccio: VERDACCIO_VERSION },
          overrides: { 'node-fetch': '2.7.0' },
        },
        null,
        2,
      )}\n`,
    );
    run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund'], { cwd: prefix });
  }
  return bin;
}

/** Reads one setting of this machine's npm configuration ('' when unset). */
export function npmConfig(key) {
  const value = execFileSync('npm', ['config', 'get', key], { encoding: 'utf8' }).trim();
  return value === 'null' || value === 'undefined' ? '' : value;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function configYaml({ storageDir, htpasswdFile, uplinkUrl, port }) {
  // JSON strings are valid YAML scalars: no quoting rules to get wrong.
  const q = JSON.stringify;
  return `storage: ${q(storageDir)}
auth:
  htpasswd:
    file: ${q(htpasswdFile)}
uplinks:
  machine:
    url: ${q(uplinkUrl)}
    timeout: 60s
    max_fails: 5
packages:
  '@jsbox/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: machine
web:
  enable: false
max_body_size: 500mb
listen: ${q(`127.0.0.1:${port}`)}
log: { type: stdout, format: pretty, level: warn }
`;
}

async function waitUntilAnswering(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with code ${child.exitCode}`);
    try {
      const response = await fetch(new URL('-/ping', url), { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts verdaccio with its config, storage and users under `workDir`, proxying to `uplinkUrl`.
 * Resolves to `{ url, child, exited, output(), stop() }` once it answers `/-/ping`. `stop()` is
 * synchronous (safe in an exit handler); `exited` resolves when the process has gone.
 * npm's `cafile`, if set, becomes verdaccio's extra CA.
 */
export async function startVerdaccio({ workDir, uplinkUrl, startTimeoutMs = 60_000 }) {
  const bin = ensureVerdaccio();
  const port = await freePort();
  const configFile = path.join(workDir, 'config.yaml');
  mkdirSync(path.join(workDir, 'storage'), { recursive: true });
  writeFileSync(
    configFile,
    configYaml({
      storageDir: path.join(workDir, 'storage'),
      htpasswdFile: path.join(workDir, 'htpasswd'),
      uplinkUrl,
      port,
    }),
  );
  const cafile = npmConfig('cafile');
  const child = spawn(process.execPath, [bin, '--config', configFile], {
    cwd: workDir,
    env: { ...process.env, ...(cafile ? { NODE_EXTRA_CA_CERTS: cafile } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilAnswering(url, child, startTimeoutMs);
  } catch (error) {
    stop();
    throw new Error(`${error.message}\n${output}`);
  }
  return { url, child, exited, output: () => output, stop };
}

/**
 * Creates a throwaway user on the registry and returns its auth token (the same request
 * `npm adduser` makes).
 */
export async function createUserToken(url) {
  const name = `jsbox-test-${process.pid}`;
  const response = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      password: randomUUID(),
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.token)
    throw new Error(`creating a registry user failed: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}
