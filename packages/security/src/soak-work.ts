import type { ExecutionRequest } from '@jsbox/core';
import { GOOD_PROGRAMS } from './good-programs.js';
import type { ToolAnswer } from './mcp-client.js';
import { SeededRandom } from './seeded-random.js';
import {
  ADVERSARIAL_CASES,
  type AdversarialCase,
  checkAdversarial,
  sandboxLimitsKey,
  toToolCall,
} from './shared-cases.js';

/** How one soak call ended. Everything but `ok` and `mismatch` is a failure that is not the guest's. */
export type Verdict = 'ok' | 'mismatch' | 'transport' | 'refused' | 'internal';

/** One planned execution. */
export interface SoakWork {
  kind: 'good' | 'hostile';
  family: string;
  name: string;
  arguments: Record<string, unknown>;
  judge(answer: ToolAnswer): { verdict: Verdict; detail?: string };
}

/** The hostile cases the tool's arguments can express (the rest need sandbox-level limits). */
export const SOAK_HOSTILE_CASES: readonly AdversarialCase[] = ADVERSARIAL_CASES.filter(
  (testCase) => sandboxLimitsKey(testCase) === '{}',
);

function requestArguments(request: ExecutionRequest): Record<string, unknown> {
  return toToolCall(request).arguments;
}

function notTheGuest(answer: ToolAnswer): { verdict: Verdict; detail?: string } | undefined {
  if (!answer.result) return { verdict: 'refused', detail: answer.text.slice(0, 200) };
  if (answer.result.status === 'error' && answer.result.error.type === 'unknown')
    return { verdict: 'internal', detail: answer.result.error.message.slice(0, 200) };
  return undefined;
}

/** The work of execution `index` in a soak seeded with `seed`: a good program, or a hostile case. */
export function planSoakWork(seed: number, index: number, hostilePercent: number): SoakWork {
  const random = SeededRandom.forItem(seed, index);
  if (random.chance(hostilePercent / 100)) {
    const testCase = random.pick(SOAK_HOSTILE_CASES);
    return {
      kind: 'hostile',
      family: testCase.family,
      name: testCase.name,
      arguments: requestArguments(testCase.request),
      judge(answer) {
        const failure = notTheGuest(answer);
        if (failure) return failure;
        const problem = checkAdversarial(testCase, answer.result!);
        return problem ? { verdict: 'mismatch', detail: problem.slice(0, 200) } : { verdict: 'ok' };
      },
    };
  }
  const program = random.pick(GOOD_PROGRAMS);
  return {
    kind: 'good',
    family: 'good',
    name: program.name,
    arguments: requestArguments(program.request),
    judge(answer) {
      const failure = notTheGuest(answer);
      if (failure) return failure;
      const result = answer.result!;
      const fine =
        result.status === 'success' &&
        JSON.stringify(result.result) === JSON.stringify(program.result) &&
        (program.stdout === undefined || result.stdout === program.stdout);
      return fine ? { verdict: 'ok' } : { verdict: 'mismatch', detail: JSON.stringify(result).slice(0, 200) };
    },
  };
}
