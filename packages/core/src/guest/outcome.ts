import type { JsonValue } from '../json.js';
import type { ExecutionResult, GuestError, ResourceLimit, ResultBase } from '../result.js';
import { trimDescribedError } from './trim-error.js';

/** A thrown guest value as the prelude's `describeError` reports it. */
export interface DescribedError {
  name: string;
  message: string;
  stack?: string;
}

/**
 * How one execution ended, in backend-neutral terms. Backends produce an outcome; {@link toResult}
 * turns it into the contract's result so every backend maps failures the same way.
 */
export type GuestOutcome =
  | { kind: 'value'; value: JsonValue }
  | { kind: 'exception'; phase: 'compile' | 'run'; error: DescribedError }
  | { kind: 'limit'; limit: ResourceLimit; message: string }
  | { kind: 'timeout'; reason: 'deadline' | 'cancelled'; elapsedMs: number; timeoutMs: number }
  | { kind: 'violation'; violation: { kind: string; target?: string; message: string } }
  | { kind: 'unsettled' }
  | { kind: 'crash'; message: string };

const STACK_OVERFLOW = /stack overflow|maximum call stack/i;
const OUT_OF_MEMORY = /out of memory/i;
/** QuickJS's error when a string would pass its maximum length (2^30 - 1 characters). */
const STRING_TOO_LONG = /^string too long$/;
/** V8's message when the *host's* native stack runs out (e.g. inside a wasm engine it runs). */
const HOST_STACK_OVERFLOW = /maximum call stack size exceeded/i;

/**
 * Whether `error`, caught on the host while it ran an engine, is the host's own native stack
 * running out (V8's `RangeError: Maximum call stack size exceeded`), as deeply nested guest code
 * can cause inside a wasm engine's parser. Backends report it as the stack limit.
 */
export function isHostStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && HOST_STACK_OVERFLOW.test(error.message);
}

/** Finds the first `file:line:column` of `filename` in a QuickJS/V8 style stack. */
export function locateInStack(
  stack: string | undefined,
  filename: string,
): { line: number; column: number } | undefined {
  if (!stack) return undefined;
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!match) return undefined;
  return { line: Number(match[1]), column: Number(match[2] ?? 1) };
}

/**
 * Classifies a guest exception: syntax errors, the engine's out-of-memory and stack-overflow
 * errors (resource limits) and everything else (runtime). The error is bounded first
 * ({@link trimDescribedError}), so every backend reports the same short stack.
 *
 * Resource limits: `out of memory` (any engine error name but plain `Error`) and QuickJS's
 * `string too long` (a string-doubling bomb: QuickJS's rope strings reach the maximum string
 * length before the heap fills) are the memory limit; `stack overflow` / `Maximum call stack
 * size exceeded` as a `RangeError` / `InternalError`, or a parser's `SyntaxError: stack
 * overflow`, are the stack limit.
 */
export function classifyException(
  phase: 'compile' | 'run',
  described: DescribedError,
  filename: string,
): GuestError {
  const error = trimDescribedError(described);
  const location = locateInStack(error.stack, filename);
  const base: GuestError = {
    type: 'runtime',
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(location ?? {}),
  };
  // QuickJS's parser (compiling deeply nested code) and JSON.parse report nesting too deep for
  // the stack as "SyntaxError: stack overflow": a stack limit, not a mistake in the program.
  const parserStackOverflow = error.name === 'SyntaxError' && STACK_OVERFLOW.test(error.message);
  if (!parserStackOverflow && (phase === 'compile' || error.name === 'SyntaxError'))
    return { ...base, type: 'syntax' };
  const engineError = error.name === 'RangeError' || error.name === 'InternalError';
  if (
    (OUT_OF_MEMORY.test(error.message) && error.name !== 'Error') ||
    (STRING_TOO_LONG.test(error.message) && engineError)
  )
    return { ...base, type: 'resource', limit: 'memory' };
  if (parserStackOverflow || (STACK_OVERFLOW.test(error.message) && engineError)) {
    return { ...base, type: 'resource', limit: 'stack' };
  }
  return base;
}

const LIMIT_NAMES: Record<ResourceLimit, string> = {
  memory: 'MemoryLimitError',
  stack: 'StackLimitError',
  output: 'OutputLimitError',
  code_size: 'CodeSizeLimitError',
  fuel: 'FuelLimitError',
};

/** Builds the contract's result from an outcome plus the fields every result carries. */
export function toResult(outcome: GuestOutcome, base: ResultBase, filename: string): ExecutionResult {
  switch (outcome.kind) {
    case 'value':
      return { status: 'success', result: outcome.value, ...base };
    case 'exception':
      return { status: 'error', error: classifyException(outcome.phase, outcome.error, filename), ...base };
    case 'limit':
      return {
        status: 'error',
        error: {
          type: 'resource',
          limit: outcome.limit,
          name: LIMIT_NAMES[outcome.limit],
          message: outcome.message,
        },
        ...base,
      };
    case 'timeout':
      return {
        status: 'timeout',
        elapsedMs: outcome.elapsedMs,
        timeoutMs: outcome.timeoutMs,
        reason: outcome.reason,
        ...base,
      };
    case 'violation':
      return { status: 'security_violation', violation: outcome.violation, ...base };
    case 'unsettled':
      return {
        status: 'error',
        error: {
          type: 'runtime',
          name: 'UnsettledPromiseError',
          message:
            'The program ended while its promise was still pending: nothing was left to settle it (the sandbox has no timers or I/O events)',
        },
        ...base,
      };
    case 'crash':
      return {
        status: 'error',
        error: { type: 'unknown', name: 'InternalError', message: outcome.message },
        ...base,
      };
  }
}

/** Parses the prelude's JSON text, giving a safe fallback for anything malformed. */
export function parseDescribedError(text: string): DescribedError {
  try {
    const value = JSON.parse(text) as Partial<DescribedError>;
    return {
      name: typeof value.name === 'string' ? value.name : 'Error',
      message: typeof value.message === 'string' ? value.message : '',
      ...(typeof value.stack === 'string' ? { stack: value.stack } : {}),
    };
  } catch {
    return { name: 'Error', message: 'the guest error could not be described' };
  }
}
