/**
 * LEB128 integer encoding as used throughout the WebAssembly binary format.
 * Unsigned values are limited to u32 (all the format needs for indices and sizes);
 * signed values cover i32 (`i32.const` immediates).
 */

/** Encodes `value` (0 ..= 2^32-1) as unsigned LEB128. */
export function encodeUnsigned(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`unsigned LEB128 value out of u32 range: ${value}`);
  }
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Encodes `value` (-2^31 ..= 2^31-1) as signed LEB128. */
export function encodeSigned(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
    throw new RangeError(`signed LEB128 value out of i32 range: ${value}`);
  }
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const signBitSet = (byte & 0x40) !== 0;
    if ((rest === 0 && !signBitSet) || (rest === -1 && signBitSet)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A decoded value and the offset just past it. */
export interface Decoded {
  value: number;
  next: number;
}

/** Decodes an unsigned LEB128 u32 at `offset`; throws on truncation or overflow. */
export function decodeUnsigned(bytes: Uint8Array, offset: number): Decoded {
  let result = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    if (position >= bytes.length) throw new RangeError(`truncated LEB128 at offset ${offset}`);
    const byte = bytes[position++]!;
    if (shift === 28 && (byte & 0x70) !== 0) throw new RangeError(`LEB128 overflows u32 at offset ${offset}`);
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value: result, next: position };
    shift += 7;
    if (shift > 28) throw new RangeError(`LEB128 too long at offset ${offset}`);
  }
}

/** Decodes a signed LEB128 i32 at `offset`. */
export function decodeSigned(bytes: Uint8Array, offset: number): Decoded {
  let result = 0;
  let shift = 0;
  let position = offset;
  let byte: number;
  do {
    if (position >= bytes.length) throw new RangeError(`truncated LEB128 at offset ${offset}`);
    if (shift > 28) throw new RangeError(`LEB128 too long at offset ${offset}`);
    byte = bytes[position++]!;
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && (byte & 0x40) !== 0) result |= -1 << shift;
  return { value: result, next: position };
}
