import type { ExecutionResult } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { summarizeResult } from '../src/summary.js';

const base = {
  stdout: '',
  stderr: '',
  truncated: { stdout: false, stderr: false },
  durationMs: 3.4,
  backend: 'quickjs',
};

describe('summarizeResult', () => {
  it('summarises a success with task, value and output', () => {
    const result: ExecutionResult = { ...base, status: 'success', result: { a: 1 }, stdout: 'hi\n' };
    expect(summarizeResult(result, { task: 'greet' })).toBe(
      'Task: greet\nStatus: success (3 ms on quickjs)\nResult: {"a":1}\nstdout (3 bytes):\nhi',
    );
  });

  it('gives the error with its line:column and the limit hit', () => {
    const syntax: ExecutionResult = {
      ...base,
      status: 'error',
      error: { type: 'syntax', name: 'SyntaxError', message: 'unexpected token', line: 2, column: 11 },
    };
    expect(summarizeResult(syntax)).toContain('Error: SyntaxError: unexpected token at line 2:11');
    const memory: ExecutionResult = {
      ...base,
      status: 'error',
      error: { type: 'resource', limit: 'memory', name: 'InternalError', message: 'out of memory' },
    };
    expect(summarizeResult(memory)).toContain('Status: error (resource, limit memory;');
  });

  it('tells a deadline from a cancellation', () => {
    const timeout = { ...base, status: 'timeout', elapsedMs: 301, timeoutMs: 300 } as const;
    expect(summarizeResult({ ...timeout, reason: 'deadline' })).toContain('limit timeoutMs=300');
    expect(summarizeResult({ ...timeout, reason: 'cancelled' })).toContain('cancelled by the client');
  });

  it('cuts long excerpts and marks streams cut by the sandbox', () => {
    const result: ExecutionResult = {
      ...base,
      status: 'success',
      result: 'x'.repeat(50),
      stderr: 'e'.repeat(30),
      truncated: { stdout: false, stderr: true },
    };
    const text = summarizeResult(result, { excerptChars: 10 });
    expect(text).toContain('Result: "xxxxxxxxx\n… (42 more characters in structuredContent)');
    expect(text).toContain('stderr (30 bytes, cut at maxOutputBytes):\neeeeeeeeee\n…');
  });

  it('names a security violation', () => {
    const result: ExecutionResult = {
      ...base,
      status: 'security_violation',
      violation: { kind: 'require', target: 'fs', message: 'require is not available' },
    };
    expect(summarizeResult(result)).toContain('Violation: require (fs): require is not available');
  });
});
