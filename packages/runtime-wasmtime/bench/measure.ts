/**
 * Measures the numbers in README "Performance": raw call overhead, warm hello-world latency,
 * fuel per millisecond of a CPU-bound JS loop, fuel metering overhead.
 * Run: pnpm --filter @jsbox/runtime-wasmtime bench
 */
import { compile, getEnginePlugin } from '@jsbox/compiler';
import { resolveExecutionRequest } from '@jsbox/core';
import { createWasmtimeBackend } from '../dist/index.js';
import { openLibrary } from '../src/ffi/library.js';
import { verifyLibrary } from '../src/library-location.js';
import { runModuleTask, type ThreadRuntime } from '../src/runner/run-module-task.js';
import { MAX_WASM_STACK_BYTES } from '../src/wasmtime/engine.js';
import { callFunction, exportedFunction, instantiate } from '../src/wasmtime/linker.js';
import { compileModule, watToWasm } from '../src/wasmtime/module.js';
import { createStore } from '../src/wasmtime/store.js';
import { createWasiLinker } from '../src/wasmtime/wasi-host.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const library = await openLibrary((await verifyLibrary()).path);
const { functions } = library;

function engineWith(fuel: boolean): bigint {
  const config = functions.wasm_config_new();
  functions.wasmtime_config_consume_fuel_set(config, fuel);
  functions.wasmtime_config_epoch_interruption_set(config, true);
  functions.wasmtime_config_max_wasm_stack_set(config, MAX_WASM_STACK_BYTES);
  return functions.wasm_engine_new_with_config(config)!;
}

// 1. Raw call overhead: wasmtime_func_call of an exported no-op, through koffi.
{
  const engine = engineWith(true);
  const store = createStore(library, engine, { linearMemoryLimitBytes: undefined, fuel: 1e12 });
  const linker = createWasiLinker(library, engine);
  const module = compileModule(library, engine, watToWasm(library, '(module (func (export "nop")))'));
  const instantiated = instantiate(library, linker, store.context, module);
  if (!('instance' in instantiated)) throw new Error('instantiate failed');
  const nop = exportedFunction(library, store.context, instantiated.instance, 'nop')!;
  const calls = 200_000;
  for (let index = 0; index < 10_000; index++) callFunction(library, store.context, nop);
  const started = performance.now();
  for (let index = 0; index < calls; index++) callFunction(library, store.context, nop);
  console.log(
    `raw call (wasmtime_func_call of a no-op via koffi): ${(((performance.now() - started) / calls) * 1000).toFixed(2)} µs`,
  );
}

// 2. Fuel on vs off: the same CPU-bound dynamic module, in-thread, engines differing only in fuel.
const plugin = getEnginePlugin();
const loop = await compile('let s = 0; for (let i = 0; i < 3e6; i++) s += i; s', { format: 'dynamic' });
for (const fuel of [true, false]) {
  const engine = engineWith(fuel);
  const runtime: ThreadRuntime = { library, engine };
  const pluginModule = compileModule(library, engine, plugin.bytes);
  const times: number[] = [];
  let consumed = 0;
  for (let round = 0; round < 7; round++) {
    const report = runModuleTask(runtime, {
      module: loop.bytes,
      plugin: { namespace: plugin.namespace, module: pluginModule },
      stdin: new Uint8Array(),
      timeoutMs: 60_000,
      fuel: fuel ? 1e13 : 0,
      linearMemoryLimitBytes: undefined,
      maxOutputBytes: 65_536,
      maxOutcomeBytes: 1 << 20,
    });
    if (report.end.kind !== 'exit') throw new Error(JSON.stringify(report.end));
    times.push(report.durationMs);
    consumed = report.fuelConsumed;
  }
  console.log(
    `3e6-iteration JS loop, fuel ${fuel ? 'on ' : 'off'}: median ${median(times).toFixed(1)} ms${fuel ? `, ${consumed} fuel -> ${Math.round(consumed / median(times)).toLocaleString('en')} fuel/ms` : ''}`,
  );
}

// 3. Warm hello-world latency through the backend (worker pool, compile cache warm).
{
  const backend = await createWasmtimeBackend({ poolSize: 1 });
  const request = resolveExecutionRequest({ code: 'console.log("hello world")' });
  for (let round = 0; round < 20; round++) await backend.execute(request);
  const times: number[] = [];
  for (let round = 0; round < 100; round++) {
    const started = performance.now();
    await backend.execute(request);
    times.push(performance.now() - started);
  }
  console.log(
    `warm hello world via backend.execute: median ${median(times).toFixed(2)} ms, p90 ${[...times].sort((a, b) => a - b)[89]!.toFixed(2)} ms`,
  );
  await backend.dispose();
}
