import {
  formatIssues,
  InvalidRequestError,
  LIMIT_BOUNDS,
  PRESET_NAMES,
  QueueFullError,
  SandboxDisposedError,
} from '@jsbox/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ClientGate } from '../client-gate.js';
import type { Logger } from '../logger.js';
import type { SandboxLike } from '../sandbox-like.js';
import { summarizeResult } from '../summary.js';
import { executeAgentCodeInputSchema, toExecutionRequest } from './execute-agent-input.js';
import { executeAgentCodeOutputSchema } from './execute-agent-output.js';
import { applyLimitCaps, type LimitCaps } from './limit-caps.js';
import { executeAgentProgram } from './memory-mcp-compat.js';

/** The tool name clients of the original memory-mcp server call. */
export const EXECUTE_AGENT_CODE_TOOL = 'execute_agent_code';

/** One line naming every argument and its allowed values, appended to invalid-input errors. */
export const ALLOWED_ARGUMENTS =
  `Allowed arguments: code (required, non-empty string), context ({ task?: string, input?: JSON }), input (JSON), ` +
  `language (javascript | typescript), preset (${PRESET_NAMES.join(' | ')}), ` +
  `timeoutMs (${LIMIT_BOUNDS.timeoutMs.min}..${LIMIT_BOUNDS.timeoutMs.max}), ` +
  `memoryLimitBytes (${LIMIT_BOUNDS.memoryLimitBytes.min}..${LIMIT_BOUNDS.memoryLimitBytes.max}).`;

const DESCRIPTION = [
  'Runs JavaScript (or type-stripped TypeScript) in an isolated sandbox with hard time and memory limits, and returns its value and output.',
  'The value of the last expression statement is the result (a promise is awaited); the global `input` holds the JSON `input` argument.',
  'memory-mcp programs work unchanged: with `context`, the global `context` is { task, input }, and code that uses a top-level `return` runs as an async function body.',
  'console.log/info/debug write stdout, console.error/warn write stderr. No require/import, network, file system or timers escape the sandbox.',
  'Failures (syntax error, exception, timeout, memory limit) come back with isError and a status; call sandbox_info for the limits of each preset.',
].join(' ');

/** Longest single issue message echoed back (a path deep inside a hostile input can be long). */
const MAX_ISSUE_CHARS = 300;

function clip(text: string): string {
  return text.length <= MAX_ISSUE_CHARS ? text : `${text.slice(0, MAX_ISSUE_CHARS)}…`;
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Options of {@link registerExecuteAgentCode}. */
export interface ExecuteAgentCodeToolOptions {
  sandbox: SandboxLike;
  /** This client's in-flight limit. */
  gate: ClientGate;
  logger: Logger;
  /** Server-side ceilings on requested limits. */
  limitCaps: LimitCaps;
}

/**
 * Registers `execute_agent_code` on an MCP server. Guest failures and bad arguments are
 * `isError` results; the server keeps serving. Cancelling the request aborts the execution.
 */
export function registerExecuteAgentCode(server: McpServer, options: ExecuteAgentCodeToolOptions): void {
  const { sandbox, gate, logger, limitCaps } = options;
  server.registerTool(
    EXECUTE_AGENT_CODE_TOOL,
    {
      title: 'Execute agent code',
      description: DESCRIPTION,
      inputSchema: executeAgentCodeInputSchema,
      outputSchema: executeAgentCodeOutputSchema,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (args, extra): Promise<CallToolResult> => {
      const release = gate.tryAcquire();
      if (!release) {
        return toolError(
          `Busy: this client already has ${gate.maxInFlight} execution(s) running or queued (the per-client limit). Wait for one to finish, then retry.`,
        );
      }
      try {
        const capped = applyLimitCaps(
          toExecutionRequest(args),
          limitCaps,
          () => sandbox.describe().defaultPreset,
        );
        if ('refusal' in capped)
          return toolError(`Invalid arguments: ${capped.refusal}. ${ALLOWED_ARGUMENTS}`);
        const { result, mode } = await executeAgentProgram(
          sandbox,
          capped.request,
          args.context,
          extra.signal,
        );
        const summary = summarizeResult(result, args.context?.task ? { task: args.context.task } : {});
        const text =
          mode === 'function-body'
            ? `${summary}\n(The code used a top-level \`return\`, so it ran as the body of an async function, as memory-mcp ran it.)`
            : summary;
        return {
          content: [{ type: 'text', text }],
          structuredContent: result as unknown as Record<string, unknown>,
          isError: result.status !== 'success',
        };
      } catch (error) {
        if (InvalidRequestError.isInstance(error)) {
          const issues = error.issues.map((issue) => ({
            path: clip(issue.path),
            message: clip(issue.message),
          }));
          return toolError(`Invalid arguments: ${formatIssues(issues)}. ${ALLOWED_ARGUMENTS}`);
        }
        if (QueueFullError.isInstance(error)) {
          return toolError(
            `Busy: the sandbox is running all it can and its queue is full (${error.maxQueued} waiting). Retry in a moment.`,
          );
        }
        if (SandboxDisposedError.isInstance(error)) {
          return toolError('The server is shutting down and no longer runs code. Reconnect and retry.');
        }
        logger.error(
          `execute_agent_code failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return toolError(
          'Internal error while running the code; the server log has the details. Retry, or report it.',
        );
      } finally {
        release();
      }
    },
  );
}
