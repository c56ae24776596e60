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
// Pick-and-choose install proof: the packed tarballs installed alone with npm (scripts/pack-test.mjs).
const packReport = path.join(os.tmpdir(), `jsbox-pack-report-${process.pid}.json`);
try {
  log('running the pack test (packages installed from their tarballs with npm)');
  run(process.execPath, [path.join(repoRoot, 'scripts', 'pack-test.mjs')], {
    env: { JSBOX_PACK_REPORT: packReport },
    inheritStdout: true,
  });
} catch (error) {
  failure ??= error;
}
const total = summarise();
if (existsSync(packReport)) {
  const pack = JSON.parse(readFileSync(packReport, 'utf8'));
  total.passed += pack.passed;
  total.failed += pack.failed;
  rmSync(packReport, { force: true });
} else {
  total.failed += 1;
}
const line = `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
process.stdout.write(`\nTests (${total.packages} packages + pack test, Node ${process.version}):\n${line}\n`);
if (failure || total.failed > 0 || total.passed === 0) {
  log(`tests failed: ${failure ? failure.message : line}`);
  process.exit(1);
}
