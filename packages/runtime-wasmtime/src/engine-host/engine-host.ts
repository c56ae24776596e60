import { Worker } from 'node:worker_threads';
import { workerScriptUrl } from '../worker-script-url.js';
import {
  CONTROL_ACTIVE,
  CONTROL_STOP,
  type CompiledPlugin,
  type EngineHostData,
  type EngineHostMessage,
  type PluginSource,
} from './engine-host-protocol.js';
import { pluginCacheKey } from './plugin-cache.js';

/** A running engine host: the engine and compiled plugins every execution worker shares. */
export interface EngineHost {
  engine: bigint;
  plugins: CompiledPlugin[];
  /** The control block execution workers count themselves in (the ticker runs while > 0). */
  control: SharedArrayBuffer;
  /** Stops the ticker and frees the engine (after the execution workers are gone). */
  dispose(): Promise<void>;
}

/** Serialized plugins compiled earlier in this process, by cache key (the in-memory cache). */
const serializedPlugins = new Map<string, Uint8Array>();

/** Options of {@link startEngineHost}. */
export interface EngineHostOptions {
  libraryPath: string;
  plugins: Omit<PluginSource, 'serialized'>[];
  cacheDirectory: string | null;
  engineConfig: string;
  wasmtimeVersion: string;
  /** Fuel metering on the engine; `engineConfig` must say the same. Default true. */
  meterFuel?: boolean;
}

/** Starts the engine host thread and waits until the engine and plugins are ready. */
export async function startEngineHost(options: EngineHostOptions): Promise<EngineHost> {
  const control = new SharedArrayBuffer(8);
  const keyOf = (sha256: string) =>
    pluginCacheKey({
      wasmtimeVersion: options.wasmtimeVersion,
      pluginSha256: sha256,
      engineConfig: options.engineConfig,
    });
  const data: EngineHostData = {
    libraryPath: options.libraryPath,
    cacheDirectory: options.cacheDirectory,
    control,
    meterFuel: options.meterFuel ?? true,
    engineConfig: options.engineConfig,
    plugins: options.plugins.map((plugin) => {
      const serialized = serializedPlugins.get(keyOf(plugin.sha256));
      return serialized ? { ...plugin, serialized } : plugin;
    }),
  };
  const worker = new Worker(workerScriptUrl('engine-host-worker'), {
    workerData: data,
    stdout: true,
    stderr: true,
  });
  worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const message = await new Promise<EngineHostMessage>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (error) => resolve({ type: 'failed', message: error.message }));
    worker.once('exit', (code) =>
      resolve({ type: 'failed', message: `the engine host exited with code ${code}` }),
    );
  });
  if (message.type === 'failed') {
    await worker.terminate();
    throw new Error(message.message);
  }
  worker.unref();
  for (const plugin of message.plugins)
    serializedPlugins.set(
      keyOf(options.plugins.find((p) => p.namespace === plugin.namespace)!.sha256),
      plugin.serialized,
    );
  const flags = new Int32Array(control);
  return {
    engine: message.engine,
    plugins: message.plugins,
    control,
    async dispose() {
      worker.ref(); // keep the process alive until the engine is freed
      Atomics.store(flags, CONTROL_STOP, 1);
      Atomics.notify(flags, CONTROL_STOP);
      Atomics.add(flags, CONTROL_ACTIVE, 1); // wake an idle ticker so it sees the stop flag
      Atomics.notify(flags, CONTROL_ACTIVE);
      await exited;
    },
  };
}
