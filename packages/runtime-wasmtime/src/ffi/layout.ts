/**
 * Hand-made layouts of the wasmtime C API structs we touch, for x86_64/aarch64 (LP64).
 * They match `wasmtime.h` of wasmtime 49; see docs in engine-notes ("struct layouts").
 */

/** `wasm_byte_vec_t` / `wasm_name_t`: `{ size_t size; uint8_t *data; }`. */
export const BYTE_VEC_SIZE = 16;

/** `wasmtime_val_t`: kind (u8) at 0, union at 8. */
export const VAL_SIZE = 32;
/** Offset of the value union inside `wasmtime_val_t` / of the item union in `wasmtime_extern_t`. */
export const UNION_OFFSET = 8;

/** `wasmtime_extern_t`: kind (u8) at 0, union at 8. */
export const EXTERN_SIZE = 32;

/** `wasmtime_instance_t`: `{ uint64_t store_id; size_t private; }`. */
export const INSTANCE_SIZE = 16;

/** `wasmtime_valkind_t` values. */
export const VAL_KIND = { i32: 0, i64: 1, f32: 2, f64: 3 } as const;

/** `wasmtime_extern_kind_t` values. */
export const EXTERN_KIND = { func: 0, global: 1, table: 2, memory: 3, sharedMemory: 4, tag: 5 } as const;

/** `wasm_valkind_t` value of i32 (for building function types). */
export const WASM_I32 = 0;

/** `wasm_externkind_t` value of a memory (for module export types). */
export const WASM_EXTERN_MEMORY = 3;

/** `wasmtime_update_deadline_kind_t`: keep running after the epoch deadline callback. */
export const UPDATE_DEADLINE_CONTINUE = 0;

/** The wasmtime trap codes jsbox tells apart (`wasmtime_trap_code_t`). */
export const TRAP_CODE = {
  stackOverflow: 0,
  memoryOutOfBounds: 1,
  unreachable: 9,
  interrupt: 10,
  outOfFuel: 11,
  allocationTooLarge: 15,
} as const;

/** Fills an array of `wasmtime_val_t` with i32 arguments. */
export function i32Values(values: readonly number[]): Buffer {
  const buffer = Buffer.alloc(Math.max(1, values.length) * VAL_SIZE);
  values.forEach((value, index) => {
    buffer.writeUInt8(VAL_KIND.i32, index * VAL_SIZE);
    buffer.writeInt32LE(value | 0, index * VAL_SIZE + UNION_OFFSET);
  });
  return buffer;
}
