import { CompileError, findLoneSurrogate } from '@jsbox/core';
import { locationAt } from './source-location.js';

/**
 * Rejects source text that no engine should be given: empty, larger than `maxCodeBytes`
 * (UTF-8), containing NUL characters or lone UTF-16 surrogates (not valid Unicode, so not
 * representable in UTF-8). Throws {@link CompileError} (with the location where it applies).
 */
export function checkSourceText(source: string, maxCodeBytes: number): void {
  if (source.trim() === '') throw new CompileError('The source is empty; give at least one statement');
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > maxCodeBytes) {
    throw new CompileError(`The source is ${bytes} bytes; the limit is ${maxCodeBytes} bytes (maxCodeBytes)`);
  }
  const nul = source.indexOf('\0');
  if (nul !== -1) {
    throw new CompileError(
      'The source contains a NUL character, which is not allowed',
      locationAt(source, nul),
    );
  }
  const surrogate = findLoneSurrogate(source);
  if (surrogate !== -1) {
    throw new CompileError(
      'The source is not valid Unicode: it contains a lone UTF-16 surrogate',
      locationAt(source, surrogate),
    );
  }
}
