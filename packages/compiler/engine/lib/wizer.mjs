import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from './run-command.mjs';

/**
 * Path of the wizer binary from the `@bytecodealliance/wizer` npm package (its per-platform
 * optional dependency ships the executable, so no network is needed at build time).
 */
export async function wizerBinary() {
  try {
    return (await import('@bytecodealliance/wizer')).default;
  } catch (error) {
    throw new Error(
      `@bytecodealliance/wizer (and its binary for ${process.platform}-${process.arch}) is not installed: run pnpm install (${error.message})`,
    );
  }
}

/**
 * Pre-initialises the reactor: runs `initialize-runtime` and snapshots memory and globals.
 * WASI stays disallowed during init: the glue's gettimeofday reads a fixed instant until init
 * is over (src/snapshot-clock.c), so init calls no import and the snapshot is reproducible.
 * The init export is kept because the ABI lists it and it is idempotent.
 */
export async function preinitialize(binary, input, output) {
  await runCommand(binary, [
    input,
    '-o',
    output,
    '--init-func',
    'initialize-runtime',
    '--keep-init-func=true',
  ]);
}

/**
 * The wizer executable's identity for the inputs hash: the name and version of the per-platform
 * package that ships it (wizer has no --version flag), or `missing`.
 */
export async function wizerVersion() {
  try {
    const manifest = join(dirname(await wizerBinary()), 'package.json');
    if (!existsSync(manifest)) return 'unknown';
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8'));
    return `${name}@${version}`;
  } catch {
    return 'missing';
  }
}
