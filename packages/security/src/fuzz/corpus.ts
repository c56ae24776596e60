import type { JsonValue } from '@jsbox/core';
import { GOOD_PROGRAMS } from '../good-programs.js';
import { ADVERSARIAL_CASES, CONFORMANCE_CASES } from '../shared-cases.js';

/** A seed program for mutation: its code and, when it had one, its input. */
export interface SeedProgram {
  code: string;
  input?: JsonValue;
}

const withInput = (code: string, input: unknown): SeedProgram =>
  input === undefined ? { code } : { code, input: input as JsonValue };

/** Every program of the conformance and adversarial suites plus the soak's ordinary programs. */
export const SEED_PROGRAMS: readonly SeedProgram[] = [
  ...CONFORMANCE_CASES.map((testCase) => withInput(testCase.request.code, testCase.request.input)),
  ...ADVERSARIAL_CASES.map((testCase) => withInput(testCase.request.code, testCase.request.input)),
  ...GOOD_PROGRAMS.map((program) => withInput(program.request.code, program.request.input)),
];
