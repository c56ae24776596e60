/** What jsbox needs to know about a module before running it, read without compiling it. */
export interface ModuleInfo {
  imports: Array<{ module: string; name: string }>;
  exports: string[];
  /** Custom sections by name (the first of each name). */
  customSections: Map<string, Uint8Array>;
}

/** Why bytes are not a runnable core module. */
export class NotAModuleError extends Error {}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.offset >= this.bytes.byteLength) throw new NotAModuleError('the module is truncated');
    return this.bytes[this.offset++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new NotAModuleError('malformed LEB128 number');
    }
  }
  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.byteLength) throw new NotAModuleError('the module is truncated');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
  name(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.take(this.u32()));
  }
}

function skipImportDescription(reader: Reader, kind: number): void {
  const limits = () => {
    const flags = reader.u32();
    reader.u32();
    if (flags & 1) reader.u32();
  };
  if (kind === 0)
    reader.u32(); // function type index
  else if (kind === 1) {
    reader.byte(); // table element type
    limits();
  } else if (kind === 2) limits();
  else if (kind === 3) {
    reader.byte(); // value type
    reader.byte(); // mutability
  } else if (kind === 4) {
    reader.byte(); // tag attribute
    reader.u32();
  } else throw new NotAModuleError(`unknown import kind ${kind}`);
}

/**
 * Reads the import and export names and custom sections of a core module. Throws
 * {@link NotAModuleError} for anything else (not wasm, a component, truncated).
 */
export function readModuleInfo(bytes: Uint8Array): ModuleInfo {
  if (bytes.byteLength < 8 || MAGIC.some((value, index) => bytes[index] !== value)) {
    throw new NotAModuleError('the bytes are not WebAssembly (no \\0asm header)');
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new NotAModuleError(
      bytes[6] === 1
        ? 'the bytes are a WebAssembly component, not a core module'
        : 'unsupported WebAssembly version',
    );
  }
  const info: ModuleInfo = { imports: [], exports: [], customSections: new Map() };
  const reader = new Reader(bytes);
  reader.offset = 8;
  while (reader.offset < bytes.byteLength) {
    const id = reader.byte();
    const size = reader.u32();
    const section = new Reader(reader.take(size));
    if (id === 0) {
      const name = section.name();
      if (!info.customSections.has(name))
        info.customSections.set(name, section.bytes.subarray(section.offset));
    } else if (id === 2) {
      const count = section.u32();
      for (let index = 0; index < count; index++) {
        const module = section.name();
        const name = section.name();
        skipImportDescription(section, section.byte());
        info.imports.push({ module, name });
      }
    } else if (id === 7) {
      const count = section.u32();
      for (let index = 0; index < count; index++) {
        info.exports.push(section.name());
        section.byte();
        section.u32();
      }
    }
  }
  return info;
}

/** The plugin's import namespace (custom section `import_namespace`), if it has one. */
export function importNamespaceOf(info: ModuleInfo): string | undefined {
  const section = info.customSections.get('import_namespace');
  return section ? new TextDecoder().decode(section) : undefined;
}
