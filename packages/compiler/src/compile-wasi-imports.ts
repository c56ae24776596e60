import { randomFillSync } from 'node:crypto';

/** WASI errno values the compile-time host returns. */
const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;

/** Thrown by `proc_exit` so the caller can tell an exit from a trap. */
export class WasiExit extends Error {
  constructor(readonly exitCode: number) {
    super(`the engine plugin called proc_exit(${exitCode})`);
    this.name = 'WasiExit';
  }
}

/** What the compile-time WASI host needs from its instance once it exists. */
export interface CompileWasiContext {
  /** The plugin's memory; read lazily because it exists only after instantiation. */
  memory(): WebAssembly.Memory;
  /** Receives what the plugin writes to fd 1 / fd 2 (diagnostics only: compiling runs no user code). */
  onOutput?(fd: number, bytes: Uint8Array): void;
}

/**
 * A minimal `wasi_snapshot_preview1` import object for compiling with the plugin inside Node:
 * fd_write (stdout/stderr only), clocks, random, proc_exit, and ENOSYS for anything else the
 * plugin happens to import. No filesystem, environment or sockets: compiling never needs them.
 */
export function createCompileWasiImports(
  importNames: readonly string[],
  context: CompileWasiContext,
): Record<string, (...args: number[]) => number | bigint | undefined> {
  const view = () => new DataView(context.memory().buffer);
  const known: Record<string, (...args: any[]) => number> = {
    fd_write(fd: number, iovs: number, iovsLength: number, writtenPointer: number) {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      const data = view();
      let written = 0;
      for (let index = 0; index < iovsLength; index++) {
        const pointer = data.getUint32(iovs + index * 8, true);
        const length = data.getUint32(iovs + index * 8 + 4, true);
        context.onOutput?.(fd, new Uint8Array(data.buffer, pointer, length).slice());
        written += length;
      }
      data.setUint32(writtenPointer, written, true);
      return ERRNO_SUCCESS;
    },
    clock_time_get(_clock: number, _precision: bigint, resultPointer: number) {
      view().setBigUint64(resultPointer, BigInt(Date.now()) * 1_000_000n, true);
      return ERRNO_SUCCESS;
    },
    clock_res_get(_clock: number, resultPointer: number) {
      view().setBigUint64(resultPointer, 1_000n, true);
      return ERRNO_SUCCESS;
    },
    random_get(pointer: number, length: number) {
      randomFillSync(new Uint8Array(context.memory().buffer, pointer, length));
      return ERRNO_SUCCESS;
    },
    environ_sizes_get(countPointer: number, sizePointer: number) {
      const data = view();
      data.setUint32(countPointer, 0, true);
      data.setUint32(sizePointer, 0, true);
      return ERRNO_SUCCESS;
    },
    args_sizes_get(countPointer: number, sizePointer: number) {
      const data = view();
      data.setUint32(countPointer, 0, true);
      data.setUint32(sizePointer, 0, true);
      return ERRNO_SUCCESS;
    },
    environ_get: () => ERRNO_SUCCESS,
    args_get: () => ERRNO_SUCCESS,
    fd_fdstat_get: () => ERRNO_BADF,
    fd_prestat_get: () => ERRNO_BADF,
    sched_yield: () => ERRNO_SUCCESS,
    proc_exit(code: number) {
      throw new WasiExit(code);
    },
  };
  const imports: Record<string, (...args: any[]) => any> = {};
  for (const name of importNames) imports[name] = known[name] ?? (() => ERRNO_NOSYS);
  return imports;
}
