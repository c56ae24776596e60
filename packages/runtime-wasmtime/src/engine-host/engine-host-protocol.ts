import type { MessagePort } from 'node:worker_threads';

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
  /** See the `CONTROL_*` indexes. */
  control: SharedArrayBuffer;
  /** Where plugin load requests arrive; read with `receiveMessageOnPort` (the thread never idles in its event loop). */
  requests: MessagePort;
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

/** Main thread -> engine host: compile or load one plugin into the engine. */
export interface LoadPluginRequest {
  type: 'load-plugin';
  id: number;
  plugin: PluginSource;
  /** Disk cache directory, or `null` for no disk cache. */
  cacheDirectory: string | null;
}

/** Messages from the engine host thread. */
export type EngineHostMessage =
  | { type: 'ready'; engine: bigint }
  | { type: 'failed'; message: string }
  | { type: 'plugin-loaded'; id: number; plugin: CompiledPlugin }
  | { type: 'plugin-failed'; id: number; message: string };

/** Indexes into the control block (Int32). */
export const CONTROL_ACTIVE = 0;
export const CONTROL_STOP = 1;
/**
 * Bumped (and notified) by whoever needs the idle engine host to look around: an execution
 * starting, a plugin request, the stop flag.
 */
export const CONTROL_WAKE = 2;
/** Bytes of the control block. */
export const CONTROL_BYTES = 12;

/** Wakes the engine host thread (see {@link CONTROL_WAKE}). */
export function wakeEngineHost(control: Int32Array): void {
  Atomics.add(control, CONTROL_WAKE, 1);
  Atomics.notify(control, CONTROL_WAKE);
}
