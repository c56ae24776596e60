import { type PoolOutcome, WorkerPool } from '@jsbox/core';
import { type EngineHost, startEngineHost } from '../engine-host/engine-host.js';
import type { CompiledPlugin, PluginSource } from '../engine-host/engine-host-protocol.js';
import type { ExecutionWorkerData } from '../execution-worker.js';
import { WASMTIME_VERSION } from '../library-location.js';
import { engineConfigKey } from '../wasmtime/engine.js';
import { workerScriptUrl } from '../worker-script-url.js';
import type { ModuleReport, ModuleTask } from './module-task.js';

/** Options of {@link ModuleRunner.start}. */
export interface ModuleRunnerOptions {
  libraryPath: string;
  plugins: Omit<PluginSource, 'serialized'>[];
  /** Disk cache of compiled plugins; `null` for none. */
  cacheDirectory: string | null;
  poolSize?: number;
  maxQueued?: number;
  /** Fuel metering on the engine. Default true. */
  meterFuel?: boolean;
}

/**
 * One engine (owned by the engine host thread, which also ticks its epoch) plus a pool of
 * execution workers sharing it by pointer. One engine per runner, not per worker: the plugin is
 * compiled once, and one ticker serves every worker.
 */
export class ModuleRunner {
  private constructor(
    private readonly host: EngineHost,
    private readonly pool: WorkerPool<ModuleTask, ModuleReport>,
  ) {}

  /** Starts the engine host (compiling or loading the plugins) and the worker pool. */
  static async start(options: ModuleRunnerOptions): Promise<ModuleRunner> {
    const host = await startEngineHost({
      libraryPath: options.libraryPath,
      plugins: options.plugins,
      cacheDirectory: options.cacheDirectory,
      engineConfig: engineConfigKey(options.meterFuel ?? true),
      wasmtimeVersion: WASMTIME_VERSION,
      meterFuel: options.meterFuel ?? true,
    });
    const workerData: ExecutionWorkerData = {
      libraryPath: options.libraryPath,
      engine: host.engine,
      plugins: host.plugins.map((plugin) => [plugin.namespace, plugin.module]),
      control: host.control,
    };
    const pool = new WorkerPool<ModuleTask, ModuleReport>({
      workerUrl: workerScriptUrl('execution-worker'),
      name: 'wasmtime',
      workerData,
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
    });
    return new ModuleRunner(host, pool);
  }

  /** The compiled plugin of `namespace`, if this runner has it. */
  plugin(namespace: string): CompiledPlugin | undefined {
    return this.host.plugins.find((plugin) => plugin.namespace === namespace);
  }

  /** Runs one module task on a worker. */
  run(
    task: ModuleTask,
    options: { hardDeadlineMs: number; signal?: AbortSignal },
  ): Promise<PoolOutcome<ModuleReport>> {
    return this.pool.run(task, options);
  }

  /** Terminates the workers, then stops the ticker and frees the engine. */
  async dispose(): Promise<void> {
    await this.pool.dispose();
    await this.host.dispose();
  }
}
