// The in-process contestants. Each `create()` returns a runner: `run(workload)` executes the
// workload once in a fresh isolate/context/store and resolves to its answer (checked against the
// expected one), `dispose()` frees it. Native qjs runs out of process: see qjs-native.mjs.
import { availableParallelism } from 'node:os';
import vm from 'node:vm';
import { checkAnswer, sourceOf } from './workload-source.mjs';

/** How many worker threads a pooled contestant gets when the caller does not say. */
export const CORES = availableParallelism();

async function jsboxRunner(backend, { poolSize = 1, maxQueued = 256 } = {}) {
  const { createSandbox } = await import('@jsbox/unified');
  const sandbox = await createSandbox({ backend, poolSize, maxQueued, preset: 'default' });
  return {
    async run(workload) {
      const result = await sandbox.execute({ code: sourceOf(workload) });
      if (result.status !== 'success') {
        throw new Error(`jsbox ${backend} ${workload.id}: ${result.status} ${JSON.stringify(result.error)}`);
      }
      checkAnswer(`jsbox ${backend}`, workload, result.result);
      return result;
    },
    dispose: () => sandbox.dispose(),
  };
}

async function quickjsEmscriptenRunner() {
  const { getQuickJS } = await import('quickjs-emscripten');
  const QuickJS = await getQuickJS();
  return {
    async run(workload) {
      // newContext() on the module makes a new runtime too: as fresh as a jsbox execution.
      const context = QuickJS.newContext();
      try {
        let stdout = '';
        const consoleObject = context.newObject();
        const log = context.newFunction('log', (...args) => {
          stdout += `${args.map((arg) => context.getString(arg)).join(' ')}\n`;
        });
        context.setProp(consoleObject, 'log', log);
        context.setProp(context.global, 'console', consoleObject);
        log.dispose();
        consoleObject.dispose();
        const evaluated = context.unwrapResult(context.evalCode(sourceOf(workload), 'main.js'));
        context.runtime.executePendingJobs(-1);
        const state = context.getPromiseState(evaluated);
        const value = state.type === 'fulfilled' ? context.dump(state.value) : undefined;
        if (state.type === 'fulfilled' && !state.notAPromise) state.value.dispose();
        if (state.type === 'rejected') state.error.dispose();
        evaluated.dispose();
        if (state.type !== 'fulfilled') throw new Error(`quickjs-emscripten ${workload.id}: ${state.type}`);
        checkAnswer('quickjs-emscripten', workload, value);
        return { stdout };
      } finally {
        context.dispose();
      }
    },
    async dispose() {},
  };
}

async function nodeVmRunner() {
  return {
    async run(workload) {
      let stdout = '';
      const context = vm.createContext({
        console: {
          log: (...args) => {
            stdout += `${args.join(' ')}\n`;
          },
        },
      });
      const value = await vm.runInContext(sourceOf(workload), context);
      checkAnswer('node:vm', workload, value);
      return { stdout };
    },
    async dispose() {},
  };
}

/**
 * The in-process contestants, in report order. `pooled` ones run on a worker pool and take part
 * in the throughput test; `isolation` is what stands between the guest and the host.
 */
export const CONTESTANTS = [
  {
    id: 'wasmtime',
    label: 'jsbox wasmtime',
    pooled: true,
    isolation: 'wasm store in a worker thread (wasmtime)',
    create: (options) => jsboxRunner('wasmtime', options),
  },
  {
    id: 'quickjs',
    label: 'jsbox quickjs',
    pooled: true,
    isolation: 'wasm instance in a worker thread (V8)',
    create: (options) => jsboxRunner('quickjs', options),
  },
  {
    id: 'quickjs-emscripten',
    label: 'quickjs-emscripten',
    pooled: false,
    isolation: 'wasm instance on the calling thread, no limits set',
    create: () => quickjsEmscriptenRunner(),
  },
  {
    id: 'node-vm',
    label: 'node:vm',
    pooled: false,
    isolation: 'none (a V8 context; not a security boundary)',
    create: () => nodeVmRunner(),
  },
];

/** The in-process contestant with id `id`. */
export function contestantById(id) {
  const contestant = CONTESTANTS.find((entry) => entry.id === id);
  if (!contestant) throw new Error(`no contestant ${id}`);
  return contestant;
}
