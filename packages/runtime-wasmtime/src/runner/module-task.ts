import type { HostStop } from '../wasmtime/active-execution.js';

/**
 * Source code for the worker to compile (with `@jsbox/compiler`) into a dynamic module before
 * running it. Compiling on the worker keeps the host's event loop free, and puts the compile
 * (QuickJS's parser can be slow on hostile input) under the task's hard deadline.
 */
export interface SourceToCompile {
  code: string;
  language: 'javascript' | 'typescript';
  filename: string;
  maxCodeBytes: number;
}

/** One module to run in a fresh store; plain data, sent to a worker thread. */
export interface ModuleTask {
  /** The module: a dynamic module importing the plugin, or a self-contained (static) one. */
  module?: Uint8Array;
  /**
   * Or a program's bytecode for the plugin (from `compileProgram`): run through the program
   * loader, a fixed dynamic module compiled once per thread, so a new program costs no wasm
   * compile. Needs `plugin`.
   */
  program?: Uint8Array;
  /** Or source code the worker compiles first (then `plugin` is the jsbox plugin). */
  source?: SourceToCompile;
  /**
   * The plugin to preload for a dynamic module: the namespace the module imports it under and
   * its compiled `wasmtime_module_t*` (compiled by the engine host into the shared engine).
   */
  plugin?: { namespace: string; module: bigint };
  /** Bytes the guest reads from stdin (fd 0). */
  stdin: Uint8Array;
  /** Wall-clock budget of the whole run, instantiation included. */
  timeoutMs: number;
  fuel: number;
  /** Cap of the guest's linear memory; `undefined` = wasmtime's default (none). */
  linearMemoryLimitBytes: number | undefined;
  /** Cap of fd 1 and of fd 2 each. */
  maxOutputBytes: number;
  /**
   * Cap of fd 3 (the jsbox plugin's outcome channel); `undefined` = no fd 3 (a write gets
   * EBADF), as under `wasmtime run`: the plugin then reports failures on stderr and traps.
   */
  maxOutcomeBytes?: number;
  /** Arguments of the plugin's `jsbox-configure(memory, stack, result)`, called when exported. */
  configure?: [memoryLimitBytes: number, maxStackSizeBytes: number, maxResultBytes: number];
}

/** How a module run ended. */
export type ModuleEnd =
  | { kind: 'exit'; exitCode: number }
  | { kind: 'stopped'; stop: HostStop }
  | { kind: 'trap'; trapCode?: number; message: string }
  | { kind: 'error'; message: string };

/** What a module run produced; plain data, sent back from the worker thread. */
export interface ModuleReport {
  end: ModuleEnd;
  /** The source did not compile (only for `source` tasks): message and 1-based position. */
  compileError?: { message: string; line?: number; column?: number };
  /** Source map of a compiled TypeScript `source`, to map guest stacks back. */
  sourceMap?: string;
  stdout: string;
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  /** What the guest wrote to fd 3 (the jsbox plugin writes its outcome JSON there); '' without fd 3. */
  outcomeText: string;
  fuelConsumed: number;
  durationMs: number;
}
