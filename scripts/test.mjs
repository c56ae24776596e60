#!/usr/bin/env node
// Sets up the repo (see setup.mjs) and runs lint, typecheck and every package's tests, then
// prints one closing line "N passed, N failed, N skipped" over all packages.
// `--skip-setup` reuses an existing setup (CI uses it for the second Node version).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, pnpm, repoRoot, run } from './lib/run.mjs';
import { clearReports, summarise } from './lib/test-summary.mjs';
import { setup } from './setup.mjs';

const skipSetup = process.argv.includes('--skip-setup');
let failure;
try {
  if (!skipSetup) setup();
  log(`running lint, typecheck and tests on Node ${process.version}`);
  clearReports();
  pnpm(['exec', 'turbo', 'run', 'lint', 'typecheck', 'test', '--continue', '--concurrency=1'], {
    inheritStdout: true,
  });
} catch (error) {
  failure = error;
}
try {
  log('checking that every public export has a doc comment (pnpm docs:check)');
  pnpm(['run', 'docs:check']);
} catch (error) {
  failure ??= error;
}
// Install proofs, each a script that writes { passed, failed } to the file its variable names:
// the packed tarballs installed alone with npm (pack-test.mjs), and the packages published to a
// loopback registry and started with `npx -y @jsbox/mcp-server` as MCP clients do (registry-test.mjs).
const total = summarise();
for (const [script, reportVariable, what] of [
  ['pack-test.mjs', 'JSBOX_PACK_REPORT', 'the pack test (packages installed from their tarballs with npm)'],
  [
    'registry-test.mjs',
    'JSBOX_REGISTRY_REPORT',
    'the registry test (npx -y @jsbox/mcp-server from a local registry)',
  ],
]) {
  const report = path.join(os.tmpdir(), `jsbox-${path.basename(script, '.mjs')}-report-${process.pid}.json`);
  try {
    log(`running ${what}`);
    run(process.execPath, [path.join(repoRoot, 'scripts', script)], {
      env: { [reportVariable]: report },
      inheritStdout: true,
    });
  } catch (error) {
    failure ??= error;
  }
  if (existsSync(report)) {
    const counts = JSON.parse(readFileSync(report, 'utf8'));
    total.passed += counts.passed;
    total.failed += counts.failed;
    rmSync(report, { force: true });
  } else {
    total.failed += 1;
  }
}
const line = `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
process.stdout.write(
  `\nTests (${total.packages} packages + pack and registry tests, Node ${process.version}):\n${line}\n`,
);
if (failure || total.failed > 0 || total.passed === 0) {
  log(`tests failed: ${failure ? failure.message : line}`);
  process.exit(1);
}
