import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';

/** A store's linear memory as the host reads and writes it: bounds-checked, small views only. */
export interface MemoryRegion {
  /** Current size in bytes. */
  size: number;
  /** True when `[address, address + length)` lies inside the memory. */
  contains(address: number, length: number): boolean;
  /**
   * The bytes `[address, address + length)`, aliasing the memory (check {@link contains} first).
   * Only the bytes needed are viewed: a view of the whole memory (megabytes) counts as external
   * memory for V8 on every call, and that churn triggers full garbage collections.
   */
  bytes(address: number, length: number): Uint8Array;
}

/** The memory `handle` (a `wasmtime_memory_t` slice) of the store of `context`, as it is now. */
export function memoryRegion(library: WasmtimeLibrary, context: Pointer, handle: Buffer): MemoryRegion {
  const { functions, koffi } = library;
  const size = Number(functions.wasmtime_memory_data_size(context, handle));
  const base = functions.wasmtime_memory_data(context, handle);
  return {
    size,
    contains: (address, length) => address + length <= size,
    bytes: (address, length) =>
      length === 0 ? new Uint8Array(0) : new Uint8Array(koffi.view(base + BigInt(address), length)),
  };
}
