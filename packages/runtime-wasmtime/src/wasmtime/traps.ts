import { takeText } from '../ffi/byte-vec.js';
import type { MaybePointer, Pointer } from '../ffi/functions.js';
import { BYTE_VEC_SIZE } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';

/** How a wasmtime call that did not return normally ended. */
export interface CallFailure {
  /** `trap`: the guest trapped; `exit`: WASI `proc_exit`; `error`: any other wasmtime error. */
  kind: 'trap' | 'exit' | 'error';
  /** wasmtime trap code (see `TRAP_CODE`), when the failure carries one. */
  trapCode?: number;
  /** Exit status given to `proc_exit`. */
  exitCode?: number;
  message: string;
}

/** Reads and deletes a `wasmtime_error_t`. */
export function takeErrorMessage(library: WasmtimeLibrary, error: Pointer): string {
  const vector = Buffer.alloc(BYTE_VEC_SIZE);
  library.functions.wasmtime_error_message(error, vector);
  library.functions.wasmtime_error_delete(error);
  return takeText(library, vector);
}

/** Throws a plain Error with the message of a non-null `wasmtime_error_t` (host-side failures). */
export function check(library: WasmtimeLibrary, error: MaybePointer, what: string): void {
  if (error) throw new Error(`${what}: ${takeErrorMessage(library, error)}`);
}

function trapCodeOf(library: WasmtimeLibrary, trap: Pointer): number | undefined {
  const code = Buffer.alloc(1);
  return library.functions.wasmtime_trap_code(trap, code) ? code.readUInt8(0) : undefined;
}

/**
 * Describes what a call returned through its error result and trap out-parameter, deleting
 * both. Traps raised by host functions come back as errors, so errors are checked for a trap
 * code too (a `wasmtime_error_t` with a trap inside).
 */
export function describeFailure(
  library: WasmtimeLibrary,
  error: MaybePointer,
  trapOut: Buffer,
): CallFailure | undefined {
  const { functions } = library;
  const trap = trapOut.readBigUInt64LE(0);
  if (trap !== 0n) {
    const trapCode = trapCodeOf(library, trap);
    const vector = Buffer.alloc(BYTE_VEC_SIZE);
    functions.wasm_trap_message(trap, vector);
    functions.wasm_trap_delete(trap);
    if (error) functions.wasmtime_error_delete(error);
    return {
      kind: 'trap',
      message: takeText(library, vector).replace(/\0$/, ''),
      ...(trapCode === undefined ? {} : { trapCode }),
    };
  }
  if (!error) return undefined;
  const status = Buffer.alloc(4);
  if (functions.wasmtime_error_exit_status(error, status)) {
    functions.wasmtime_error_delete(error);
    return { kind: 'exit', exitCode: status.readInt32LE(0), message: `exit ${status.readInt32LE(0)}` };
  }
  return { kind: 'error', message: takeErrorMessage(library, error) };
}
