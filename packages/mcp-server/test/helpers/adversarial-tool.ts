import type { ExecutionRequest, ExecutionResult, Limits } from '@jsbox/core';
import type { AdversarialCase } from '../../../unified/test/adversarial/cases.js';
import { checkAdversarial, HEALTH_PROBE } from '../../../unified/test/adversarial/check.js';
import { execute, type ToolOutcome } from './calls.js';
import type { ConnectedClient } from './tool-suite.js';

/** Limits `execute_agent_code` takes as arguments; the others can only be set on the sandbox. */
const TOOL_LIMITS: ReadonlySet<string> = new Set(['timeoutMs', 'memoryLimitBytes']);

/** A request split into tool arguments and the limits the server's sandbox must carry instead. */
export interface ToolCall {
  arguments: Record<string, unknown>;
  sandboxLimits: Partial<Limits>;
}

/** Maps an {@link ExecutionRequest} onto `execute_agent_code` arguments. */
export function toToolCall(request: ExecutionRequest): ToolCall {
  const toolArguments: Record<string, unknown> = { code: request.code };
  if (request.input !== undefined) toolArguments.input = request.input;
  if (request.language !== undefined) toolArguments.language = request.language;
  if (request.preset !== undefined) toolArguments.preset = request.preset;
  const sandboxLimits: Partial<Limits> = {};
  for (const [key, value] of Object.entries(request.limits ?? {})) {
    if (TOOL_LIMITS.has(key)) toolArguments[key] = value;
    else (sandboxLimits as Record<string, unknown>)[key] = value;
  }
  return { arguments: toolArguments, sandboxLimits };
}

/** A stable key of the sandbox limits a case needs (`{}` when the tool arguments suffice). */
export function sandboxLimitsKey(testCase: AdversarialCase): string {
  const limits = toToolCall(testCase.request).sandboxLimits;
  return JSON.stringify(Object.fromEntries(Object.entries(limits).sort(([a], [b]) => a.localeCompare(b))));
}

/** Time a round trip may add to a case's own duration bound (MCP, JSON, a shared machine). */
const ROUND_TRIP_SLACK_MS = 3_000;

/**
 * Runs one hostile case through `execute_agent_code`, then the health probe on the same client.
 * Returns the problems found (empty when the case passed).
 */
export async function runAdversarialCase(
  connection: ConnectedClient,
  testCase: AdversarialCase,
): Promise<string[]> {
  const problems: string[] = [];
  const call = toToolCall(testCase.request);
  const started = performance.now();
  const outcome: ToolOutcome = await execute(connection.client, call.arguments);
  const roundTripMs = performance.now() - started;
  const result = outcome.structured as ExecutionResult | undefined;
  if (!result) return [`no structured result: ${outcome.text.slice(0, 300)}`];
  if (outcome.isError !== (result.status !== 'success'))
    problems.push(`isError ${outcome.isError} for status ${result.status}`);
  const mismatch = checkAdversarial(testCase, result);
  if (mismatch) problems.push(`${mismatch} :: ${JSON.stringify(result).slice(0, 400)}`);
  const bound =
    (testCase.maxDurationMs ?? (testCase.request.limits?.timeoutMs ?? 5_000) + 2_000) + ROUND_TRIP_SLACK_MS;
  if (roundTripMs > bound) problems.push(`round trip took ${Math.round(roundTripMs)} ms, bound ${bound} ms`);

  const probe = await execute(connection.client, { code: HEALTH_PROBE.code });
  const probeResult = probe.structured as ExecutionResult | undefined;
  if (
    probe.isError ||
    probeResult?.status !== 'success' ||
    JSON.stringify(probeResult.result) !== JSON.stringify(HEALTH_PROBE.expected) ||
    probeResult.stdout !== '' ||
    probeResult.stderr !== ''
  ) {
    problems.push(
      `health probe after the case: ${JSON.stringify(probe.structured ?? probe.text).slice(0, 400)}`,
    );
  }
  return problems;
}
