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

/**
 * Repeats `call` until it is refused as busy (an `isError` result without a structured result)
 * and returns that refusal. Calls that ran instead are fine: the slot was not taken yet.
 */
export async function busyOutcome(
  call: () => Promise<ToolOutcome>,
  timeoutMs = 20_000,
): Promise<ToolOutcome> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const outcome = await call();
    if (outcome.isError && outcome.structured === undefined) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no busy refusal within ${timeoutMs} ms`);
}
