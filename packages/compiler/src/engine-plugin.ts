import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnginePluginMissingError } from './errors.js';
import { IMPORT_NAMESPACE_SECTION_NAME } from './wasm/custom-sections.js';
import { readSections } from './wasm/module-reader.js';

/** The jsbox engine plugin: QuickJS on wasm32-wasi, pre-initialised, with the jsbox plugin ABI. */
export interface EnginePlugin {
  /** The plugin module's bytes. */
  bytes: Uint8Array;
  /** Its import namespace (`import_namespace` custom section), e.g. `jsbox-engine-v1`. */
  namespace: string;
  /** Hex sha256 of `bytes`. */
  sha256: string;
  /** QuickJS version the plugin was built from (from `jsbox-engine.json`). */
  quickjsVersion: string;
  /** Absolute path of the `.wasm` file. */
  path: string;
}

interface PluginManifest {
  namespace?: unknown;
  quickjsVersion?: unknown;
  sha256?: unknown;
  bytes?: unknown;
}

let cached: EnginePlugin | undefined;

/**
 * The directory holding `jsbox-engine.wasm`: `plugin/` at the package root, found relative to
 * this file (works from `src/` in tests and from `dist/` when installed under `node_modules`).
 */
export function enginePluginDirectory(): string {
  return fileURLToPath(new URL('../plugin/', import.meta.url));
}

function readManifest(path: string, manifestPath: string): PluginManifest & { sha256: string } {
  let manifest: PluginManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PluginManifest;
  } catch (error) {
    throw new EnginePluginMissingError(
      path,
      `the engine plugin's manifest ${manifestPath} is missing or not JSON, so the plugin cannot be verified`,
      { cause: error },
    );
  }
  if (typeof manifest?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(manifest.sha256)) {
    throw new EnginePluginMissingError(
      path,
      `the engine plugin's manifest ${manifestPath} records no sha256`,
    );
  }
  return manifest as PluginManifest & { sha256: string };
}

/**
 * Loads the engine plugin shipped with this package and checks it against the sha256 its
 * manifest (`jsbox-engine.json`) records, once per process: the verified plugin is cached.
 * Throws {@link EnginePluginMissingError} when the plugin or its manifest is absent or
 * unreadable, or when the bytes do not match the manifest (a corrupted or half-replaced install).
 *
 * @example
 * const { namespace, sha256 } = getEnginePlugin(); // 'jsbox-engine-v1', '3f2a…'
 */
export function getEnginePlugin(): EnginePlugin {
  if (cached) return cached;
  const directory = enginePluginDirectory();
  const path = `${directory}jsbox-engine.wasm`;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new EnginePluginMissingError(path, 'the engine plugin is missing', { cause: error });
  }
  const manifestPath = `${directory}jsbox-engine.json`;
  const manifest = readManifest(path, manifestPath);
  // Checked before parsing, so a damaged file is reported as damaged rather than as not-a-plugin.
  const sha256 = sha256Hex(bytes);
  if (sha256 !== manifest.sha256) {
    throw new EnginePluginMissingError(
      path,
      `the engine plugin is corrupted or was replaced: its sha256 is ${sha256} (${bytes.length} bytes), ` +
        `but ${manifestPath} records ${manifest.sha256}` +
        (typeof manifest.bytes === 'number' ? ` (${manifest.bytes} bytes)` : ''),
    );
  }
  cached = describeVerifiedBytes(bytes, sha256, {
    path,
    quickjsVersion: typeof manifest.quickjsVersion === 'string' ? manifest.quickjsVersion : 'unknown',
  });
  return cached;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Describes plugin bytes that came from elsewhere (a custom engine build) so they can be
 * passed as the `plugin` compile option. Reads the namespace from `import_namespace`.
 * Throws {@link EnginePluginMissingError} when the bytes are not a plugin.
 */
export function describeEnginePlugin(
  bytes: Uint8Array,
  details: { path?: string; quickjsVersion?: string } = {},
): EnginePlugin {
  return describeVerifiedBytes(bytes, sha256Hex(bytes), details);
}

function describeVerifiedBytes(
  bytes: Uint8Array,
  sha256: string,
  details: { path?: string; quickjsVersion?: string },
): EnginePlugin {
  const path = details.path ?? '<memory>';
  let namespace: string | undefined;
  try {
    const section = readSections(bytes).find((candidate) => candidate.name === IMPORT_NAMESPACE_SECTION_NAME);
    namespace = section?.content
      ? new TextDecoder('utf-8', { fatal: true }).decode(section.content)
      : undefined;
  } catch (error) {
    throw new EnginePluginMissingError(path, 'the engine plugin is not a valid WebAssembly module', {
      cause: error,
    });
  }
  if (!namespace) {
    throw new EnginePluginMissingError(path, 'the engine plugin has no import_namespace custom section');
  }
  return { bytes, namespace, sha256, quickjsVersion: details.quickjsVersion ?? 'unknown', path };
}
