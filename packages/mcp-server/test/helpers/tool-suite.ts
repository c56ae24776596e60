import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, execute } from './calls.js';

/** Something that yields a connected client and cleans up after itself. */
export interface ConnectedClient {
  client: Client;
  close: () => Promise<void>;
}

/**
 * The tool behaviour every transport and backend must show, written once: run over stdio and
 * over HTTP, for each backend in JSBOX_TEST_BACKENDS.
 */
export function describeToolBehaviour(
  label: string,
  backend: string,
  connect: () => Promise<ConnectedClient>,
): void {
  describe(`${label} (${backend})`, () => {
    let connection: ConnectedClient;
    const client = () => connection.client;

    beforeAll(async () => {
      connection = await connect();
    });
    afterAll(async () => {
      await connection?.close();
    });

    it('lists both tools with object input and output schemas', async () => {
      const { tools } = await client().listTools();
      const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
      expect(Object.keys(byName).sort()).toEqual(['execute_agent_code', 'sandbox_info']);
      const executeTool = byName.execute_agent_code!;
      expect(executeTool.inputSchema.type).toBe('object');
      expect(executeTool.inputSchema.required).toEqual(['code']);
      expect(executeTool.outputSchema?.type).toBe('object');
      expect(Object.keys(executeTool.outputSchema?.properties ?? {})).toEqual(
        expect.arrayContaining(['status', 'result', 'stdout', 'stderr', 'error', 'durationMs', 'backend']),
      );
      expect(executeTool.annotations?.readOnlyHint).toBe(true);
    });

    it('runs 1 + 1', async () => {
      const outcome = await execute(client(), { code: '1 + 1' });
      expect(outcome.isError).toBe(false);
      expect(outcome.structured).toMatchObject({ status: 'success', result: 2, backend });
      expect(outcome.text).toContain('Status: success');
      expect(outcome.text).toContain('Result: 2');
    });

    it('returns console output inside the result', async () => {
      const outcome = await execute(client(), { code: 'console.log("hi"); console.error("oops"); 7' });
      expect(outcome.isError).toBe(false);
      expect(outcome.structured).toMatchObject({
        status: 'success',
        result: 7,
        stdout: 'hi\n',
        stderr: 'oops\n',
      });
      expect(outcome.text).toMatch(/stdout \(3 bytes\):\nhi/);
    });

    it('uses context.input as input and echoes context.task', async () => {
      const outcome = await execute(client(), {
        code: 'input.a + input.b',
        context: { task: 'add two numbers', input: { a: 40, b: 2 } },
      });
      expect(outcome.structured).toMatchObject({ status: 'success', result: 42 });
      expect(outcome.text).toContain('Task: add two numbers');
      const explicit = await execute(client(), {
        code: 'input',
        input: 'top',
        context: { input: 'context' },
      });
      expect(explicit.structured).toMatchObject({ result: 'top' });
    });

    it('stops an infinite loop at timeoutMs', async () => {
      const outcome = await execute(client(), { code: 'while (true) {}', timeoutMs: 300 });
      expect(outcome.isError).toBe(true);
      expect(outcome.structured).toMatchObject({ status: 'timeout', reason: 'deadline', timeoutMs: 300 });
      expect(outcome.text).toContain('Status: timeout');
    });

    it('stops a memory bomb at memoryLimitBytes', async () => {
      const outcome = await execute(client(), {
        code: 'const chunks = []; while (true) chunks.push(new Array(100000).fill(chunks.length));',
        memoryLimitBytes: 16 * 1024 * 1024,
        timeoutMs: 20_000,
      });
      expect(outcome.isError).toBe(true);
      expect(outcome.structured).toMatchObject({
        status: 'error',
        error: { type: 'resource', limit: 'memory' },
      });
    });

    it('reports a syntax error with its line and column', async () => {
      const outcome = await execute(client(), { code: 'const x = 1;\nconst y = ;' });
      expect(outcome.isError).toBe(true);
      expect(outcome.structured).toMatchObject({ status: 'error', error: { type: 'syntax', line: 2 } });
      expect(outcome.text).toMatch(/Error: SyntaxError: .* at line 2:\d+/);
    });

    it('reports an uncaught exception with its line', async () => {
      const outcome = await execute(client(), {
        code: 'const a = 1;\nconst b = 2;\nthrow new TypeError("bad " + (a + b));',
      });
      expect(outcome.isError).toBe(true);
      expect(outcome.structured).toMatchObject({
        status: 'error',
        error: { type: 'runtime', name: 'TypeError', message: 'bad 3', line: 3 },
      });
      expect(outcome.text).toMatch(/Error: TypeError: bad 3 at line 3:\d+/);
    });

    it('runs TypeScript and refuses require as a security violation', async () => {
      const typescript = await execute(client(), {
        code: 'const x: number = 41; x + 1',
        language: 'typescript',
      });
      expect(typescript.structured).toMatchObject({ status: 'success', result: 42 });
      const breakout = await execute(client(), { code: 'require("fs")' });
      expect(breakout.isError).toBe(true);
      expect(breakout.structured).toMatchObject({
        status: 'security_violation',
        violation: { kind: 'require', target: 'fs' },
      });
      expect(breakout.text).toContain('Violation: require (fs)');
    });

    it('turns bad input into isError results that say what is allowed', async () => {
      const empty = await execute(client(), { code: '   ' });
      expect(empty).toMatchObject({ isError: true, structured: undefined });
      expect(empty.text).toContain('code must not be empty');
      expect(empty.text).toContain('Allowed arguments');

      const preset = await execute(client(), { code: '1', preset: 'huge' });
      expect(preset.isError).toBe(true);
      expect(preset.text).toContain('valid presets: restrictive, default, permissive');

      const negative = await execute(client(), { code: '1', timeoutMs: -5 });
      expect(negative.isError).toBe(true);
      expect(negative.text).toContain('timeoutMs must be at least 1');

      const unknown = await execute(client(), { code: '1', timeout: 5 });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toContain('unknown field "timeout"');
      expect(unknown.text).toContain('code, context, input, language, preset, timeoutMs, memoryLimitBytes');

      const missing = await execute(client(), {});
      expect(missing.isError).toBe(true);
      expect(missing.text).toContain('code is required');

      const language = await execute(client(), { code: '1', language: 'python' });
      expect(language.isError).toBe(true);
      expect(language.text).toContain('valid languages: javascript, typescript');
    });

    it('keeps serving after all of that', async () => {
      const outcome = await execute(client(), { code: '1 + 1' });
      expect(outcome).toMatchObject({ isError: false, structured: { status: 'success', result: 2 } });
    });

    it('describes the sandbox as a tool and as a resource', async () => {
      const info = await callTool(client(), 'sandbox_info');
      expect(info.isError).toBe(false);
      expect(info.structured).toMatchObject({ backend, defaultPreset: 'default' });
      expect(Object.keys(info.structured?.presets ?? {}).sort()).toEqual([
        'default',
        'permissive',
        'restrictive',
      ]);
      expect(info.structured?.presets.restrictive.timeoutMs).toBe(3000);
      expect(info.text).toContain(`Backend: ${backend}`);
      const resource = await client().readResource({ uri: 'jsbox://sandbox/info' });
      const first = resource.contents[0] as { text: string; mimeType?: string };
      expect(first.mimeType).toBe('application/json');
      expect(JSON.parse(first.text)).toMatchObject({ backend, presets: info.structured?.presets });
    });
  });
}
