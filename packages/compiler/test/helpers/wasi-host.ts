// Runs compiled modules (static, or dynamic linked to a plugin instance) on Node's WebAssembly
// with the engine tests' WasiShim: fd 0 from a string, fd 1/2/3 captured, traps recorded.
import { WasiExit, WasiShim } from './wasi-shim.js';

/** What a run produced. */
export interface WasiRun {
  stdout: string;
  stderr: string;
  /** Text written to fd 3 (the jsbox result channel). */
  result: string;
  /** proc_exit code, 134 after a trap (like the wasmtime CLI), else 0. */
  exitCode: number;
  /** Set when the module trapped. */
  trap?: Error;
}

/** Options of a run. */
export interface WasiRunOptions {
  stdin?: string;
  /** Whether fd 3 exists (default true); false mimics `wasmtime run`. */
  resultChannel?: boolean;
}

function shimFor(options: WasiRunOptions): WasiShim {
  return new WasiShim({
    stdin: new TextEncoder().encode(options.stdin ?? ''),
    resultChannel: options.resultChannel ?? true,
  });
}

function collect(shim: WasiShim, start: () => void): WasiRun {
  let exitCode = 0;
  let trap: Error | undefined;
  try {
    start();
  } catch (error) {
    if (error instanceof WasiExit) exitCode = error.code;
    else {
      trap = error as Error;
      exitCode = 134;
    }
  }
  return {
    stdout: shim.text(1),
    stderr: shim.text(2),
    result: shim.text(3),
    exitCode,
    ...(trap ? { trap } : {}),
  };
}

/** Runs a static (self-contained) command module. */
export function runStatic(module: Uint8Array, options: WasiRunOptions = {}): WasiRun {
  const shim = shimFor(options);
  const compiled = new WebAssembly.Module(module);
  const instance = new WebAssembly.Instance(compiled, shim.imports(compiled));
  shim.bind(instance.exports.memory as WebAssembly.Memory);
  return collect(shim, () => (instance.exports._start as () => void)());
}

/** A fresh instance of `plugin` on a new shim, and `module` instantiated against it under `namespace`. */
function linkToPlugin(module: Uint8Array, plugin: Uint8Array, namespace: string, options: WasiRunOptions) {
  const shim = shimFor(options);
  const pluginModule = new WebAssembly.Module(plugin);
  const pluginInstance = new WebAssembly.Instance(pluginModule, shim.imports(pluginModule));
  const memory = pluginInstance.exports.memory as WebAssembly.Memory;
  shim.bind(memory);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(module), {
    [namespace]: pluginInstance.exports,
  });
  return { shim, plugin: pluginInstance, memory, instance };
}

/** Runs a dynamic module against a fresh instance of `plugin`, linked under `namespace` (like `--preload`). */
export function runDynamic(
  module: Uint8Array,
  plugin: Uint8Array,
  namespace: string,
  options: WasiRunOptions = {},
): WasiRun {
  const { shim, instance } = linkToPlugin(module, plugin, namespace, options);
  return collect(shim, () => (instance.exports._start as () => void)());
}

/** What the plugin kept in its capture area (see `jsbox-configure-capture`). */
export interface CapturedOutput {
  stdout: string;
  stderr: string;
  outcome: string;
}

/**
 * Runs `bytecode` the way the wasmtime backend does with the program loader: copy it into the
 * plugin's memory with `cabi_realloc`, link the loader against the plugin, call `jsbox-run`.
 * With `captureOutput` (the output cap), the plugin is first asked to keep output in memory, and
 * what its capture area holds afterwards is returned as `captured`.
 */
export function runThroughLoader(
  loader: Uint8Array,
  bytecode: Uint8Array,
  plugin: Uint8Array,
  namespace: string,
  options: WasiRunOptions & { captureOutput?: number } = {},
): WasiRun & { captured?: CapturedOutput } {
  const linked = linkToPlugin(loader, plugin, namespace, options);
  const { shim, memory, instance } = linked;
  const exports = linked.plugin.exports as Record<string, (...args: number[]) => number>;
  const area =
    options.captureOutput === undefined
      ? undefined
      : exports['jsbox-configure-capture']!(0, 0, 0, options.captureOutput);
  const run = collect(shim, () => {
    const pointer = exports.cabi_realloc!(0, 0, 1, bytecode.length);
    new Uint8Array(memory.buffer, pointer, bytecode.length).set(bytecode);
    (instance.exports['jsbox-run'] as (pointer: number, length: number) => void)(pointer, bytecode.length);
  });
  if (area === undefined) return run;
  const words = new Uint32Array(memory.buffer, area, 6);
  const text = (index: number) =>
    new TextDecoder().decode(new Uint8Array(memory.buffer, words[index * 2]!, words[index * 2 + 1]!));
  return { ...run, captured: { stdout: text(0), stderr: text(1), outcome: text(2) } };
}
