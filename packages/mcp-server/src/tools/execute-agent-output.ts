import { executionResultSchema } from '@jsbox/core';
import { z } from 'zod';

type Shape = Record<string, z.ZodType>;

/**
 * MCP needs an object `outputSchema`, but core's result schema is a union on `status`. This
 * flattens the union into one object (`status` an enum, fields shared by every variant
 * required, the others optional) and re-checks values against the exact union, so the
 * `structuredContent` is the plain {@link ExecutionResult} clients already know.
 */
function flattenResultSchema() {
  const variants = executionResultSchema.options.map((option) => option.shape as Shape);
  const statuses = executionResultSchema.options.map((option) => option.shape.status.value);
  const shape: Shape = {};
  for (const variant of variants) {
    for (const [key, schema] of Object.entries(variant)) {
      if (key === 'status' || key in shape) continue;
      const inEvery = variants.every((other) => key in other);
      shape[key] = inEvery ? schema : schema.optional();
    }
  }
  return z
    .object({ status: z.enum(statuses as [string, ...string[]]), ...shape })
    .superRefine((value, context) => {
      const parsed = executionResultSchema.safeParse(value);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) {
        context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    });
}

/** The `execute_agent_code` output schema: an {@link @jsbox/core!ExecutionResult | ExecutionResult} as one object. */
export const executeAgentCodeOutputSchema = flattenResultSchema();
