// The programmatic HTTP API in-process, on a real sandbox: session bounds and lifecycle.
import { InvalidOptionsError } from '@jsbox/core';
import { createSandbox, type Sandbox } from '@jsbox/unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/index.js';
import { testBackends } from './helpers/backends.js';
import { rawPost } from './helpers/raw-http.js';

const backend = (await testBackends())[0]!;

describe(`startHttpServer (${backend})`, () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox({ backend, poolSize: 1, maxQueued: 0 });
  });
  afterAll(async () => {
    await sandbox?.dispose();
  });

  it('refuses a non-loopback bind without a token', async () => {
    await expect(startHttpServer({ sandbox, host: '0.0.0.0', port: 0 })).rejects.toSatisfy(
      (error) => InvalidOptionsError.isInstance(error) && /JSBOX_MCP_TOKEN/.test(error.message),
    );
  });

  it('caps sessions with 503 and closes idle ones', async () => {
    const running = await startHttpServer({ sandbox, port: 0, maxSessions: 1, sessionIdleMs: 300 });
    try {
      expect(running.url.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect((await rawPost(running.url)).status).toBe(200);
      expect(running.sessionCount).toBe(1);
      const refused = await rawPost(running.url);
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body).error.message).toContain('Too many sessions (limit 1)');
      await expect.poll(() => running.sessionCount, { timeout: 5_000 }).toBe(0);
      expect((await rawPost(running.url)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('answers unknown paths and methods without touching a session', async () => {
    const running = await startHttpServer({ sandbox, port: 0 });
    try {
      const elsewhere = await rawPost(new URL('/other', running.url));
      expect(elsewhere.status).toBe(404);
      const response = await fetch(running.url, { method: 'PUT' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, GET, DELETE');
      const get = await fetch(running.url);
      expect(get.status).toBe(400);
      expect(running.sessionCount).toBe(0);
    } finally {
      await running.close();
    }
  });
});
