import type { Language, ResolvedExecutionRequest } from './request.js';
import type { ExecutionResult } from './result.js';
import type { SpecificationVersion } from './specification.js';

/** What a backend can do, for selection and for clients. */
export interface BackendCapabilities {
  /** Languages accepted in `request.language` without outside help. */
  languages: readonly Language[];
  /** Meters fuel (`limits.fuel`, `result.fuelConsumed`). */
  fuel: boolean;
  /** Runs executions off the caller's thread (never blocks the event loop). */
  isolatedThreads: boolean;
  /** Name and version of the JavaScript engine inside. */
  engine: string;
}

/** Per-call options of {@link SandboxBackend.execute}. */
export interface ExecuteOptions {
  /** Aborting ends the execution with `status: 'timeout'`, `reason: 'cancelled'`. */
  signal?: AbortSignal;
}

/**
 * The interface every backend implements. Guest failures come back as results; `execute`
 * only rejects for host misuse (a disposed backend, a full queue), with a `JsboxError`.
 *
 * @example
 * const result = await backend.execute(resolveExecutionRequest({ code: '1 + 1' }));
 * if (result.status === 'success') console.log(result.result); // 2
 */
export interface SandboxBackend {
  /** Contract version the backend was built for; `@jsbox/unified` refuses any other. */
  readonly specificationVersion: SpecificationVersion;
  /** Registry name: `'quickjs'`, `'wasmtime'`. */
  readonly name: string;
  /** Version of the backend package. */
  readonly version: string;
  /** Languages, fuel metering, threading and engine of this backend. */
  readonly capabilities: BackendCapabilities;
  /**
   * Runs one validated request. Guest failures resolve as results; rejects only for host misuse
   * (`QueueFullError`, `SandboxDisposedError`, `InvalidRequestError` for a language it cannot run).
   */
  execute(request: ResolvedExecutionRequest, options?: ExecuteOptions): Promise<ExecutionResult>;
  /** Frees workers and native resources. Pending executions end with a result; later calls throw. */
  dispose(): Promise<void>;
}

/** Options every backend factory accepts. */
export interface BackendOptions {
  /** Worker threads running executions at once. Default: the number of CPU cores, at most 4. */
  poolSize?: number;
  /** Executions allowed to wait for a worker before `execute` rejects with `QueueFullError`. */
  maxQueued?: number;
}
