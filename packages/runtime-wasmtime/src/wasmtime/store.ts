import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { epochDeadlineCallback } from './epoch.js';
import { check } from './traps.js';

/** Limits a store enforces natively. */
export interface StoreLimits {
  /** Cap of each linear memory (`memory.grow` past it fails); `undefined` = none. */
  linearMemoryLimitBytes: number | undefined;
  /** Fuel available to everything run in the store. */
  fuel: number;
}

/** A store plus its context pointer. Delete with {@link deleteStore}. */
export interface Store {
  store: Pointer;
  context: Pointer;
  initialFuel: bigint;
}

/** Creates a fresh store: memory limiter, fuel, epoch deadline of one tick + jsbox's callback. */
export function createStore(library: WasmtimeLibrary, engine: Pointer, limits: StoreLimits): Store {
  const { functions } = library;
  const store = functions.wasmtime_store_new(engine, null, null);
  if (!store) throw new Error('wasmtime could not create a store');
  const context = functions.wasmtime_store_context(store);
  const memory = limits.linearMemoryLimitBytes === undefined ? -1n : BigInt(limits.linearMemoryLimitBytes);
  // At most a handful of instances/tables/memories: the plugin and one module.
  functions.wasmtime_store_limiter(store, memory, -1n, 16n, 16n, 4n);
  const initialFuel = BigInt(Math.max(0, Math.floor(limits.fuel)));
  // 0 leaves the store's fuel at wasmtime's default (0): on a metering engine that is an empty
  // tank, and an engine without metering (benchmarks) rejects setting fuel at all.
  if (initialFuel > 0n) check(library, functions.wasmtime_context_set_fuel(context, initialFuel), 'set fuel');
  functions.wasmtime_store_epoch_deadline_callback(store, epochDeadlineCallback(library), null, null);
  functions.wasmtime_context_set_epoch_deadline(context, 1n);
  return { store, context, initialFuel };
}

/** Fuel the store used so far. */
export function fuelConsumed(library: WasmtimeLibrary, store: Store): number {
  const out = Buffer.alloc(8);
  const error = library.functions.wasmtime_context_get_fuel(store.context, out);
  if (error) {
    library.functions.wasmtime_error_delete(error);
    return 0;
  }
  return Number(store.initialFuel - out.readBigUInt64LE(0));
}

/** Deletes the store and everything instantiated in it. */
export function deleteStore(library: WasmtimeLibrary, store: Store): void {
  library.functions.wasmtime_store_delete(store.store);
}
