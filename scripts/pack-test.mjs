#!/usr/bin/env node
// Pick-and-choose install proof: packs every package with pnpm (workspace: ranges become real
// versions), installs the tarballs into an empty project with plain `npm install` (HOME pointing
// to an empty directory, no jsbox environment variables), then checks, as a user would:
//   1. the installed `jsbox-mcp` bin with MCP_SANDBOX_BACKEND=wasmtime runs
//      `console.log("hi"); 1 + 1` through the SDK's Client: result 2, stdout "hi", backend wasmtime;
//   2. the wasmtime library that server process loaded lies inside the project's node_modules;
//   3. the installed `jsbox compile` compiles a file and the module it made runs;
//   4. the quickjs backend works from the same install.
// Prints each tarball's packed/unpacked size and the install's total, and a closing
// "N passed, N failed" line. `--keep` keeps the temporary project.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packPublicPackages, publicPackageDirs } from './lib/pack-packages.mjs';
import { log } from './lib/run.mjs';

const keep = process.argv.includes('--keep');
const work = mkdtempSync(path.join(os.tmpdir(), 'jsbox-pack-'));
const tarballs = path.join(work, 'tarballs');
const project = path.join(work, 'project');
const home = path.join(work, 'home');
for (const dir of [tarballs, project, home]) mkdirSync(dir, { recursive: true });

const results = [];
function check(name, fn) {
  return Promise.resolve()
    .then(fn)
    .then(
      () => {
        results.push({ name, ok: true });
        log(`PASS ${name}`);
      },
      (error) => {
        results.push({ name, ok: false });
        log(`FAIL ${name}: ${error.stack ?? error.message}`);
      },
    );
}

function directorySize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

// The user's environment: no jsbox variables, an empty HOME, the machine's npm configuration.
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('JSBOX_') && key !== 'MCP_SANDBOX_BACKEND'),
);
userEnv.HOME = home;
// Keep the machine's npm settings (registry etc.) although HOME moved.
userEnv.npm_config_userconfig = path.join(os.homedir(), '.npmrc');

try {
  log(`packing ${publicPackageDirs().length} packages`);
  const files = packPublicPackages(tarballs);
  const rows = [];
  for (const file of files) {
    const listing = execFileSync('tar', ['-tvzf', path.join(tarballs, file)], { encoding: 'utf8' });
    const unpacked = listing
      .split('\n')
      .filter(Boolean)
      .reduce((sum, line) => sum + Number(line.split(/\s+/)[2] ?? 0), 0);
    rows.push({ file, packed: statSync(path.join(tarballs, file)).size, unpacked });
  }
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'jsbox-user', private: true, type: 'module' }),
  );
  log('installing the tarballs with npm into an empty project');
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', ...files.map((file) => path.join(tarballs, file))],
    { cwd: project, env: userEnv, stdio: ['ignore', process.stderr, 'inherit'] },
  );
  if (install.status !== 0) throw new Error(`npm install failed with ${install.status}`);
  const installBytes = directorySize(path.join(project, 'node_modules'));

  const bin = (name) => path.join(project, 'node_modules', '.bin', name);
  const importFromProject = (specifier) => import(path.join(project, 'node_modules', specifier));

  await check('jsbox-mcp over stdio runs console.log("hi"); 1 + 1 on wasmtime', async () => {
    const { Client } = await importFromProject('@modelcontextprotocol/sdk/dist/esm/client/index.js');
    const { StdioClientTransport } = await importFromProject(
      '@modelcontextprotocol/sdk/dist/esm/client/stdio.js',
    );
    const transport = new StdioClientTransport({
      command: bin('jsbox-mcp'),
      args: [],
      env: { ...userEnv, MCP_SANDBOX_BACKEND: 'wasmtime' },
      cwd: project,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const response = await client.callTool({
        name: 'execute_agent_code',
        arguments: { code: 'console.log("hi"); 1 + 1' },
      });
      const result = response.structuredContent;
      if (result?.status !== 'success' || result.result !== 2)
        throw new Error(`unexpected result ${JSON.stringify(result)}`);
      if (result.stdout !== 'hi\n') throw new Error(`unexpected stdout ${JSON.stringify(result.stdout)}`);
      if (result.backend !== 'wasmtime') throw new Error(`backend was ${result.backend}`);

      const pid = transport.pid;
      const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
      const library = maps
        .split('\n')
        .map((line) => line.split(/\s+/).slice(5).join(' '))
        .find((file) => /libwasmtime/.test(file));
      if (!library) throw new Error('the server process has no wasmtime library mapped');
      const expectedRoot = path.join(project, 'node_modules');
      if (!library.startsWith(expectedRoot))
        throw new Error(`wasmtime library loaded from ${library}, not ${expectedRoot}`);
      log(`server loaded ${path.relative(project, library)}`);
    } finally {
      await client.close();
    }
  });

  await check('jsbox compile makes a module that runs', async () => {
    const source = path.join(project, 'hello.js');
    const output = path.join(project, 'hello.wasm');
    writeFileSync(source, 'console.log("compiled " + (6 * 7));\n');
    const compile = spawnSync(bin('jsbox'), ['compile', source, '-o', output], {
      cwd: project,
      env: userEnv,
      encoding: 'utf8',
    });
    if (compile.status !== 0) throw new Error(`jsbox compile failed: ${compile.stderr}`);
    const { runModule } = await importFromProject('@jsbox/runtime-wasmtime/dist/index.js');
    const run = await runModule(readFileSync(output));
    if (!String(run.stdout).includes('compiled 42'))
      throw new Error(`module printed ${JSON.stringify(run.stdout)}`);
  });

  await check('the quickjs backend runs from the same install', async () => {
    const run = spawnSync(bin('jsbox-run'), ['-b', 'quickjs', '-e', 'input.n + 1', '--input', '{"n":1}'], {
      cwd: project,
      env: userEnv,
      encoding: 'utf8',
    });
    if (run.status !== 0 || run.stdout.trim() !== '2')
      throw new Error(`jsbox-run: ${run.status} ${run.stdout} ${run.stderr}`);
  });

  process.stdout.write('\nPacked packages:\n');
  for (const row of rows)
    process.stdout.write(
      `  ${row.file.padEnd(48)} packed ${kib(row.packed).padStart(12)}  unpacked ${kib(row.unpacked).padStart(12)}\n`,
    );
  process.stdout.write(`  install total (node_modules): ${(installBytes / 1024 / 1024).toFixed(1)} MiB\n`);
} catch (error) {
  results.push({ name: 'pack and install', ok: false });
  log(`FAIL pack and install: ${error.stack ?? error.message}`);
} finally {
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
process.stdout.write(`\nPack test:\n${passed} passed, ${failed} failed\n`);
if (process.env.JSBOX_PACK_REPORT)
  writeFileSync(process.env.JSBOX_PACK_REPORT, JSON.stringify({ passed, failed }));
process.exit(failed > 0 ? 1 : 0);
