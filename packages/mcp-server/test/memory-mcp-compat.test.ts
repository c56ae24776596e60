// Programs written for memory-mcp's execute_agent_code (async function body, `context` in scope,
// answer by `return`) run unchanged, on every backend, through the real tool over MCP.

import { createSandbox, type Sandbox } from '@jsbox/unified';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsboxMcpServer, createLogger } from '../src/index.js';
import { shiftLineOneColumns } from '../src/tools/memory-mcp-compat.js';
import { testBackends } from './helpers/backends.js';
import { execute } from './helpers/calls.js';

for (const backend of await testBackends()) {
  describe(`memory-mcp programs on ${backend}`, () => {
    let sandbox: Sandbox;
    let client: Client;
    beforeAll(async () => {
      sandbox = await createSandbox({ backend, poolSize: 1 });
      const server = createJsboxMcpServer({
        sandbox,
        logger: createLogger({ level: 'error', write: () => {} }),
      });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      client = new Client({ name: 'compat-test', version: '0.0.0' });
      await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    });
    afterAll(async () => {
      await client?.close();
      await sandbox?.dispose();
    });

    it('runs `return context.input...` as memory-mcp did', async () => {
      const outcome = await execute(client, {
        code: 'const n = context.input.n;\nreturn n * 2;',
        context: { task: 'double it', input: { n: 21 } },
      });
      expect(outcome.isError).toBe(false);
      expect(outcome.structured).toMatchObject({ status: 'success', result: 42 });
      expect(outcome.text).toMatch(/ran as the body of an async function/);
    });

    it('awaits inside the function body', async () => {
      const outcome = await execute(client, {
        code: 'const r = await Promise.resolve(context.task);\nreturn r.toUpperCase();',
        context: { task: 'shout' },
      });
      expect(outcome.structured).toMatchObject({ status: 'success', result: 'SHOUT' });
    });

    it('keeps script semantics for jsbox-style programs, with context as a frozen global', async () => {
      const value = await execute(client, {
        code: '[context.task, context.input, Object.isFrozen(context), input]',
        context: { task: 't', input: [1] },
      });
      expect(value.structured).toMatchObject({ status: 'success', result: ['t', [1], true, [1]] });
      const declarationsOnly = await execute(client, { code: 'const x = 1;', context: { task: 't' } });
      expect(declarationsOnly.structured).toMatchObject({
        status: 'success',
        result: { $jsbox: 'undefined' },
      });
      const ownBinding = await execute(client, { code: 'const context = 5;\ncontext + 1', context: {} });
      expect(ownBinding.structured).toMatchObject({ status: 'success', result: 6 });
    });

    it('reports errors at the user line and column', async () => {
      const outcome = await execute(client, { code: 'return null.x;', context: { task: 't' } });
      expect(outcome.structured).toMatchObject({
        status: 'error',
        error: { type: 'runtime', name: 'TypeError', line: 1 },
      });
      expect(outcome.structured?.error.column).toBeLessThan(15);
      expect(outcome.structured?.error.stack).toMatch(/main\.js:1:\d{1,2}\b/);
      const syntax = await execute(client, { code: 'let a = ;', context: { task: 't' } });
      expect(syntax.structured).toMatchObject({
        status: 'error',
        error: { type: 'syntax', line: 1, column: 9 },
      });
    });

    it('gives no global context when the call has none', async () => {
      const outcome = await execute(client, { code: 'typeof context' });
      expect(outcome.structured).toMatchObject({ status: 'success', result: 'undefined' });
    });
  });
}

describe('shiftLineOneColumns', () => {
  it('moves only line-1 positions back', () => {
    const shifted = shiftLineOneColumns(
      {
        status: 'error',
        error: {
          type: 'runtime',
          name: 'E',
          message: 'm',
          line: 1,
          column: 30,
          stack: 'at f (main.js:1:30)\nat g (main.js:2:5)',
        },
        stdout: '',
        stderr: '',
        truncated: { stdout: false, stderr: false },
        durationMs: 0,
        backend: 'x',
      },
      20,
    );
    expect(shifted).toMatchObject({
      error: { column: 10, stack: 'at f (main.js:1:10)\nat g (main.js:2:5)' },
    });
  });
});
