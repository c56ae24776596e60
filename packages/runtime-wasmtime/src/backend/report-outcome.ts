import { type GuestOutcome, parseDescribedError } from '@jsbox/core';
import { TRAP_CODE } from '../ffi/layout.js';
import type { ModuleReport } from '../runner/module-task.js';
import { POOL } from '../wasmtime/engine.js';

/** The short cause of a wasmtime trap message (`wasm trap: …`), without the backtrace. */
export function shortTrapMessage(message: string): string {
  const cause = /wasm trap: (.+)/.exec(message)?.[1];
  return (cause ?? message.split('\n').find((line) => line.trim() !== '') ?? message).trim();
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Parses the plugin's fd 3 document into an outcome; `undefined` when absent or malformed. */
export function parseOutcomeDocument(text: string): GuestOutcome | undefined {
  if (text === '') return undefined;
  let document: Record<string, unknown> | undefined;
  try {
    document = asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
  switch (document?.kind) {
    case 'value':
      return 'value' in document ? { kind: 'value', value: document.value as never } : undefined;
    case 'exception': {
      const error = document.error;
      return {
        kind: 'exception',
        phase: document.phase === 'compile' ? 'compile' : 'run',
        error: parseDescribedError(typeof error === 'string' ? error : JSON.stringify(error ?? {})),
      };
    }
    case 'violation': {
      const violation = asRecord(document.violation);
      if (!violation) return undefined;
      return {
        kind: 'violation',
        violation: {
          kind: String(violation.kind ?? 'unknown'),
          ...(typeof violation.target === 'string' ? { target: violation.target } : {}),
          message: String(violation.message ?? 'The program tried to leave the sandbox'),
        },
      };
    }
    case 'unsettled':
      return { kind: 'unsettled' };
    case 'limit': {
      const limit = document.limit;
      if (limit !== 'memory' && limit !== 'stack' && limit !== 'output' && limit !== 'fuel') return undefined;
      return { kind: 'limit', limit, message: String(document.message ?? `${limit} limit reached`) };
    }
    default:
      return undefined;
  }
}

/** Context needed to describe limits in messages. */
export interface OutcomeContext {
  timeoutMs: number;
  fuel: number;
  maxOutputBytes: number;
  maxResultBytes: number;
}

/**
 * Maps how a run ended to the contract's outcome: host stops and resource traps first (they
 * are authoritative), then the plugin's own outcome document, else a crash with the reason.
 */
export function outcomeOfReport(report: ModuleReport, context: OutcomeContext): GuestOutcome {
  const { end } = report;
  if (end.kind === 'stopped') {
    if (end.stop === 'deadline' || end.stop === 'cancelled') {
      return {
        kind: 'timeout',
        reason: end.stop,
        elapsedMs: Math.round(report.durationMs),
        timeoutMs: context.timeoutMs,
      };
    }
    return end.stop === 'output'
      ? {
          kind: 'limit',
          limit: 'output',
          message: `The program wrote more than maxOutputBytes (${context.maxOutputBytes} bytes) to stdout or stderr`,
        }
      : {
          kind: 'limit',
          limit: 'output',
          message: `The result is larger than maxResultBytes (${context.maxResultBytes} bytes)`,
        };
  }
  if (end.kind === 'trap') {
    if (end.trapCode === TRAP_CODE.outOfFuel) {
      return {
        kind: 'limit',
        limit: 'fuel',
        message: `The program used up its fuel budget (${context.fuel} units)`,
      };
    }
    if (end.trapCode === TRAP_CODE.stackOverflow) {
      return { kind: 'limit', limit: 'stack', message: 'The program overflowed the WebAssembly stack' };
    }
    if (end.trapCode === TRAP_CODE.interrupt) {
      return {
        kind: 'timeout',
        reason: 'deadline',
        elapsedMs: Math.round(report.durationMs),
        timeoutMs: context.timeoutMs,
      };
    }
  }
  const document = parseOutcomeDocument(report.outcomeText);
  if (document) return document;
  if (end.kind === 'trap') {
    const cause = shortTrapMessage(end.message);
    if (end.trapCode === TRAP_CODE.allocationTooLarge)
      return { kind: 'limit', limit: 'memory', message: cause };
    return { kind: 'crash', message: `The engine trapped: ${cause}` };
  }
  if (end.kind === 'error') {
    const cause = shortTrapMessage(end.message);
    if (/maximum concurrent limit/i.test(cause)) {
      return {
        kind: 'crash',
        message: `The wasmtime engine has no free instance slot (${cause}): this process already runs as many executions at once as its pool allows (${POOL.memories}). Retry, or run fewer sandbox workers at once.`,
      };
    }
    if (/memory/i.test(cause) && /limit|exceed|grow/i.test(cause))
      return { kind: 'limit', limit: 'memory', message: cause };
    return { kind: 'crash', message: `The engine failed: ${cause}` };
  }
  return {
    kind: 'crash',
    message: `The engine exited with code ${end.exitCode} without reporting an outcome`,
  };
}
