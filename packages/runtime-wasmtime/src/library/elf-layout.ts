import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const ELF_HEADER_BYTES = 64;
const PROGRAM_HEADER_MIN_BYTES = 56;
const SHARED_OBJECT = 3;
const PT_NULL = 0;
/** `e_machine` values of the architectures Node runs on as ELF. */
const MACHINES: Partial<Record<NodeJS.Architecture, number>> = { x64: 62, arm64: 183 };

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

/**
 * Checks that an ELF shared object is whole before the dynamic loader maps it: a 64-bit
 * little-endian shared object for this CPU whose program headers, segments and section header
 * table all lie inside the file. The loader maps segments past the end of a truncated file and
 * the process dies with SIGBUS on first touch, so this must run before `dlopen`. Reads only the
 * headers. Returns what is wrong, or `undefined` when the layout is sound (or the file is not
 * ELF on a platform whose libraries are not ELF).
 */
export function elfLayoutProblem(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const header = readAt(fd, ELF_HEADER_BYTES, 0);
    const isElf = header.byteLength >= ELF_MAGIC.byteLength && header.subarray(0, 4).equals(ELF_MAGIC);
    if (!isElf) {
      return process.platform === 'linux' ? 'it is not an ELF shared library' : undefined;
    }
    if (header.byteLength < ELF_HEADER_BYTES) return `it is truncated (${size} bytes, no whole ELF header)`;
    if (header[4] !== 2 || header[5] !== 1) return 'it is not a 64-bit little-endian ELF library';
    if (header.readUInt16LE(0x10) !== SHARED_OBJECT) return 'it is an ELF file but not a shared library';
    const machine = MACHINES[process.arch];
    if (machine !== undefined && header.readUInt16LE(0x12) !== machine) {
      return `it is built for another CPU (ELF machine ${header.readUInt16LE(0x12)}, this is ${process.arch})`;
    }
    const programOffset = Number(header.readBigUInt64LE(0x20));
    const sectionOffset = Number(header.readBigUInt64LE(0x28));
    const programEntryBytes = header.readUInt16LE(0x36);
    const programCount = header.readUInt16LE(0x38);
    const sectionEntryBytes = header.readUInt16LE(0x3a);
    const sectionCount = header.readUInt16LE(0x3c);
    const truncated = (what: string, end: number) =>
      `it is truncated or corrupt: its ${what} ends at byte ${end} but the file has ${size} bytes`;
    if (programCount === 0 || programEntryBytes < PROGRAM_HEADER_MIN_BYTES) {
      return 'its ELF program header table is missing or malformed';
    }
    const programEnd = programOffset + programCount * programEntryBytes;
    if (programEnd > size) return truncated('program header table', programEnd);
    const programs = readAt(fd, programCount * programEntryBytes, programOffset);
    for (let index = 0; index < programCount; index++) {
      const entry = programs.subarray(index * programEntryBytes);
      if (entry.readUInt32LE(0) === PT_NULL) continue;
      const end = Number(entry.readBigUInt64LE(8)) + Number(entry.readBigUInt64LE(32));
      if (end > size) return truncated(`segment ${index}`, end);
    }
    if (sectionOffset !== 0) {
      const sectionEnd = sectionOffset + sectionCount * sectionEntryBytes;
      if (sectionEnd > size) return truncated('section header table', sectionEnd);
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
