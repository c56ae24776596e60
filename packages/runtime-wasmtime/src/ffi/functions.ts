import type { Koffi } from './koffi-loader.js';

/** A C pointer as koffi 3 returns it: a BigInt, or `null` for NULL. */
export type Pointer = bigint;
/** A nullable C pointer. */
export type MaybePointer = bigint | null;
/** Memory the C side writes into or reads from (a Buffer, or a raw pointer). */
export type Out = Buffer | Pointer;

/**
 * The wasmtime C API functions jsbox uses, with the signatures of wasmtime 49's `wasmtime.h`
 * (mirrored from the upstream Python binding's `_bindings.py`). Every pointer is `void *`:
 * koffi 3 pointers are untyped BigInts anyway.
 */
export interface WasmtimeFunctions {
  wasm_config_new(): Pointer;
  wasmtime_config_consume_fuel_set(config: Pointer, enable: boolean): void;
  wasmtime_config_epoch_interruption_set(config: Pointer, enable: boolean): void;
  wasmtime_config_max_wasm_stack_set(config: Pointer, bytes: number): void;
  wasm_engine_new_with_config(config: Pointer): MaybePointer;
  wasmtime_pooling_allocation_config_new(): Pointer;
  wasmtime_pooling_allocation_config_delete(pooling: Pointer): void;
  wasmtime_pooling_allocation_config_total_core_instances_set(pooling: Pointer, count: number): void;
  wasmtime_pooling_allocation_config_total_memories_set(pooling: Pointer, count: number): void;
  wasmtime_pooling_allocation_config_total_tables_set(pooling: Pointer, count: number): void;
  wasmtime_pooling_allocation_config_max_memory_size_set(pooling: Pointer, bytes: number): void;
  wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pooling: Pointer, bytes: number): void;
  wasmtime_pooling_allocation_config_table_keep_resident_set(pooling: Pointer, bytes: number): void;
  wasmtime_pooling_allocation_config_max_unused_warm_slots_set(pooling: Pointer, count: number): void;
  wasmtime_pooling_allocation_strategy_set(config: Pointer, pooling: Pointer): void;
  wasm_engine_delete(engine: Pointer): void;
  wasmtime_engine_increment_epoch(engine: Pointer): void;

  wasmtime_module_new(engine: Pointer, bytes: Uint8Array, length: number, out: Out): MaybePointer;
  wasmtime_module_delete(module: Pointer): void;
  wasmtime_module_serialize(module: Pointer, out: Out): MaybePointer;
  wasmtime_module_deserialize(engine: Pointer, bytes: Uint8Array, length: number, out: Out): MaybePointer;
  wasmtime_module_exports(module: Pointer, out: Out): void;
  wasm_exporttype_vec_delete(vector: Out): void;
  wasm_exporttype_name(exportType: Pointer): Pointer;
  wasm_exporttype_type(exportType: Pointer): Pointer;
  wasm_externtype_kind(externType: Pointer): number;
  wasm_externtype_as_memorytype(externType: Pointer): MaybePointer;
  wasmtime_memorytype_minimum(memoryType: Pointer): bigint;

  wasmtime_store_new(engine: Pointer, data: MaybePointer, finalizer: MaybePointer): MaybePointer;
  wasmtime_store_context(store: Pointer): Pointer;
  wasmtime_store_delete(store: Pointer): void;
  wasmtime_store_limiter(
    store: Pointer,
    memorySize: bigint,
    tableElements: bigint,
    instances: bigint,
    tables: bigint,
    memories: bigint,
  ): void;
  wasmtime_store_epoch_deadline_callback(
    store: Pointer,
    callback: Pointer,
    data: MaybePointer,
    finalizer: MaybePointer,
  ): void;
  wasmtime_context_set_fuel(context: Pointer, fuel: bigint): MaybePointer;
  wasmtime_context_get_fuel(context: Pointer, out: Out): MaybePointer;
  wasmtime_context_set_epoch_deadline(context: Pointer, ticksBeyondCurrent: bigint): void;
  wasmtime_context_set_wasi(context: Pointer, wasiConfig: Pointer): MaybePointer;

  wasi_config_new(): Pointer;
  wasi_config_set_argv(config: Pointer, argc: number, argv: string[]): boolean;
  wasi_config_set_stdin_bytes(config: Pointer, vector: Out): void;

  wasmtime_linker_new(engine: Pointer): Pointer;
  wasmtime_linker_delete(linker: Pointer): void;
  wasmtime_linker_allow_shadowing(linker: Pointer, allow: boolean): void;
  wasmtime_linker_define_wasi(linker: Pointer): MaybePointer;
  wasmtime_linker_define_func(
    linker: Pointer,
    module: Buffer,
    moduleLength: number,
    name: Buffer,
    nameLength: number,
    functionType: Pointer,
    callback: Pointer,
    data: MaybePointer,
    finalizer: MaybePointer,
  ): MaybePointer;
  wasmtime_linker_define_instance(
    linker: Pointer,
    context: Pointer,
    name: Buffer,
    nameLength: number,
    instance: Out,
  ): MaybePointer;
  wasmtime_linker_instantiate(
    linker: Pointer,
    context: Pointer,
    module: Pointer,
    instance: Out,
    trap: Out,
  ): MaybePointer;
  wasmtime_linker_get(
    linker: Pointer,
    context: Pointer,
    module: Buffer,
    moduleLength: number,
    name: Buffer,
    nameLength: number,
    item: Out,
  ): boolean;
  wasmtime_linker_instantiate_pre(linker: Pointer, module: Pointer, out: Out): MaybePointer;
  wasmtime_instance_pre_instantiate(
    instancePre: Pointer,
    context: Pointer,
    instance: Out,
    trap: Out,
  ): MaybePointer;
  wasmtime_instance_pre_delete(instancePre: Pointer): void;
  wasmtime_instance_new(
    context: Pointer,
    module: Pointer,
    imports: Buffer,
    importCount: number,
    instance: Out,
    trap: Out,
  ): MaybePointer;
  wasmtime_instance_export_get(
    context: Pointer,
    instance: Out,
    name: Buffer,
    nameLength: number,
    item: Out,
  ): boolean;
  wasmtime_func_call(
    context: Pointer,
    func: Out,
    args: Out,
    argCount: number,
    results: Out,
    resultCount: number,
    trap: Out,
  ): MaybePointer;
  wasmtime_caller_export_get(caller: Pointer, name: Buffer, nameLength: number, item: Out): boolean;
  wasmtime_caller_context(caller: Pointer): Pointer;
  wasmtime_memory_data(context: Pointer, memory: Out): Pointer;
  wasmtime_memory_data_size(context: Pointer, memory: Out): number;

  wasmtime_error_new(message: string): Pointer;
  wasmtime_error_message(error: Pointer, out: Out): void;
  wasmtime_error_delete(error: Pointer): void;
  wasmtime_error_exit_status(error: Pointer, out: Out): boolean;
  wasmtime_trap_new(message: Buffer, length: number): Pointer;
  wasmtime_trap_code(trap: Pointer, out: Out): boolean;
  wasm_trap_message(trap: Pointer, out: Out): void;
  wasm_trap_delete(trap: Pointer): void;

  wasm_byte_vec_new(out: Out, size: number, data: Uint8Array): void;
  wasm_byte_vec_delete(vector: Out): void;
  wasmtime_wat2wasm(text: Buffer, length: number, out: Out): MaybePointer;

  wasm_valtype_new(kind: number): Pointer;
  wasm_valtype_vec_new(out: Out, size: number, data: Buffer): void;
  wasm_functype_new(params: Out, results: Out): Pointer;
  wasm_functype_delete(functionType: Pointer): void;
}

/** C prototypes, in koffi's declaration syntax. */
const PROTOTYPES: readonly string[] = [
  'void *wasm_config_new()',
  'void wasmtime_config_consume_fuel_set(void *config, bool enable)',
  'void wasmtime_config_epoch_interruption_set(void *config, bool enable)',
  'void wasmtime_config_max_wasm_stack_set(void *config, size_t bytes)',
  'void *wasm_engine_new_with_config(void *config)',
  'void *wasmtime_pooling_allocation_config_new()',
  'void wasmtime_pooling_allocation_config_delete(void *pooling)',
  'void wasmtime_pooling_allocation_config_total_core_instances_set(void *pooling, uint32_t count)',
  'void wasmtime_pooling_allocation_config_total_memories_set(void *pooling, uint32_t count)',
  'void wasmtime_pooling_allocation_config_total_tables_set(void *pooling, uint32_t count)',
  'void wasmtime_pooling_allocation_config_max_memory_size_set(void *pooling, size_t bytes)',
  'void wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(void *pooling, size_t bytes)',
  'void wasmtime_pooling_allocation_config_table_keep_resident_set(void *pooling, size_t bytes)',
  'void wasmtime_pooling_allocation_config_max_unused_warm_slots_set(void *pooling, uint32_t count)',
  'void wasmtime_pooling_allocation_strategy_set(void *config, void *pooling)',
  'void wasm_engine_delete(void *engine)',
  'void wasmtime_engine_increment_epoch(void *engine)',

  'void *wasmtime_module_new(void *engine, const uint8_t *bytes, size_t length, void *out)',
  'void wasmtime_module_delete(void *module)',
  'void *wasmtime_module_serialize(void *module, void *out)',
  'void *wasmtime_module_deserialize(void *engine, const uint8_t *bytes, size_t length, void *out)',
  'void wasmtime_module_exports(void *module, void *out)',
  'void wasm_exporttype_vec_delete(void *vector)',
  'void *wasm_exporttype_name(void *exportType)',
  'void *wasm_exporttype_type(void *exportType)',
  'uint8_t wasm_externtype_kind(void *externType)',
  'void *wasm_externtype_as_memorytype(void *externType)',
  'uint64_t wasmtime_memorytype_minimum(void *memoryType)',

  'void *wasmtime_store_new(void *engine, void *data, void *finalizer)',
  'void *wasmtime_store_context(void *store)',
  'void wasmtime_store_delete(void *store)',
  'void wasmtime_store_limiter(void *store, int64_t memorySize, int64_t tableElements, int64_t instances, int64_t tables, int64_t memories)',
  'void wasmtime_store_epoch_deadline_callback(void *store, void *callback, void *data, void *finalizer)',
  'void *wasmtime_context_set_fuel(void *context, uint64_t fuel)',
  'void *wasmtime_context_get_fuel(void *context, void *out)',
  'void wasmtime_context_set_epoch_deadline(void *context, uint64_t ticks)',
  'void *wasmtime_context_set_wasi(void *context, void *wasiConfig)',

  'void *wasi_config_new()',
  'bool wasi_config_set_argv(void *config, size_t argc, const char **argv)',
  'void wasi_config_set_stdin_bytes(void *config, void *vector)',

  'void *wasmtime_linker_new(void *engine)',
  'void wasmtime_linker_delete(void *linker)',
  'void wasmtime_linker_allow_shadowing(void *linker, bool allow)',
  'void *wasmtime_linker_define_wasi(void *linker)',
  'void *wasmtime_linker_define_func(void *linker, const char *module, size_t moduleLength, const char *name, size_t nameLength, void *functionType, void *callback, void *data, void *finalizer)',
  'void *wasmtime_linker_define_instance(void *linker, void *context, const char *name, size_t nameLength, void *instance)',
  'void *wasmtime_linker_instantiate(void *linker, void *context, void *module, void *instance, void *trap)',
  'bool wasmtime_linker_get(void *linker, void *context, const char *module, size_t moduleLength, const char *name, size_t nameLength, void *item)',
  'void *wasmtime_linker_instantiate_pre(void *linker, void *module, void *out)',
  'void *wasmtime_instance_pre_instantiate(void *instancePre, void *context, void *instance, void *trap)',
  'void wasmtime_instance_pre_delete(void *instancePre)',
  'void *wasmtime_instance_new(void *context, void *module, void *imports, size_t importCount, void *instance, void *trap)',
  'bool wasmtime_instance_export_get(void *context, void *instance, const char *name, size_t nameLength, void *item)',
  'void *wasmtime_func_call(void *context, void *func, void *args, size_t argCount, void *results, size_t resultCount, void *trap)',
  'bool wasmtime_caller_export_get(void *caller, const char *name, size_t nameLength, void *item)',
  'void *wasmtime_caller_context(void *caller)',
  'void *wasmtime_memory_data(void *context, void *memory)',
  'size_t wasmtime_memory_data_size(void *context, void *memory)',

  'void *wasmtime_error_new(const char *message)',
  'void wasmtime_error_message(void *error, void *out)',
  'void wasmtime_error_delete(void *error)',
  'bool wasmtime_error_exit_status(void *error, void *out)',
  'void *wasmtime_trap_new(const char *message, size_t length)',
  'bool wasmtime_trap_code(void *trap, void *out)',
  'void wasm_trap_message(void *trap, void *out)',
  'void wasm_trap_delete(void *trap)',

  'void wasm_byte_vec_new(void *out, size_t size, const uint8_t *data)',
  'void wasm_byte_vec_delete(void *vector)',
  'void *wasmtime_wat2wasm(const char *text, size_t length, void *out)',

  'void *wasm_valtype_new(uint8_t kind)',
  'void wasm_valtype_vec_new(void *out, size_t size, void *data)',
  'void *wasm_functype_new(void *params, void *results)',
  'void wasm_functype_delete(void *functionType)',
];

/** Symbols a library must export to be usable; a missing one means a wrong or broken library. */
export const REQUIRED_SYMBOLS: readonly string[] = PROTOTYPES.map(
  (prototype) => /(\w+)\(/.exec(prototype)![1]!,
);

/** Binds every function of {@link WasmtimeFunctions}; throws if a symbol is missing. */
export function bindFunctions(library: ReturnType<Koffi['load']>): WasmtimeFunctions {
  const functions: Record<string, unknown> = {};
  for (const prototype of PROTOTYPES) {
    const name = /(\w+)\(/.exec(prototype)![1]!;
    functions[name] = library.func(prototype);
  }
  return functions as unknown as WasmtimeFunctions;
}
