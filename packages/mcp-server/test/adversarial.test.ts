// The shared hostile cases (packages/unified/test/adversarial) through the MCP server: the SDK's
// real Client over Streamable HTTP, once per backend in JSBOX_TEST_BACKENDS (default: every backend
// available here; on CI every backend is required). Cases whose limits the tool takes as arguments
// run against the built bin; the few that need another limit (output, result, stack, code size)
// run against the programmatic server over a sandbox that carries it.
import { createSandbox, type Sandbox } from '@jsbox/unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIAL_CASES, type AdversarialCase } from '../../unified/test/adversarial/cases.js';
import { testBackends } from '../../unified/test/helpers/backends.js';
import { type RunningHttpServer, startHttpServer } from '../src/index.js';
import { runAdversarialCase, sandboxLimitsKey, toToolCall } from './helpers/adversarial-tool.js';
import { connectHttp } from './helpers/http-client.js';
import { type HttpServerProcess, startHttpServerProcess } from './helpers/http-server-process.js';
import type { ConnectedClient } from './helpers/tool-suite.js';

const groups = new Map<string, AdversarialCase[]>();
for (const testCase of ADVERSARIAL_CASES) {
  const key = sandboxLimitsKey(testCase);
  groups.set(key, [...(groups.get(key) ?? []), testCase]);
}

for (const backend of await testBackends()) {
  describe(`adversarial over HTTP, built bin (${backend})`, () => {
    let server: HttpServerProcess;
    let connection: ConnectedClient;
    beforeAll(async () => {
      server = await startHttpServerProcess(backend, ['--max-concurrency', '2']);
      connection = await connectHttp(server.url);
    });
    afterAll(async () => {
      await connection?.close();
      const code = await server?.stop();
      expect(code).toBe(0);
      expect(server.stderr()).not.toMatch(/\n\s+at /);
    });

    for (const testCase of groups.get('{}') ?? []) {
      it(`${testCase.family}: ${testCase.name}`, async () => {
        expect(await runAdversarialCase(connection, testCase)).toEqual([]);
      });
    }
  });

  for (const [key, cases] of groups) {
    if (key === '{}') continue;
    describe(`adversarial over HTTP, sandbox limits ${key} (${backend})`, () => {
      let sandbox: Sandbox;
      let running: RunningHttpServer;
      let connection: ConnectedClient;
      beforeAll(async () => {
        sandbox = await createSandbox({
          backend,
          poolSize: 1,
          limits: toToolCall(cases[0]!.request).sandboxLimits,
        });
        running = await startHttpServer({ sandbox, port: 0, maxConcurrency: 1 });
        connection = await connectHttp(running.url);
      });
      afterAll(async () => {
        await connection?.close();
        await running?.close();
        await sandbox?.dispose();
      });

      for (const testCase of cases) {
        it(`${testCase.family}: ${testCase.name}`, async () => {
          expect(await runAdversarialCase(connection, testCase)).toEqual([]);
        });
      }
    });
  }
}

describe('adversarial case coverage over MCP', () => {
  it('runs every shared case, in every family', () => {
    const total = [...groups.values()].reduce((sum, cases) => sum + cases.length, 0);
    expect(total).toBe(ADVERSARIAL_CASES.length);
    expect(ADVERSARIAL_CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ADVERSARIAL_CASES.map((testCase) => testCase.family)).size).toBe(6);
  });
});
