import type { ExecutionResult, GuestError } from '@jsbox/core';

/** Characters of each excerpt (value, stdout, stderr) kept in the text summary. */
export const SUMMARY_EXCERPT_CHARS = 2_000;

/** Options of {@link summarizeResult}. */
export interface SummaryOptions {
  /** The caller's `context.task`, echoed on the first line. */
  task?: string;
  /** Characters kept per excerpt; default {@link SUMMARY_EXCERPT_CHARS}. */
  excerptChars?: number;
}

function excerpt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n… (${text.length - maxChars} more characters in structuredContent)`;
}

function location(error: GuestError): string {
  if (error.line === undefined) return '';
  return ` at line ${error.line}:${error.column ?? 1}`;
}

function statusLine(result: ExecutionResult): string {
  const where = `${Math.round(result.durationMs)} ms on ${result.backend}`;
  switch (result.status) {
    case 'success':
      return `Status: success (${where})`;
    case 'error': {
      const kind = result.error.limit
        ? `${result.error.type}, limit ${result.error.limit}`
        : result.error.type;
      return `Status: error (${kind}; ${where})`;
    }
    case 'timeout':
      return result.reason === 'cancelled'
        ? `Status: timeout (cancelled by the client after ${Math.round(result.elapsedMs)} ms)`
        : `Status: timeout (stopped after ${Math.round(result.elapsedMs)} ms; limit timeoutMs=${result.timeoutMs})`;
    case 'security_violation':
      return `Status: security_violation (${where})`;
  }
}

function detailLines(result: ExecutionResult, maxChars: number): string[] {
  switch (result.status) {
    case 'success': {
      const json = result.result === undefined ? 'undefined' : JSON.stringify(result.result);
      return [`Result: ${excerpt(json ?? 'undefined', maxChars)}`];
    }
    case 'error':
      return [`Error: ${result.error.name}: ${result.error.message}${location(result.error)}`];
    case 'timeout':
      return [];
    case 'security_violation': {
      const target = result.violation.target ? ` (${result.violation.target})` : '';
      return [`Violation: ${result.violation.kind}${target}: ${result.violation.message}`];
    }
  }
}

function streamLines(name: 'stdout' | 'stderr', result: ExecutionResult, maxChars: number): string[] {
  const text = result[name];
  if (text === '') return [];
  const cut = result.truncated[name] ? ', cut at maxOutputBytes' : '';
  return [
    `${name} (${Buffer.byteLength(text, 'utf8')} bytes${cut}):`,
    excerpt(text.replace(/\n$/, ''), maxChars),
  ];
}

/**
 * A readable summary of a result for the tool's text content: status, value, stdout and stderr
 * excerpts, and the error with its line:column. The full result travels as `structuredContent`.
 *
 * @example
 * summarizeResult(result) // "Status: success (3 ms on quickjs)\nResult: 2"
 */
export function summarizeResult(result: ExecutionResult, options: SummaryOptions = {}): string {
  const maxChars = options.excerptChars ?? SUMMARY_EXCERPT_CHARS;
  const lines = [
    ...(options.task ? [`Task: ${excerpt(options.task, 200)}`] : []),
    statusLine(result),
    ...detailLines(result, maxChars),
    ...streamLines('stdout', result, maxChars),
    ...streamLines('stderr', result, maxChars),
    ...(result.backendNote ? [`Note: ${result.backendNote}`] : []),
  ];
  return lines.join('\n');
}
