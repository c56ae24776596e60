import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '@jsbox/core';
import { openLibrary } from './ffi/library.js';
import { elfLayoutProblem } from './library/elf-layout.js';
import { loadProblemInChildProcess } from './library/load-probe.js';

/** The wasmtime version this package is written and tested against. */
export const WASMTIME_VERSION = '49.0.0';

/** npm package holding the library for this platform. */
export const PLATFORM_PACKAGE = '@jsbox/wasmtime-linux-x64-gnu';

/** sha256 of the official 49.0.0 linux-x64 library (the one the platform package ships). */
export const KNOWN_LIBRARY_SHA256 = '9594714d3c73c3087ab3d42d9614cf72973b25c181b8625ffcc46a8a75972d7e';

/** Options that say where libwasmtime is. */
export interface LibraryLocationOptions {
  /** Path of libwasmtime (49.0.0). Default: env `JSBOX_WASMTIME_LIBRARY`, then the platform package. */
  libraryPath?: string;
}

/** A library that was found and checked. */
export interface VerifiedLibrary {
  path: string;
  version: string;
  /** Where the path came from. */
  source: 'option' | 'env' | 'package';
}

const HINT =
  `Install the platform package (\`npm install ${PLATFORM_PACKAGE}\`; in a jsbox checkout run ` +
  `\`node scripts/setup.mjs\`), or point the \`libraryPath\` option or JSBOX_WASMTIME_LIBRARY at a ` +
  `libwasmtime ${WASMTIME_VERSION} (the C API library from the wasmtime ${WASMTIME_VERSION} release)`;

function unavailable(reason: string, cause?: unknown): BackendUnavailableError {
  return new BackendUnavailableError('wasmtime', reason, HINT, cause === undefined ? undefined : { cause });
}

/**
 * The library inside the platform package as resolved from `from` (a module URL or path; this
 * module by default). Path functions only: a URL's `pathname` keeps `%20` for a space.
 */
export function platformPackageLibrary(from: string | URL = import.meta.url): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const base = typeof from === 'string' && !from.startsWith('file:') ? from : fileURLToPath(from);
    const manifest = createRequire(base).resolve(`${PLATFORM_PACKAGE}/package.json`);
    return join(dirname(manifest), 'lib', 'libwasmtime.so');
  } catch {
    return undefined;
  }
}

/** Where the library should be, by the documented order; `undefined` when nowhere. */
export function locateLibrary(
  options: LibraryLocationOptions = {},
): Omit<VerifiedLibrary, 'version'> | undefined {
  if (options.libraryPath) return { path: options.libraryPath, source: 'option' };
  const fromEnv = process.env.JSBOX_WASMTIME_LIBRARY;
  if (fromEnv) return { path: fromEnv, source: 'env' };
  const fromPackage = platformPackageLibrary();
  return fromPackage ? { path: fromPackage, source: 'package' } : undefined;
}

/** The located library and its file identity (a changed file is checked again). */
interface InspectedLibrary {
  location: Omit<VerifiedLibrary, 'version'>;
  identity: string;
}

/**
 * The checks that read only file metadata and headers: the library is where the options say,
 * and (ELF) is a whole shared object for this CPU. Never loads it.
 */
function inspect(options: LibraryLocationOptions): InspectedLibrary {
  const location = locateLibrary(options);
  if (!location) {
    const platform = `${process.platform}-${process.arch}`;
    throw unavailable(
      platform === 'linux-x64'
        ? `the library package ${PLATFORM_PACKAGE} is not installed`
        : `no libwasmtime package exists for ${platform} yet and none was configured`,
    );
  }
  let identity: string;
  try {
    const stat = statSync(location.path);
    if (!stat.isFile()) throw unavailable(`${location.path} is not a file`);
    identity = `${location.path}\0${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch (error) {
    if (BackendUnavailableError.isInstance(error)) throw error;
    throw unavailable(
      location.source === 'package'
        ? `${PLATFORM_PACKAGE} is installed but its library is missing (${location.path}); its build step did not run`
        : `no file at ${location.path} (from ${location.source === 'env' ? 'JSBOX_WASMTIME_LIBRARY' : 'the libraryPath option'})`,
    );
  }
  let problem: string | undefined;
  try {
    problem = elfLayoutProblem(location.path);
  } catch (error) {
    throw unavailable(`cannot read ${location.path}`, error);
  }
  if (problem) throw unavailable(`${location.path} cannot be libwasmtime ${WASMTIME_VERSION}: ${problem}`);
  return { location, identity };
}

/**
 * Checks the library without loading it (see {@link verifyLibrary} for the full check): it
 * exists and, on ELF platforms, is a whole shared object for this CPU. Cheap: reads headers only.
 * Throws `BackendUnavailableError`.
 */
export function inspectLibrary(options: LibraryLocationOptions = {}): Omit<VerifiedLibrary, 'version'> {
  return inspect(options).location;
}

/** Verified libraries by file identity (path, inode, size, mtime). */
const verified = new Map<string, Promise<VerifiedLibrary>>();

async function verify(inspected: InspectedLibrary): Promise<VerifiedLibrary> {
  const { location } = inspected;
  let bytes: Buffer;
  try {
    bytes = readFileSync(location.path);
  } catch (error) {
    throw unavailable(`cannot read ${location.path}`, error);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== KNOWN_LIBRARY_SHA256) {
    if (location.source === 'package') {
      throw unavailable(`${location.path} is corrupt or of another version (sha256 ${digest})`);
    }
    if (bytes.indexOf(WASMTIME_VERSION) === -1) {
      throw unavailable(
        `${location.path} is not libwasmtime ${WASMTIME_VERSION} (its version string is missing)`,
      );
    }
    // Not the build whose checksum we know: load it in a throwaway process first, so a library
    // that is broken in a way the headers do not show cannot take this process down.
    const problem = await loadProblemInChildProcess(location.path);
    if (problem)
      throw unavailable(`${location.path} cannot be used as libwasmtime ${WASMTIME_VERSION}: ${problem}`);
  }
  try {
    await openLibrary(location.path);
  } catch (error) {
    throw unavailable(
      `${location.path} cannot be used as libwasmtime ${WASMTIME_VERSION}: ${(error as Error).message}`,
      error,
    );
  }
  return { ...location, version: WASMTIME_VERSION };
}

/**
 * Finds libwasmtime and checks it is 49.0.0 and intact before this process loads it: the file
 * must be a whole shared object (headers checked), and either match the pinned sha256 of the
 * official build or carry wasmtime's version string and load cleanly in a short-lived child
 * process (a corrupt library can crash whoever loads it). Then it is opened and every symbol
 * jsbox binds is looked up. Results are cached per file (path, inode, size, mtime). Throws
 * `BackendUnavailableError` saying what to install; never crashes.
 */
export async function verifyLibrary(options: LibraryLocationOptions = {}): Promise<VerifiedLibrary> {
  const inspected = inspect(options);
  let pending = verified.get(inspected.identity);
  if (!pending) {
    pending = verify(inspected);
    verified.set(inspected.identity, pending);
    pending.catch(() => undefined); // failures are cached too: the same file fails the same way
  }
  return pending;
}
