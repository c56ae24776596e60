import { readFileSync } from 'node:fs';
import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';

/** Maximum wasm stack of every execution (wasmtime's default is 512 KiB). */
export const MAX_WASM_STACK_BYTES = 2 * 1024 * 1024;

/**
 * The pooling instance allocator's sizes. Every execution's instances and memories come from
 * slots reserved once per engine, so a fresh store costs no mmap/munmap, and the first
 * {@link POOL_KEEP_RESIDENT_BYTES} of a memory stay mapped between executions (reset in place
 * instead of being faulted in again from the plugin's copy-on-write image). A store uses at
 * most the plugin and one module (two instances, one memory for a jsbox program), so these
 * slots serve about 500 concurrent executions per process; past that, instantiation fails and the
 * execution ends with an internal error that says so. The memory slots reserve (but do not
 * commit) about 4 GiB of address space each, ~2 TiB in all.
 */
export const POOL = {
  coreInstances: 1000,
  memories: 500,
  tables: 1000,
  /** wasm32's whole address space: the store limiter, not the pool, caps a guest's memory. */
  maxMemoryBytes: 4 * 1024 * 1024 * 1024,
  keepResidentBytes: 4 * 1024 * 1024,
  /** Freed slots that keep their resident pages (and affinity): bounds that memory to 32 MiB. */
  maxUnusedWarmSlots: 8,
} as const;

/**
 * The engine settings, with or without fuel metering; part of the compiled-plugin cache key,
 * because a serialized module only loads into an engine configured the same way.
 */
export function engineConfigKey(meterFuel: boolean): string {
  return `fuel=${meterFuel ? 1 : 0};epoch=1;max_wasm_stack=${MAX_WASM_STACK_BYTES};alloc=${addressSpaceUnlimited(readProcLimits()) ? 'pooling' : 'on-demand'}`;
}

function usePoolingAllocator(library: WasmtimeLibrary, config: Pointer): void {
  const { functions } = library;
  const pooling = functions.wasmtime_pooling_allocation_config_new();
  functions.wasmtime_pooling_allocation_config_total_core_instances_set(pooling, POOL.coreInstances);
  functions.wasmtime_pooling_allocation_config_total_memories_set(pooling, POOL.memories);
  functions.wasmtime_pooling_allocation_config_total_tables_set(pooling, POOL.tables);
  functions.wasmtime_pooling_allocation_config_max_memory_size_set(pooling, POOL.maxMemoryBytes);
  functions.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(
    pooling,
    POOL.keepResidentBytes,
  );
  functions.wasmtime_pooling_allocation_config_table_keep_resident_set(pooling, 64 * 1024);
  functions.wasmtime_pooling_allocation_config_max_unused_warm_slots_set(pooling, POOL.maxUnusedWarmSlots);
  functions.wasmtime_pooling_allocation_strategy_set(config, pooling); // copies the settings
  functions.wasmtime_pooling_allocation_config_delete(pooling);
}

/**
 * Whether this process may reserve the pool's address space: not under a soft `ulimit -v`
 * (RLIMIT_AS). wasmtime aborts the process when an engine cannot be created, so this is decided
 * before asking. `limitsText` is Linux's /proc/self/limits; without it, no limit is assumed.
 */
export function addressSpaceUnlimited(limitsText: string | undefined): boolean {
  const line = limitsText?.split('\n').find((entry) => entry.startsWith('Max address space'));
  if (!line) return true;
  return line.slice('Max address space'.length).trim().split(/\s+/)[0] === 'unlimited';
}

function readProcLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Creates the engine every jsbox store uses: fuel metering (unless `meterFuel` is false, for
 * benchmarks), epoch interruption and, unless the address space is capped, the pooling
 * allocator ({@link POOL}); under `ulimit -v` it uses wasmtime's on-demand allocator instead
 * (slower per execution, same behaviour).
 */
export function createEngine(library: WasmtimeLibrary, meterFuel = true): Pointer {
  const { functions } = library;
  const config = functions.wasm_config_new();
  functions.wasmtime_config_consume_fuel_set(config, meterFuel);
  functions.wasmtime_config_epoch_interruption_set(config, true);
  functions.wasmtime_config_max_wasm_stack_set(config, MAX_WASM_STACK_BYTES);
  if (addressSpaceUnlimited(readProcLimits())) usePoolingAllocator(library, config);
  const engine = functions.wasm_engine_new_with_config(config); // takes ownership of config
  if (!engine) throw new Error('wasmtime could not create an engine');
  return engine;
}
