#!/usr/bin/env node
// Published-form proof: publishes every public package to a throwaway local registry
// (verdaccio on 127.0.0.1, uplink = the registry this machine's npm uses, @jsbox/* served only
// locally) and starts the server exactly as docs/mcp-clients.md configures clients:
// `npx -y @jsbox/mcp-server` with MCP_SANDBOX_BACKEND, from an empty directory, with an empty
// HOME (cold npm cache) and npm_config_registry pointing to the local registry. Through the
// SDK's Client it runs `console.log("hi"); 1 + 1` (result 2, stdout "hi\n") with
// MCP_SANDBOX_BACKEND=wasmtime (cold cache), =auto (must pick wasmtime) and =quickjs with
// `--preset restrictive` after the package name, and reports how long the cold and the warm
// launch took until their first result. It also checks `npx -y @jsbox/mcp-server --help`, HTTP
// mode with the docs' curl request, and that no server process outlives the test.
// Then, per public package (pick-and-choose installs), a fresh empty project runs
// `npm install <that package>` from the local registry and the first code block of its README
// runs there as written (see lib/readme-examples.mjs): one PASS/FAIL line per package.
// The publish token lives only in a temporary npmrc. Verdaccio is stopped and temporary files
// removed on every exit (also on failure, SIGINT/SIGTERM and the overall time limit). Prints a
// closing "N passed, N failed" line; with JSBOX_REGISTRY_REPORT set, also writes
// { passed, failed } there as JSON.
// `--keep` keeps the temporary directory; `--timeout-s <n>` changes the limit (default 300).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packPublicPackages, publicPackageDirs } from './lib/pack-packages.mjs';
import { findReadmeExample, runReadmeExample } from './lib/readme-examples.mjs';
import { log, pnpm, repoRoot, run } from './lib/run.mjs';
import { createUserToken, npmConfig, startVerdaccio, VERDACCIO_VERSION } from './lib/verdaccio.mjs';

const keep = process.argv.includes('--keep');
const timeoutFlag = process.argv.indexOf('--timeout-s');
const timeoutMs = (timeoutFlag > 0 ? Number(process.argv[timeoutFlag + 1]) : 300) * 1000;
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  log('--timeout-s needs a positive number of seconds, for example --timeout-s 300');
  process.exit(2);
}
const started = Date.now();
/** What is left of the overall time limit, for the synchronous steps (the timer cannot fire then). */
const remainingMs = () => Math.max(1000, started + timeoutMs - Date.now());

const work = mkdtempSync(path.join(os.tmpdir(), 'jsbox-registry-'));
const dirs = {
  registry: path.join(work, 'registry'),
  tarballs: path.join(work, 'tarballs'),
  project: path.join(work, 'project'),
  home: path.join(work, 'home'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
const publishNpmrc = path.join(work, 'publish.npmrc');

const results = [];
const timings = [];
let registry;
/** Kills of the server processes still running, for the exit handler. */
const kills = new Set();

function finish() {
  const passed = results.filter((result) => result.ok).length;
  const failed = results.length - passed;
  if (timings.length > 0) {
    process.stdout.write('\nTimings:\n');
    for (const [name, ms] of timings)
      process.stdout.write(`  ${name.padEnd(58)} ${(ms / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(
    `\nRegistry test (verdaccio ${VERDACCIO_VERSION}):\n${passed} passed, ${failed} failed\n`,
  );
  if (process.env.JSBOX_REGISTRY_REPORT)
    writeFileSync(process.env.JSBOX_REGISTRY_REPORT, JSON.stringify({ passed, failed }));
  return failed;
}

// Runs on every exit path: stops the servers we started and removes the temporary directory.
process.on('exit', () => {
  for (const kill of kills) {
    try {
      kill();
    } catch {
      // already gone
    }
  }
  registry?.stop();
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    log(`interrupted by ${signal}`);
    results.push({ name: `interrupted by ${signal}`, ok: false });
    finish();
    process.exit(code);
  });
}
setTimeout(() => {
  log(`FAIL time limit: not done after ${timeoutMs / 1000} s`);
  results.push({ name: 'time limit', ok: false });
  finish();
  process.exit(1);
}, timeoutMs).unref();

async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    log(`PASS ${name}`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    log(`FAIL ${name}: ${error.stack ?? error.message}`);
    return false;
  }
}

function timed(name, fn) {
  const begin = Date.now();
  const value = fn();
  timings.push([name, Date.now() - begin]);
  return value;
}

// The environment of a user whose MCP client starts the server: no jsbox or npm variables of
// ours, an empty HOME (so an empty npm cache and no user npmrc), npm pointed at the local registry.
function userEnv(registryUrl) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('JSBOX_') && key !== 'MCP_SANDBOX_BACKEND' && !/^npm_/i.test(key),
    ),
  );
  env.HOME = dirs.home;
  env.npm_config_registry = registryUrl;
  return env;
}

async function importSdk(subpath) {
  const sdk = path.join(repoRoot, 'packages', 'mcp-server', 'node_modules', '@modelcontextprotocol', 'sdk');
  return import(path.join(sdk, 'dist', 'esm', subpath));
}

/**
 * Launches a client config as docs/mcp-clients.md writes it (command "npx", args
 * ["-y", "@jsbox/mcp-server", ...flags], env MCP_SANDBOX_BACKEND), runs
 * `console.log("hi"); 1 + 1` and returns the ms from launch to that first result, then calls
 * sandbox_info and hands its structured content to `checkInfo`.
 */
async function runClientConfig({ backend, flags = [], expectedBackend, checkInfo }, env) {
  const { Client } = await importSdk('client/index.js');
  const { StdioClientTransport } = await importSdk('client/stdio.js');
  const transport = new StdioClientTransport({
    command: 'npx',
    args: ['-y', '@jsbox/mcp-server', ...flags],
    env: { ...env, MCP_SANDBOX_BACKEND: backend },
    cwd: dirs.project,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const client = new Client({ name: 'registry-test', version: '1.0.0' });
  const begin = Date.now();
  const kill = () => transport.pid && process.kill(transport.pid, 'SIGKILL');
  kills.add(kill);
  try {
    await client.connect(transport);
    const response = await client.callTool(
      { name: 'execute_agent_code', arguments: { code: 'console.log("hi"); 1 + 1' } },
      undefined,
      { timeout: timeoutMs },
    );
    const elapsed = Date.now() - begin;
    const result = response.structuredContent;
    if (result?.status !== 'success' || result.result !== 2)
      throw new Error(`unexpected result ${JSON.stringify(result)}`);
    if (result.stdout !== 'hi\n') throw new Error(`unexpected stdout ${JSON.stringify(result.stdout)}`);
    if (result.backend !== expectedBackend) throw new Error(`backend was ${result.backend}`);
    const info = (await client.callTool({ name: 'sandbox_info', arguments: {} })).structuredContent;
    checkInfo?.(info);
    return elapsed;
  } catch (error) {
    throw new Error(`${error.message}\nserver stderr (last lines):\n${stderr}`);
  } finally {
    await client.close().catch(() => {});
    kills.delete(kill);
  }
}

/**
 * Starts `npx -y @jsbox/mcp-server --http --port 0` as in a terminal (its own process group),
 * reads the address it logs, sends the initialize request of the docs' curl check, and stops it
 * as Ctrl-C does: SIGINT to the whole group. (SIGTERM to npx alone would not reach the server:
 * npm 11 runs the bin under `sh -c` and does not pass the signal on.)
 */
async function checkHttpMode(env) {
  const child = spawn('npx', ['-y', '@jsbox/mcp-server', '--http', '--port', '0'], {
    cwd: dirs.project,
    env: { ...env, MCP_SANDBOX_BACKEND: 'auto' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const kill = () => process.kill(-child.pid, 'SIGKILL');
  kills.add(kill);
  let stderr = '';
  try {
    const url = await new Promise((resolve, reject) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /serving MCP over HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'curl', version: '0' },
        },
      }),
    });
    const body = await response.text();
    if (response.status !== 200 || !/event: message/.test(body) || !body.includes('"name":"jsbox"'))
      throw new Error(`unexpected answer ${response.status}: ${body.slice(0, 500)}`);
  } catch (error) {
    throw new Error(`${error.message}\nserver stderr:\n${stderr.slice(-4000)}`);
  } finally {
    const exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.on('exit', resolve);
    });
    process.kill(-child.pid, 'SIGINT');
    await exited;
    kills.delete(kill);
  }
}

/** Pids of live processes whose command line mentions `needle` (our temporary HOME). */
function processesMentioning(needle) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * Installs each public package alone into its own empty project and runs (or, for a json/sh
 * block, validates) its README's first code block there. Sequential: the npm cache is shared.
 */
async function checkReadmeExamples(env) {
  const begin = Date.now();
  for (const dir of publicPackageDirs()) {
    const packageDir = path.join(repoRoot, 'packages', dir);
    const packageName = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).name;
    const { block, reason } = findReadmeExample(packageDir);
    if (!block) {
      log(`NO RUNNABLE EXAMPLE ${packageName}: ${reason}`);
      continue;
    }
    await check(`README example of ${packageName} (npm install ${packageName} alone)`, () => {
      const outcome = runReadmeExample({
        block,
        packageName,
        projectDir: path.join(work, 'examples', dir),
        env,
        timeoutMs: remainingMs(),
      });
      const printed = outcome.stdout.trim() ? outcome.stdout.trimEnd().replace(/^/gm, '    ') : '';
      log(
        `${packageName}: installed in ${(outcome.installMs / 1000).toFixed(1)} s; \`\`\`${outcome.kind} ` +
          `block: ${outcome.note} (${(outcome.runMs / 1000).toFixed(1)} s)${printed ? `, printed:\n${printed}` : ''}`,
      );
    });
  }
  timings.push(['README examples (install alone + run, every public package)', Date.now() - begin]);
}

async function main() {
  const uplinkUrl = npmConfig('registry');
  if (!uplinkUrl) throw new Error('npm has no registry configured (npm config get registry)');

  let registryUrl;
  const ready = await check('verdaccio starts on 127.0.0.1 with the machine registry as uplink', async () => {
    const begin = Date.now();
    registry = await startVerdaccio({ workDir: dirs.registry, uplinkUrl });
    registryUrl = registry.url;
    timings.push([`verdaccio ${VERDACCIO_VERSION} install (if needed) and start`, Date.now() - begin]);
    log(`verdaccio ${VERDACCIO_VERSION} answers at ${registryUrl}`);
  });
  if (!ready) return;

  const published = await check('every public package builds, packs and publishes to it', async () => {
    timed('turbo run build', () =>
      pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { timeoutMs: remainingMs() }),
    );
    const files = timed('pnpm pack of every public package', () =>
      packPublicPackages(dirs.tarballs, { timeoutMs: remainingMs() }),
    );
    if (files.length === 0) throw new Error('no tarballs were packed');
    const token = await createUserToken(registryUrl);
    const authKey = registryUrl.replace(/^https?:/, '');
    writeFileSync(publishNpmrc, `${authKey}:_authToken=${token}\n`, { mode: 0o600 });
    timed('npm publish of every tarball', () => {
      for (const file of files) {
        const args = ['publish', file, '--registry', registryUrl, '--access', 'public', '--loglevel', 'warn'];
        // From the tarballs' directory, so the repo's own .npmrc (pnpm settings) does not apply.
        run('npm', args, {
          cwd: dirs.tarballs,
          env: { npm_config_userconfig: publishNpmrc },
          timeoutMs: remainingMs(),
        });
      }
    });
    log(`published ${files.join(', ')}`);
    const meta = await (await fetch(new URL('@jsbox%2fmcp-server', registryUrl))).json();
    const tarball = meta.versions?.[meta['dist-tags']?.latest]?.dist?.tarball ?? '';
    if (!tarball.startsWith(registryUrl))
      throw new Error(`@jsbox/mcp-server is not served locally: ${tarball}`);
  });
  if (!published) return;

  const env = userEnv(registryUrl);
  await check('npx -y @jsbox/mcp-server, MCP_SANDBOX_BACKEND=wasmtime, cold npm cache', async () => {
    const ms = await runClientConfig({ backend: 'wasmtime', expectedBackend: 'wasmtime' }, env);
    timings.push(['first npx -y (cold cache, empty HOME) launch to first result', ms]);
  });
  await check('npx -y @jsbox/mcp-server, MCP_SANDBOX_BACKEND=auto picks wasmtime', async () => {
    const ms = await runClientConfig(
      {
        backend: 'auto',
        expectedBackend: 'wasmtime',
        checkInfo: (info) => {
          if (info?.backendNote) throw new Error(`auto fell back: ${info.backendNote}`);
        },
      },
      env,
    );
    timings.push(['second npx -y (warm npx cache) launch to first result', ms]);
  });
  await check('flags after the package name reach the server (--preset restrictive, quickjs)', async () => {
    await runClientConfig(
      {
        backend: 'quickjs',
        flags: ['--preset', 'restrictive'],
        expectedBackend: 'quickjs',
        checkInfo: (info) => {
          if (info?.defaultPreset !== 'restrictive')
            throw new Error(`default preset was ${info?.defaultPreset}`);
        },
      },
      env,
    );
  });
  await check('npx -y @jsbox/mcp-server --help lists the flags', () => {
    const help = spawnSync('npx', ['-y', '@jsbox/mcp-server', '--help'], {
      cwd: dirs.project,
      env,
      encoding: 'utf8',
      timeout: remainingMs(),
    });
    if (help.status !== 0 || !help.stdout.includes('--preset') || !help.stdout.includes('--max-concurrency'))
      throw new Error(`exit ${help.status}\nstdout: ${help.stdout}\nstderr: ${help.stderr}`);
  });
  await check("npx -y @jsbox/mcp-server --http --port 0 answers the docs' curl check", async () => {
    await checkHttpMode(env);
  });
  await check('no server process is left after the clients closed', async () => {
    const deadline = Date.now() + 10_000;
    let left = processesMentioning(dirs.home);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = processesMentioning(dirs.home);
    }
    if (left.length > 0) throw new Error(`processes still running: ${left.join(', ')}`);
  });
  await checkReadmeExamples(env);
  await check(
    'the published packages came from the local registry, the rest through its uplink',
    async () => {
      const storage = readdirSync(path.join(dirs.registry, 'storage'));
      if (!storage.includes('@jsbox'))
        throw new Error(`no @jsbox packages in verdaccio's storage: ${storage}`);
      const proxied = storage.filter((name) => name !== '@jsbox' && !name.startsWith('.'));
      if (proxied.length === 0) throw new Error('no dependency was fetched through the uplink');
      log(`verdaccio fetched ${proxied.length} top-level names through its uplink`);
    },
  );
}

try {
  await main();
} catch (error) {
  results.push({ name: 'registry test', ok: false });
  log(`FAIL registry test: ${error.stack ?? error.message}`);
}
if (results.some((result) => !result.ok) && registry) log(`verdaccio output:\n${registry.output()}`);
if (registry) {
  registry.stop();
  await Promise.race([registry.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
}
timings.push(['total', Date.now() - started]);
const failed = finish();
process.exit(failed > 0 ? 1 : 0);
