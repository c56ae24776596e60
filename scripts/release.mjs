#!/usr/bin/env node
// Release: builds every package (engine plugin and wasmtime library included), then publishes
// the packages whose versions changesets bumped. A dry run by default — it packs and checks
// what would be published without registry credentials; `--publish` publishes for real through
// `changeset publish` (which tags and skips versions already on the registry).
import { log, pnpm } from './lib/run.mjs';

const publish = process.argv.includes('--publish');
try {
  log('building every package (turbo run build)');
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
  if (publish) {
    log('publishing with changesets');
    pnpm(['exec', 'changeset', 'publish'], { inheritStdout: true });
  } else {
    log('dry run: what `pnpm release -- --publish` would publish');
    pnpm(
      ['-r', '--filter', './packages/*', 'publish', '--dry-run', '--no-git-checks', '--access', 'public'],
      {
        inheritStdout: true,
      },
    );
  }
} catch (error) {
  log(`release failed: ${error.message}`);
  process.exit(1);
}
