import type { MaybePointer, Pointer } from '../ffi/functions.js';
import { UPDATE_DEADLINE_CONTINUE } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { activeExecution } from './active-execution.js';

/**
 * Wall-clock limits ride on wasmtime's epoch interruption. The epoch is engine-wide and a
 * ticker thread (see `engine-host`) advances it every {@link EPOCH_TICK_MS} while executions
 * run. Each store sets a deadline of one tick and a deadline callback (run on the guest's own
 * thread, between wasm instructions) which checks this execution's own deadline and cancel
 * flag: it stops the guest, or lets it run for one more tick. So one engine serves many
 * concurrent executions with different deadlines, and cancelling one touches no other.
 */
export const EPOCH_TICK_MS = 5;

const callbacks = new WeakMap<WasmtimeLibrary, Pointer>();

function deadlineCallback(library: WasmtimeLibrary, delta: Pointer, kind: Pointer): MaybePointer {
  const execution = activeExecution();
  if (execution && execution.stop === undefined) {
    const flag = execution.cancelFlags ? Atomics.load(execution.cancelFlags, 0) : 0;
    // The pool's control values: 1 = cancelled by the caller, 2 = its soft deadline passed.
    if (flag !== 0) execution.stop = flag === 2 ? 'deadline' : 'cancelled';
    else if (performance.now() >= execution.deadlineAt) execution.stop = 'deadline';
  }
  if (!execution || execution.stop !== undefined) {
    return library.functions.wasmtime_error_new(`jsbox: interrupted (${execution?.stop ?? 'no execution'})`);
  }
  new DataView(library.koffi.view(delta, 8)).setBigUint64(0, 1n, true);
  new DataView(library.koffi.view(kind, 1)).setUint8(0, UPDATE_DEADLINE_CONTINUE);
  return null;
}

/** The per-thread epoch deadline callback (registered once). */
export function epochDeadlineCallback(library: WasmtimeLibrary): Pointer {
  const existing = callbacks.get(library);
  if (existing) return existing;
  const { koffi } = library;
  const prototype = koffi.proto(
    'void *jsbox_epoch_deadline(void *context, void *data, void *delta, void *kind)',
  );
  const pointer = koffi.register((_context: Pointer, _data: unknown, delta: Pointer, kind: Pointer) => {
    try {
      return deadlineCallback(library, delta, kind);
    } catch (error) {
      return library.functions.wasmtime_error_new(`jsbox: epoch callback failed: ${String(error)}`);
    }
  }, koffi.pointer(prototype));
  callbacks.set(library, pointer);
  return pointer;
}
