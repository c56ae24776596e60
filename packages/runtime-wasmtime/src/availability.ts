import { BackendUnavailableError } from '@jsbox/core';
import {
  inspectLibrary,
  type LibraryLocationOptions,
  verifyLibrary,
  WASMTIME_VERSION,
} from './library-location.js';

/** Whether the wasmtime backend can run here, and if not, why and how to fix it. */
export type WasmtimeAvailability =
  | { available: true; libraryPath: string; version: string }
  | { available: false; reason: string; hint: string };

/** Options of {@link checkWasmtimeAvailability}. */
export interface WasmtimeAvailabilityOptions extends LibraryLocationOptions {
  /**
   * `true` (default): the full check, which loads the library (after proving in a child process
   * that a library of unknown checksum loads cleanly). `false`: a cheap check that never loads
   * native code: the library exists and its headers describe a whole shared object. A library
   * that passes the cheap check can still fail the full one.
   */
  loadLibrary?: boolean;
}

/**
 * Checks, without throwing, that koffi and libwasmtime 49.0.0 load on this machine (the first
 * check of a file hashes and opens it, later ones are cached). Never crashes the process, even
 * for a corrupt library. Does not look at the engine plugin.
 *
 * @example
 * const availability = await checkWasmtimeAvailability();
 * if (!availability.available) console.error(availability.reason, availability.hint);
 */
export async function checkWasmtimeAvailability(
  options: WasmtimeAvailabilityOptions = {},
): Promise<WasmtimeAvailability> {
  try {
    if (options.loadLibrary === false) {
      const library = inspectLibrary(options);
      return { available: true, libraryPath: library.path, version: WASMTIME_VERSION };
    }
    const library = await verifyLibrary(options);
    return { available: true, libraryPath: library.path, version: library.version };
  } catch (error) {
    if (BackendUnavailableError.isInstance(error)) {
      // `reason` is new in core; an older copy of core only has the whole message.
      return { available: false, reason: error.reason ?? error.message, hint: error.hint };
    }
    return {
      available: false,
      reason: String((error as Error)?.message ?? error),
      hint: 'Report this as a jsbox bug',
    };
  }
}
