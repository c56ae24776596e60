import type * as KoffiModule from 'koffi';

/** The koffi module namespace. */
export type Koffi = typeof KoffiModule;

/** Stack koffi gives synchronous calls, on which wasm executes (see `MAX_WASM_STACK_BYTES`). */
export const KOFFI_SYNC_STACK_BYTES = 8 * 1024 * 1024;

let loaded: Koffi | undefined;
let stackEnlarged = true;

/** False when koffi's call stack could not be enlarged in this thread (see {@link loadKoffi}). */
export function koffiStackEnlarged(): boolean {
  return stackEnlarged;
}
let failure: unknown;

/**
 * Imports koffi lazily, so that merely importing this package never loads native code and a
 * missing native part becomes a clear error instead of a failed import.
 */
export async function loadKoffi(): Promise<Koffi> {
  if (loaded) return loaded;
  if (failure) throw failure;
  try {
    const module = (await import('koffi')) as Koffi & { default?: Koffi };
    const koffi = (module.default ?? module) as Koffi;
    // Wasm runs on koffi's stack for synchronous calls (2 MiB by default): make it larger than
    // wasmtime's max_wasm_stack plus the host frames, or a deep guest recursion would hit the
    // real end of that stack instead of wasmtime's clean stack-overflow trap.
    // koffi refuses config changes once a library is loaded in this thread (another user of
    // koffi got there first): only the main thread can be in that state, and guests never run
    // there (executions run in workers, where jsbox is koffi's first user).
    const current = koffi.config();
    if ((current.sync_stack_size ?? 0) < KOFFI_SYNC_STACK_BYTES) {
      try {
        koffi.config({ ...current, sync_stack_size: KOFFI_SYNC_STACK_BYTES });
      } catch {
        stackEnlarged = false;
      }
    }
    loaded = koffi;
    return loaded;
  } catch (error) {
    failure = error;
    throw error;
  }
}

/** koffi after {@link loadKoffi} resolved; throws if it was not loaded yet. */
export function loadedKoffi(): Koffi {
  if (!loaded) throw new Error('koffi was not loaded yet (call loadKoffi first)');
  return loaded;
}
