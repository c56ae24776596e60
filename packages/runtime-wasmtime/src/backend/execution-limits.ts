import { fuelBudget, type Limits } from '@jsbox/core';
import type { ModuleTask } from '../runner/module-task.js';

/** Room above `maxResultBytes` on fd 3 for the outcome document's own envelope. */
export const OUTCOME_SLACK_BYTES = 64 * 1024;

/**
 * Room above `memoryLimitBytes` in the linear-memory cap, for allocator overhead and
 * fragmentation, so QuickJS's own limit (set through `jsbox-configure`) is normally what
 * trips first and the guest sees a catchable out-of-memory error.
 */
export const MEMORY_SLACK_BYTES = 4 * 1024 * 1024;

/**
 * The linear-memory cap of an execution: the plugin's baseline (its initial memory: wasm stack,
 * data, the pre-initialised QuickJS heap) + `memoryLimitBytes` + {@link MEMORY_SLACK_BYTES}.
 */
export function linearMemoryLimit(limits: Pick<Limits, 'memoryLimitBytes'>, baselineBytes: number): number {
  return baselineBytes + limits.memoryLimitBytes + MEMORY_SLACK_BYTES;
}

/** The limit fields of a module task for a request's limits. */
export function taskLimits(
  limits: Limits,
  baselineBytes: number,
): Pick<
  ModuleTask,
  'timeoutMs' | 'fuel' | 'linearMemoryLimitBytes' | 'maxOutputBytes' | 'maxOutcomeBytes' | 'configure'
> {
  return {
    timeoutMs: limits.timeoutMs,
    fuel: fuelBudget(limits),
    linearMemoryLimitBytes: linearMemoryLimit(limits, baselineBytes),
    maxOutputBytes: limits.maxOutputBytes,
    maxOutcomeBytes: limits.maxResultBytes + OUTCOME_SLACK_BYTES,
    configure: [limits.memoryLimitBytes, limits.maxStackSizeBytes, limits.maxResultBytes],
  };
}

/** Grace after `timeoutMs` before the pool's backstop terminates a worker that did not stop. */
export const HARD_DEADLINE_GRACE_MS = 1_000;
