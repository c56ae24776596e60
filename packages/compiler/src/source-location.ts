/** A 1-based position in a text. */
export interface SourceLocation {
  line: number;
  column: number;
}

/** The 1-based line and column (in UTF-16 code units) of `index` in `text`. */
export function locationAt(text: string, index: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let position = 0; position < index; position++) {
    if (text.charCodeAt(position) === 10) {
      line++;
      lineStart = position + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
