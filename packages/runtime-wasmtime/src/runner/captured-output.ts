import type { Pointer } from '../ffi/functions.js';
import type { WasmtimeLibrary } from '../ffi/library.js';
import type { ActiveExecution, HostStop } from '../wasmtime/active-execution.js';
import { callFunction, callI32Function, exportedFunction } from '../wasmtime/linker.js';
import { memoryRegion } from '../wasmtime/memory-region.js';
import type { CallFailure } from '../wasmtime/traps.js';
import type { ModuleEnd, ModuleTask } from './module-task.js';

/** Where the plugin keeps captured output: its memory and the address of its capture area. */
export interface CapturedOutput {
  memory: Buffer;
  area: number;
}

/**
 * Applies the task's limits to the plugin (`jsbox-configure`). Given the plugin's `memory` (for a
 * program), the jsbox plugin is also asked to keep output there (`jsbox-configure-capture`); the
 * host collects it after the run (see {@link collectCapturedOutput}) instead of taking one
 * `fd_write` call per write.
 */
export function configurePlugin(
  library: WasmtimeLibrary,
  task: ModuleTask,
  context: Pointer,
  instance: Buffer,
  memory: Buffer | undefined,
  fail: (failure: CallFailure | undefined) => void,
): CapturedOutput | undefined {
  if (!task.configure) return undefined;
  const capture = memory && exportedFunction(library, context, instance, 'jsbox-configure-capture');
  if (capture && memory) {
    const answer = callI32Function(library, context, capture, [...task.configure, task.maxOutputBytes]);
    if ('failure' in answer) fail(answer.failure);
    return { memory, area: (answer as { result: number }).result >>> 0 };
  }
  const configure = exportedFunction(library, context, instance, 'jsbox-configure');
  if (configure) fail(callFunction(library, context, configure, task.configure));
  return undefined;
}

/**
 * Copies what the plugin still holds in its capture area ([stdout ptr, len, stderr ptr, len,
 * outcome ptr, len]) into the execution's capped buffers, however the run ended. The plugin
 * sends a write that passes the output cap out at once (so the guest was stopped then), so a
 * cap reached here is only a safety net; it stops the run as the live check would have.
 */
export function collectCapturedOutput(
  library: WasmtimeLibrary,
  context: Pointer,
  captured: CapturedOutput,
  execution: ActiveExecution,
  end: ModuleEnd,
): ModuleEnd {
  const memory = memoryRegion(library, context, captured.memory);
  if (!memory.contains(captured.area, 24)) return end;
  const areaBytes = memory.bytes(captured.area, 24);
  const area = new DataView(areaBytes.buffer, areaBytes.byteOffset, 24);
  const sinks = [
    [execution.stdout, 'output'],
    [execution.stderr, 'output'],
    [execution.outcome, 'result'],
  ] as const;
  let stop: HostStop | undefined;
  for (const [index, [sink, reason]] of sinks.entries()) {
    const pointer = area.getUint32(index * 8, true);
    const length = area.getUint32(index * 8 + 4, true);
    if (!sink || length === 0 || !memory.contains(pointer, length)) continue;
    if (!sink.write(memory.bytes(pointer, length))) stop ??= reason;
  }
  if (stop === undefined || end.kind === 'stopped') return end;
  execution.stop = stop;
  return { kind: 'stopped', stop };
}
