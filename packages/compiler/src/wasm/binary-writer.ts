import { encodeSigned, encodeUnsigned } from './leb128.js';

const utf8 = new TextEncoder();

/**
 * Growable byte buffer with the primitive encoders of the WebAssembly binary format
 * (LEB128 integers, names, length-prefixed vectors).
 */
export class BinaryWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** Number of bytes written so far. */
  get size(): number {
    return this.length;
  }

  /** Appends raw bytes. */
  bytes(data: ArrayLike<number>): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Appends one byte. */
  byte(value: number): this {
    return this.bytes([value & 0xff]);
  }

  /** Appends an unsigned LEB128 u32. */
  u32(value: number): this {
    return this.bytes(encodeUnsigned(value));
  }

  /** Appends a signed LEB128 i32. */
  i32(value: number): this {
    return this.bytes(encodeSigned(value));
  }

  /** Appends a name: its UTF-8 byte length, then the bytes. */
  name(text: string): this {
    const encoded = utf8.encode(text);
    return this.u32(encoded.length).bytes(encoded);
  }

  /** Appends a length-prefixed byte vector. */
  byteVector(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }

  /** Appends a vector: its element count, then each element written by `write`. */
  vector<T>(items: readonly T[], write: (writer: this, item: T) => void): this {
    this.u32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
