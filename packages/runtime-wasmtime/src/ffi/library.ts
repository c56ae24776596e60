import { bindFunctions, type WasmtimeFunctions } from './functions.js';
import { type Koffi, loadKoffi } from './koffi-loader.js';

/** An opened libwasmtime with its bound functions. */
export interface WasmtimeLibrary {
  readonly path: string;
  readonly koffi: Koffi;
  readonly functions: WasmtimeFunctions;
}

const opened = new Map<string, WasmtimeLibrary>();

/**
 * Opens libwasmtime at `path` (once per thread and path) and binds the functions jsbox uses.
 * Throws when the file cannot be loaded or lacks a symbol; callers turn that into a
 * `BackendUnavailableError`.
 */
export async function openLibrary(path: string): Promise<WasmtimeLibrary> {
  const existing = opened.get(path);
  if (existing) return existing;
  const koffi = await loadKoffi();
  const handle = koffi.load(path);
  const library: WasmtimeLibrary = { path, koffi, functions: bindFunctions(handle) };
  opened.set(path, library);
  return library;
}
