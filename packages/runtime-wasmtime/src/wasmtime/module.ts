import { readBorrowedName, takeBytes } from '../ffi/byte-vec.js';
import type { MaybePointer, Pointer } from '../ffi/functions.js';
import { BYTE_VEC_SIZE, WASM_EXTERN_MEMORY } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { check } from './traps.js';

/** Runs one of wasmtime's module constructors and returns the new module, or throws its message. */
function newModule(
  library: WasmtimeLibrary,
  create: (out: Buffer) => MaybePointer,
  failure: string,
): Pointer {
  const out = Buffer.alloc(8);
  check(library, create(out), failure);
  return out.readBigUInt64LE(0);
}

/** Compiles wasm bytes into a module of `engine`. Throws with wasmtime's message when invalid. */
export function compileModule(library: WasmtimeLibrary, engine: Pointer, bytes: Uint8Array): Pointer {
  return newModule(
    library,
    (out) => library.functions.wasmtime_module_new(engine, bytes, bytes.byteLength, out),
    'compile failed',
  );
}

/** Serializes a compiled module (for the on-disk cache). */
export function serializeModule(library: WasmtimeLibrary, module: Pointer): Uint8Array {
  const vector = Buffer.alloc(BYTE_VEC_SIZE);
  check(library, library.functions.wasmtime_module_serialize(module, vector), 'serialize failed');
  return takeBytes(library, vector);
}

/**
 * Loads a module serialized by {@link serializeModule} with the same library and engine
 * settings. Only ever feed it bytes jsbox wrote itself and checksummed: wasmtime trusts them.
 */
export function deserializeModule(library: WasmtimeLibrary, engine: Pointer, bytes: Uint8Array): Pointer {
  return newModule(
    library,
    (out) => library.functions.wasmtime_module_deserialize(engine, bytes, bytes.byteLength, out),
    'deserialize failed',
  );
}

/** Initial size in bytes of the memory a module exports as `memory`, or 0 when it has none. */
export function exportedMemoryMinimumBytes(library: WasmtimeLibrary, module: Pointer): number {
  const { functions, koffi } = library;
  const vector = Buffer.alloc(BYTE_VEC_SIZE);
  functions.wasmtime_module_exports(module, vector);
  try {
    const count = Number(vector.readBigUInt64LE(0));
    if (count === 0) return 0;
    const items = Buffer.from(koffi.view(vector.readBigUInt64LE(8), count * 8));
    for (let index = 0; index < count; index++) {
      const exportType = items.readBigUInt64LE(index * 8);
      const nameText = readBorrowedName(library, functions.wasm_exporttype_name(exportType));
      const type = functions.wasm_exporttype_type(exportType);
      if (nameText !== 'memory' || functions.wasm_externtype_kind(type) !== WASM_EXTERN_MEMORY) continue;
      const memoryType = functions.wasm_externtype_as_memorytype(type);
      return memoryType ? Number(functions.wasmtime_memorytype_minimum(memoryType)) * 65_536 : 0;
    }
    return 0;
  } finally {
    functions.wasm_exporttype_vec_delete(vector);
  }
}

/** Converts WebAssembly text to binary with wasmtime's own parser (tests and tools). */
export function watToWasm(library: WasmtimeLibrary, text: string): Uint8Array {
  const source = Buffer.from(text, 'utf8');
  const vector = Buffer.alloc(BYTE_VEC_SIZE);
  check(
    library,
    library.functions.wasmtime_wat2wasm(source, source.byteLength, vector),
    'invalid WebAssembly text',
  );
  return takeBytes(library, vector);
}
