import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type BackendCapabilities,
  type BackendOptions,
  BackendUnavailableError,
  type ExecuteOptions,
  type ExecutionResult,
  InvalidOptionsError,
  InvalidRequestError,
  preflight,
  type ResolvedExecutionRequest,
  type SandboxBackend,
  SandboxDisposedError,
  SPECIFICATION_VERSION,
  toResult,
  type ValidationIssue,
  WorkerPool,
} from '@jsbox/core';
import packageJson from '../package.json' with { type: 'json' };
import type { QuickjsTask } from './worker-task.js';

/** Name and version of the engine inside this backend. */
export const QUICKJS_ENGINE = 'QuickJS (quickjs-emscripten 0.32.0)';

/** Default extra time after `timeoutMs` before a stuck worker is terminated (the backstop). */
export const DEFAULT_HARD_DEADLINE_GRACE_MS = 1000;

/** Options of {@link createQuickjsBackend}. */
export interface QuickjsBackendOptions extends BackendOptions {
  /**
   * Milliseconds past a request's `timeoutMs` after which its worker thread is terminated and
   * replaced, should the engine's own interrupt ever fail to stop the program. Default 1000.
   */
  hardDeadlineGraceMs?: number;
}

const NAME = 'quickjs';

function validate(options: QuickjsBackendOptions): void {
  const issues: ValidationIssue[] = [];
  const check = (key: keyof QuickjsBackendOptions, min: number) => {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min)) {
      issues.push({ path: key, message: `${key} must be a whole number >= ${min}, got ${String(value)}` });
    }
  };
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError([{ path: '', message: 'options must be an object' }]);
  }
  check('poolSize', 1);
  check('maxQueued', 0);
  check('hardDeadlineGraceMs', 0);
  if (issues.length > 0) throw new InvalidOptionsError(issues);
}

class QuickjsBackend implements SandboxBackend {
  readonly specificationVersion = SPECIFICATION_VERSION;
  readonly name = NAME;
  readonly version: string = packageJson.version;
  readonly capabilities: BackendCapabilities = Object.freeze({
    languages: Object.freeze(['javascript'] as const),
    fuel: false,
    isolatedThreads: true,
    engine: QUICKJS_ENGINE,
  });
  private disposed = false;

  constructor(
    private readonly pool: WorkerPool<QuickjsTask, ExecutionResult>,
    private readonly hardDeadlineGraceMs: number,
  ) {}

  async execute(request: ResolvedExecutionRequest, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    if (this.disposed) throw new SandboxDisposedError('quickjs backend');
    if (request.language !== 'javascript') {
      throw new InvalidRequestError([
        {
          path: 'language',
          message: `the quickjs backend runs JavaScript only, not ${JSON.stringify(request.language)}; send TypeScript through @jsbox/unified, which strips the types first`,
        },
      ]);
    }
    const early = preflight(request, NAME);
    if (early) return early;
    const outcome = await this.pool.run(
      { request },
      { hardDeadlineMs: request.limits.timeoutMs + this.hardDeadlineGraceMs, signal: options.signal },
    );
    if (outcome.kind === 'reply') return outcome.reply;
    const base = {
      stdout: '',
      stderr: '',
      truncated: { stdout: false, stderr: false },
      durationMs: outcome.elapsedMs,
      backend: NAME,
    };
    if (outcome.reason === 'crashed')
      return toResult({ kind: 'crash', message: outcome.message }, base, request.filename);
    return toResult(
      {
        kind: 'timeout',
        reason: outcome.reason,
        elapsedMs: outcome.elapsedMs,
        timeoutMs: request.limits.timeoutMs,
      },
      base,
      request.filename,
    );
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.pool.dispose();
  }
}

/**
 * Creates the QuickJS backend: executions run in a pool of worker threads, each in a fresh
 * QuickJS runtime and context (nothing leaks between runs), under a wall-clock interrupt, a
 * heap cap, a stack cap and output caps, with a hard backstop that terminates a stuck worker.
 *
 * Requests must be JavaScript: a TypeScript request throws `InvalidRequestError`
 * (`@jsbox/unified` strips types before calling this backend).
 *
 * @example
 * const backend = await createQuickjsBackend({ poolSize: 2 });
 * const result = await backend.execute(resolveExecutionRequest({ code: 'input.n * 2', input: { n: 21 } }));
 * await backend.dispose();
 */
export async function createQuickjsBackend(options: QuickjsBackendOptions = {}): Promise<SandboxBackend> {
  validate(options);
  const workerUrl = new URL('./worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(workerUrl))) {
    throw new BackendUnavailableError(
      NAME,
      `its worker script ${fileURLToPath(workerUrl)} is missing`,
      'Build @jsbox/runtime-quickjs (pnpm --filter @jsbox/runtime-quickjs build) and import it from its dist',
    );
  }
  const pool = new WorkerPool<QuickjsTask, ExecutionResult>({
    workerUrl,
    name: NAME,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
  });
  return new QuickjsBackend(pool, options.hardDeadlineGraceMs ?? DEFAULT_HARD_DEADLINE_GRACE_MS);
}
