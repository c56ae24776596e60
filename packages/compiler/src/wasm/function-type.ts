import { BinaryWriter } from './binary-writer.js';
import { FUNCTION_TYPE_FORM } from './format.js';

/** Encodes one function type entry (`0x60 params results`). */
export function encodeFunctionType(params: readonly number[], results: readonly number[]): Uint8Array {
  const writer = new BinaryWriter().byte(FUNCTION_TYPE_FORM);
  writer.vector(params, (w, type) => w.byte(type));
  writer.vector(results, (w, type) => w.byte(type));
  return writer.finish();
}
