/**
 * The engine host thread: owns the one wasmtime engine of a backend and its compiled plugins,
 * and advances the engine's epoch while executions run (the ticker). It blocks in Atomics.wait
 * between ticks and while idle, so it costs nothing when no execution runs; it never runs
 * guest code, so it keeps ticking even when every execution worker is busy in wasm.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  CONTROL_ACTIVE,
  CONTROL_STOP,
  type CompiledPlugin,
  type EngineHostData,
  type EngineHostMessage,
} from './engine-host/engine-host-protocol.js';
import { pluginCacheKey, readCachedPlugin, writeCachedPlugin } from './engine-host/plugin-cache.js';
import type { WasmtimeLibrary } from './ffi/library.js';
import { openLibrary } from './ffi/library.js';
import { WASMTIME_VERSION } from './library-location.js';
import { createEngine } from './wasmtime/engine.js';
import { EPOCH_TICK_MS } from './wasmtime/epoch.js';
import {
  compileModule,
  deserializeModule,
  exportedMemoryMinimumBytes,
  serializeModule,
} from './wasmtime/module.js';

const data = workerData as EngineHostData;
const control = new Int32Array(data.control);

function loadPlugin(
  library: WasmtimeLibrary,
  engine: bigint,
  plugin: EngineHostData['plugins'][number],
): CompiledPlugin {
  const started = performance.now();
  const key = pluginCacheKey({
    wasmtimeVersion: WASMTIME_VERSION,
    pluginSha256: plugin.sha256,
    engineConfig: data.engineConfig,
  });
  const attempts: Array<[CompiledPlugin['source'], Uint8Array | undefined]> = [
    ['memory', plugin.serialized],
    ['disk', data.cacheDirectory === null ? undefined : readCachedPlugin(data.cacheDirectory, key)],
  ];
  for (const [source, serialized] of attempts) {
    if (!serialized) continue;
    try {
      const module = deserializeModule(library, engine, serialized);
      const memoryMinimumBytes = exportedMemoryMinimumBytes(library, module);
      return {
        namespace: plugin.namespace,
        module,
        memoryMinimumBytes,
        serialized,
        source,
        loadMs: performance.now() - started,
      };
    } catch {
      // Stale or foreign entry: compile afresh below.
    }
  }
  const module = compileModule(library, engine, plugin.bytes);
  const serialized = serializeModule(library, module);
  if (data.cacheDirectory !== null) writeCachedPlugin(data.cacheDirectory, key, serialized);
  const memoryMinimumBytes = exportedMemoryMinimumBytes(library, module);
  return {
    namespace: plugin.namespace,
    module,
    memoryMinimumBytes,
    serialized,
    source: 'compiled',
    loadMs: performance.now() - started,
  };
}

function tick(library: WasmtimeLibrary, engine: bigint): void {
  while (Atomics.load(control, CONTROL_STOP) === 0) {
    if (Atomics.load(control, CONTROL_ACTIVE) <= 0) {
      Atomics.wait(control, CONTROL_ACTIVE, Atomics.load(control, CONTROL_ACTIVE));
      continue;
    }
    Atomics.wait(control, CONTROL_STOP, 0, EPOCH_TICK_MS);
    library.functions.wasmtime_engine_increment_epoch(engine);
  }
}

async function main(): Promise<void> {
  const post = (message: EngineHostMessage) => parentPort!.postMessage(message);
  let library: WasmtimeLibrary;
  let engine: bigint;
  let plugins: CompiledPlugin[];
  try {
    library = await openLibrary(data.libraryPath);
    engine = createEngine(library, data.meterFuel);
    plugins = data.plugins.map((plugin) => loadPlugin(library, engine, plugin));
  } catch (error) {
    post({ type: 'failed', message: (error as Error)?.message ?? String(error) });
    return;
  }
  post({ type: 'ready', engine, plugins });
  // Let the message go out before this thread parks in Atomics.wait.
  await new Promise((resolve) => setTimeout(resolve, 0));
  tick(library, engine);
  // Stores hold their own references to the engine and modules, so this is safe even if a
  // terminated worker's store was never deleted.
  for (const plugin of plugins) library.functions.wasmtime_module_delete(plugin.module);
  library.functions.wasm_engine_delete(engine);
  parentPort!.close();
}

void main();
