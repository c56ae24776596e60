// Test-only WASI preview1 host for running compiled modules on Node's WebAssembly: stdin from a
// buffer, fd 1/2/3 captured (fd 3 = jsbox's result channel), proc_exit recorded, no filesystem.
import { randomFillSync } from 'node:crypto';

const SUCCESS = 0;
const BADF = 8;
const NOSYS = 52;
const SPIPE = 70;

class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

/** What a run produced. */
export interface WasiRun {
  stdout: string;
  stderr: string;
  /** Bytes written to fd 3 (the jsbox result channel), as text. */
  result: string;
  exitCode: number;
  /** Set when the module trapped. */
  trap?: Error;
}

/** A WASI host bound to one memory (set once the instance that owns it exists). */
export class TestWasiHost {
  memory: WebAssembly.Memory | undefined;
  private readonly out: Record<number, number[]> = { 1: [], 2: [], 3: [] };
  private stdin: Uint8Array;
  private readonly resultChannel: boolean;

  constructor(options: { stdin?: string; resultChannel?: boolean } = {}) {
    this.stdin = new TextEncoder().encode(options.stdin ?? '');
    this.resultChannel = options.resultChannel ?? true;
  }

  /** The import object: every name the module imports from wasi_snapshot_preview1 gets a function. */
  imports(module: WebAssembly.Module): Record<string, (...args: any[]) => any> {
    const view = () => new DataView(this.memory!.buffer);
    const bytes = () => new Uint8Array(this.memory!.buffer);
    const known: Record<string, (...args: any[]) => any> = {
      fd_write: (fd: number, iovs: number, count: number, writtenPointer: number) => {
        if (!(fd === 1 || fd === 2 || (fd === 3 && this.resultChannel))) return BADF;
        let written = 0;
        for (let index = 0; index < count; index++) {
          const pointer = view().getUint32(iovs + index * 8, true);
          const length = view().getUint32(iovs + index * 8 + 4, true);
          this.out[fd]!.push(...bytes().subarray(pointer, pointer + length));
          written += length;
        }
        view().setUint32(writtenPointer, written, true);
        return SUCCESS;
      },
      fd_read: (fd: number, iovs: number, count: number, readPointer: number) => {
        if (fd !== 0) return BADF;
        let read = 0;
        for (let index = 0; index < count && this.stdin.length > 0; index++) {
          const pointer = view().getUint32(iovs + index * 8, true);
          const length = view().getUint32(iovs + index * 8 + 4, true);
          const chunk = this.stdin.subarray(0, length);
          bytes().set(chunk, pointer);
          this.stdin = this.stdin.subarray(chunk.length);
          read += chunk.length;
        }
        view().setUint32(readPointer, read, true);
        return SUCCESS;
      },
      fd_fdstat_get: (fd: number, pointer: number) => {
        if (fd > 3 || (fd === 3 && !this.resultChannel)) return BADF;
        new Uint8Array(this.memory!.buffer, pointer, 24).fill(0);
        view().setUint8(pointer, 2); // character device
        return SUCCESS;
      },
      fd_seek: () => SPIPE,
      fd_close: () => SUCCESS,
      fd_prestat_get: () => BADF,
      environ_sizes_get: (countPointer: number, sizePointer: number) => {
        view().setUint32(countPointer, 0, true);
        view().setUint32(sizePointer, 0, true);
        return SUCCESS;
      },
      args_sizes_get: (countPointer: number, sizePointer: number) => {
        view().setUint32(countPointer, 0, true);
        view().setUint32(sizePointer, 0, true);
        return SUCCESS;
      },
      environ_get: () => SUCCESS,
      args_get: () => SUCCESS,
      clock_time_get: (_id: number, _precision: bigint, pointer: number) => {
        view().setBigUint64(pointer, process.hrtime.bigint(), true);
        return SUCCESS;
      },
      clock_res_get: (_id: number, pointer: number) => {
        view().setBigUint64(pointer, 1000n, true);
        return SUCCESS;
      },
      random_get: (pointer: number, length: number) => {
        randomFillSync(bytes().subarray(pointer, pointer + length));
        return SUCCESS;
      },
      sched_yield: () => SUCCESS,
      poll_oneoff: () => NOSYS,
      proc_exit: (code: number) => {
        throw new ProcExit(code);
      },
    };
    const imports: Record<string, (...args: any[]) => any> = {};
    for (const entry of WebAssembly.Module.imports(module)) {
      if (entry.module === 'wasi_snapshot_preview1') imports[entry.name] = known[entry.name] ?? (() => NOSYS);
    }
    return imports;
  }

  /** Calls `start` and collects the outputs; proc_exit and traps become the exit code. */
  run(start: () => void): WasiRun {
    let exitCode = 0;
    let trap: Error | undefined;
    try {
      start();
    } catch (error) {
      if (error instanceof ProcExit) exitCode = error.code;
      else {
        trap = error as Error;
        exitCode = 134;
      }
    }
    const text = (fd: number) => new TextDecoder().decode(Uint8Array.from(this.out[fd]!));
    return { stdout: text(1), stderr: text(2), result: text(3), exitCode, ...(trap ? { trap } : {}) };
  }
}

/** Runs a static (self-contained) command module. */
export function runStatic(
  module: Uint8Array,
  options: { stdin?: string; resultChannel?: boolean } = {},
): WasiRun {
  const host = new TestWasiHost(options);
  const compiled = new WebAssembly.Module(module);
  const instance = new WebAssembly.Instance(compiled, { wasi_snapshot_preview1: host.imports(compiled) });
  host.memory = instance.exports.memory as WebAssembly.Memory;
  return host.run(() => (instance.exports._start as () => void)());
}

/** Runs a dynamic module against a fresh instance of `plugin`, linked under `namespace`. */
export function runDynamic(
  module: Uint8Array,
  plugin: Uint8Array,
  namespace: string,
  options: { stdin?: string; resultChannel?: boolean } = {},
): WasiRun {
  const host = new TestWasiHost(options);
  const pluginModule = new WebAssembly.Module(plugin);
  const pluginInstance = new WebAssembly.Instance(pluginModule, {
    wasi_snapshot_preview1: host.imports(pluginModule),
  });
  host.memory = pluginInstance.exports.memory as WebAssembly.Memory;
  const compiled = new WebAssembly.Module(module);
  const instance = new WebAssembly.Instance(compiled, { [namespace]: pluginInstance.exports });
  return host.run(() => (instance.exports._start as () => void)());
}
