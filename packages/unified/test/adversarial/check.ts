import type { ExecutionResult } from '@jsbox/core';
import type { AdversarialCase, Expectation } from './cases.js';

function matches(result: ExecutionResult, expectation: Expectation): string | undefined {
  if (result.status !== expectation.status) return `status ${result.status}, expected ${expectation.status}`;
  if (result.status === 'error') {
    if (expectation.type && result.error.type !== expectation.type)
      return `error.type ${result.error.type}, expected ${expectation.type}`;
    if (expectation.limit && result.error.limit !== expectation.limit)
      return `error.limit ${result.error.limit}, expected ${expectation.limit}`;
  }
  if (expectation.result !== undefined && result.status === 'success') {
    if (JSON.stringify(result.result) !== JSON.stringify(expectation.result)) {
      return `result ${JSON.stringify(result.result)}, expected ${JSON.stringify(expectation.result)}`;
    }
  }
  return expectation.also?.(result);
}

/** Returns `undefined` when the result satisfies one of the case's expectations, else why not. */
export function checkAdversarial(testCase: AdversarialCase, result: ExecutionResult): string | undefined {
  const expectations = Array.isArray(testCase.expect) ? testCase.expect : [testCase.expect];
  const problems = expectations.map((expectation) => matches(result, expectation));
  if (problems.some((problem) => problem === undefined)) {
    const timeoutMs = testCase.request.limits?.timeoutMs ?? 5000;
    const bound = testCase.maxDurationMs ?? timeoutMs + 2000;
    if (result.durationMs > bound) return `took ${result.durationMs} ms, bound ${bound} ms`;
    return undefined;
  }
  const summary =
    result.status === 'error'
      ? `${result.error.type}/${result.error.limit ?? '-'} ${result.error.name}: ${result.error.message}`
      : '';
  return `${problems.join(' | ')} ${summary}`.trim();
}

/** A program that checks the previous execution left nothing behind. */
export const HEALTH_PROBE = {
  code: '[({}).polluted === undefined, typeof Array.prototype.map, typeof JSON.parse, typeof leak, 6 * 7]',
  expected: [true, 'function', 'function', 'undefined', 42],
};
