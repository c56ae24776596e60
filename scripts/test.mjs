#!/usr/bin/env node
// Sets up the repo (see setup.mjs) and runs lint, typecheck and every package's tests.
// `--skip-setup` reuses an existing setup (CI uses it for the second Node version).
import { log, pnpm } from './lib/run.mjs';
import { setup } from './setup.mjs';

const skipSetup = process.argv.includes('--skip-setup');
try {
  if (!skipSetup) setup();
  log(`running lint, typecheck and tests on Node ${process.version}`);
  pnpm(['exec', 'turbo', 'run', 'lint', 'typecheck', 'test', '--continue', '--concurrency=1'], {
    env: {
      TURBO_TELEMETRY_DISABLED: '1',
      DO_NOT_TRACK: '1',
      // Test results depend on the Node version: make it part of turbo's cache key.
      JSBOX_NODE_MAJOR: process.versions.node.split('.')[0],
    },
    inheritStdout: true,
  });
} catch (error) {
  log(`tests failed: ${error.message}`);
  process.exit(1);
}
