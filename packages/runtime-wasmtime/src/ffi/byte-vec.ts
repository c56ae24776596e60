import type { Pointer } from './functions.js';
import type { WasmtimeLibrary } from './library.js';

/** Copies the bytes of a `wasm_byte_vec_t` held in `vector` (16 bytes: size, data). */
export function copyVecBytes(library: WasmtimeLibrary, vector: Buffer): Uint8Array {
  const size = Number(vector.readBigUInt64LE(0));
  const copy = new Uint8Array(size);
  if (size > 0) copy.set(new Uint8Array(library.koffi.view(vector.readBigUInt64LE(8), size)));
  return copy;
}

/** Copies the bytes of a `wasm_byte_vec_t` wasmtime filled in, then frees its data. */
export function takeBytes(library: WasmtimeLibrary, vector: Buffer): Uint8Array {
  const bytes = copyVecBytes(library, vector);
  library.functions.wasm_byte_vec_delete(vector);
  return bytes;
}

/** Like {@link takeBytes}, decoded as UTF-8. */
export function takeText(library: WasmtimeLibrary, vector: Buffer): string {
  return Buffer.from(takeBytes(library, vector)).toString('utf8');
}

/** Reads a borrowed `wasm_name_t` (a pointer wasmtime keeps owning) as text. */
export function readBorrowedName(library: WasmtimeLibrary, name: Pointer): string {
  const vector = Buffer.from(library.koffi.view(name, 16));
  return Buffer.from(copyVecBytes(library, vector)).toString('utf8');
}
