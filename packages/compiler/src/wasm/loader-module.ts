import { BinaryWriter } from './binary-writer.js';
import { ExternalKind, Opcode, SectionId, ValueType, WASM_HEADER } from './format.js';
import { encodeFunctionType } from './function-type.js';
import { buildSection, concatBytes } from './section-writer.js';

/** Name of the loader's one export: `jsbox-run(bytecode_ptr, bytecode_len)`. */
export const LOADER_RUN_EXPORT = 'jsbox-run';

const I32 = ValueType.i32;

/**
 * Builds the program loader: a dynamic module like {@link buildDynamicModule}'s, importing the
 * engine plugin's `invoke` from its namespace, but carrying no bytecode. Its export
 * `jsbox-run(ptr, len)` calls `invoke(ptr, len, 0, 0, 0)` on bytecode the host has already
 * placed in the plugin's memory (allocated with the plugin's `cabi_realloc`).
 *
 * Because its bytes never change, a host compiles it once and runs every program through it,
 * instead of compiling a new dynamic module (about 1 ms of Cranelift in wasmtime) per source.
 */
export function buildLoaderModule(namespace: string): Uint8Array {
  const types = buildSection(SectionId.type, (writer) => {
    writer.u32(2);
    writer.bytes(encodeFunctionType([I32, I32, I32, I32, I32], []));
    writer.bytes(encodeFunctionType([I32, I32], []));
  });
  const imports = buildSection(SectionId.import, (writer) => {
    writer.u32(1).name(namespace).name('invoke').byte(ExternalKind.function).u32(0);
  });
  const functions = buildSection(SectionId.function, (writer) => writer.u32(1).u32(1));
  const exports = buildSection(SectionId.export, (writer) => {
    writer.u32(1).name(LOADER_RUN_EXPORT).byte(ExternalKind.function).u32(1);
  });
  const body = new BinaryWriter();
  body.u32(0); // no locals
  body.byte(Opcode.localGet).u32(0);
  body.byte(Opcode.localGet).u32(1);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.i32Const).i32(0);
  body.byte(Opcode.call).u32(0);
  body.byte(Opcode.end);
  const code = buildSection(SectionId.code, (writer) =>
    writer.u32(1).bytes(new BinaryWriter().byteVector(body.finish()).finish()),
  );
  return concatBytes([Uint8Array.from(WASM_HEADER), types, imports, functions, exports, code]);
}
