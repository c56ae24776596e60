// The built server over stdio, driven by the SDK's real Client (StdioClientTransport spawning
// `node dist/cli.js`), once per backend in JSBOX_TEST_BACKENDS.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { testBackends } from './helpers/backends.js';
import { assertBuilt, CLI_PATH, serverEnv } from './helpers/built-cli.js';
import { busyOutcome, execute } from './helpers/calls.js';
import { expectCancelFreesTheWorker } from './helpers/cancel.js';
import { connectStdio } from './helpers/stdio-client.js';
import { describeToolBehaviour } from './helpers/tool-suite.js';

for (const backend of await testBackends()) {
  describeToolBehaviour('stdio', backend, async () => {
    const connection = await connectStdio(backend);
    return {
      client: connection.client,
      close: async () => {
        expect(connection.transportErrors).toEqual([]);
        await connection.close();
      },
    };
  });

  describe(`stdio specifics (${backend})`, () => {
    it('writes nothing but protocol messages to stdout', async () => {
      assertBuilt();
      const child = spawn(process.execPath, [CLI_PATH], {
        env: serverEnv(backend),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
      const responses = () =>
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line));
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '0' },
        },
      });
      await expect.poll(() => responses().length, { timeout: 30_000 }).toBe(1);
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'execute_agent_code',
          arguments: { code: 'console.log("hi"); console.info("info"); console.error("err"); 1' },
        },
      });
      await expect.poll(() => responses().length, { timeout: 30_000 }).toBe(2);
      child.stdin.end();
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      // Every stdout line is a JSON-RPC message, and the guest's output only appears inside the result.
      for (const line of stdout.split('\n').filter(Boolean)) expect(JSON.parse(line).jsonrpc).toBe('2.0');
      const call = responses().find((message) => message.id === 2);
      expect(call.result.structuredContent).toMatchObject({
        status: 'success',
        stdout: 'hi\ninfo\n',
        stderr: 'err\n',
      });
      expect(stdout).not.toMatch(/^hi$/m);
    });

    it('cancels an execution when the client cancels the request', async () => {
      const connection = await connectStdio(backend, ['--max-concurrency', '1', '--max-queued', '0']);
      try {
        await expectCancelFreesTheWorker(connection.client);
      } finally {
        await connection.close();
      }
    });

    it('answers a full queue with a retry hint instead of hanging', async () => {
      const connection = await connectStdio(backend, ['--max-concurrency', '1', '--max-queued', '0']);
      try {
        const slow = execute(connection.client, { code: 'while (true) {}', timeoutMs: 5_000 });
        const refused = await busyOutcome(() => execute(connection.client, { code: '1 + 1' }));
        expect(refused.text).toMatch(/Busy: .*queue is full.*Retry/);
        expect((await slow).structured).toMatchObject({ status: 'timeout' });
        expect((await execute(connection.client, { code: '1 + 1' })).structured).toMatchObject({ result: 2 });
      } finally {
        await connection.close();
      }
    });
  });
}
