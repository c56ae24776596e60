import { BackendUnavailableError } from '@jsbox/core';
import { type LibraryLocationOptions, verifyLibrary } from './library-location.js';

/** Whether the wasmtime backend can run here, and if not, why and how to fix it. */
export type WasmtimeAvailability =
  | { available: true; libraryPath: string; version: string }
  | { available: false; reason: string; hint: string };

/**
 * Checks, without throwing, that koffi and libwasmtime 49.0.0 load on this machine (the first
 * check of a path hashes and opens the library, later ones are cached). Does not look at the
 * engine plugin.
 *
 * @example
 * const availability = await checkWasmtimeAvailability();
 * if (!availability.available) console.error(availability.reason, availability.hint);
 */
export async function checkWasmtimeAvailability(
  options: LibraryLocationOptions = {},
): Promise<WasmtimeAvailability> {
  try {
    const library = await verifyLibrary(options);
    return { available: true, libraryPath: library.path, version: library.version };
  } catch (error) {
    if (BackendUnavailableError.isInstance(error)) {
      return { available: false, reason: error.message, hint: error.hint };
    }
    return {
      available: false,
      reason: String((error as Error)?.message ?? error),
      hint: 'Report this as a jsbox bug',
    };
  }
}
