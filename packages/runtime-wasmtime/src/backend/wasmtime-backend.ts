import { createRequire } from 'node:module';
import { type EnginePlugin, getEnginePlugin, mapStackToSource } from '@jsbox/compiler';
import {
  type BackendCapabilities,
  BackendUnavailableError,
  type ExecuteOptions,
  type ExecutionResult,
  type GuestOutcome,
  preflight,
  type ResolvedExecutionRequest,
  type ResultBase,
  type SandboxBackend,
  SandboxDisposedError,
  SPECIFICATION_VERSION,
  toResult,
} from '@jsbox/core';
import type { CompiledPlugin } from '../engine-host/engine-host-protocol.js';
import { defaultCacheDirectory } from '../engine-host/plugin-cache.js';
import { verifyLibrary, WASMTIME_VERSION } from '../library-location.js';
import { ModuleRunner } from '../runner/module-runner.js';
import { validateBackendOptions, type WasmtimeBackendOptions } from './backend-options.js';
import { HARD_DEADLINE_GRACE_MS, taskLimits } from './execution-limits.js';
import { outcomeOfReport } from './report-outcome.js';

const BACKEND = 'wasmtime';
// Self-reference through the exports map: works from dist/ and from src/ (tests) alike.
const PACKAGE_VERSION = (
  createRequire(import.meta.url)('@jsbox/runtime-wasmtime/package.json') as { version: string }
).version;

function loadPlugin(): EnginePlugin {
  try {
    return getEnginePlugin();
  } catch (error) {
    throw new BackendUnavailableError(
      BACKEND,
      `the jsbox engine plugin is missing (${(error as Error).message})`,
      'Build it with `pnpm --filter @jsbox/compiler build` (or reinstall @jsbox/compiler)',
      { cause: error },
    );
  }
}

function compileFailure(
  error: { message: string; line?: number | undefined; column?: number | undefined },
  filename: string,
): GuestOutcome {
  const stack =
    error.line === undefined ? undefined : `    at ${filename}:${error.line}:${error.column ?? 1}`;
  const message = error.message.replace(/ \(line \d+, column \d+\)$/, '').replace(/^SyntaxError: /, '');
  return {
    kind: 'exception',
    phase: 'compile',
    error: { name: 'SyntaxError', message, ...(stack ? { stack } : {}) },
  };
}

function mapStack(outcome: GuestOutcome, sourceMap: string | undefined, filename: string): GuestOutcome {
  if (!sourceMap || outcome.kind !== 'exception' || !outcome.error.stack) return outcome;
  try {
    return {
      ...outcome,
      error: {
        ...outcome.error,
        stack: mapStackToSource(outcome.error.stack, sourceMap, { fileName: filename }),
      },
    };
  } catch {
    return outcome;
  }
}

class WasmtimeBackend implements SandboxBackend {
  readonly specificationVersion = SPECIFICATION_VERSION;
  readonly name = BACKEND;
  readonly version = PACKAGE_VERSION;
  readonly capabilities: BackendCapabilities;
  private disposed = false;

  constructor(
    private readonly runner: ModuleRunner,
    private readonly plugin: CompiledPlugin,
    private readonly meterFuel: boolean,
  ) {
    this.capabilities = {
      languages: ['javascript', 'typescript'] as const,
      fuel: meterFuel,
      isolatedThreads: true,
      engine: `QuickJS ${'2025-04-26'} on wasmtime ${WASMTIME_VERSION}`,
    };
  }

  async execute(request: ResolvedExecutionRequest, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    if (this.disposed) throw new SandboxDisposedError('wasmtime backend');
    const started = performance.now();
    const early = preflight(request, BACKEND);
    if (early) return early;
    const { limits, filename } = request;
    const finish = (outcome: GuestOutcome, fields: Partial<ResultBase> = {}): ExecutionResult =>
      toResult(
        outcome,
        {
          stdout: '',
          stderr: '',
          truncated: { stdout: false, stderr: false },
          backend: BACKEND,
          ...fields,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        },
        filename,
      );
    if (options.signal?.aborted) {
      return finish({ kind: 'timeout', reason: 'cancelled', elapsedMs: 0, timeoutMs: limits.timeoutMs });
    }
    // An engine without metering refuses to set fuel; 0 leaves the store's tank alone.
    const task = {
      ...taskLimits(limits, this.plugin.memoryMinimumBytes),
      ...(this.meterFuel ? {} : { fuel: 0 }),
    };
    // The worker compiles the source: the host's event loop stays free and the compile runs
    // under the same hard deadline as the guest.
    const outcome = await this.runner.run(
      {
        source: {
          code: request.code,
          language: request.language,
          filename,
          maxCodeBytes: limits.maxCodeBytes,
        },
        plugin: { namespace: this.plugin.namespace, module: this.plugin.module },
        stdin: request.inputJson === undefined ? new Uint8Array() : Buffer.from(request.inputJson, 'utf8'),
        ...task,
      },
      {
        hardDeadlineMs: limits.timeoutMs + HARD_DEADLINE_GRACE_MS,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    if (outcome.kind === 'killed') {
      const guest: GuestOutcome =
        outcome.reason === 'crashed'
          ? { kind: 'crash', message: outcome.message }
          : {
              kind: 'timeout',
              reason: outcome.reason,
              elapsedMs: outcome.elapsedMs,
              timeoutMs: limits.timeoutMs,
            };
      return finish(guest);
    }
    const report = outcome.reply;
    if (report.compileError) return finish(compileFailure(report.compileError, filename));
    const guest = outcomeOfReport(report, {
      timeoutMs: limits.timeoutMs,
      fuel: task.fuel,
      maxOutputBytes: limits.maxOutputBytes,
      maxResultBytes: limits.maxResultBytes,
    });
    return finish(mapStack(guest, report.sourceMap, filename), {
      stdout: report.stdout,
      stderr: report.stderr,
      truncated: report.truncated,
      fuelConsumed: report.fuelConsumed,
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.runner.dispose();
  }
}

/**
 * Creates the wasmtime backend: JavaScript and TypeScript compiled to Javy-style dynamic
 * modules and run by the real wasmtime (49.0.0, through its C API) on worker threads, with
 * fuel metering, epoch deadlines, a linear-memory cap and captured, capped stdio.
 * Throws `BackendUnavailableError` when libwasmtime or the engine plugin is missing.
 *
 * @example
 * const backend = await createWasmtimeBackend();
 * const result = await backend.execute(resolveExecutionRequest({ code: '1 + 1' }));
 * // result.status === 'success', result.result === 2, result.fuelConsumed > 0
 * await backend.dispose();
 */
export async function createWasmtimeBackend(options: WasmtimeBackendOptions = {}): Promise<SandboxBackend> {
  validateBackendOptions(options);
  const library = await verifyLibrary(options);
  const plugin = loadPlugin();
  const runner = await ModuleRunner.start({
    libraryPath: library.path,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
    meterFuel: options.meterFuel ?? true,
  }).catch((error: unknown) => {
    throw new BackendUnavailableError(
      BACKEND,
      `wasmtime could not start its engine: ${(error as Error).message}`,
      'Check that the library is libwasmtime 49.0.0 (JSBOX_WASMTIME_LIBRARY / libraryPath)',
      { cause: error },
    );
  });
  let compiled: CompiledPlugin;
  try {
    compiled = await runner.loadPlugin(
      { namespace: plugin.namespace, bytes: plugin.bytes, sha256: plugin.sha256 },
      options.cacheDirectory === false ? null : (options.cacheDirectory ?? defaultCacheDirectory()),
    );
  } catch (error) {
    await runner.dispose();
    throw new BackendUnavailableError(
      BACKEND,
      `wasmtime could not load the engine plugin: ${(error as Error).message}`,
      'Rebuild the plugin (`pnpm --filter @jsbox/compiler build`) and check the library version',
      { cause: error },
    );
  }
  return new WasmtimeBackend(runner, compiled, options.meterFuel ?? true);
}
