import { MessageChannel, Worker } from 'node:worker_threads';
import { workerScriptUrl } from '../worker-script-url.js';
import {
  CONTROL_ACTIVE,
  CONTROL_BYTES,
  CONTROL_STOP,
  type CompiledPlugin,
  type EngineHostData,
  type EngineHostMessage,
  type LoadPluginRequest,
  type PluginSource,
  wakeEngineHost,
} from './engine-host-protocol.js';
import { pluginCacheKey } from './plugin-cache.js';

/** A running engine host: the engine every execution worker shares, and its plugins. */
export interface EngineHost {
  engine: bigint;
  /** The control block execution workers count themselves in (the ticker runs while > 0). */
  control: SharedArrayBuffer;
  /**
   * Compiles (or loads from the memory or disk cache) a plugin into the engine. The module lives
   * as long as the engine.
   */
  loadPlugin(
    plugin: Omit<PluginSource, 'serialized'>,
    cacheDirectory: string | null,
  ): Promise<CompiledPlugin>;
  /** Stops the ticker and frees the engine (after the execution workers are gone). */
  dispose(): Promise<void>;
}

/** Serialized plugins compiled earlier in this process, by cache key (the in-memory cache). */
const serializedPlugins = new Map<string, Uint8Array>();

/** Options of {@link startEngineHost}. */
export interface EngineHostOptions {
  libraryPath: string;
  engineConfig: string;
  wasmtimeVersion: string;
  /** Fuel metering on the engine; `engineConfig` must say the same. Default true. */
  meterFuel?: boolean;
}

/** Starts the engine host thread and waits until the engine is ready. */
export async function startEngineHost(options: EngineHostOptions): Promise<EngineHost> {
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const flags = new Int32Array(control);
  const channel = new MessageChannel();
  const data: EngineHostData = {
    libraryPath: options.libraryPath,
    control,
    requests: channel.port2,
    meterFuel: options.meterFuel ?? true,
    engineConfig: options.engineConfig,
  };
  const worker = new Worker(workerScriptUrl('engine-host-worker'), {
    workerData: data,
    transferList: [channel.port2],
    // Piped by Node without holding the process open; the thread sends its stdout to stderr.
    stdout: false,
    stderr: false,
  });
  // Plugin requests: the worker is kept referenced while any is pending, so a process that
  // only waits for a plugin does not exit under it. (Listeners go on before `unref()`: adding a
  // 'message' listener later would reference the worker's port again.)
  const pending = new Map<number, { resolve(plugin: CompiledPlugin): void; reject(error: Error): void }>();
  worker.on('message', (reply: EngineHostMessage) => {
    if (reply.type !== 'plugin-loaded' && reply.type !== 'plugin-failed') return;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.type === 'plugin-loaded') waiter.resolve(reply.plugin);
    else waiter.reject(new Error(reply.message));
  });
  let exitMessage: string | undefined;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      exitMessage = `the engine host exited with code ${code}`;
      resolve();
    }),
  );
  const message = await new Promise<EngineHostMessage>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (error) => resolve({ type: 'failed', message: error.message }));
    worker.once('exit', (code) =>
      resolve({ type: 'failed', message: `the engine host exited with code ${code}` }),
    );
  });
  if (message.type !== 'ready') {
    await worker.terminate();
    channel.port1.close();
    throw new Error(message.type === 'failed' ? message.message : 'the engine host did not start');
  }
  worker.unref();

  let nextId = 1;
  const settleAll = (why: string) => {
    for (const waiter of pending.values()) waiter.reject(new Error(why));
    pending.clear();
    worker.unref();
  };
  void exited.then(() => settleAll(exitMessage ?? 'the engine host exited'));

  const keyOf = (sha256: string) =>
    pluginCacheKey({
      wasmtimeVersion: options.wasmtimeVersion,
      pluginSha256: sha256,
      engineConfig: options.engineConfig,
    });
  let disposed = false;
  return {
    engine: message.engine,
    control,
    async loadPlugin(plugin, cacheDirectory) {
      if (disposed || exitMessage) throw new Error(exitMessage ?? 'the engine host was disposed');
      const serialized = serializedPlugins.get(keyOf(plugin.sha256));
      const request: LoadPluginRequest = {
        type: 'load-plugin',
        id: nextId++,
        plugin: serialized ? { ...plugin, serialized } : plugin,
        cacheDirectory,
      };
      const loaded = new Promise<CompiledPlugin>((resolve, reject) => {
        pending.set(request.id, { resolve, reject });
      });
      worker.ref();
      channel.port1.postMessage(request);
      wakeEngineHost(flags);
      const compiled = await loaded;
      serializedPlugins.set(keyOf(plugin.sha256), compiled.serialized);
      return compiled;
    },
    async dispose() {
      if (!disposed) {
        disposed = true;
        worker.ref(); // keep the process alive until the engine is freed
        Atomics.store(flags, CONTROL_STOP, 1);
        Atomics.notify(flags, CONTROL_STOP);
        Atomics.notify(flags, CONTROL_ACTIVE);
        wakeEngineHost(flags);
      }
      await exited;
      channel.port1.close();
    },
  };
}
