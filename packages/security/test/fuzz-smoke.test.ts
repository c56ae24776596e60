// A short, seeded fuzz run in CI: 200 generated programs against every backend available here
// (both on CI). Every result must be schema-valid, nothing may throw but an invalid-request
// refusal, and no execution may run past its deadline + 1.5 s.
import { describe, expect, it } from 'vitest';
import { fuzzProgram, runFuzz } from '../src/fuzz/fuzz-run.js';
import { testBackends } from '../src/shared-cases.js';

const backends = await testBackends();

describe('fuzz smoke', () => {
  it('generates the same program for the same seed and index', () => {
    expect(fuzzProgram(7, 42)).toEqual(fuzzProgram(7, 42));
    expect(fuzzProgram(7, 42)).not.toEqual(fuzzProgram(8, 42));
  });

  it('survives 200 programs on every backend', async () => {
    const report = await runFuzz({ seed: 20_240_601, programs: 200, backends });
    expect(report.programs).toBe(200);
    expect(report.failures).toEqual([]);
    for (const backend of backends) {
      const total = Object.values(report.outcomes[backend] ?? {}).reduce((sum, count) => sum + count, 0);
      expect(total).toBe(200);
    }
  }, 300_000);
});
