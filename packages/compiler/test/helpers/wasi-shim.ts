/**
 * A minimal WASI preview1 host for tests: enough of `wasi_snapshot_preview1` to run the engine
 * plugin in Node's `WebAssembly`, capturing fd 1/2/3 and serving fd 0. Not a sandbox; test-only.
 */
import { randomFillSync } from 'node:crypto';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;

/** Thrown by `proc_exit` so the test sees the exit code instead of a silent stop. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

/** Options for {@link WasiShim}. */
export interface WasiShimOptions {
  /** Bytes served on fd 0. */
  stdin?: Uint8Array;
  /** Whether fd 3 (jsbox's result channel) exists; without it writes fail with EBADF. */
  resultChannel?: boolean;
}

/** Captured output of one instance. */
export class WasiShim {
  readonly output = new Map<number, Uint8Array[]>([
    [1, []],
    [2, []],
    [3, []],
  ]);
  /** Names of the WASI functions the guest called, in first-call order. */
  readonly called = new Set<string>();
  private memory: WebAssembly.Memory | undefined;
  private readonly stdin: Uint8Array;
  private stdinOffset = 0;
  private readonly resultChannel: boolean;

  constructor(options: WasiShimOptions = {}) {
    this.stdin = options.stdin ?? new Uint8Array();
    this.resultChannel = options.resultChannel ?? true;
  }

  /** Must be called once the instance exists (its memory is an export). */
  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  /** Text written to `fd` so far. */
  text(fd: 1 | 2 | 3): string {
    return Buffer.concat(this.output.get(fd) ?? []).toString('utf8');
  }

  /** Import object for `wasi_snapshot_preview1`, covering every function the module imports. */
  imports(module: WebAssembly.Module): WebAssembly.Imports {
    const implemented: Record<string, (...args: any[]) => number> = {
      fd_write: (fd: number, iovs: number, count: number, writtenPtr: number) =>
        this.fdWrite(fd, iovs, count, writtenPtr),
      fd_read: (fd: number, iovs: number, count: number, readPtr: number) =>
        this.fdRead(fd, iovs, count, readPtr),
      clock_time_get: (_id: number, _precision: bigint, timePtr: number) => {
        this.view().setBigUint64(timePtr, BigInt(Date.now()) * 1_000_000n, true);
        return ERRNO_SUCCESS;
      },
      random_get: (pointer: number, length: number) => {
        randomFillSync(new Uint8Array(this.requireMemory().buffer, pointer, length));
        return ERRNO_SUCCESS;
      },
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },
      fd_close: () => ERRNO_BADF,
      fd_seek: () => ERRNO_BADF,
    };
    const wasi: Record<string, (...args: any[]) => number> = {};
    for (const entry of WebAssembly.Module.imports(module)) {
      if (entry.module !== 'wasi_snapshot_preview1') continue;
      const implementation = implemented[entry.name];
      wasi[entry.name] = (...args: any[]) => {
        this.called.add(entry.name);
        return implementation ? implementation(...args) : ERRNO_NOSYS;
      };
    }
    return { wasi_snapshot_preview1: wasi };
  }

  private requireMemory(): WebAssembly.Memory {
    if (!this.memory) throw new Error('WasiShim.bind(memory) was not called');
    return this.memory;
  }

  private view(): DataView {
    return new DataView(this.requireMemory().buffer);
  }

  private fdWrite(fd: number, iovs: number, count: number, writtenPtr: number): number {
    const sink = this.output.get(fd);
    if (!sink || (fd === 3 && !this.resultChannel)) return ERRNO_BADF;
    const view = this.view();
    let written = 0;
    for (let index = 0; index < count; index++) {
      const pointer = view.getUint32(iovs + index * 8, true);
      const length = view.getUint32(iovs + index * 8 + 4, true);
      sink.push(new Uint8Array(this.requireMemory().buffer.slice(pointer, pointer + length)));
      written += length;
    }
    view.setUint32(writtenPtr, written, true);
    return ERRNO_SUCCESS;
  }

  private fdRead(fd: number, iovs: number, count: number, readPtr: number): number {
    if (fd !== 0) return ERRNO_BADF;
    const view = this.view();
    let read = 0;
    for (let index = 0; index < count; index++) {
      const pointer = view.getUint32(iovs + index * 8, true);
      const length = view.getUint32(iovs + index * 8 + 4, true);
      const chunk = this.stdin.subarray(this.stdinOffset, this.stdinOffset + length);
      new Uint8Array(this.requireMemory().buffer, pointer, chunk.length).set(chunk);
      this.stdinOffset += chunk.length;
      read += chunk.length;
      if (chunk.length < length) break;
    }
    view.setUint32(readPtr, read, true);
    return ERRNO_SUCCESS;
  }
}
