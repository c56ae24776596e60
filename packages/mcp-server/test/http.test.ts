// The built server over Streamable HTTP on 127.0.0.1 (a free port), driven by the SDK's real
// Client, once per backend in JSBOX_TEST_BACKENDS; plus the HTTP hardening.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from './helpers/backends.js';
import { busyOutcome, execute } from './helpers/calls.js';
import { expectCancelFreesTheWorker } from './helpers/cancel.js';
import { connectHttp } from './helpers/http-client.js';
import { type HttpServerProcess, startHttpServerProcess } from './helpers/http-server-process.js';
import { initializeMessage, openRawSession, postAndDisconnect, rawPost } from './helpers/raw-http.js';
import { describeToolBehaviour } from './helpers/tool-suite.js';

const TOKEN = 'test-token-0123456789abcdef';

for (const backend of await testBackends()) {
  let shared: HttpServerProcess;
  describeToolBehaviour('http', backend, async () => {
    shared = await startHttpServerProcess(backend);
    const connection = await connectHttp(shared.url);
    return {
      client: connection.client,
      close: async () => {
        await connection.close();
        expect(await shared.stop()).toBe(0);
        expect(shared.stderr()).not.toMatch(/\n\s+at /);
      },
    };
  });

  describe(`http hardening (${backend})`, () => {
    let server: HttpServerProcess;
    beforeAll(async () => {
      server = await startHttpServerProcess(backend, ['--max-body-bytes', '20000']);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('accepts a local Host and Origin', async () => {
      const local = await rawPost(server.url, { headers: { origin: `http://localhost:${server.url.port}` } });
      expect(local.status).toBe(200);
      expect(local.headers['mcp-session-id']).toBeTruthy();
    });

    it('refuses a foreign Host or Origin with 403', async () => {
      const host = await rawPost(server.url, { headers: { host: `evil.example:${server.url.port}` } });
      expect(host.status).toBe(403);
      expect(JSON.parse(host.body).error.message).toContain('Host "evil.example" is not allowed');
      const origin = await rawPost(server.url, { headers: { origin: 'https://evil.example' } });
      expect(origin.status).toBe(403);
      expect(JSON.parse(origin.body).error.message).toContain('Origin "https://evil.example" is not allowed');
    });

    it('refuses a body over --max-body-bytes with 413', async () => {
      const big = JSON.stringify({ ...initializeMessage(), padding: 'x'.repeat(50_000) });
      const response = await rawPost(server.url, { body: big });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body).error.message).toContain('the limit is 20000 bytes');
    });

    it('answers malformed requests with JSON-RPC errors and no stack traces', async () => {
      const garbage = await rawPost(server.url, { body: '{not json' });
      expect(garbage.status).toBe(400);
      expect(JSON.parse(garbage.body).error.code).toBe(-32700);
      const noSession = await rawPost(server.url, {
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      expect(noSession.status).toBe(400);
      const unknownSession = await rawPost(server.url, { headers: { 'mcp-session-id': 'nope' } });
      expect(unknownSession.status).toBe(404);
      for (const response of [garbage, noSession, unknownSession])
        expect(response.body).not.toMatch(/\bat .*:\d+/);
    });
  });

  describe(`http bearer token (${backend})`, () => {
    let server: HttpServerProcess;
    beforeAll(async () => {
      server = await startHttpServerProcess(backend, ['--host', '0.0.0.0'], { JSBOX_MCP_TOKEN: TOKEN });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('serves a non-loopback bind once a token is set, and requires it', async () => {
      const url = new URL(`http://127.0.0.1:${server.url.port}/mcp`);
      expect((await rawPost(url)).status).toBe(401);
      expect((await rawPost(url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
      const missing = await rawPost(url);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      expect((await rawPost(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const connection = await connectHttp(url, TOKEN);
      try {
        expect((await execute(connection.client, { code: '1 + 1' })).structured).toMatchObject({ result: 2 });
      } finally {
        await connection.close();
      }
    });
  });

  describe(`http concurrency (${backend})`, () => {
    let server: HttpServerProcess;
    beforeAll(async () => {
      server = await startHttpServerProcess(backend, ['--max-concurrency', '1', '--max-queued', '0']);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('answers a full queue with a retry hint instead of hanging', async () => {
      const first = await connectHttp(server.url);
      const second = await connectHttp(server.url);
      try {
        const slow = execute(first.client, { code: 'while (true) {}', timeoutMs: 5_000 });
        // Once the loop holds the only worker, another client finds the queue (size 0) full.
        // Polling avoids guessing how long the first call takes to start on a busy machine.
        const queueFull = await busyOutcome(() => execute(second.client, { code: '1 + 1' }));
        expect(queueFull.text).toMatch(/Busy: .*queue is full.*Retry/);
        const perClient = await execute(first.client, { code: '1 + 1' });
        expect(perClient.isError).toBe(true);
        expect(perClient.text).toMatch(/Busy: .*per-client limit/);
        expect((await slow).structured).toMatchObject({ status: 'timeout' });
        expect((await execute(second.client, { code: '1 + 1' })).structured).toMatchObject({ result: 2 });
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('cancels the execution when the HTTP client disconnects mid-call', async () => {
      const sessionId = await openRawSession(server.url);
      await postAndDisconnect(
        server.url,
        sessionId,
        {
          jsonrpc: '2.0',
          id: 7,
          method: 'tools/call',
          params: { name: 'execute_agent_code', arguments: { code: 'while (true) {}', timeoutMs: 60_000 } },
        },
        500,
      );
      const other = await connectHttp(server.url);
      try {
        // The single worker frees up long before the 60 s deadline.
        await expect
          .poll(async () => (await execute(other.client, { code: '1 + 1' })).structured?.result, {
            timeout: 15_000,
            interval: 200,
          })
          .toBe(2);
      } finally {
        await other.close();
      }
    });

    it('cancels the execution when the client cancels the request', async () => {
      const connection = await connectHttp(server.url);
      try {
        await expectCancelFreesTheWorker(connection.client);
      } finally {
        await connection.close();
      }
    });
  });
}
