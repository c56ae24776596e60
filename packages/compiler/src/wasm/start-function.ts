import { BinaryWriter } from './binary-writer.js';
import { Opcode, PASSIVE_DATA_SEGMENT, ValueType } from './format.js';

/** Function indices and sizes the generated `_start` body refers to. */
export interface StartFunctionTargets {
  /** Index of `cabi_realloc(orig_ptr, orig_size, align, new_size) -> ptr`. */
  reallocIndex: number;
  /** Index of `invoke(bc_ptr, bc_len, fn_tag, fn_ptr, fn_len)`. */
  invokeIndex: number;
  /** Index of the passive data segment holding the bytecode. */
  dataIndex: number;
  /** Bytecode length in bytes. */
  bytecodeLength: number;
}

/**
 * Encodes the code-section entry (size-prefixed) of a `_start` that copies the bytecode
 * into the engine's memory and runs it:
 * `p = cabi_realloc(0, 0, 1, LEN); memory.init DATA (p, 0, LEN); data.drop DATA; invoke(p, LEN, 0, 0, 0)`.
 */
export function encodeStartFunctionBody(targets: StartFunctionTargets): Uint8Array {
  const { reallocIndex, invokeIndex, dataIndex, bytecodeLength } = targets;
  const body = new BinaryWriter();
  // one local: the pointer returned by cabi_realloc
  body.u32(1).u32(1).byte(ValueType.i32);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(1);
  body.byte(Opcode.i32Const).i32(bytecodeLength);
  body.byte(Opcode.call).u32(reallocIndex);
  body.byte(Opcode.localSet).u32(0);
  body.byte(Opcode.localGet).u32(0);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(bytecodeLength);
  body.byte(Opcode.prefixFc).u32(Opcode.memoryInit).u32(dataIndex).byte(0x00);
  body.byte(Opcode.prefixFc).u32(Opcode.dataDrop).u32(dataIndex);
  body.byte(Opcode.localGet).u32(0);
  body.byte(Opcode.i32Const).i32(bytecodeLength);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.call).u32(invokeIndex);
  body.byte(Opcode.end);
  return new BinaryWriter().byteVector(body.finish()).finish();
}

/** Encodes a passive data segment entry. */
export function encodePassiveSegment(data: Uint8Array): Uint8Array {
  return new BinaryWriter().u32(PASSIVE_DATA_SEGMENT).byteVector(data).finish();
}
