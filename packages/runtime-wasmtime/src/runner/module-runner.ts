import { type PoolOutcome, WorkerPool } from '@jsbox/core';
import type { CompiledPlugin, PluginSource } from '../engine-host/engine-host-protocol.js';
import { acquireEngine, type EngineLease } from '../engine-host/shared-engine.js';
import type { ExecutionWorkerData } from '../execution-worker.js';
import { workerScriptUrl } from '../worker-script-url.js';
import type { ModuleReport, ModuleTask } from './module-task.js';

/** Options of {@link ModuleRunner.start}. */
export interface ModuleRunnerOptions {
  libraryPath: string;
  poolSize?: number;
  maxQueued?: number;
  /** Fuel metering on the engine. Default true. */
  meterFuel?: boolean;
}

/**
 * A pool of execution workers over the process's shared engine (see `acquireEngine`): the
 * engine, its epoch ticker and its compiled plugins are shared with every other runner of the
 * same library and fuel setting; the pool (its size and queue) is this runner's own.
 */
export class ModuleRunner {
  private constructor(
    private readonly lease: EngineLease,
    private readonly pool: WorkerPool<ModuleTask, ModuleReport>,
  ) {}

  /** Takes a hold on the shared engine (starting it if needed) and creates the worker pool. */
  static async start(options: ModuleRunnerOptions): Promise<ModuleRunner> {
    const lease = await acquireEngine({
      libraryPath: options.libraryPath,
      meterFuel: options.meterFuel ?? true,
    });
    const workerData: ExecutionWorkerData = {
      libraryPath: options.libraryPath,
      engine: lease.engine,
      control: lease.control,
    };
    const pool = new WorkerPool<ModuleTask, ModuleReport>({
      workerUrl: workerScriptUrl('execution-worker'),
      name: 'wasmtime',
      workerData,
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
    });
    return new ModuleRunner(lease, pool);
  }

  /** Compiles (or loads from cache) a plugin into the shared engine; see `EngineLease.loadPlugin`. */
  loadPlugin(
    plugin: Omit<PluginSource, 'serialized'>,
    cacheDirectory: string | null,
  ): Promise<CompiledPlugin> {
    return this.lease.loadPlugin(plugin, cacheDirectory);
  }

  /** Runs one module task on a worker. */
  run(
    task: ModuleTask,
    options: { hardDeadlineMs: number; signal?: AbortSignal },
  ): Promise<PoolOutcome<ModuleReport>> {
    return this.pool.run(task, options);
  }

  /** Terminates the workers, then releases the engine (the last user frees it). */
  async dispose(): Promise<void> {
    await this.pool.dispose();
    await this.lease.release();
  }
}
