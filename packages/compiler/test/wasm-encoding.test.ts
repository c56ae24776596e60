import { describe, expect, it } from 'vitest';
import { BinaryReader } from '../src/wasm/binary-reader.js';
import { BinaryWriter } from '../src/wasm/binary-writer.js';
import { encodeProducers } from '../src/wasm/custom-sections.js';
import { decodeSigned, decodeUnsigned, encodeSigned, encodeUnsigned } from '../src/wasm/leb128.js';
import { readExports, readImports, readSections } from '../src/wasm/module-reader.js';

describe('LEB128', () => {
  it('encodes the spec examples', () => {
    expect(encodeUnsigned(0)).toEqual([0]);
    expect(encodeUnsigned(127)).toEqual([0x7f]);
    expect(encodeUnsigned(128)).toEqual([0x80, 0x01]);
    expect(encodeUnsigned(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(encodeUnsigned(0xffff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(encodeSigned(-1)).toEqual([0x7f]);
    expect(encodeSigned(63)).toEqual([0x3f]);
    expect(encodeSigned(64)).toEqual([0xc0, 0x00]);
    expect(encodeSigned(-64)).toEqual([0x40]);
    expect(encodeSigned(-65)).toEqual([0xbf, 0x7f]);
    expect(encodeSigned(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('round-trips u32 and i32 boundaries', () => {
    for (const value of [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 31, 0xffff_ffff]) {
      expect(decodeUnsigned(Uint8Array.from(encodeUnsigned(value)), 0)).toEqual({
        value,
        next: encodeUnsigned(value).length,
      });
    }
    for (const value of [0, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 1_000_000, -1_000_000]) {
      expect(decodeSigned(Uint8Array.from(encodeSigned(value)), 0).value).toBe(value);
    }
  });

  it('rejects out-of-range, truncated and overlong input', () => {
    expect(() => encodeUnsigned(-1)).toThrow(RangeError);
    expect(() => encodeUnsigned(2 ** 32)).toThrow(RangeError);
    expect(() => encodeUnsigned(1.5)).toThrow(RangeError);
    expect(() => encodeSigned(2 ** 31)).toThrow(RangeError);
    expect(() => decodeUnsigned(Uint8Array.from([0x80]), 0)).toThrow(/truncated/);
    expect(() => decodeUnsigned(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x1f]), 0)).toThrow(/overflow/);
    expect(() => decodeUnsigned(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), 0)).toThrow(
      RangeError,
    );
  });
});

describe('BinaryWriter / BinaryReader', () => {
  it('writes names, vectors and grows past its initial buffer', () => {
    const big = new Uint8Array(1000).fill(7);
    const writer = new BinaryWriter()
      .name('héllo')
      .vector([1, 300], (w, value) => w.u32(value))
      .byteVector(big)
      .i32(-2);
    const reader = new BinaryReader(writer.finish());
    expect(reader.name()).toBe('héllo');
    expect(reader.u32()).toBe(2);
    expect([reader.u32(), reader.u32()]).toEqual([1, 300]);
    expect(reader.take(reader.u32())).toEqual(big);
    expect(reader.i32()).toBe(-2);
    expect(reader.done).toBe(true);
    expect(() => reader.byte()).toThrow(RangeError);
  });

  it('rejects bad module headers and truncated sections', () => {
    expect(() => readSections(Uint8Array.from([1, 2, 3]))).toThrow(/not a WebAssembly module/);
    expect(() => readSections(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 0]))).toThrow(
      RangeError,
    );
  });

  it('parses import and export sections', () => {
    const imports = new BinaryWriter()
      .u32(3)
      .name('a')
      .name('f')
      .byte(0)
      .u32(0)
      .name('a')
      .name('m')
      .byte(2)
      .byte(1)
      .u32(1)
      .u32(2)
      .name('b')
      .name('g')
      .byte(3)
      .byte(0x7f)
      .byte(0)
      .finish();
    expect(readImports(imports)).toEqual([
      { module: 'a', name: 'f', kind: 0 },
      { module: 'a', name: 'm', kind: 2 },
      { module: 'b', name: 'g', kind: 3 },
    ]);
    const exports = new BinaryWriter().u32(1).name('_start').byte(0).u32(5).finish();
    expect(readExports(exports)).toEqual([{ name: '_start', kind: 0, index: 5 }]);
  });

  it('encodes the producers section in the tool-conventions layout', () => {
    const bytes = encodeProducers({ 'processed-by': [['jsbox', '1.0']] });
    const reader = new BinaryReader(bytes);
    expect(reader.u32()).toBe(1);
    expect(reader.name()).toBe('processed-by');
    expect(reader.u32()).toBe(1);
    expect([reader.name(), reader.name()]).toEqual(['jsbox', '1.0']);
    expect(reader.done).toBe(true);
  });
});
