import {
  compressSource,
  encodeProducers,
  PRODUCERS_SECTION_NAME,
  type ProducersFields,
  SOURCE_SECTION_NAME,
} from './custom-sections.js';
import { ExternalKind, SectionId, ValueType, WASM_HEADER } from './format.js';
import { encodeFunctionType } from './function-type.js';
import { buildSection, concatBytes, encodeCustomSection } from './section-writer.js';
import { encodePassiveSegment, encodeStartFunctionBody } from './start-function.js';

/** Input of {@link buildDynamicModule}. */
export interface DynamicModuleOptions {
  /** QuickJS bytecode produced by the engine plugin. */
  bytecode: Uint8Array;
  /** The plugin's import namespace (e.g. `jsbox-engine-v1`). */
  namespace: string;
  /** When set, embedded brotli-compressed as the `javy_source` custom section. */
  source?: string;
  /** Contents of the `producers` section. */
  producers: ProducersFields;
}

const I32 = ValueType.i32;

/**
 * Builds a dynamic module: a tiny WASI command that imports `cabi_realloc`, `invoke` and
 * `memory` from the engine plugin's namespace and whose `_start` runs the embedded bytecode.
 *
 * Function indices: 0 = imported `cabi_realloc`, 1 = imported `invoke`, 2 = `_start`.
 */
export function buildDynamicModule(options: DynamicModuleOptions): Uint8Array {
  const { bytecode, namespace } = options;
  const types = buildSection(SectionId.type, (writer) => {
    writer.u32(3);
    writer.bytes(encodeFunctionType([I32, I32, I32, I32], [I32]));
    writer.bytes(encodeFunctionType([I32, I32, I32, I32, I32], []));
    writer.bytes(encodeFunctionType([], []));
  });
  const imports = buildSection(SectionId.import, (writer) => {
    writer.u32(3);
    writer.name(namespace).name('cabi_realloc').byte(ExternalKind.function).u32(0);
    writer.name(namespace).name('invoke').byte(ExternalKind.function).u32(1);
    // memory with limits {min: 0}, no maximum
    writer.name(namespace).name('memory').byte(ExternalKind.memory).byte(0x00).u32(0);
  });
  const functions = buildSection(SectionId.function, (writer) => writer.u32(1).u32(2));
  const exports = buildSection(SectionId.export, (writer) => {
    writer.u32(1).name('_start').byte(ExternalKind.function).u32(2);
  });
  const dataCount = buildSection(SectionId.dataCount, (writer) => writer.u32(1));
  const code = buildSection(SectionId.code, (writer) => {
    writer.u32(1).bytes(
      encodeStartFunctionBody({
        reallocIndex: 0,
        invokeIndex: 1,
        dataIndex: 0,
        bytecodeLength: bytecode.length,
      }),
    );
  });
  const data = buildSection(SectionId.data, (writer) => writer.u32(1).bytes(encodePassiveSegment(bytecode)));
  const parts = [
    Uint8Array.from(WASM_HEADER),
    types,
    imports,
    functions,
    exports,
    dataCount,
    code,
    data,
    encodeCustomSection(PRODUCERS_SECTION_NAME, encodeProducers(options.producers)),
  ];
  if (options.source !== undefined) {
    parts.push(encodeCustomSection(SOURCE_SECTION_NAME, compressSource(options.source)));
  }
  return concatBytes(parts);
}
