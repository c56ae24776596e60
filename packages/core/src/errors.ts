/**
 * Host-misuse errors. Guest failures are never thrown: they come back as results.
 * Every class carries a stable `code` and an `isInstance()` check that works across
 * duplicated copies of this package (it tests a marker, not the prototype chain).
 */

const MARKER = Symbol.for('@jsbox/core.error');

/** Stable machine-readable codes of {@link JsboxError}s. */
export type JsboxErrorCode =
  | 'invalid_request'
  | 'invalid_options'
  | 'unknown_backend'
  | 'backend_unavailable'
  | 'specification_mismatch'
  | 'sandbox_disposed'
  | 'queue_full'
  | 'compile_error'
  | 'internal_error';

/** Base class of every error jsbox throws at its host. */
export class JsboxError extends Error {
  readonly [MARKER] = true;
  /** Stable code; safe to switch on. */
  readonly code: JsboxErrorCode;

  constructor(code: JsboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'JsboxError';
  }

  /** True for any jsbox error, from any copy of this package. */
  static isInstance(value: unknown): value is JsboxError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

function hasCode(value: unknown, code: JsboxErrorCode): boolean {
  return JsboxError.isInstance(value) && value.code === code;
}

/** One problem found while validating a request or options. */
export interface ValidationIssue {
  /** Dotted path of the offending field, `''` for the whole value. */
  path: string;
  /** What is wrong and what is allowed. */
  message: string;
}

/** The request (code, input, limits, preset...) is not acceptable. Lists every issue. */
export class InvalidRequestError extends JsboxError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super('invalid_request', `Invalid request: ${formatIssues(issues)}`);
    this.name = 'InvalidRequestError';
    this.issues = issues;
  }
  static override isInstance(value: unknown): value is InvalidRequestError {
    return hasCode(value, 'invalid_request');
  }
}

/** Options given to a constructor or factory are not acceptable. */
export class InvalidOptionsError extends JsboxError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super('invalid_options', `Invalid options: ${formatIssues(issues)}`);
    this.name = 'InvalidOptionsError';
    this.issues = issues;
  }
  static override isInstance(value: unknown): value is InvalidOptionsError {
    return hasCode(value, 'invalid_options');
  }
}

/** A backend name that no registry knows. */
export class UnknownBackendError extends JsboxError {
  readonly backend: string;
  readonly validBackends: readonly string[];
  constructor(backend: string, validBackends: readonly string[]) {
    super(
      'unknown_backend',
      `Unknown backend ${JSON.stringify(backend)}; valid backends: ${validBackends.join(', ')}`,
    );
    this.name = 'UnknownBackendError';
    this.backend = backend;
    this.validBackends = validBackends;
  }
  static override isInstance(value: unknown): value is UnknownBackendError {
    return hasCode(value, 'unknown_backend');
  }
}

/** A known backend cannot run here (missing library, wrong platform...). `hint` says how to fix it. */
export class BackendUnavailableError extends JsboxError {
  readonly backend: string;
  /** Why the backend cannot run, without the backend name or the hint (the message has both). */
  readonly reason: string;
  /** What to do about it (install a package, set a path...). */
  readonly hint: string;
  constructor(backend: string, reason: string, hint: string, options?: { cause?: unknown }) {
    super(
      'backend_unavailable',
      `Backend ${JSON.stringify(backend)} is unavailable: ${reason}. ${hint}`,
      options,
    );
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = reason;
    this.hint = hint;
  }
  static override isInstance(value: unknown): value is BackendUnavailableError {
    return hasCode(value, 'backend_unavailable');
  }
}

/** A backend implements another version of the contract than this package. */
export class SpecificationMismatchError extends JsboxError {
  constructor(backend: string, expected: string, actual: string) {
    super(
      'specification_mismatch',
      `Backend ${JSON.stringify(backend)} implements contract ${actual}, but @jsbox/core speaks ${expected}; install matching versions of the @jsbox packages`,
    );
    this.name = 'SpecificationMismatchError';
  }
  static override isInstance(value: unknown): value is SpecificationMismatchError {
    return hasCode(value, 'specification_mismatch');
  }
}

/** The sandbox or backend was disposed; create a new one. */
export class SandboxDisposedError extends JsboxError {
  constructor(what = 'sandbox') {
    super('sandbox_disposed', `The ${what} has been disposed; create a new one`);
    this.name = 'SandboxDisposedError';
  }
  static override isInstance(value: unknown): value is SandboxDisposedError {
    return hasCode(value, 'sandbox_disposed');
  }
}

/** Too many executions are waiting; retry later or raise the queue size. */
export class QueueFullError extends JsboxError {
  readonly maxQueued: number;
  constructor(maxQueued: number) {
    super('queue_full', `Too many executions are queued (limit ${maxQueued}); retry later`);
    this.name = 'QueueFullError';
    this.maxQueued = maxQueued;
  }
  static override isInstance(value: unknown): value is QueueFullError {
    return hasCode(value, 'queue_full');
  }
}

/** Source code could not be compiled (syntax error, unresolved import...). Line and column are 1-based. */
export class CompileError extends JsboxError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(
    message: string,
    location: { line?: number; column?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(
      'compile_error',
      location.line === undefined
        ? message
        : `${message} (line ${location.line}, column ${location.column ?? 1})`,
      options,
    );
    this.name = 'CompileError';
    this.line = location.line;
    this.column = location.column;
  }
  static override isInstance(value: unknown): value is CompileError {
    return hasCode(value, 'compile_error');
  }
}

/** A bug or broken invariant inside jsbox itself. Please report it. */
export class InternalError extends JsboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('internal_error', message, options);
    this.name = 'InternalError';
  }
  static override isInstance(value: unknown): value is InternalError {
    return hasCode(value, 'internal_error');
  }
}

/** Formats validation issues as one readable line. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}
