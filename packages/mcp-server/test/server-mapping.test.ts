// The MCP layer's own mapping, over the SDK's in-memory transport with a scripted sandbox:
// what each kind of sandbox throw becomes, and that the request's abort signal reaches the
// sandbox. The end-to-end behaviour with real backends is in stdio.test.ts and http.test.ts.
import {
  type ExecutionRequest,
  type ExecutionResult,
  InternalError,
  InvalidRequestError,
  PRESETS,
  QueueFullError,
  SandboxDisposedError,
} from '@jsbox/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsboxMcpServer, createLogger, type SandboxLike } from '../src/index.js';
import { execute } from './helpers/calls.js';

type Script = (request: ExecutionRequest, signal: AbortSignal | undefined) => Promise<ExecutionResult>;

function success(result: unknown): ExecutionResult {
  return {
    status: 'success',
    result: result as never,
    stdout: '',
    stderr: '',
    truncated: { stdout: false, stderr: false },
    durationMs: 1,
    backend: 'scripted',
  };
}

function scriptedSandbox(script: Script): SandboxLike & { requests: ExecutionRequest[] } {
  const requests: ExecutionRequest[] = [];
  return {
    requests,
    execute: (request, options) => {
      requests.push(request as ExecutionRequest);
      return script(request as ExecutionRequest, options?.signal);
    },
    describe: () => ({
      backend: 'scripted',
      version: '0.0.0',
      specificationVersion: 'v1',
      capabilities: { languages: ['javascript'], fuel: false, isolatedThreads: true, engine: 'none' },
      defaultPreset: 'default',
      presets: { ...PRESETS },
      availableBackends: ['scripted'],
    }),
  };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function connect(
  sandbox: SandboxLike,
  options: {
    maxPerClient?: number;
    log?: string[];
    limitCaps?: { timeoutMs?: number; memoryLimitBytes?: number };
  } = {},
) {
  const logger = createLogger({ level: 'debug', write: (line) => options.log?.push(line) });
  const server = createJsboxMcpServer({ sandbox, logger, maxConcurrency: 1, maxQueued: 1, ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'mapping-test', version: '0.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  closers.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

describe('execute_agent_code mapping', () => {
  it('enforces the server limit caps: explicit requests above a cap are refused, presets lowered', async () => {
    const sandbox = scriptedSandbox(async () => success(1));
    const client = await connect(sandbox, {
      limitCaps: { timeoutMs: 2000, memoryLimitBytes: 32 * 1024 * 1024 },
    });
    const refused = await execute(client, { code: '1', timeoutMs: 60_000 });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(
      /timeoutMs 60000 is above this server's cap of 2000 ms \(--max-timeout-ms\)/,
    );
    const memory = await execute(client, { code: '1', memoryLimitBytes: 64 * 1024 * 1024 });
    expect(memory.text).toMatch(/memoryLimitBytes 67108864 is above this server's cap/);
    await execute(client, { code: '1', preset: 'permissive' });
    await execute(client, { code: '1', timeoutMs: 1500 });
    await execute(client, { code: '1', preset: 'restrictive', memoryLimitBytes: 16 * 1024 * 1024 });
    expect(sandbox.requests).toEqual([
      { code: '1', preset: 'permissive', limits: { timeoutMs: 2000, memoryLimitBytes: 32 * 1024 * 1024 } },
      { code: '1', limits: { timeoutMs: 1500, memoryLimitBytes: 32 * 1024 * 1024 } },
      // restrictive's 3 s is above the 2 s cap: lowered; the explicit 16 MiB is under its cap: kept.
      { code: '1', preset: 'restrictive', limits: { memoryLimitBytes: 16 * 1024 * 1024, timeoutMs: 2000 } },
    ]);
  });

  it('passes the arguments on as an execution request', async () => {
    const sandbox = scriptedSandbox(async () => success(1));
    const client = await connect(sandbox);
    await execute(client, {
      code: 'x',
      context: { task: 't', input: [1], extra: 'ignored' },
      language: 'typescript',
      preset: 'restrictive',
      timeoutMs: 50,
      memoryLimitBytes: 2_000_000,
    });
    expect(sandbox.requests).toEqual([
      {
        // memory-mcp compatibility: `context` becomes a global, declared on line 1.
        code: 'void (globalThis.context = Object.freeze({ task: "t", input }));x',
        language: 'typescript',
        input: [1],
        preset: 'restrictive',
        limits: { timeoutMs: 50, memoryLimitBytes: 2_000_000 },
      },
    ]);
  });

  it('aborts the execution when the client cancels the call', async () => {
    let seen: AbortSignal | undefined;
    const sandbox = scriptedSandbox(
      (_request, signal) =>
        new Promise((resolve) => {
          seen = signal;
          signal?.addEventListener('abort', () => resolve(success('aborted')));
        }),
    );
    const client = await connect(sandbox);
    const controller = new AbortController();
    const call = execute(client, { code: 'slow' }, { signal: controller.signal });
    await expect.poll(() => seen).toBeDefined();
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => seen?.aborted).toBe(true);
  });

  it('maps a full queue to a retry hint', async () => {
    const client = await connect(
      scriptedSandbox(async () => {
        throw new QueueFullError(3);
      }),
    );
    const outcome = await execute(client, { code: '1' });
    expect(outcome.isError).toBe(true);
    expect(outcome.text).toMatch(/queue is full \(3 waiting\)\. Retry/);
  });

  it('maps an invalid request to its issues plus the allowed arguments', async () => {
    const client = await connect(
      scriptedSandbox(async () => {
        throw new InvalidRequestError([{ path: 'input', message: 'input must be a JSON value' }]);
      }),
    );
    const outcome = await execute(client, { code: '1' });
    expect(outcome.isError).toBe(true);
    expect(outcome.text).toContain('Invalid arguments: input: input must be a JSON value.');
    expect(outcome.text).toContain('Allowed arguments:');
  });

  it('clips very long issue messages', async () => {
    const client = await connect(
      scriptedSandbox(async () => {
        throw new InvalidRequestError([{ path: 'input', message: `too deep at ${'[0]'.repeat(2000)}` }]);
      }),
    );
    const outcome = await execute(client, { code: '1' });
    expect(outcome.text).toContain('too deep at [0][0]');
    expect(outcome.text.length).toBeLessThan(1_000);
  });

  it('maps a disposed sandbox to a shutting-down message', async () => {
    const client = await connect(
      scriptedSandbox(async () => {
        throw new SandboxDisposedError();
      }),
    );
    expect((await execute(client, { code: '1' })).text).toContain('shutting down');
  });

  it('keeps host stack traces out of the reply and in the log', async () => {
    const log: string[] = [];
    const client = await connect(
      scriptedSandbox(async () => {
        throw new InternalError('secret detail');
      }),
      { log },
    );
    const outcome = await execute(client, { code: '1' });
    expect(outcome.isError).toBe(true);
    expect(outcome.text).not.toContain('secret detail');
    expect(outcome.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(log.join('')).toContain('secret detail');
  });

  it('refuses calls past the per-client limit and frees the slot afterwards', async () => {
    const releases: Array<() => void> = [];
    const sandbox = scriptedSandbox(
      () =>
        new Promise((resolve) => {
          releases.push(() => resolve(success('done')));
        }),
    );
    const client = await connect(sandbox, { maxPerClient: 1 });
    const first = execute(client, { code: 'a' });
    await expect.poll(() => releases.length).toBe(1);
    const second = await execute(client, { code: 'b' });
    expect(second.isError).toBe(true);
    expect(second.text).toContain('per-client limit');
    releases[0]!();
    expect((await first).structured).toMatchObject({ result: 'done' });
    const third = execute(client, { code: 'c' });
    await expect.poll(() => releases.length).toBe(2);
    releases[1]!();
    expect((await third).isError).toBe(false);
  });
});
