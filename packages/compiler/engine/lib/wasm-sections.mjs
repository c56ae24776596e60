/** Just enough of the wasm binary format to list imports/exports and add a custom section. */

const SECTION_CUSTOM = 0;
const SECTION_IMPORT = 2;
const SECTION_EXPORT = 7;
const EXTERNAL_KINDS = ['func', 'table', 'memory', 'global', 'tag'];

function encodeUnsigned(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

class Reader {
  constructor(bytes, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
  }
  byte() {
    return this.bytes[this.offset++];
  }
  unsigned() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }
  name() {
    const length = this.unsigned();
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }
  skipLimits() {
    const flags = this.byte();
    this.unsigned();
    if (flags & 1) this.unsigned();
  }
}

/** Iterates the sections: { id, start (payload offset), end, name (custom sections) }. */
export function* sections(bytes) {
  const reader = new Reader(bytes, 8);
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.unsigned();
    const start = reader.offset;
    const section = { id, start, end: start + size };
    if (id === SECTION_CUSTOM) section.name = new Reader(bytes, start).name();
    yield section;
    reader.offset = start + size;
  }
}

/** The module's imports as `module.name (kind)` strings. */
export function listImports(bytes) {
  const imports = [];
  for (const section of sections(bytes)) {
    if (section.id !== SECTION_IMPORT) continue;
    const reader = new Reader(bytes, section.start);
    for (let count = reader.unsigned(); count > 0; count--) {
      const module = reader.name();
      const name = reader.name();
      const kind = reader.byte();
      if (kind === 0) reader.unsigned();
      else if (kind === 1) {
        reader.byte();
        reader.skipLimits();
      } else if (kind === 2) reader.skipLimits();
      else if (kind === 3) {
        reader.byte();
        reader.byte();
      } else reader.unsigned();
      imports.push({ module, name, kind: EXTERNAL_KINDS[kind] ?? String(kind) });
    }
  }
  return imports;
}

/** The module's exports as { name, kind }. */
export function listExports(bytes) {
  const exports = [];
  for (const section of sections(bytes)) {
    if (section.id !== SECTION_EXPORT) continue;
    const reader = new Reader(bytes, section.start);
    for (let count = reader.unsigned(); count > 0; count--) {
      const name = reader.name();
      const kind = reader.byte();
      reader.unsigned();
      exports.push({ name, kind: EXTERNAL_KINDS[kind] ?? String(kind) });
    }
  }
  return exports;
}

/** Returns a copy of the module with `name` custom sections removed and one holding `payload` appended. */
export function withCustomSection(bytes, name, payload) {
  const kept = [bytes.subarray(0, 8)];
  let previousEnd = 8;
  for (const section of sections(bytes)) {
    if (section.id === SECTION_CUSTOM && section.name === name) {
      // Drop the whole section: its header starts where the previous one ended.
      previousEnd = section.end;
      continue;
    }
    kept.push(bytes.subarray(previousEnd, section.end));
    previousEnd = section.end;
  }
  const nameBytes = new TextEncoder().encode(name);
  const body = [...encodeUnsigned(nameBytes.length), ...nameBytes, ...payload];
  kept.push(Uint8Array.from([SECTION_CUSTOM, ...encodeUnsigned(body.length), ...body]));
  return Buffer.concat(kept);
}
