import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';

/** Maximum wasm stack of every execution (wasmtime's default is 512 KiB). */
export const MAX_WASM_STACK_BYTES = 2 * 1024 * 1024;

/**
 * The engine settings, with or without fuel metering; part of the compiled-plugin cache key,
 * because a serialized module only loads into an engine configured the same way.
 */
export function engineConfigKey(meterFuel: boolean): string {
  return `fuel=${meterFuel ? 1 : 0};epoch=1;max_wasm_stack=${MAX_WASM_STACK_BYTES}`;
}

/**
 * Creates the engine every jsbox store uses: fuel metering (unless `meterFuel` is false, for
 * benchmarks) and epoch interruption on.
 */
export function createEngine(library: WasmtimeLibrary, meterFuel = true): Pointer {
  const { functions } = library;
  const config = functions.wasm_config_new();
  functions.wasmtime_config_consume_fuel_set(config, meterFuel);
  functions.wasmtime_config_epoch_interruption_set(config, true);
  functions.wasmtime_config_max_wasm_stack_set(config, MAX_WASM_STACK_BYTES);
  const engine = functions.wasm_engine_new_with_config(config); // takes ownership of config
  if (!engine) throw new Error('wasmtime could not create an engine');
  return engine;
}
