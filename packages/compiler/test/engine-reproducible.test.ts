// The built engine plugin must not depend on where the checkout lives: no absolute path of this
// machine in its bytes (the build maps them with -ffile-prefix-map) and no section that could
// carry one (debug info, `name`, `producers`). Two checkouts of one commit then build the same
// bytes; engine/README.md records the sha256 and how to check it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSections } from '../src/wasm/module-reader.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = join(packageRoot, '..', '..');
const pluginPath = join(packageRoot, 'plugin', 'jsbox-engine.wasm');
let plugin: Buffer;

beforeAll(() => {
  if (!existsSync(pluginPath)) {
    throw new Error(`${pluginPath} is missing: build it with pnpm --filter @jsbox/compiler build`);
  }
  plugin = readFileSync(pluginPath);
});

/** Where `needle` occurs in the plugin, with the text around it, for a readable failure. */
function occurrences(needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  for (let at = plugin.indexOf(bytes); at >= 0; at = plugin.indexOf(bytes, at + 1)) {
    found.push(plugin.subarray(Math.max(0, at - 16), at + 80).toString('latin1'));
  }
  return found;
}

describe('engine plugin reproducibility', () => {
  it('contains no absolute path of this checkout or of a home or temporary directory', () => {
    const roots = [repositoryRoot, realpathSync(repositoryRoot), homedir()].map(
      (path) => `${path.replace(/\/+$/, '')}/`,
    );
    for (const needle of new Set([...roots, '/tmp/', '/root/', '/home/'])) {
      expect(occurrences(needle), needle).toEqual([]);
    }
  });

  it('keeps QuickJS source names only relative to engine/ (the path map is in effect)', () => {
    const pins = JSON.parse(readFileSync(join(packageRoot, 'engine', 'pins.json'), 'utf8'));
    // assert() embeds __FILE__; QuickJS's units are compiled from the build cache
    expect(occurrences(`engine/.cache/${pins.quickjs.sourceDirectory}/dtoa.c`)).toHaveLength(1);
    expect(occurrences('.cache/build/patched/quickjs.c')[0]).toContain(
      '\0engine/.cache/build/patched/quickjs.c',
    );
  });

  it('carries no custom section but import_namespace (no debug info, name or producers section)', () => {
    const custom = readSections(plugin)
      .filter((section) => section.name !== undefined)
      .map((section) => section.name);
    expect(custom).toEqual(['import_namespace']);
  });

  it('matches the size and sha256 its manifest records', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'plugin', 'jsbox-engine.json'), 'utf8'));
    expect(plugin.length).toBe(manifest.bytes);
    expect(createHash('sha256').update(plugin).digest('hex')).toBe(manifest.sha256);
  });
});
