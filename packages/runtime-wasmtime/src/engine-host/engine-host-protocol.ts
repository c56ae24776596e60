/** A plugin the engine host compiles (or loads from cache) once for all workers. */
export interface PluginSource {
  namespace: string;
  bytes: Uint8Array;
  sha256: string;
  /** Serialized form from an earlier engine host of this process, if any. */
  serialized?: Uint8Array;
}

/** `workerData` of the engine host thread. */
export interface EngineHostData {
  libraryPath: string;
  plugins: PluginSource[];
  /** Disk cache directory, or `null` for no disk cache. */
  cacheDirectory: string | null;
  /** [0] = running executions (the ticker sleeps while 0), [1] = stop flag. */
  control: SharedArrayBuffer;
  /** Fuel metering on the engine (see `engineConfigKey`). */
  meterFuel: boolean;
  /** The engine settings key, part of the plugin cache key. */
  engineConfig: string;
}

/** A compiled plugin as the engine host reports it. */
export interface CompiledPlugin {
  namespace: string;
  /** `wasmtime_module_t*`, shared by every worker thread. */
  module: bigint;
  /** Initial size of the plugin's linear memory (its baseline footprint). */
  memoryMinimumBytes: number;
  serialized: Uint8Array;
  /** Where the compiled code came from. */
  source: 'memory' | 'disk' | 'compiled';
  loadMs: number;
}

/** Messages from the engine host thread. */
export type EngineHostMessage =
  | { type: 'ready'; engine: bigint; plugins: CompiledPlugin[] }
  | { type: 'failed'; message: string };

/** Indexes into the control block. */
export const CONTROL_ACTIVE = 0;
export const CONTROL_STOP = 1;
