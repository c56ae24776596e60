import type { DescribedError } from './outcome.js';

/** Stack lines kept in a reported guest error (a stack overflow would otherwise list thousands). */
export const MAX_ERROR_STACK_FRAMES = 40;
/** Characters kept of each kept stack line. */
export const MAX_ERROR_STACK_LINE_CHARS = 1000;
/** Characters kept of a reported guest error's message. */
export const MAX_ERROR_MESSAGE_CHARS = 16_384;
/** Characters kept of a reported guest error's name. */
export const MAX_ERROR_NAME_CHARS = 256;

function cut(text: string, maxChars: number): string {
  return text.length > maxChars
    ? `${text.slice(0, maxChars)}... (${text.length - maxChars} more characters)`
    : text;
}

/**
 * Bounds a guest error before it becomes part of a result, the same way on every backend: at
 * most {@link MAX_ERROR_STACK_FRAMES} stack lines of at most {@link MAX_ERROR_STACK_LINE_CHARS}
 * characters (then a `... N more frames` line), a message of at most
 * {@link MAX_ERROR_MESSAGE_CHARS} characters and a name of at most {@link MAX_ERROR_NAME_CHARS}.
 * The guest's own error object is untouched; only the report is cut.
 *
 * @example
 * trimDescribedError({ name: 'RangeError', message: 'stack overflow', stack: deepStack }).stack
 * // '    at f (main.js:1:22)\n ... (40 lines)\n    ... 2936 more frames\n'
 */
export function trimDescribedError(error: DescribedError): DescribedError {
  const name = cut(error.name, MAX_ERROR_NAME_CHARS);
  const message = cut(error.message, MAX_ERROR_MESSAGE_CHARS);
  if (error.stack === undefined) return { name, message };
  const lines = error.stack.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (
    lines.length <= MAX_ERROR_STACK_FRAMES &&
    lines.every((line) => line.length <= MAX_ERROR_STACK_LINE_CHARS)
  )
    return { name, message, stack: error.stack };
  const kept = lines.slice(0, MAX_ERROR_STACK_FRAMES).map((line) => cut(line, MAX_ERROR_STACK_LINE_CHARS));
  if (lines.length > MAX_ERROR_STACK_FRAMES)
    kept.push(`    ... ${lines.length - MAX_ERROR_STACK_FRAMES} more frames`);
  return { name, message, stack: `${kept.join('\n')}\n` };
}
