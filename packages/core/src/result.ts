import { z } from 'zod';
import type { JsonValue } from './json.js';

/** Kinds of guest error, in `error.type`. */
export type GuestErrorType = 'syntax' | 'runtime' | 'permission' | 'resource' | 'unknown';

/** Which limit a `resource` error hit, in `error.limit`. */
export type ResourceLimit = 'memory' | 'stack' | 'output' | 'code_size' | 'fuel';

/** Which output streams were cut at `maxOutputBytes`. */
export interface TruncatedFlags {
  stdout: boolean;
  stderr: boolean;
}

/** Fields every result carries, whatever its status. */
export interface ResultBase {
  /** What the guest wrote to stdout (console.log/info/debug, fd 1), up to `maxOutputBytes`. */
  stdout: string;
  /** What the guest wrote to stderr (console.error/warn, fd 2), up to `maxOutputBytes`. */
  stderr: string;
  /** Set when a stream reached its cap; the text holds the first `maxOutputBytes`. */
  truncated: TruncatedFlags;
  /** Wall-clock time of the execution as the backend measured it. */
  durationMs: number;
  /** The backend that ran it (`'quickjs'`, `'wasmtime'`). */
  backend: string;
  /** Fuel used, for backends that meter fuel. */
  fuelConsumed?: number;
  /** Why `backend` is not the one asked for (e.g. `auto` fell back), when it is not. */
  backendNote?: string;
}

/** The program ran to completion. */
export interface SuccessResult extends ResultBase {
  status: 'success';
  /** The program's value, in the encoding described in docs/guest-api.md ("Result values"). */
  result: JsonValue;
}

/** Details of a guest failure. */
export interface GuestError {
  type: GuestErrorType;
  /** The error's `name` (`SyntaxError`, `TypeError`, `RangeError`, `InternalError`...). */
  name: string;
  message: string;
  /** Guest stack trace; frames name the request's file with line and column (1-based). */
  stack?: string;
  /** Line (1-based) in the user's code where the error was raised, when known. */
  line?: number;
  /** Column (1-based), when known. */
  column?: number;
  /** For `type: 'resource'`: the limit that was hit. */
  limit?: ResourceLimit;
}

/** The program failed: syntax error, uncaught exception or a resource limit. */
export interface ErrorResult extends ResultBase {
  status: 'error';
  error: GuestError;
}

/** The program ran past `timeoutMs` (or was cancelled) and was stopped. Output so far is kept. */
export interface TimeoutResult extends ResultBase {
  status: 'timeout';
  /** Time from start until the program was stopped. */
  elapsedMs: number;
  /** The limit that applied. */
  timeoutMs: number;
  /** `'deadline'` when the time limit passed, `'cancelled'` when the caller aborted it. */
  reason: 'deadline' | 'cancelled';
}

/** The program tried to reach something outside the sandbox (modules, host APIs). */
export interface SecurityViolationResult extends ResultBase {
  status: 'security_violation';
  violation: {
    /** What was attempted: `'require'`, `'import'`... */
    kind: string;
    /** The module or capability named, when there was one. */
    target?: string;
    message: string;
  };
}

/** The outcome of one execution; switch on `status`. */
export type ExecutionResult = SuccessResult | ErrorResult | TimeoutResult | SecurityViolationResult;

/** The statuses of {@link ExecutionResult}. */
export type ExecutionStatus = ExecutionResult['status'];

const baseShape = {
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.object({ stdout: z.boolean(), stderr: z.boolean() }),
  durationMs: z.number().nonnegative(),
  backend: z.string(),
  fuelConsumed: z.number().nonnegative().optional(),
  backendNote: z.string().optional(),
};

/** zod schema of {@link ExecutionResult} (used as the MCP tool's output schema). */
export const executionResultSchema = z.discriminatedUnion('status', [
  z.object({ ...baseShape, status: z.literal('success'), result: z.unknown() }),
  z.object({
    ...baseShape,
    status: z.literal('error'),
    error: z.object({
      type: z.enum(['syntax', 'runtime', 'permission', 'resource', 'unknown']),
      name: z.string(),
      message: z.string(),
      stack: z.string().optional(),
      line: z.number().int().optional(),
      column: z.number().int().optional(),
      limit: z.enum(['memory', 'stack', 'output', 'code_size', 'fuel']).optional(),
    }),
  }),
  z.object({
    ...baseShape,
    status: z.literal('timeout'),
    elapsedMs: z.number().nonnegative(),
    timeoutMs: z.number().nonnegative(),
    reason: z.enum(['deadline', 'cancelled']),
  }),
  z.object({
    ...baseShape,
    status: z.literal('security_violation'),
    violation: z.object({ kind: z.string(), target: z.string().optional(), message: z.string() }),
  }),
]);
