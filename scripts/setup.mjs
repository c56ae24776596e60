#!/usr/bin/env node
// Installs everything a contributor needs on a fresh machine (Node >= 20.19 + npm):
// pnpm, the workspace's dependencies, the engine plugin and the wasmtime library, and builds
// every package. Safe to re-run: each step is a no-op when its inputs are unchanged.
import { log, pnpm } from './lib/run.mjs';

export function setup() {
  const started = Date.now();
  log('installing workspace dependencies (pnpm install)');
  pnpm(['install', '--frozen-lockfile=false', '--reporter=append-only']);
  log('building packages (turbo run build): engine plugin, wasmtime library, TypeScript');
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
  log(`setup finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    setup();
  } catch (error) {
    log(`setup failed: ${error.message}`);
    process.exit(1);
  }
}
