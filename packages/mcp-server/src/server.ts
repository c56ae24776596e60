import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ClientGate } from './client-gate.js';
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_QUEUED } from './defaults.js';
import { type Logger, silentLogger } from './logger.js';
import type { SandboxLike } from './sandbox-like.js';
import { registerExecuteAgentCode } from './tools/execute-agent-code.js';
import type { LimitCaps } from './tools/limit-caps.js';
import { registerSandboxInfo } from './tools/sandbox-info.js';
import { SERVER_PACKAGE } from './version.js';

/** Options of {@link createJsboxMcpServer}. */
export interface JsboxMcpServerOptions {
  /** The sandbox that runs code; create it with `createSandbox()` from `@jsbox/unified`. Not disposed by the server. */
  sandbox: SandboxLike;
  /** Where the server logs (never stdout). Default: silent. */
  logger?: Logger;
  /** The sandbox's worker pool size, reported by `sandbox_info`. Default {@link DEFAULT_MAX_CONCURRENCY}. */
  maxConcurrency?: number;
  /** The sandbox's queue bound, reported by `sandbox_info`. Default {@link DEFAULT_MAX_QUEUED}. */
  maxQueued?: number;
  /**
   * Executions this client may have running or queued at once. Default: no per-client limit
   * (the sandbox's pool and queue still bound the total; `sandbox_info` reports that total).
   */
  maxPerClient?: number;
  /** Server-side ceilings on the `timeoutMs` / `memoryLimitBytes` a call may ask for. Default: none. */
  limitCaps?: LimitCaps;
}

/**
 * Creates an MCP server with the `execute_agent_code` and `sandbox_info` tools and the
 * `jsbox://sandbox/info` resource. One server serves one client connection; share the sandbox.
 *
 * @example
 * const sandbox = await createSandbox({ backend: 'quickjs' });
 * const server = createJsboxMcpServer({ sandbox });
 * await server.connect(new StdioServerTransport());
 */
export function createJsboxMcpServer(options: JsboxMcpServerOptions): McpServer {
  const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const maxPerClient = options.maxPerClient ?? maxConcurrency + maxQueued;
  const gateSize = options.maxPerClient ?? Number.POSITIVE_INFINITY;
  const logger = options.logger ?? silentLogger;
  const server = new McpServer(
    { name: 'jsbox', title: 'jsbox sandbox', version: SERVER_PACKAGE.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Use execute_agent_code to run JavaScript in an isolated sandbox with hard time and memory limits; sandbox_info lists the limits.',
    },
  );
  registerExecuteAgentCode(server, {
    sandbox: options.sandbox,
    gate: new ClientGate({ maxInFlight: gateSize }),
    logger,
    limitCaps: options.limitCaps ?? {},
  });
  registerSandboxInfo(server, {
    sandbox: options.sandbox,
    server: {
      name: SERVER_PACKAGE.name,
      version: SERVER_PACKAGE.version,
      maxConcurrency,
      maxQueued,
      maxPerClient,
    },
  });
  return server;
}
