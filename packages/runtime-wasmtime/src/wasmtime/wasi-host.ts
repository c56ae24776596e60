import type { MaybePointer, Pointer } from '../ffi/functions.js';
import { EXTERN_KIND, EXTERN_SIZE, UNION_OFFSET, VAL_KIND, VAL_SIZE, WASM_I32 } from '../ffi/layout.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import { activeExecution } from './active-execution.js';
import { memoryRegion } from './memory-region.js';
import { check } from './traps.js';

/** WASI preview1 errno values the shadowed `fd_write` returns. */
const ERRNO = { success: 0, badFileDescriptor: 8, fault: 21 } as const;

const WASI_MODULE = Buffer.from('wasi_snapshot_preview1');
const FD_WRITE = Buffer.from('fd_write');
const MEMORY = Buffer.from('memory');

/** Per-thread handles of the host functions jsbox defines in every linker. */
export interface WasiHost {
  fdWriteCallback: Pointer;
  /**
   * The `fd_write` function type by engine: wasmtime 49 binds a function type to the first
   * engine it is used with and panics (aborting the process) if another engine uses it.
   */
  fdWriteTypes: Map<Pointer, Pointer>;
}

const hosts = new WeakMap<WasmtimeLibrary, WasiHost>();

function i32FunctionType(library: WasmtimeLibrary, params: number, results: number): Pointer {
  const { functions } = library;
  const vector = (count: number) => {
    const items = Buffer.alloc(Math.max(1, count) * 8);
    for (let index = 0; index < count; index++)
      items.writeBigUInt64LE(functions.wasm_valtype_new(WASM_I32), index * 8);
    const out = Buffer.alloc(16);
    functions.wasm_valtype_vec_new(out, count, items);
    return out;
  };
  return functions.wasm_functype_new(vector(params), vector(results)); // takes ownership of both vectors
}

function trap(library: WasmtimeLibrary, message: string): Pointer {
  const text = Buffer.from(message);
  return library.functions.wasmtime_trap_new(text, text.byteLength);
}

/**
 * `fd_write(fd, iovs, iovs_len, nwritten) -> errno`, run on the calling thread (unlike
 * wasi_config_set_stdout_custom, whose callbacks run on another thread and deadlock with a
 * synchronous call). fd 1/2 go to capped buffers, fd 3 is the plugin's outcome channel;
 * a write past a cap traps, so the host never holds more than the cap.
 */
function fdWrite(library: WasmtimeLibrary, caller: Pointer, args: Pointer, results: Pointer): MaybePointer {
  const { functions, koffi } = library;
  const execution = activeExecution();
  if (!execution) return trap(library, 'jsbox: fd_write outside an execution');
  const argv = Buffer.from(koffi.view(args, 4 * VAL_SIZE));
  const fd = argv.readInt32LE(UNION_OFFSET);
  const iovs = argv.readUInt32LE(VAL_SIZE + UNION_OFFSET);
  const iovsLength = argv.readUInt32LE(2 * VAL_SIZE + UNION_OFFSET);
  const nwrittenAddress = argv.readUInt32LE(3 * VAL_SIZE + UNION_OFFSET);
  const result = Buffer.from(koffi.view(results, VAL_SIZE)); // aliases C memory: writes land in wasmtime
  const answer = (errno: number) => {
    result.writeUInt8(VAL_KIND.i32, 0);
    result.writeInt32LE(errno, UNION_OFFSET);
    return null;
  };
  const sink =
    fd === 1 ? execution.stdout : fd === 2 ? execution.stderr : fd === 3 ? execution.outcome : undefined;
  if (!sink) return answer(ERRNO.badFileDescriptor);
  const item = Buffer.alloc(EXTERN_SIZE);
  if (!functions.wasmtime_caller_export_get(caller, MEMORY, MEMORY.byteLength, item))
    return answer(ERRNO.fault);
  if (item.readUInt8(0) !== EXTERN_KIND.memory) return answer(ERRNO.fault);
  const memory = memoryRegion(
    library,
    functions.wasmtime_caller_context(caller),
    item.subarray(UNION_OFFSET),
  );
  if (!memory.contains(iovs, iovsLength * 8) || !memory.contains(nwrittenAddress, 4))
    return answer(ERRNO.fault);
  const vectors = memory.bytes(iovs, iovsLength * 8);
  const vectorView = new DataView(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  let written = 0;
  for (let index = 0; index < iovsLength; index++) {
    const pointer = vectorView.getUint32(index * 8, true);
    const length = vectorView.getUint32(index * 8 + 4, true);
    if (!memory.contains(pointer, length)) return answer(ERRNO.fault);
    if (length === 0) continue;
    if (!sink.write(memory.bytes(pointer, length))) {
      execution.stop = sink === execution.outcome ? 'result' : 'output';
      return trap(
        library,
        sink === execution.outcome ? 'jsbox: result channel overflow' : 'jsbox: output limit',
      );
    }
    written += length;
  }
  const nwritten = memory.bytes(nwrittenAddress, 4);
  new DataView(nwritten.buffer, nwritten.byteOffset, 4).setUint32(0, written, true);
  return answer(ERRNO.success);
}

/** Registers the host callbacks of this thread once (koffi allows 8192 registrations). */
export function wasiHost(library: WasmtimeLibrary): WasiHost {
  const existing = hosts.get(library);
  if (existing) return existing;
  const { koffi } = library;
  const prototype = koffi.proto(
    'void *jsbox_host_function(void *env, void *caller, void *args, size_t argCount, void *results, size_t resultCount)',
  );
  const fdWriteCallback = koffi.register(
    (_env: unknown, caller: Pointer, args: Pointer, _argCount: number, results: Pointer) => {
      try {
        return fdWrite(library, caller, args, results);
      } catch (error) {
        // Never let an exception cross into C: it could abort the process.
        return trap(library, `jsbox: fd_write failed: ${String(error)}`);
      }
    },
    koffi.pointer(prototype),
  );
  const host: WasiHost = { fdWriteCallback, fdWriteTypes: new Map() };
  hosts.set(library, host);
  return host;
}

/** Frees this thread's `fd_write` function type of `engine` (it holds the engine alive). */
export function releaseWasiHost(library: WasmtimeLibrary, engine: Pointer): void {
  const host = hosts.get(library);
  const fdWriteType = host?.fdWriteTypes.get(engine);
  if (!host || fdWriteType === undefined) return;
  library.functions.wasm_functype_delete(fdWriteType);
  host.fdWriteTypes.delete(engine);
}

/**
 * A linker with WASI preview1 (wasmtime's, no preopens, env or sockets) whose `fd_write` is
 * shadowed by jsbox's capturing host function.
 */
export function createWasiLinker(library: WasmtimeLibrary, engine: Pointer): Pointer {
  const { functions } = library;
  const host = wasiHost(library);
  let fdWriteType = host.fdWriteTypes.get(engine);
  if (fdWriteType === undefined) {
    fdWriteType = i32FunctionType(library, 4, 1);
    host.fdWriteTypes.set(engine, fdWriteType);
  }
  const linker = functions.wasmtime_linker_new(engine);
  try {
    check(library, functions.wasmtime_linker_define_wasi(linker), 'define WASI');
    functions.wasmtime_linker_allow_shadowing(linker, true);
    check(
      library,
      functions.wasmtime_linker_define_func(
        linker,
        WASI_MODULE,
        WASI_MODULE.byteLength,
        FD_WRITE,
        FD_WRITE.byteLength,
        fdWriteType,
        host.fdWriteCallback,
        null,
        null,
      ),
      'define fd_write',
    );
    return linker;
  } catch (error) {
    functions.wasmtime_linker_delete(linker);
    throw error;
  }
}
