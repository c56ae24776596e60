// A subset of the shared hostile cases through the built bin over stdio: every escape attempt
// (several of them write protocol-looking text) and the first case of each other family the tool's
// arguments can express. Nothing but protocol messages may reach the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIAL_CASES } from '../../unified/test/adversarial/cases.js';
import { testBackends } from '../../unified/test/helpers/backends.js';
import { runAdversarialCase, sandboxLimitsKey } from './helpers/adversarial-tool.js';
import { connectStdio, type StdioConnection } from './helpers/stdio-client.js';

const expressible = ADVERSARIAL_CASES.filter((testCase) => sandboxLimitsKey(testCase) === '{}');
const subset = expressible.filter(
  (testCase, index) =>
    testCase.family === 'escape' ||
    expressible.findIndex((other) => other.family === testCase.family) === index,
);

for (const backend of await testBackends()) {
  describe(`adversarial over stdio (${backend})`, () => {
    let connection: StdioConnection;
    beforeAll(async () => {
      connection = await connectStdio(backend);
    });
    afterAll(async () => {
      expect(connection?.transportErrors).toEqual([]);
      await connection?.close();
      expect(connection?.stderr()).not.toMatch(/\n\s+at /);
    });

    it('covers the escapes and at least four families', () => {
      expect(new Set(subset.map((testCase) => testCase.family)).size).toBeGreaterThanOrEqual(4);
    });

    for (const testCase of subset) {
      it(`${testCase.family}: ${testCase.name}`, async () => {
        expect(await runAdversarialCase(connection, testCase)).toEqual([]);
        expect(connection.transportErrors).toEqual([]);
      });
    }
  });
}
