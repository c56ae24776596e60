import { brotliCompressSync, constants } from 'node:zlib';
import { BinaryWriter } from './binary-writer.js';

/** Name of the custom section that carries the brotli-compressed JavaScript source (Javy's convention). */
export const SOURCE_SECTION_NAME = 'javy_source';

/** Name of the plugin's custom section that holds its import namespace. */
export const IMPORT_NAMESPACE_SECTION_NAME = 'import_namespace';

/** Name of the tool-conventions `producers` custom section. */
export const PRODUCERS_SECTION_NAME = 'producers';

/** What goes into a `producers` section: field name -> list of `[name, version]`. */
export type ProducersFields = Readonly<Record<string, ReadonlyArray<readonly [string, string]>>>;

/** Encodes the content of a `producers` custom section (tool-conventions format). */
export function encodeProducers(fields: ProducersFields): Uint8Array {
  return new BinaryWriter()
    .vector(Object.entries(fields), (writer, [field, values]) => {
      writer.name(field).vector(values, (inner, [name, version]) => {
        inner.name(name).name(version);
      });
    })
    .finish();
}

/** The brotli-compressed UTF-8 source for a `javy_source` section. */
export function compressSource(source: string): Uint8Array {
  const compressed = brotliCompressSync(Buffer.from(source, 'utf8'), {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
  });
  return new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength);
}
