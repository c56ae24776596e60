import type { DescribedError } from '@jsbox/core';

/** Stack frames kept in a guest error (a stack overflow would otherwise list thousands). */
export const MAX_STACK_FRAMES = 40;
/** Characters kept of a guest error's message. */
export const MAX_ERROR_MESSAGE_CHARS = 16_384;

/** Bounds a guest error's message and stack so a hostile error cannot bloat the result. */
export function trimDescribedError(error: DescribedError): DescribedError {
  const message =
    error.message.length > MAX_ERROR_MESSAGE_CHARS
      ? `${error.message.slice(0, MAX_ERROR_MESSAGE_CHARS)}... (${error.message.length - MAX_ERROR_MESSAGE_CHARS} more characters)`
      : error.message;
  if (error.stack === undefined) return { name: error.name, message };
  const lines = error.stack.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kept = lines.slice(0, MAX_STACK_FRAMES).map((line) => line.slice(0, 1000));
  if (lines.length > MAX_STACK_FRAMES) kept.push(`    ... ${lines.length - MAX_STACK_FRAMES} more frames`);
  return { name: error.name, message, stack: `${kept.join('\n')}\n` };
}
