import { beforeAll, describe, expect, it } from 'vitest';
import { TRAP_CODE } from '../src/ffi/layout.js';
import type { WasmtimeLibrary } from '../src/ffi/library.js';
import { openLibrary } from '../src/ffi/library.js';
import { verifyLibrary } from '../src/library-location.js';
import type { ModuleTask } from '../src/runner/module-task.js';
import { runModuleTask, type ThreadRuntime } from '../src/runner/run-module-task.js';
import { createEngine } from '../src/wasmtime/engine.js';
import { watToWasm } from '../src/wasmtime/module.js';
import * as wat from './wat-fixtures.js';

let library: WasmtimeLibrary;
let runtime: ThreadRuntime;

beforeAll(async () => {
  const verified = await verifyLibrary();
  library = await openLibrary(verified.path);
  runtime = { library, engine: createEngine(library) };
});

function task(text: string, overrides: Partial<ModuleTask> = {}): ModuleTask {
  return {
    module: watToWasm(library, text),
    stdin: new Uint8Array(),
    timeoutMs: 60_000,
    fuel: 50_000_000,
    linearMemoryLimitBytes: 4 * 1024 * 1024,
    maxOutputBytes: 4096,
    maxOutcomeBytes: 4096,
    ...overrides,
  };
}

describe('wasmtime through koffi', () => {
  it('captures fd 1, fd 2 and fd 3 through the shadowed fd_write', () => {
    expect(runModuleTask(runtime, task(wat.writeOnce(1, 'hello out'))).stdout).toBe('hello out');
    expect(runModuleTask(runtime, task(wat.writeOnce(2, 'hello err'))).stderr).toBe('hello err');
    const report = runModuleTask(runtime, task(wat.writeOnce(3, '{"kind":"unsettled"}')));
    expect(report.outcomeText).toBe('{"kind":"unsettled"}');
    expect(report.end).toEqual({ kind: 'exit', exitCode: 0 });
  });

  it('stops at the fuel budget with the out-of-fuel trap and reports fuel used', () => {
    const report = runModuleTask(runtime, task(wat.INFINITE_LOOP, { fuel: 100_000 }));
    expect(report.end).toMatchObject({ kind: 'trap', trapCode: TRAP_CODE.outOfFuel });
    expect(report.fuelConsumed).toBe(100_000);
    const counted = runModuleTask(runtime, task(wat.countedLoop(1_000_000)));
    expect(counted.end).toEqual({ kind: 'exit', exitCode: 0 });
    expect(counted.fuelConsumed).toBeGreaterThan(1_000_000);
    expect(counted.fuelConsumed).toBeLessThan(20_000_000);
  });

  it('caps linear memory with the store limiter (memory.grow fails)', () => {
    const report = runModuleTask(
      runtime,
      task(wat.GROW_UNTIL_FAILURE, { linearMemoryLimitBytes: 1024 * 1024 }),
    );
    expect(report.end).toEqual({ kind: 'exit', exitCode: 3 });
  });

  it('traps a flood at maxOutputBytes and keeps exactly the cap', () => {
    const report = runModuleTask(runtime, task(wat.OUTPUT_FLOOD, { maxOutputBytes: 10_000 }));
    expect(report.end).toEqual({ kind: 'stopped', stop: 'output' });
    expect(report.stdout.length).toBe(10_000);
    expect(report.truncated.stdout).toBe(true);
  });

  it('reports stack overflow and other traps with their codes', () => {
    expect(runModuleTask(runtime, task(wat.DEEP_RECURSION)).end).toMatchObject({
      kind: 'trap',
      trapCode: TRAP_CODE.stackOverflow,
    });
    expect(runModuleTask(runtime, task(wat.UNREACHABLE)).end).toMatchObject({
      kind: 'trap',
      trapCode: TRAP_CODE.unreachable,
    });
  });
});
