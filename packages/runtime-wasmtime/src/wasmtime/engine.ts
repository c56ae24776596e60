import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';

/** Maximum wasm stack of every execution (wasmtime's default is 512 KiB). */
export const MAX_WASM_STACK_BYTES = 2 * 1024 * 1024;

/**
 * The engine settings; part of the compiled-plugin cache key, because a serialized module only
 * loads into an engine configured the same way.
 */
export const ENGINE_CONFIG_KEY = `fuel=1;epoch=1;max_wasm_stack=${MAX_WASM_STACK_BYTES}`;

/** Creates the engine every jsbox store uses: fuel metering and epoch interruption on. */
export function createEngine(library: WasmtimeLibrary): Pointer {
  const { functions } = library;
  const config = functions.wasm_config_new();
  functions.wasmtime_config_consume_fuel_set(config, true);
  functions.wasmtime_config_epoch_interruption_set(config, true);
  functions.wasmtime_config_max_wasm_stack_set(config, MAX_WASM_STACK_BYTES);
  const engine = functions.wasm_engine_new_with_config(config); // takes ownership of config
  if (!engine) throw new Error('wasmtime could not create an engine');
  return engine;
}
