import type { ExecutionRequest, ExecutionResult } from '@jsbox/core';
import type { SandboxLike } from '../sandbox-like.js';

/** How a program was run. */
export type ProgramMode = 'script' | 'function-body';

/** QuickJS's message for `return` outside a function (both backends run QuickJS). */
const RETURN_OUTSIDE_FUNCTION = /^return not in a function$/;

/**
 * Programs written for memory-mcp's `execute_agent_code` ran as the body of an async function,
 * with `context` in scope, and gave their answer with `return`. jsbox runs scripts (the value of
 * the last expression statement), so, to keep those programs working unchanged:
 *
 * - when the call has `context`, the global `context` is `{ task, input }` (frozen) — set by a
 *   statement on line 1 that has no value of its own, so a script's result is unchanged;
 * - when the program fails to compile only because of a top-level `return`, it is run again as
 *   the body of an async function, whose return value (awaited) is the result.
 *
 * The added text sits on line 1 only, so line numbers are untouched; line-1 columns in errors and
 * stacks are shifted back.
 */
export async function executeAgentProgram(
  sandbox: SandboxLike,
  request: ExecutionRequest,
  context: { task?: string | undefined } | undefined,
  signal: AbortSignal,
): Promise<{ result: ExecutionResult; mode: ProgramMode }> {
  const declaration =
    context === undefined
      ? ''
      : `void (globalThis.context = Object.freeze({ task: ${JSON.stringify(context.task ?? null)}, input }));`;
  const script = await run(sandbox, request, declaration, '', signal);
  if (!isTopLevelReturn(script)) return { result: script, mode: 'script' };
  const body = await run(sandbox, request, `(async () => {${declaration}`, '\n})()', signal);
  return { result: body, mode: 'function-body' };
}

function isTopLevelReturn(result: ExecutionResult): boolean {
  return (
    result.status === 'error' &&
    result.error.type === 'syntax' &&
    RETURN_OUTSIDE_FUNCTION.test(result.error.message)
  );
}

async function run(
  sandbox: SandboxLike,
  request: ExecutionRequest,
  prefix: string,
  suffix: string,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  if (prefix === '' && suffix === '') return sandbox.execute(request, { signal });
  const result = await sandbox.execute({ ...request, code: `${prefix}${request.code}${suffix}` }, { signal });
  return shiftLineOneColumns(result, prefix.length);
}

/** Moves line-1 columns in an error result back by `shift` (the length of the added prefix). */
export function shiftLineOneColumns(result: ExecutionResult, shift: number): ExecutionResult {
  if (result.status !== 'error' || shift === 0) return result;
  const error = { ...result.error };
  if (error.line === 1 && error.column !== undefined) error.column = Math.max(1, error.column - shift);
  if (error.stack) {
    error.stack = error.stack.replace(
      /(\.[cm]?[jt]s):1:(\d+)/g,
      (_match, extension: string, column: string) => {
        return `${extension}:1:${Math.max(1, Number(column) - shift)}`;
      },
    );
  }
  return { ...result, error };
}
