import {
  type BackendCapabilities,
  type ExecutionRequest,
  type ExecutionResult,
  InvalidOptionsError,
  type Limits,
  limitsOverrideSchema,
  PRESETS,
  type PresetName,
  preflight,
  presetNameSchema,
  resolveExecutionRequest,
  type SandboxBackend,
  SandboxDisposedError,
  SPECIFICATION_VERSION,
  SpecificationMismatchError,
  validationIssuesFromZod,
} from '@jsbox/core';
import { type BackendChoice, resolveBackendChoice } from './backend-choice.js';
import { BACKENDS, backendEntry } from './registry.js';
import { transpileForBackend } from './typescript.js';

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** `'auto'`, `'quickjs'` or `'wasmtime'`; default: `MCP_SANDBOX_BACKEND`, else `'auto'`. */
  backend?: BackendChoice | string;
  /** Preset used by requests that name none. Default `'default'`. */
  preset?: PresetName;
  /** Limit overrides applied under each request's own overrides. */
  limits?: Partial<Limits>;
  /** Worker threads of the backend's pool. */
  poolSize?: number;
  /** Executions that may wait for a worker before `execute` throws `QueueFullError`. */
  maxQueued?: number;
  /** Environment to read `MCP_SANDBOX_BACKEND` from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Receives one line per notable event (backend chosen, fallback). Default: none. */
  onLog?: (message: string) => void;
}

/** What a sandbox tells clients about itself. */
export interface SandboxDescription {
  backend: string;
  version: string;
  specificationVersion: string;
  capabilities: BackendCapabilities;
  backendNote?: string;
  defaultPreset: PresetName;
  presets: Record<PresetName, Limits>;
  /** Backends usable on this machine. */
  availableBackends: string[];
}

/** A ready sandbox over one backend. */
export interface Sandbox {
  /** The backend actually used (`'quickjs'` or `'wasmtime'`). */
  readonly backend: string;
  /** Why the backend is not the one asked for (e.g. `auto` fell back), when that happened. */
  readonly backendNote: string | undefined;
  /** Languages, fuel metering, threading and engine of the backend in use. */
  readonly capabilities: BackendCapabilities;
  /** Version of the backend package in use. */
  readonly version: string;
  /**
   * Runs one program. A string is shorthand for `{ code }`. Guest failures are results;
   * throws only for host misuse (`InvalidRequestError`, `QueueFullError`, `SandboxDisposedError`).
   */
  execute(request: ExecutionRequest | string, options?: { signal?: AbortSignal }): Promise<ExecutionResult>;
  /** Backend, presets and available backends, as shown to MCP clients by `sandbox_info`. */
  describe(): SandboxDescription;
  /** Stops the backend's workers; later calls throw `SandboxDisposedError`. */
  dispose(): Promise<void>;
}

function validateOptions(options: SandboxOptions): void {
  const issues = [];
  if (options.preset !== undefined) {
    const preset = presetNameSchema.safeParse(options.preset);
    if (!preset.success) issues.push(...validationIssuesFromZod(preset.error, 'preset'));
  }
  if (options.limits !== undefined) {
    const limits = limitsOverrideSchema.safeParse(options.limits);
    if (!limits.success) issues.push(...validationIssuesFromZod(limits.error, 'limits'));
  }
  for (const key of ['poolSize', 'maxQueued'] as const) {
    const value = options[key];
    if (
      value !== undefined &&
      (!Number.isInteger(value) || value < (key === 'poolSize' ? 1 : 0) || value > 1024)
    ) {
      issues.push({
        path: key,
        message: `${key} must be a whole number from ${key === 'poolSize' ? 1 : 0} to 1024`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidOptionsError(issues);
}

async function openBackend(
  options: SandboxOptions,
): Promise<{ backend: SandboxBackend; note: string | undefined; available: string[] }> {
  const { choice, source } = resolveBackendChoice(options.backend, options.env ?? process.env);
  const backendOptions = {
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
  };
  if (choice !== 'auto') {
    // Only the chosen backend is loaded: another backend's native library (maybe broken) is
    // never touched. The others are listed as available by a check that loads nothing.
    const backend = await backendEntry(choice).create(backendOptions);
    const listed = await Promise.all(
      BACKENDS.map(async (entry) =>
        entry.name === choice || (await entry.inspect()).available ? entry.name : undefined,
      ),
    );
    options.onLog?.(`backend ${backend.name} ${backend.version} (chosen by ${source})`);
    return { backend, note: undefined, available: listed.filter((name) => name !== undefined) };
  }
  const checks = await Promise.all(BACKENDS.map(async (entry) => ({ entry, status: await entry.check() })));
  const available = checks.filter((check) => check.status.available).map((check) => check.entry.name);
  const skipped: string[] = [];
  for (const { entry, status } of checks) {
    if (!status.available) {
      skipped.push(`${entry.name} unavailable: ${status.reason}. ${status.hint}`);
      continue;
    }
    try {
      const backend = await entry.create(backendOptions);
      const note =
        skipped.length > 0 ? `auto fell back to ${backend.name}: ${skipped.join('; ')}` : undefined;
      options.onLog?.(note ?? `backend ${backend.name} ${backend.version} (auto)`);
      return { backend, note, available };
    } catch (error) {
      skipped.push(`${entry.name} failed to start: ${(error as Error).message}`);
    }
  }
  throw new InvalidOptionsError([
    { path: 'backend', message: `no backend could start: ${skipped.join('; ')}` },
  ]);
}

/**
 * Creates a sandbox. The backend comes from `options.backend`, else `MCP_SANDBOX_BACKEND`, else
 * `auto` (wasmtime when its library is available here, quickjs otherwise; the result's
 * `backendNote` says when it fell back). Backends are loaded lazily.
 *
 * @example
 * const sandbox = await createSandbox({ preset: 'restrictive' });
 * const result = await sandbox.execute({ code: 'console.log("hi"); input.n + 1', input: { n: 41 } });
 * // result.status === 'success', result.result === 42, result.stdout === 'hi\n'
 * await sandbox.dispose();
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  validateOptions(options);
  const { backend, note, available } = await openBackend(options);
  if (backend.specificationVersion !== SPECIFICATION_VERSION) {
    await backend.dispose();
    throw new SpecificationMismatchError(backend.name, SPECIFICATION_VERSION, backend.specificationVersion);
  }
  const defaultPreset = options.preset ?? 'default';
  let disposed = false;
  const withNote = (result: ExecutionResult): ExecutionResult =>
    note === undefined ? result : { ...result, backendNote: note };

  return {
    backend: backend.name,
    backendNote: note,
    capabilities: backend.capabilities,
    version: backend.version,
    async execute(request, executeOptions = {}) {
      if (disposed) throw new SandboxDisposedError();
      const raw = typeof request === 'string' ? { code: request } : request;
      const resolved = resolveExecutionRequest(raw, {
        preset: defaultPreset,
        ...(options.limits ? { limits: options.limits } : {}),
      });
      const blocked = preflight(resolved, backend.name);
      if (blocked) return withNote(blocked);
      if (resolved.language === 'typescript' && !backend.capabilities.languages.includes('typescript')) {
        const base = {
          stdout: '',
          stderr: '',
          truncated: { stdout: false, stderr: false },
          durationMs: 0,
          backend: backend.name,
        };
        const transpiled = await transpileForBackend(resolved, base);
        if ('status' in transpiled) return withNote(transpiled);
        return withNote(transpiled.mapResult(await backend.execute(transpiled.request, executeOptions)));
      }
      return withNote(await backend.execute(resolved, executeOptions));
    },
    describe() {
      return {
        backend: backend.name,
        version: backend.version,
        specificationVersion: backend.specificationVersion,
        capabilities: backend.capabilities,
        ...(note !== undefined ? { backendNote: note } : {}),
        defaultPreset,
        presets: { ...PRESETS },
        availableBackends: available,
      };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await backend.dispose();
    },
  };
}
