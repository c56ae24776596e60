import { type ExecutionRequest, type JsonValue, limitsOverrideSchema, presetNameSchema } from '@jsbox/core';
import { z } from 'zod';

const limitShape = limitsOverrideSchema.shape;

/** The argument names of `execute_agent_code`, in the order the help texts list them. */
export const ARGUMENT_NAMES = [
  'code',
  'context',
  'input',
  'language',
  'preset',
  'timeoutMs',
  'memoryLimitBytes',
] as const;

/**
 * zod schema of the `execute_agent_code` arguments. Field names follow the original memory-mcp
 * server (`code`, `context: { task, input }`) plus jsbox's own knobs; unknown top-level fields
 * are rejected, unknown `context` fields are ignored (older clients send extra context).
 */
export const executeAgentCodeInputSchema = z.strictObject(
  {
    code: z
      .string({
        error: 'code is required: a string of JavaScript (or TypeScript with language "typescript")',
      })
      .describe(
        'The program. Its value is the value of the last expression statement (or what a returned promise resolves to). console.log/info/debug go to stdout, console.error/warn to stderr.',
      ),
    context: z
      .looseObject({
        task: z
          .string({ error: 'context.task must be a string' })
          .optional()
          .describe('What the code is for; informational, echoed in the summary.'),
        input: z.unknown().optional().describe('Used as `input` when the top-level `input` is absent.'),
      })
      .optional()
      .describe('Compatibility with the memory-mcp execute_agent_code tool.'),
    input: z.unknown().optional().describe('Any JSON value; the program sees it as the global `input`.'),
    language: z
      .enum(['javascript', 'typescript'], {
        error: (issue) =>
          `unknown language ${JSON.stringify(issue.input)}; valid languages: javascript, typescript`,
      })
      .optional()
      .describe('Source language; TypeScript is type-stripped, not type-checked. Default javascript.'),
    preset: presetNameSchema
      .optional()
      .describe(
        'Named limits: restrictive (3 s, 64 MiB), default (5 s, 128 MiB), permissive (10 s, 256 MiB).',
      ),
    timeoutMs: limitShape.timeoutMs.describe('Wall-clock limit in milliseconds, overriding the preset.'),
    memoryLimitBytes: limitShape.memoryLimitBytes.describe(
      'Guest heap limit in bytes, overriding the preset.',
    ),
  },
  {
    error: (issue) => {
      const allowed = `allowed fields: ${ARGUMENT_NAMES.join(', ')}`;
      if (issue.code === 'unrecognized_keys') {
        const names = issue.keys.map((key) => JSON.stringify(key)).join(', ');
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${names}; ${allowed}`;
      }
      if (issue.code === 'invalid_type') return `arguments must be an object; ${allowed}`;
      return undefined;
    },
  },
);

/** Arguments of `execute_agent_code` after schema validation. */
export type ExecuteAgentCodeInput = z.infer<typeof executeAgentCodeInputSchema>;

/** Maps tool arguments onto a jsbox {@link ExecutionRequest}; `context.input` stands in for a missing `input`. */
export function toExecutionRequest(args: ExecuteAgentCodeInput): ExecutionRequest {
  const input = args.input !== undefined ? args.input : args.context?.input;
  const limits = {
    ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
    ...(args.memoryLimitBytes !== undefined ? { memoryLimitBytes: args.memoryLimitBytes } : {}),
  };
  return {
    code: args.code,
    ...(args.language !== undefined ? { language: args.language } : {}),
    ...(input !== undefined ? { input: input as JsonValue } : {}),
    ...(args.preset !== undefined ? { preset: args.preset } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}
