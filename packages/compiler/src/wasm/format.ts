/** Constants of the WebAssembly binary format (core spec 2.0) that jsbox's module writer uses. */

/** `\0asm` followed by version 1. */
export const WASM_HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Section ids. */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/**
 * Where each known section must appear, as a rank (the binary format fixes their order;
 * `tag` sits between memory and global). Custom sections may appear anywhere.
 */
export const SECTION_ORDER: Readonly<Record<number, number>> = {
  [SectionId.type]: 1,
  [SectionId.import]: 2,
  [SectionId.function]: 3,
  [SectionId.table]: 4,
  [SectionId.memory]: 5,
  [SectionId.tag]: 6,
  [SectionId.global]: 7,
  [SectionId.export]: 8,
  [SectionId.start]: 9,
  [SectionId.element]: 10,
  [SectionId.dataCount]: 11,
  [SectionId.code]: 12,
  [SectionId.data]: 13,
};

/** Value types. */
export const ValueType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
} as const;

/** External kinds in import/export descriptors. */
export const ExternalKind = { function: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

/** The opcodes the generated `_start` bodies use. */
export const Opcode = {
  end: 0x0b,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  /** Prefix of the bulk-memory instructions below. */
  prefixFc: 0xfc,
  /** `memory.init` sub-opcode (after 0xfc). */
  memoryInit: 8,
  /** `data.drop` sub-opcode (after 0xfc). */
  dataDrop: 9,
} as const;

/** Type-section marker of a function type. */
export const FUNCTION_TYPE_FORM = 0x60;

/** Data segment flag of a passive segment. */
export const PASSIVE_DATA_SEGMENT = 0x01;
