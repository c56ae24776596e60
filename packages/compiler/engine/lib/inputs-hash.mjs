import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

function filesUnder(dir, accept) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name), accept) : [join(dir, entry.name)],
    )
    .filter(accept)
    .sort();
}

/**
 * Hash of everything the plugin is made from: the build scripts, pins, C glue, the compiler
 * flags, the toolchain's versions (clang, wasm-ld, the Debian packages), wizer's version and the
 * prelude source. Equal hash = nothing to rebuild. No absolute path goes in (file names are
 * relative to `engineDir`, the path map flag is hashed with a placeholder), so every checkout of
 * the same commit on the same toolchain has the same hash and, the build being reproducible, the
 * same plugin.
 */
export function inputsHash({ engineDir, flags, preludeSource, toolVersions }) {
  const hash = createHash('sha256');
  const files = [
    join(engineDir, 'build.mjs'),
    join(engineDir, 'pins.json'),
    ...filesUnder(join(engineDir, 'lib'), (path) => path.endsWith('.mjs')),
    ...filesUnder(join(engineDir, 'src'), (path) => /\.[ch]$/.test(path)),
  ];
  for (const file of files) {
    hash.update(`file ${relative(engineDir, file)}\n`);
    hash.update(readFileSync(file));
  }
  hash.update(`flags ${JSON.stringify(flags)}\n`);
  hash.update(`tools ${JSON.stringify(toolVersions)}\n`);
  hash.update(`prelude ${preludeSource}`);
  return hash.digest('hex');
}
