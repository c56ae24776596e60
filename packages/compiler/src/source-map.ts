/** A version 3 source map, as esbuild and most tools write it. */
export interface RawSourceMap {
  version: number;
  sources: string[];
  mappings: string;
  names?: string[];
  file?: string;
  sourceRoot?: string;
}

/** A position in an original source file; line and column are 1-based. */
export interface OriginalPosition {
  source: string;
  line: number;
  column: number;
}

/** One decoded mapping segment: generated column, source index, original line, original column (0-based). */
type Segment = readonly [number, number, number, number];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map([...BASE64].map((character, index) => [character, index]));

/** `file:line` or `file:line:column` inside a stack frame. */
const FRAME_LOCATION = /([^\s():@]+):(\d+)(?::(\d+))?/g;

/**
 * Maps generated JavaScript positions back to the original source through a source map.
 *
 * @example
 * const { code, sourceMap } = transpileTypeScript(ts, { filename: 'main.ts' });
 * const mapper = new SourceMapper({ sourceMap, fileName: 'main.ts' });
 * mapper.mapStack('Error: boom\n    at f (main.ts:2:9)'); // positions now point into the .ts source
 */
export class SourceMapper {
  private readonly lines: Segment[][];
  private readonly sources: string[];
  private readonly fileName: string | undefined;

  constructor(options: {
    /** The source map, as JSON text or parsed. */
    sourceMap: string | RawSourceMap;
    /** Only rewrite stack locations in this file; default: every location. */
    fileName?: string;
  }) {
    const map: RawSourceMap =
      typeof options.sourceMap === 'string'
        ? (JSON.parse(options.sourceMap) as RawSourceMap)
        : options.sourceMap;
    if (map.version !== 3 || typeof map.mappings !== 'string' || !Array.isArray(map.sources)) {
      throw new TypeError('not a version 3 source map');
    }
    this.sources = map.sources;
    this.lines = decodeMappings(map.mappings);
    this.fileName = options.fileName;
  }

  /**
   * The original position of a generated 1-based `line`/`column`; without a column, the first
   * mapping on that line. `undefined` when the line has no mapping.
   */
  originalPosition(line: number, column?: number): OriginalPosition | undefined {
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let chosen = segments[0]!;
    if (column !== undefined) {
      for (const segment of segments) {
        if (segment[0] > column - 1) break;
        chosen = segment;
      }
    }
    return { source: this.sources[chosen[1]] ?? '', line: chosen[2] + 1, column: chosen[3] + 1 };
  }

  /** Rewrites every `file:line[:column]` in a stack trace (or message) to the original position. */
  mapStack(stack: string): string {
    return stack.replace(FRAME_LOCATION, (whole, file: string, lineText: string, columnText?: string) => {
      if (this.fileName !== undefined && file !== this.fileName) return whole;
      const position = this.originalPosition(
        Number(lineText),
        columnText === undefined ? undefined : Number(columnText),
      );
      if (!position) return whole;
      const name = this.fileName ?? (position.source || file);
      return columnText === undefined
        ? `${name}:${position.line}`
        : `${name}:${position.line}:${position.column}`;
    });
  }
}

/**
 * Rewrites the locations in `stack` from generated JavaScript back to the original source.
 * `fileName` limits the rewrite to frames of that file.
 *
 * @example
 * mapStackToSource(result.stack, sourceMap, { fileName: 'main.ts' });
 */
export function mapStackToSource(
  stack: string,
  sourceMap: string | RawSourceMap,
  options: { fileName?: string } = {},
): string {
  return new SourceMapper({ sourceMap, ...options }).mapStack(stack);
}

function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const values = decodeVlq(segmentText);
      generatedColumn += values[0] ?? 0;
      if (values.length >= 4) {
        source += values[1]!;
        originalLine += values[2]!;
        originalColumn += values[3]!;
        segments.push([generatedColumn, source, originalLine, originalColumn]);
      }
    }
    segments.sort((a, b) => a[0] - b[0]);
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of text) {
    const digit = BASE64_VALUES.get(character);
    if (digit === undefined) throw new TypeError(`invalid base64 VLQ character ${JSON.stringify(character)}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  return values;
}
