import type { MaybePointer, Pointer } from '../ffi/functions.js';
import { EXTERN_KIND, EXTERN_SIZE, INSTANCE_SIZE, i32Values, UNION_OFFSET } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { type CallFailure, check, describeFailure } from './traps.js';

/** An instance handle (`wasmtime_instance_t`, 16 bytes). */
export type Instance = Buffer;

/** An instance, or how instantiating it failed (a trap in its start function, a link error). */
export type Instantiated = { instance: Instance } | { failure: CallFailure };

function instantiateWith(
  library: WasmtimeLibrary,
  create: (instance: Buffer, trap: Buffer) => MaybePointer,
): Instantiated {
  const instance = Buffer.alloc(INSTANCE_SIZE);
  const trap = Buffer.alloc(8);
  const failure = describeFailure(library, create(instance, trap), trap);
  return failure ? { failure } : { instance };
}

/** Instantiates `module` with the linker's definitions. */
export function instantiate(
  library: WasmtimeLibrary,
  linker: Pointer,
  context: Pointer,
  module: Pointer,
): Instantiated {
  return instantiateWith(library, (instance, trap) =>
    library.functions.wasmtime_linker_instantiate(linker, context, module, instance, trap),
  );
}

/**
 * A module pre-linked against `linker` (`wasmtime_instance_pre_t*`): imports resolved and
 * type-checked once, so each store only instantiates. Free with `wasmtime_instance_pre_delete`.
 */
export function prelink(library: WasmtimeLibrary, linker: Pointer, module: Pointer): Pointer {
  const out = Buffer.alloc(8);
  check(library, library.functions.wasmtime_linker_instantiate_pre(linker, module, out), 'pre-link');
  return out.readBigUInt64LE(0);
}

/** Instantiates a pre-linked module (see {@link prelink}) in the store of `context`. */
export function instantiatePrelinked(
  library: WasmtimeLibrary,
  prelinked: Pointer,
  context: Pointer,
): Instantiated {
  return instantiateWith(library, (instance, trap) =>
    library.functions.wasmtime_instance_pre_instantiate(prelinked, context, instance, trap),
  );
}

/** One import of a module, its names encoded once for the C calls. */
export interface ModuleImport {
  module: string;
  name: string;
  moduleBytes: Buffer;
  nameBytes: Buffer;
}

/** Encodes a module's import list (from `readModuleInfo`) for {@link instantiateWithImports}. */
export function moduleImports(imports: ReadonlyArray<{ module: string; name: string }>): ModuleImport[] {
  return imports.map(({ module, name }) => ({
    module,
    name,
    moduleBytes: Buffer.from(module),
    nameBytes: Buffer.from(name),
  }));
}

/**
 * Instantiates `module` with each import taken from `provider` (an instance's exports, e.g.
 * the preloaded plugin) when it comes from `providerName`, else from the linker. This is what
 * defining the provider in the linker would do, without building a per-store linker.
 */
export function instantiateWithImports(
  library: WasmtimeLibrary,
  linker: Pointer,
  context: Pointer,
  module: Pointer,
  imports: readonly ModuleImport[],
  provider: { name: string; instance: Instance },
): Instantiated {
  const { functions } = library;
  const externs = Buffer.alloc(Math.max(1, imports.length) * EXTERN_SIZE);
  for (const [index, entry] of imports.entries()) {
    const item = externs.subarray(index * EXTERN_SIZE, (index + 1) * EXTERN_SIZE);
    const found =
      entry.module === provider.name
        ? functions.wasmtime_instance_export_get(
            context,
            provider.instance,
            entry.nameBytes,
            entry.nameBytes.byteLength,
            item,
          )
        : functions.wasmtime_linker_get(
            linker,
            context,
            entry.moduleBytes,
            entry.moduleBytes.byteLength,
            entry.nameBytes,
            entry.nameBytes.byteLength,
            item,
          );
    if (!found) {
      return {
        failure: {
          kind: 'error',
          message: `unknown import: \`${entry.module}::${entry.name}\` has not been defined`,
        },
      };
    }
  }
  return instantiateWith(library, (instance, trap) =>
    functions.wasmtime_instance_new(context, module, externs, imports.length, instance, trap),
  );
}

/** The export `name` of an instance if it is of `kind` (the extern's union slice), else `undefined`. */
function exportedItem(
  library: WasmtimeLibrary,
  context: Pointer,
  instance: Instance,
  name: string,
  kind: number,
): Buffer | undefined {
  const text = Buffer.from(name);
  const item = Buffer.alloc(EXTERN_SIZE);
  if (!library.functions.wasmtime_instance_export_get(context, instance, text, text.byteLength, item))
    return undefined;
  return item.readUInt8(0) === kind ? item.subarray(UNION_OFFSET) : undefined;
}

/** The `memory` export of an instance (a `wasmtime_memory_t` slice), or `undefined`. */
export function exportedMemory(
  library: WasmtimeLibrary,
  context: Pointer,
  instance: Instance,
): Buffer | undefined {
  return exportedItem(library, context, instance, 'memory', EXTERN_KIND.memory);
}

/** The exported function `name` (a `wasmtime_func_t` slice), or `undefined`. */
export function exportedFunction(
  library: WasmtimeLibrary,
  context: Pointer,
  instance: Instance,
  name: string,
): Buffer | undefined {
  return exportedItem(library, context, instance, name, EXTERN_KIND.func);
}

function call(
  library: WasmtimeLibrary,
  context: Pointer,
  func: Buffer,
  args: readonly number[],
  resultCount: number,
): { failure: CallFailure | undefined; results: Buffer } {
  const trap = Buffer.alloc(8);
  const results = Buffer.alloc(64);
  const error = library.functions.wasmtime_func_call(
    context,
    func,
    i32Values(args),
    args.length,
    results,
    resultCount,
    trap,
  );
  return { failure: describeFailure(library, error, trap), results };
}

/** Calls a function with i32 arguments, ignoring results (there are none in the calls jsbox makes). */
export function callFunction(
  library: WasmtimeLibrary,
  context: Pointer,
  func: Buffer,
  args: readonly number[] = [],
): CallFailure | undefined {
  return call(library, context, func, args, 0).failure;
}

/** Calls a function with i32 arguments that returns one i32. */
export function callI32Function(
  library: WasmtimeLibrary,
  context: Pointer,
  func: Buffer,
  args: readonly number[],
): { result: number } | { failure: CallFailure } {
  const { failure, results } = call(library, context, func, args, 1);
  return failure ? { failure } : { result: results.readInt32LE(UNION_OFFSET) };
}
