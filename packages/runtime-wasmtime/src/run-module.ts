import { createHash } from 'node:crypto';
import { type Limits, type PoolOutcome, resolveLimits } from '@jsbox/core';
import { HARD_DEADLINE_GRACE_MS, taskLimits } from './backend/execution-limits.js';
import { shortTrapMessage } from './backend/report-outcome.js';
import { defaultCacheDirectory } from './engine-host/plugin-cache.js';
import { type LibraryLocationOptions, verifyLibrary } from './library-location.js';
import { ModuleRejectedError } from './module-rejected-error.js';
import type { ModuleReport } from './runner/module-task.js';
import { withSharedRunner } from './runner/shared-module-runner.js';
import { importNamespaceOf, NotAModuleError, readModuleInfo } from './wasm/module-info.js';
import type { HostStop } from './wasmtime/active-execution.js';

const WASI = 'wasi_snapshot_preview1';

/** Options of {@link runModule}. */
export interface RunModuleOptions extends LibraryLocationOptions {
  /**
   * The engine plugin a dynamic module imports: its bytes (namespace read from its
   * `import_namespace` section, e.g. a javy plugin) or bytes plus namespace. Default: jsbox's
   * own plugin (from `@jsbox/compiler`) when the module imports its namespace.
   */
  plugin?: Uint8Array | { bytes: Uint8Array; namespace: string };
  /** Bytes (or UTF-8 text) the module reads on stdin. */
  stdin?: Uint8Array | string;
  /** Limits (over the `default` preset): timeoutMs, fuel, memoryLimitBytes, maxOutputBytes... */
  limits?: Partial<Limits>;
  /** Compiled-plugin cache directory, `false` for none. */
  cacheDirectory?: string | false;
  /**
   * Provide the jsbox engine plugin's outcome channel: call its `jsbox-configure` with the
   * limits and open fd 3, where it writes a JSON outcome document (value, exception, limit...)
   * returned as `fd3`. Default `false`: the module runs as under `wasmtime run`, so an uncaught
   * error is printed to stderr and traps (`exitCode` 134), like a Javy module. Only meaningful
   * for modules using jsbox's plugin.
   */
  outcomeChannel?: boolean;
  signal?: AbortSignal;
}

/**
 * A dynamic module made by `@jsbox/compiler` imports jsbox's own engine plugin: supply it when
 * the caller gave none, so `runModule(await compile(src))` just works.
 */
async function ownPluginFor(
  imports: ReadonlyArray<{ module: string }>,
): Promise<{ bytes: Uint8Array; namespace: string } | undefined> {
  const { getEnginePlugin } = await import('@jsbox/compiler');
  const own = getEnginePlugin();
  return imports.some((entry) => entry.module === own.namespace)
    ? { bytes: own.bytes, namespace: own.namespace }
    : undefined;
}

/** What a module run produced. */
export interface RunModuleResult {
  /** `proc_exit` status, 0 when `_start` returned, 134 after a trap (like the wasmtime CLI); `null` when stopped by the host. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  /** What the module wrote to fd 3: the jsbox plugin's outcome document with `outcomeChannel`, else ''. */
  fd3: string;
  fuelConsumed: number;
  durationMs: number;
  /** Set when the module trapped or wasmtime failed. */
  trap?: { code?: number; message: string };
  /** Set when the host stopped the module: timeout, cancel, output cap. */
  stopped?: HostStop;
}

function rejectImports(
  imports: Array<{ module: string; name: string }>,
  allowed: string[],
  what: 'module' | 'plugin',
): void {
  const foreign = imports.find((entry) => !allowed.includes(entry.module));
  if (!foreign) return;
  const pluginHint =
    what === 'module' && allowed.length === 1
      ? ' (a dynamic module needs its engine plugin: pass `plugin`)'
      : '';
  throw new ModuleRejectedError(
    allowed.length > 1 && what === 'module' ? 'plugin_namespace' : 'imports',
    what,
    `the ${what} imports ${foreign.module}.${foreign.name}; only ${allowed.join(' and ')} can be provided${pluginHint}`,
  );
}

function readPlugin(plugin: NonNullable<RunModuleOptions['plugin']>): {
  bytes: Uint8Array;
  namespace: string;
} {
  const bytes = plugin instanceof Uint8Array ? plugin : plugin.bytes;
  let info: ReturnType<typeof readModuleInfo>;
  try {
    info = readModuleInfo(bytes);
  } catch (error) {
    throw new ModuleRejectedError(
      'not_wasm',
      'plugin',
      `the plugin is not usable: ${(error as Error).message}`,
    );
  }
  rejectImports(info.imports, [WASI], 'plugin');
  const declared = importNamespaceOf(info);
  const namespace = plugin instanceof Uint8Array ? declared : plugin.namespace;
  if (!namespace) {
    throw new ModuleRejectedError(
      'plugin_missing',
      'plugin',
      'the plugin has no import_namespace section; pass { bytes, namespace }',
    );
  }
  if (declared !== undefined && declared !== namespace) {
    throw new ModuleRejectedError(
      'plugin_namespace',
      'plugin',
      `the plugin's namespace is ${declared}, not ${namespace}`,
    );
  }
  return { bytes, namespace };
}

function resultOf(outcome: PoolOutcome<ModuleReport>): RunModuleResult {
  if (outcome.kind === 'killed') {
    return {
      exitCode: null,
      stdout: '',
      stderr: '',
      truncated: { stdout: false, stderr: false },
      fd3: '',
      fuelConsumed: 0,
      durationMs: outcome.elapsedMs,
      ...(outcome.reason === 'crashed'
        ? { trap: { message: outcome.message } }
        : { stopped: outcome.reason }),
    };
  }
  const { end, outcomeText, compileError: _compileError, sourceMap: _sourceMap, ...report } = outcome.reply;
  const base = { ...report, fd3: outcomeText };
  if (end.kind === 'exit') return { ...base, exitCode: end.exitCode };
  if (end.kind === 'stopped') return { ...base, exitCode: null, stopped: end.stop };
  const trap = {
    message: shortTrapMessage(end.message),
    ...(end.kind === 'trap' && end.trapCode !== undefined ? { code: end.trapCode } : {}),
  };
  return { ...base, exitCode: end.kind === 'trap' ? 134 : null, trap };
}

/**
 * Runs a WebAssembly module built elsewhere in a fresh wasmtime store, like
 * `wasmtime run [--preload NS=plugin.wasm] module.wasm`, with jsbox's limits (fuel, deadline,
 * memory cap, output caps) and captured stdio. Static modules need no plugin; dynamic modules
 * (e.g. from `javy build -C dynamic`) need theirs. As with `wasmtime run`, an uncaught error in
 * a Javy or jsbox module prints to stderr and traps: `exitCode` 134 and `trap` set (pass
 * `outcomeChannel: true` for jsbox's structured outcome on `fd3` instead). Calls share the
 * process's engine and a warm worker pool, disposed 2 s after the last call without holding
 * the process open. Throws `ModuleRejectedError` for bad input and `BackendUnavailableError`
 * without libwasmtime.
 *
 * @example
 * const result = await runModule(moduleBytes, { plugin: javyPluginBytes, stdin: '{"n":1}' });
 * console.log(result.exitCode, result.stdout);
 */
export async function runModule(
  module: Uint8Array,
  options: RunModuleOptions = {},
): Promise<RunModuleResult> {
  let info: ReturnType<typeof readModuleInfo>;
  try {
    info = readModuleInfo(module);
  } catch (error) {
    if (error instanceof NotAModuleError) throw new ModuleRejectedError('not_wasm', 'module', error.message);
    throw error;
  }
  const plugin = options.plugin ? readPlugin(options.plugin) : await ownPluginFor(info.imports);
  rejectImports(info.imports, plugin ? [WASI, plugin.namespace] : [WASI], 'module');
  const library = await verifyLibrary(options);
  const limits = resolveLimits('default', options.limits);
  const cacheDirectory =
    options.cacheDirectory === false ? null : (options.cacheDirectory ?? defaultCacheDirectory());
  return withSharedRunner(library.path, async (runner) => {
    const usesPlugin =
      plugin !== undefined && info.imports.some((entry) => entry.module === plugin.namespace);
    const compiled = usesPlugin
      ? await runner.loadPlugin(
          { ...plugin, sha256: createHash('sha256').update(plugin.bytes).digest('hex') },
          cacheDirectory,
        )
      : undefined;
    const stdin =
      typeof options.stdin === 'string'
        ? Buffer.from(options.stdin, 'utf8')
        : (options.stdin ?? new Uint8Array());
    const { configure, maxOutcomeBytes, ...limitFields } = taskLimits(
      limits,
      compiled?.memoryMinimumBytes ?? 0,
    );
    const outcome = await runner.run(
      {
        module,
        stdin,
        ...limitFields,
        ...(options.outcomeChannel ? { configure, maxOutcomeBytes } : {}),
        ...(compiled ? { plugin: { namespace: compiled.namespace, module: compiled.module } } : {}),
      },
      {
        hardDeadlineMs: limits.timeoutMs + HARD_DEADLINE_GRACE_MS,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    return resultOf(outcome);
  });
}
