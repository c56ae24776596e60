import type { OutputBuffer } from '@jsbox/core';

/** Why the host stopped a running guest (the guest did not end by itself). */
export type HostStop = 'output' | 'result' | 'deadline' | 'cancelled';

/**
 * The state of the one execution a thread is running. Host callbacks (fd_write, the epoch
 * deadline callback) are registered once per thread and find the execution here: a thread runs
 * one store at a time, so no lookup by store is needed.
 */
export interface ActiveExecution {
  stdout: OutputBuffer;
  stderr: OutputBuffer;
  /** fd 3, the outcome channel of the jsbox engine plugin; `undefined` when not provided. */
  outcome: OutputBuffer | undefined;
  /** `performance.now()` value after which the epoch callback stops the guest. */
  deadlineAt: number;
  /** Shared cancel flag: `[0] !== 0` means stop now. */
  cancelFlags: Int32Array | undefined;
  /** Set when the host stopped the guest. */
  stop: HostStop | undefined;
}

let active: ActiveExecution | undefined;

/** Makes `execution` the one host callbacks serve, until {@link endExecution}. */
export function beginExecution(execution: ActiveExecution): void {
  active = execution;
}

/** Ends the current execution; late callbacks (none are expected) find nothing and trap. */
export function endExecution(): void {
  active = undefined;
}

/** The execution host callbacks serve, if any. */
export function activeExecution(): ActiveExecution | undefined {
  return active;
}
