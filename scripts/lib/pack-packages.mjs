// Packs the repo's public packages the way they are published: `pnpm pack` runs each
// package's prepack and turns `workspace:` ranges into real versions.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pnpm, repoRoot } from './run.mjs';

/** Names of the directories under packages/ whose package.json is not private. */
export function publicPackageDirs() {
  return readdirSync(path.join(repoRoot, 'packages')).filter((name) => {
    try {
      return !JSON.parse(readFileSync(path.join(repoRoot, 'packages', name, 'package.json'), 'utf8')).private;
    } catch {
      return false;
    }
  });
}

/**
 * Packs every public package into `destination`; returns the tarballs' file names.
 * `options.timeoutMs` bounds each `pnpm pack`.
 */
export function packPublicPackages(destination, options = {}) {
  for (const dir of publicPackageDirs()) {
    pnpm(['pack', '--pack-destination', destination], {
      cwd: path.join(repoRoot, 'packages', dir),
      timeoutMs: options.timeoutMs,
    });
  }
  return readdirSync(destination).filter((name) => name.endsWith('.tgz'));
}
