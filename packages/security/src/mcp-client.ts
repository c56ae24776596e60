import type { ExecutionResult } from '@jsbox/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** One `execute_agent_code` answer, reduced to what the scripts judge. */
export interface ToolAnswer {
  isError: boolean;
  text: string;
  /** The execution result; absent when the server refused the call (busy, bad arguments). */
  result: ExecutionResult | undefined;
}

/** A real SDK client connected over Streamable HTTP. */
export interface HttpToolClient {
  readonly client: Client;
  /** Calls `execute_agent_code`; rejects on transport failure or after `timeoutMs` (default 120 s). */
  execute(
    args: Record<string, unknown>,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<ToolAnswer>;
  close(): Promise<void>;
}

/** Connects an MCP client to `url` (one session). */
export async function connectToolClient(url: URL, name = 'jsbox-security'): Promise<HttpToolClient> {
  const transport = new StreamableHTTPClientTransport(url);
  const client = new Client({ name, version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    async execute(args, options = {}) {
      const answer = await client.callTool({ name: 'execute_agent_code', arguments: args }, undefined, {
        timeout: options.timeoutMs ?? 120_000,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const content = (answer.content ?? []) as Array<{ text?: string }>;
      return {
        isError: answer.isError === true,
        text: content.map((part) => part.text ?? '').join('\n'),
        result: answer.structuredContent as ExecutionResult | undefined,
      };
    },
    async close() {
      await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}
