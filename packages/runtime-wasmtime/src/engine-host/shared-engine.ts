import { WASMTIME_VERSION } from '../library-location.js';
import { engineConfigKey } from '../wasmtime/engine.js';
import { type EngineHost, startEngineHost } from './engine-host.js';
import type { CompiledPlugin, PluginSource } from './engine-host-protocol.js';

/** One user's hold on the shared engine of a library and fuel setting. */
export interface EngineLease {
  readonly engine: bigint;
  readonly control: SharedArrayBuffer;
  /** The plugin compiled into the engine (once per engine and plugin sha256, whoever asks). */
  loadPlugin(
    plugin: Omit<PluginSource, 'serialized'>,
    cacheDirectory: string | null,
  ): Promise<CompiledPlugin>;
  /** Gives the hold back; the last one frees the engine. Idempotent. */
  release(): Promise<void>;
}

interface SharedEngine {
  host: Promise<EngineHost>;
  users: number;
  plugins: Map<string, Promise<CompiledPlugin>>;
}

const engines = new Map<string, SharedEngine>();

/** Engines alive in this process (for tests and diagnostics). */
export function sharedEngineCount(): number {
  return engines.size;
}

/**
 * The process's engine for a library and fuel setting ("one engine per process, fuel + epoch
 * interruption enabled"): started by the first user, shared by reference count (every backend,
 * every `runModule` runner), freed when the last user releases it. One engine means one epoch
 * ticker thread and each plugin compiled once, however many backends a process creates.
 */
export async function acquireEngine(options: {
  libraryPath: string;
  meterFuel: boolean;
}): Promise<EngineLease> {
  const key = `${options.libraryPath}\0fuel=${options.meterFuel}`;
  let shared = engines.get(key);
  if (!shared) {
    const created: SharedEngine = {
      host: startEngineHost({
        libraryPath: options.libraryPath,
        engineConfig: engineConfigKey(options.meterFuel),
        wasmtimeVersion: WASMTIME_VERSION,
        meterFuel: options.meterFuel,
      }),
      users: 0,
      plugins: new Map(),
    };
    engines.set(key, created);
    created.host.catch(() => {
      if (engines.get(key) === created) engines.delete(key);
    });
    shared = created;
  }
  const entry = shared;
  entry.users++;
  let host: EngineHost;
  try {
    host = await entry.host;
  } catch (error) {
    entry.users--;
    throw error;
  }
  let released = false;
  return {
    engine: host.engine,
    control: host.control,
    loadPlugin(plugin, cacheDirectory) {
      let loaded = entry.plugins.get(plugin.sha256);
      if (!loaded) {
        loaded = host.loadPlugin(plugin, cacheDirectory);
        entry.plugins.set(plugin.sha256, loaded);
        loaded.catch(() => entry.plugins.delete(plugin.sha256));
      }
      // The compiled module does not depend on the namespace it is imported under.
      return loaded.then((compiled) => ({ ...compiled, namespace: plugin.namespace }));
    },
    async release() {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users > 0) return;
      if (engines.get(key) === entry) engines.delete(key);
      await host.dispose();
    },
  };
}
