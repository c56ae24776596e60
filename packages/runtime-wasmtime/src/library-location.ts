import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BackendUnavailableError } from '@jsbox/core';
import { openLibrary } from './ffi/library.js';

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
  `Install the platform package (\`npm install ${PLATFORM_PACKAGE}\`; in this repository run \`pnpm setup\` or ` +
  `\`pnpm --filter ${PLATFORM_PACKAGE} build\`), or point the \`libraryPath\` option or JSBOX_WASMTIME_LIBRARY at a ` +
  `libwasmtime ${WASMTIME_VERSION} (the C API library from the wasmtime ${WASMTIME_VERSION} release)`;

function unavailable(reason: string, cause?: unknown): BackendUnavailableError {
  return new BackendUnavailableError('wasmtime', reason, HINT, cause === undefined ? undefined : { cause });
}

function platformPackageLibrary(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve(`${PLATFORM_PACKAGE}/package.json`);
    return new URL('./lib/libwasmtime.so', `file://${manifest}`).pathname;
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

const verified = new Map<string, VerifiedLibrary>();

/**
 * Finds libwasmtime and checks it is 49.0.0 and intact: the pinned sha256 when it is the
 * official build; otherwise it must carry wasmtime's `49.0.0` version string and every symbol
 * jsbox binds. Throws `BackendUnavailableError` saying what to install; never crashes.
 */
export async function verifyLibrary(options: LibraryLocationOptions = {}): Promise<VerifiedLibrary> {
  const location = locateLibrary(options);
  if (!location) {
    const platform = `${process.platform}-${process.arch}`;
    throw unavailable(
      platform === 'linux-x64'
        ? `the library package ${PLATFORM_PACKAGE} is not installed`
        : `no libwasmtime package exists for ${platform} yet and none was configured`,
    );
  }
  const cached = verified.get(location.path);
  if (cached) return cached;
  if (!existsSync(location.path)) {
    throw unavailable(
      location.source === 'package'
        ? `${PLATFORM_PACKAGE} is installed but its library is missing (${location.path}); its build step did not run`
        : `no file at ${location.path} (from ${location.source === 'env' ? 'JSBOX_WASMTIME_LIBRARY' : 'the libraryPath option'})`,
    );
  }
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
    if (bytes.indexOf(`\0${WASMTIME_VERSION}`) === -1 && bytes.indexOf(WASMTIME_VERSION) === -1) {
      throw unavailable(
        `${location.path} is not libwasmtime ${WASMTIME_VERSION} (its version string is missing)`,
      );
    }
  }
  try {
    await openLibrary(location.path);
  } catch (error) {
    throw unavailable(
      `${location.path} cannot be used as libwasmtime ${WASMTIME_VERSION}: ${(error as Error).message}`,
      error,
    );
  }
  const result: VerifiedLibrary = { ...location, version: WASMTIME_VERSION };
  verified.set(location.path, result);
  return result;
}
