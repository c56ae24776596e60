import { BinaryReader } from './binary-reader.js';
import { ExternalKind, SectionId, WASM_HEADER } from './format.js';

/** One section of a module as found in the binary: its id, its payload bytes and, for custom sections, its name. */
export interface RawSection {
  id: number;
  /** The whole payload (for custom sections: including the name). */
  payload: Uint8Array;
  /** Custom sections only: the section name. */
  name?: string;
  /** Custom sections only: the bytes after the name. */
  content?: Uint8Array;
}

/** An import as listed in the import section. */
export interface ImportEntry {
  module: string;
  name: string;
  kind: number;
}

/** An export as listed in the export section. */
export interface ExportEntry {
  name: string;
  kind: number;
  index: number;
}

/** Splits a module into its sections; throws `RangeError` on a malformed header or section framing. */
export function readSections(bytes: Uint8Array): RawSection[] {
  if (bytes.length < 8 || WASM_HEADER.some((value, index) => bytes[index] !== value)) {
    throw new RangeError('not a WebAssembly module (bad magic number or version)');
  }
  const reader = new BinaryReader(bytes, 8);
  const sections: RawSection[] = [];
  while (!reader.done) {
    const id = reader.byte();
    const payload = reader.take(reader.u32());
    if (id === SectionId.custom) {
      const inner = new BinaryReader(payload);
      const name = inner.name();
      sections.push({ id, payload, name, content: payload.subarray(inner.offset) });
    } else {
      sections.push({ id, payload });
    }
  }
  return sections;
}

/** The element count at the start of a vector-shaped section payload. */
export function readVectorCount(payload: Uint8Array): { count: number; rest: Uint8Array } {
  const reader = new BinaryReader(payload);
  const count = reader.u32();
  return { count, rest: payload.subarray(reader.offset) };
}

/** Parses an import section payload. */
export function readImports(payload: Uint8Array): ImportEntry[] {
  const reader = new BinaryReader(payload);
  const entries: ImportEntry[] = [];
  for (let remaining = reader.u32(); remaining > 0; remaining--) {
    const module = reader.name();
    const name = reader.name();
    const kind = reader.byte();
    skipImportDescriptor(reader, kind);
    entries.push({ module, name, kind });
  }
  return entries;
}

/** Parses an export section payload. */
export function readExports(payload: Uint8Array): ExportEntry[] {
  const reader = new BinaryReader(payload);
  const entries: ExportEntry[] = [];
  for (let remaining = reader.u32(); remaining > 0; remaining--) {
    entries.push({ name: reader.name(), kind: reader.byte(), index: reader.u32() });
  }
  return entries;
}

function skipImportDescriptor(reader: BinaryReader, kind: number): void {
  switch (kind) {
    case ExternalKind.function:
      reader.u32();
      return;
    case ExternalKind.table:
      reader.byte();
      skipLimits(reader);
      return;
    case ExternalKind.memory:
      skipLimits(reader);
      return;
    case ExternalKind.global:
      reader.byte();
      reader.byte();
      return;
    case ExternalKind.tag:
      reader.byte();
      reader.u32();
      return;
    default:
      throw new RangeError(`unknown import kind ${kind}`);
  }
}

function skipLimits(reader: BinaryReader): void {
  const flags = reader.byte();
  reader.skipLeb();
  if (flags & 0x01) reader.skipLeb();
}
