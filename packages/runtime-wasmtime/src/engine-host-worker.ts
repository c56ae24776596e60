/**
 * The engine host thread: owns the one wasmtime engine of this process (per library and fuel
 * setting; see `shared-engine`) and the plugins compiled into it on request, and advances the
 * engine's epoch while executions run (the ticker). It blocks in Atomics.wait between ticks and
 * while idle, so it costs nothing when no execution runs; it never runs guest code, so it keeps
 * ticking even when every execution worker is busy in wasm.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { routeStdoutToStderr } from '@jsbox/core';
import {
  CONTROL_ACTIVE,
  CONTROL_STOP,
  CONTROL_WAKE,
  type CompiledPlugin,
  type EngineHostData,
  type EngineHostMessage,
  type LoadPluginRequest,
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

routeStdoutToStderr();
const data = workerData as EngineHostData;
const control = new Int32Array(data.control);
const post = (message: EngineHostMessage) => parentPort!.postMessage(message);

function loadPlugin(library: WasmtimeLibrary, engine: bigint, request: LoadPluginRequest): CompiledPlugin {
  const { plugin, cacheDirectory } = request;
  const started = performance.now();
  const key = pluginCacheKey({
    wasmtimeVersion: WASMTIME_VERSION,
    pluginSha256: plugin.sha256,
    engineConfig: data.engineConfig,
  });
  const attempts: Array<[CompiledPlugin['source'], Uint8Array | undefined]> = [
    ['memory', plugin.serialized],
    ['disk', cacheDirectory === null ? undefined : readCachedPlugin(cacheDirectory, key)],
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
  if (cacheDirectory !== null) writeCachedPlugin(cacheDirectory, key, serialized);
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

/** Serves the plugin requests that arrived; records loaded modules in `loaded` (deleted at the end). */
function serveRequests(library: WasmtimeLibrary, engine: bigint, loaded: bigint[]): void {
  for (;;) {
    const received = receiveMessageOnPort(data.requests);
    if (!received) return;
    const request = received.message as LoadPluginRequest;
    try {
      const plugin = loadPlugin(library, engine, request);
      loaded.push(plugin.module);
      post({ type: 'plugin-loaded', id: request.id, plugin });
    } catch (error) {
      post({ type: 'plugin-failed', id: request.id, message: (error as Error)?.message ?? String(error) });
    }
  }
}

/**
 * Ticks the epoch while executions run and serves plugin requests, until the stop flag. Idle,
 * it sleeps in Atomics.wait on the wake counter. A plugin compile pauses the ticks (deadlines
 * of running executions stretch by the compile time); deserializing a cached plugin takes ~2 ms.
 */
function serve(library: WasmtimeLibrary, engine: bigint, loaded: bigint[]): void {
  while (Atomics.load(control, CONTROL_STOP) === 0) {
    const seen = Atomics.load(control, CONTROL_WAKE);
    serveRequests(library, engine, loaded);
    if (Atomics.load(control, CONTROL_ACTIVE) <= 0) {
      Atomics.wait(control, CONTROL_WAKE, seen);
      continue;
    }
    Atomics.wait(control, CONTROL_STOP, 0, EPOCH_TICK_MS);
    library.functions.wasmtime_engine_increment_epoch(engine);
  }
}

async function main(): Promise<void> {
  let library: WasmtimeLibrary;
  let engine: bigint;
  try {
    library = await openLibrary(data.libraryPath);
    engine = createEngine(library, data.meterFuel);
  } catch (error) {
    post({ type: 'failed', message: (error as Error)?.message ?? String(error) });
    return;
  }
  post({ type: 'ready', engine });
  // Let the message go out before this thread parks in Atomics.wait.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const loaded: bigint[] = [];
  serve(library, engine, loaded);
  // Stores hold their own references to the engine and modules, so this is safe even if a
  // terminated worker's store was never deleted.
  for (const module of loaded) library.functions.wasmtime_module_delete(module);
  library.functions.wasm_engine_delete(engine);
  parentPort!.close();
}

void main();
