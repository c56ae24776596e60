#!/usr/bin/env node
/**
 * Builds jsbox's QuickJS engine plugin (packages/compiler/plugin/jsbox-engine.{wasm,json}) from
 * pinned inputs, offline apart from Debian's apt mirror:
 *   1. skip everything when the inputs hash matches the existing plugin;
 *   2. install the WASI C toolchain from apt if missing;
 *   3. fetch QuickJS from Debian's source package, check its pinned sha256, cache the extraction;
 *   4. compile QuickJS + our C glue (engine/src) into a WASI reactor;
 *   5. pre-initialise it with wizer, then add the `import_namespace` custom section;
 *   6. check it imports nothing but WASI preview1 and write the plugin and its metadata.
 * Progress goes to stderr. See engine/README.md for the decisions behind each step.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from './lib/build-lock.mjs';
import {
  buildObjectsAndLink,
  compileFlags,
  linkFlags,
  pathMapFlags,
  prepareBuildDir,
  writePreludeHeader,
} from './lib/compile.mjs';
import { inputsHash } from './lib/inputs-hash.mjs';
import { elapsedMs, log, step } from './lib/progress.mjs';
import { ensureQuickjsSource } from './lib/quickjs-source.mjs';
import { ensureToolchain, prepareSysroot, toolchainVersions } from './lib/toolchain.mjs';
import { listExports, listImports, sections, withCustomSection } from './lib/wasm-sections.mjs';
import { preinitialize, wizerBinary, wizerVersion } from './lib/wizer.mjs';

const engineDir = dirname(fileURLToPath(import.meta.url));
const packageDir = dirname(engineDir);
const pluginDir = join(packageDir, 'plugin');
const cacheDir = join(engineDir, '.cache');
const wasmPath = join(pluginDir, 'jsbox-engine.wasm');
const metadataPath = join(pluginDir, 'jsbox-engine.json');
const REQUIRED_EXPORTS = [
  'memory',
  'cabi_realloc',
  'initialize-runtime',
  'compile-src',
  'jsbox-compile',
  'jsbox-configure',
  'invoke',
];
/** The only custom section the plugin carries (wasm-ld's --strip-all drops name/producers/debug). */
const ALLOWED_CUSTOM_SECTIONS = ['import_namespace'];

async function loadPreludeSource() {
  try {
    const core = await import('@jsbox/core');
    if (typeof core.GUEST_PRELUDE_SOURCE !== 'string')
      throw new Error('GUEST_PRELUDE_SOURCE is not exported');
    return core.GUEST_PRELUDE_SOURCE;
  } catch (error) {
    throw new Error(
      `cannot load GUEST_PRELUDE_SOURCE from @jsbox/core's dist (build it first: pnpm --filter @jsbox/core build): ${error.message}`,
    );
  }
}

function isUpToDate(hash) {
  if (!existsSync(wasmPath) || !existsSync(metadataPath)) return false;
  try {
    const metadata = JSON.parse(readFileSync(metadataPath, 'utf8'));
    // The sha256 too, not just the size: a damaged plugin is rebuilt, as the compiler's error says.
    return (
      metadata.inputsHash === hash &&
      statSync(wasmPath).size === metadata.bytes &&
      createHash('sha256').update(readFileSync(wasmPath)).digest('hex') === metadata.sha256
    );
  } catch {
    return false;
  }
}

function checkPlugin(bytes) {
  const imports = listImports(bytes);
  const foreign = imports.filter(
    (entry) => entry.module !== 'wasi_snapshot_preview1' || entry.kind !== 'func',
  );
  if (foreign.length > 0) {
    throw new Error(
      `the plugin must import only WASI preview1 functions, found: ${foreign.map((e) => `${e.module}.${e.name}`).join(', ')}`,
    );
  }
  const exported = new Set(listExports(bytes).map((entry) => entry.name));
  const missing = REQUIRED_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length > 0) throw new Error(`the plugin lacks the exports ${missing.join(', ')}`);
  checkReproducible(bytes);
  return { imports, exports: [...exported] };
}

/**
 * The plugin must not depend on where it was built: no debug, `name` or `producers` section
 * (they can carry paths and tool versions) and no absolute path of this machine in its bytes.
 */
function checkReproducible(bytes) {
  const extra = [...sections(bytes)]
    .filter((section) => section.name !== undefined && !ALLOWED_CUSTOM_SECTIONS.includes(section.name))
    .map((section) => section.name);
  if (extra.length > 0) throw new Error(`the plugin has unexpected custom sections: ${extra.join(', ')}`);
  const repositoryRoot = dirname(dirname(packageDir));
  const localPrefixes = new Set(
    [repositoryRoot, realpathSync(repositoryRoot), homedir(), tmpdir(), '/tmp', '/root', '/home'].map(
      (path) => `${path.replace(/\/+$/, '')}/`,
    ),
  );
  const found = [...localPrefixes].filter((prefix) => bytes.includes(Buffer.from(prefix)));
  if (found.length > 0) {
    throw new Error(
      `the plugin contains absolute paths of this machine (${found.join(', ')}): a compile flag lost the path map`,
    );
  }
}

async function main() {
  const pins = JSON.parse(readFileSync(join(engineDir, 'pins.json'), 'utf8'));
  const preludeSource = await loadPreludeSource();
  // The path map is hashed with a placeholder: where the checkout lives is not an input.
  const flags = { compile: compileFlags(pins), pathMap: pathMapFlags('<engine>'), link: linkFlags(pins) };
  const currentHash = async () =>
    inputsHash({
      engineDir,
      flags,
      preludeSource,
      toolVersions: { ...(await toolchainVersions(pins)), wizer: await wizerVersion() },
    });
  const hash = await currentHash();
  if (isUpToDate(hash)) {
    log(`plugin up to date (inputs ${hash.slice(0, 12)}): ${wasmPath}`);
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  await withBuildLock(join(cacheDir, 'build.lock'), async () => {
    await step('WASI C toolchain', () => ensureToolchain(pins));
    // A toolchain installed just now changes the tool versions, hence the hash; and a build we
    // waited for may have produced this very plugin.
    const lockedHash = await currentHash();
    if (isUpToDate(lockedHash)) {
      log(`plugin up to date (inputs ${lockedHash.slice(0, 12)}): ${wasmPath}`);
      return;
    }
    await buildPlugin({ pins, preludeSource, hash: lockedHash });
  });
}

/** Steps 3-6: sources, compile and link, wizer, checks, then the plugin and its metadata. */
async function buildPlugin({ pins, preludeSource, hash }) {
  log(`building the engine plugin (inputs ${hash.slice(0, 12)})`);
  const sysroot = prepareSysroot(cacheDir);
  const sourceDir = await step(`QuickJS ${pins.quickjs.version} sources`, () =>
    ensureQuickjsSource(pins, cacheDir),
  );

  const buildDir = join(cacheDir, 'build');
  const dirs = prepareBuildDir({ sourceDir, buildDir });
  writePreludeHeader(dirs.generatedDir, preludeSource);
  const rawPath = join(buildDir, 'jsbox-engine.raw.wasm');
  await step(`compile and link (${pins.plugin.optimization})`, () =>
    buildObjectsAndLink({
      pins,
      engineDir,
      sysroot,
      sourceDir,
      glueDir: join(engineDir, 'src'),
      dirs,
      output: rawPath,
    }),
  );
  const wizer = await wizerBinary();
  const initializedPath = join(buildDir, 'jsbox-engine.wizer.wasm');
  await step('pre-initialise with wizer', () => preinitialize(wizer, rawPath, initializedPath));

  // Wizer rewrites the module and may drop custom sections, so the namespace goes on last.
  const bytes = withCustomSection(
    readFileSync(initializedPath),
    'import_namespace',
    new TextEncoder().encode(pins.plugin.namespace),
  );
  const { imports } = checkPlugin(bytes);
  log(`imports: ${imports.map((entry) => `${entry.module}.${entry.name}`).join(', ')}`);

  mkdirSync(pluginDir, { recursive: true });
  const metadata = {
    namespace: pins.plugin.namespace,
    quickjsVersion: pins.quickjs.version,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    inputsHash: hash,
    wasmStackBytes: pins.plugin.wasmStackBytes,
  };
  // Write the wasm first and the metadata last, each atomically: an interrupted build never
  // leaves metadata that vouches for a different wasm.
  writeFileSync(`${wasmPath}.tmp`, bytes);
  renameSync(`${wasmPath}.tmp`, wasmPath);
  writeFileSync(`${metadataPath}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
  renameSync(`${metadataPath}.tmp`, metadataPath);
  log(`wrote ${wasmPath} (${bytes.length} bytes, raw ${statSync(rawPath).size} bytes) in ${elapsedMs()} ms`);
}

main().catch((error) => {
  log(`FAILED: ${error.message}`);
  process.exitCode = 1;
});
