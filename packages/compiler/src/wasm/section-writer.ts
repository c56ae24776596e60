import { BinaryWriter } from './binary-writer.js';
import { SectionId } from './format.js';

/** Encodes a section: id, payload size, payload. */
export function encodeSection(id: number, payload: Uint8Array): Uint8Array {
  return new BinaryWriter().byte(id).byteVector(payload).finish();
}

/** Encodes a custom section with the given name and content. */
export function encodeCustomSection(name: string, content: Uint8Array): Uint8Array {
  return encodeSection(SectionId.custom, new BinaryWriter().name(name).bytes(content).finish());
}

/** Builds a section payload with `build` and encodes it as a section. */
export function buildSection(id: number, build: (writer: BinaryWriter) => void): Uint8Array {
  const writer = new BinaryWriter();
  build(writer);
  return encodeSection(id, writer.finish());
}

/** Concatenates encoded parts into one buffer. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
