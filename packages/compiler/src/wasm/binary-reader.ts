import { decodeSigned, decodeUnsigned } from './leb128.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Cursor over WebAssembly binary data; every read checks bounds and throws `RangeError` past the end. */
export class BinaryReader {
  /** Current offset into `bytes`. */
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
    private readonly end = bytes.length,
  ) {
    this.offset = offset;
  }

  /** True when every byte up to the end has been read. */
  get done(): boolean {
    return this.offset >= this.end;
  }

  /** Reads one byte. */
  byte(): number {
    if (this.offset >= this.end) throw new RangeError(`unexpected end of data at offset ${this.offset}`);
    return this.bytes[this.offset++]!;
  }

  /** Reads an unsigned LEB128 u32. */
  u32(): number {
    const { value, next } = decodeUnsigned(this.bytes, this.offset);
    this.offset = this.check(next);
    return value;
  }

  /** Reads a signed LEB128 i32. */
  i32(): number {
    const { value, next } = decodeSigned(this.bytes, this.offset);
    this.offset = this.check(next);
    return value;
  }

  /** Skips an unsigned LEB128 of any width (used for u64 limits of 64-bit memories). */
  skipLeb(): void {
    while (this.byte() & 0x80) {
      // continuation bit set: keep going
    }
  }

  /** Reads `length` raw bytes (a view, not a copy). */
  take(length: number): Uint8Array {
    const start = this.offset;
    this.offset = this.check(start + length);
    return this.bytes.subarray(start, start + length);
  }

  /** Reads a length-prefixed UTF-8 name. */
  name(): string {
    return utf8.decode(this.take(this.u32()));
  }

  private check(next: number): number {
    if (next > this.end) throw new RangeError(`unexpected end of data at offset ${this.offset}`);
    return next;
  }
}
