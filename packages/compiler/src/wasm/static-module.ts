import { BinaryWriter } from './binary-writer.js';
import {
  compressSource,
  encodeProducers,
  PRODUCERS_SECTION_NAME,
  type ProducersFields,
  SOURCE_SECTION_NAME,
} from './custom-sections.js';
import { ExternalKind, SectionId, WASM_HEADER } from './format.js';
import { encodeFunctionType } from './function-type.js';
import {
  type ExportEntry,
  type RawSection,
  readExports,
  readImports,
  readSections,
  readVectorCount,
} from './module-reader.js';
import { buildSection, concatBytes, encodeCustomSection, encodeSection } from './section-writer.js';
import { encodePassiveSegment, encodeStartFunctionBody } from './start-function.js';

/** Input of {@link buildStaticModule}. */
export interface StaticModuleOptions {
  /** The pre-initialised engine plugin module. */
  plugin: Uint8Array;
  /** QuickJS bytecode produced by that plugin. */
  bytecode: Uint8Array;
  /** When set, embedded brotli-compressed as the `javy_source` custom section. */
  source?: string;
  /** Contents of a `producers` section, added when the plugin carries none. */
  producers?: ProducersFields;
  /**
   * Keep only these exports (plus `_start`); default: keep every export of the plugin.
   * Componentisation uses this to hide the plugin ABI behind the command world.
   */
  keepExports?: readonly string[];
}

/** Exports whose re-running would undo the pre-initialisation snapshot; a static module drops them. */
const DROPPED_EXPORTS = new Set(['_initialize']);

/**
 * Rewrites the engine plugin into a self-contained WASI command: the bytecode becomes one more
 * passive data segment (DataCount added or updated), a new `_start` function calls the plugin's
 * own `cabi_realloc` and `invoke` by index, and `_start` is exported. Existing functions, data
 * and custom sections (such as `import_namespace`) are kept byte for byte; nothing is renumbered.
 *
 * Throws `RangeError` if `plugin` is not a module with the plugin ABI.
 */
export function buildStaticModule(options: StaticModuleOptions): Uint8Array {
  const sections = readSections(options.plugin);
  const find = (id: number) => sections.find((section) => section.id === id);
  const exportSection = find(SectionId.export);
  if (!exportSection) throw new RangeError('the plugin has no export section');
  const exports = readExports(exportSection.payload);
  const reallocIndex = functionExport(exports, 'cabi_realloc');
  const invokeIndex = functionExport(exports, 'invoke');
  if (exports.some((entry) => entry.name === '_start'))
    throw new RangeError('the plugin already exports _start');

  const importSection = find(SectionId.import);
  const importedFunctions = importSection
    ? readImports(importSection.payload).filter((entry) => entry.kind === ExternalKind.function).length
    : 0;
  const typeCount = countOf(find(SectionId.type));
  const functionCount = countOf(find(SectionId.function));
  const dataCount = countOf(find(SectionId.data));
  const startIndex = importedFunctions + functionCount;
  const body = encodeStartFunctionBody({
    reallocIndex,
    invokeIndex,
    dataIndex: dataCount,
    bytecodeLength: options.bytecode.length,
  });

  const keep = options.keepExports ? new Set(options.keepExports) : undefined;
  const keptExports = exports.filter(
    (entry) => !DROPPED_EXPORTS.has(entry.name) && (keep === undefined || keep.has(entry.name)),
  );
  const replacements = new Map<number, Uint8Array>([
    [SectionId.type, appendToVector(SectionId.type, find(SectionId.type), encodeFunctionType([], []))],
    [
      SectionId.function,
      appendToVector(
        SectionId.function,
        find(SectionId.function),
        new BinaryWriter().u32(typeCount).finish(),
      ),
    ],
    [
      SectionId.export,
      buildSection(SectionId.export, (writer) => {
        writer.vector(
          [...keptExports, { name: '_start', kind: ExternalKind.function, index: startIndex }],
          (w, entry) => {
            w.name(entry.name).byte(entry.kind).u32(entry.index);
          },
        );
      }),
    ],
    [SectionId.dataCount, buildSection(SectionId.dataCount, (writer) => writer.u32(dataCount + 1))],
    [SectionId.code, appendToVector(SectionId.code, find(SectionId.code), body)],
    [
      SectionId.data,
      appendToVector(SectionId.data, find(SectionId.data), encodePassiveSegment(options.bytecode)),
    ],
  ]);

  const parts: Uint8Array[] = [Uint8Array.from(WASM_HEADER)];
  const emitted = new Set<number>();
  const emit = (id: number) => {
    if (emitted.has(id)) return;
    emitted.add(id);
    const replacement = replacements.get(id);
    if (replacement) parts.push(replacement);
  };
  for (const section of sections) {
    if (section.id === SectionId.custom) {
      parts.push(encodeSection(section.id, section.payload));
      continue;
    }
    // sections the plugin lacks are inserted where the binary format wants them
    if (section.id === SectionId.code) emit(SectionId.dataCount);
    if (section.id === SectionId.data) emit(SectionId.code);
    if (replacements.has(section.id)) emit(section.id);
    else parts.push(encodeSection(section.id, section.payload));
    if (section.id === SectionId.code) emit(SectionId.data);
  }
  for (const id of [SectionId.type, SectionId.function, SectionId.export, SectionId.code]) {
    if (!emitted.has(id)) throw new RangeError(`the plugin has no ${sectionName(id)} section`);
  }
  if (options.producers && !sections.some((section) => section.name === PRODUCERS_SECTION_NAME)) {
    parts.push(encodeCustomSection(PRODUCERS_SECTION_NAME, encodeProducers(options.producers)));
  }
  if (options.source !== undefined) {
    parts.push(encodeCustomSection(SOURCE_SECTION_NAME, compressSource(options.source)));
  }
  return concatBytes(parts);
}

function functionExport(exports: readonly ExportEntry[], name: string): number {
  const entry = exports.find(
    (candidate) => candidate.name === name && candidate.kind === ExternalKind.function,
  );
  if (!entry) throw new RangeError(`the plugin does not export function ${name}`);
  return entry.index;
}

function countOf(section: RawSection | undefined): number {
  return section ? readVectorCount(section.payload).count : 0;
}

function appendToVector(id: number, section: RawSection | undefined, entry: Uint8Array): Uint8Array {
  const { count, rest } = section ? readVectorCount(section.payload) : { count: 0, rest: new Uint8Array() };
  return buildSection(id, (writer) =>
    writer
      .u32(count + 1)
      .bytes(rest)
      .bytes(entry),
  );
}

function sectionName(id: number): string {
  return Object.entries(SectionId).find(([, value]) => value === id)?.[0] ?? String(id);
}
