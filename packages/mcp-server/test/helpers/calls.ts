import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';

/** A tool result reduced to what the tests look at. */
export interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: Record<string, any> | undefined;
}

/** Calls a tool and flattens its result. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<ToolOutcome> {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000, ...options });
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return {
    isError: result.isError === true,
    text: content.map((part) => part.text ?? '').join('\n'),
    structured: result.structuredContent as Record<string, any> | undefined,
  };
}

/** Shorthand for `execute_agent_code`. */
export function execute(
  client: Client,
  args: Record<string, unknown>,
  options: RequestOptions = {},
): Promise<ToolOutcome> {
  return callTool(client, 'execute_agent_code', args, options);
}
