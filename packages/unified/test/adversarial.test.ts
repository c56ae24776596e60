import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { ADVERSARIAL_CASES } from './adversarial/cases.js';
import { checkAdversarial, HEALTH_PROBE } from './adversarial/check.js';
import { testBackends } from './helpers/backends.js';

for (const backendName of await testBackends()) {
  describe(`adversarial: ${backendName}`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await createSandbox({ backend: backendName, poolSize: 2 });
    });
    afterAll(async () => {
      await sandbox?.dispose();
    });

    it('has at least 60 cases over every family', () => {
      expect(ADVERSARIAL_CASES.length).toBeGreaterThanOrEqual(60);
      expect(new Set(ADVERSARIAL_CASES.map((testCase) => testCase.family)).size).toBe(6);
    });

    for (const testCase of ADVERSARIAL_CASES) {
      it(`${testCase.family}: ${testCase.name}`, async () => {
        const result = await sandbox.execute({ ...testCase.request });
        expect(checkAdversarial(testCase, result), JSON.stringify(result).slice(0, 600)).toBeUndefined();
        const probe = await sandbox.execute({ code: HEALTH_PROBE.code });
        expect(probe).toMatchObject({
          status: 'success',
          result: HEALTH_PROBE.expected,
          stdout: '',
          stderr: '',
        });
      });
    }
  });
}
