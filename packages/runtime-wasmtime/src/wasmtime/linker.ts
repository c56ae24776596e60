import type { Pointer } from '../ffi/functions.js';
import { EXTERN_KIND, EXTERN_SIZE, INSTANCE_SIZE, i32Values, UNION_OFFSET } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { type CallFailure, check, describeFailure } from './traps.js';

/** An instance handle (`wasmtime_instance_t`, 16 bytes). */
export type Instance = Buffer;

/** Instantiates `module` with the linker's definitions. Returns the instance or how it failed. */
export function instantiate(
  library: WasmtimeLibrary,
  linker: Pointer,
  context: Pointer,
  module: Pointer,
): { instance: Instance } | { failure: CallFailure } {
  const instance = Buffer.alloc(INSTANCE_SIZE);
  const trap = Buffer.alloc(8);
  const error = library.functions.wasmtime_linker_instantiate(linker, context, module, instance, trap);
  const failure = describeFailure(library, error, trap);
  return failure ? { failure } : { instance };
}

/** Makes `instance`'s exports importable under `name` (what `wasmtime run --preload name=…` does). */
export function defineInstance(
  library: WasmtimeLibrary,
  linker: Pointer,
  context: Pointer,
  name: string,
  instance: Instance,
): void {
  const text = Buffer.from(name);
  check(
    library,
    library.functions.wasmtime_linker_define_instance(linker, context, text, text.byteLength, instance),
    `define instance ${name}`,
  );
}

/** The exported function `name` (a `wasmtime_func_t` slice), or `undefined`. */
export function exportedFunction(
  library: WasmtimeLibrary,
  context: Pointer,
  instance: Instance,
  name: string,
): Buffer | undefined {
  const text = Buffer.from(name);
  const item = Buffer.alloc(EXTERN_SIZE);
  if (!library.functions.wasmtime_instance_export_get(context, instance, text, text.byteLength, item))
    return undefined;
  if (item.readUInt8(0) !== EXTERN_KIND.func) return undefined;
  return item.subarray(UNION_OFFSET);
}

/** Calls a function with i32 arguments, ignoring results (there are none in the calls jsbox makes). */
export function callFunction(
  library: WasmtimeLibrary,
  context: Pointer,
  func: Buffer,
  args: readonly number[] = [],
): CallFailure | undefined {
  const trap = Buffer.alloc(8);
  const results = Buffer.alloc(64);
  const error = library.functions.wasmtime_func_call(
    context,
    func,
    i32Values(args),
    args.length,
    results,
    0,
    trap,
  );
  return describeFailure(library, error, trap);
}
