import { connectToolClient } from '../mcp-client.js';
import type { ServerProcess } from '../server-process.js';
import { HEALTH_PROBE } from '../shared-cases.js';

/** What one fault scenario observed. `problems` empty means it ended cleanly. */
export interface FaultReport {
  fault: string;
  backend: string;
  problems: string[];
  /** Measured facts: latencies, statuses, exit codes. */
  facts: Record<string, unknown>;
}

/**
 * Checks, from a fresh client, that the server still runs code correctly and that no trace of
 * earlier executions is visible; then stops it and checks it exits 0. Adds problems to `report`.
 */
export async function checkHealthyThenStop(server: ServerProcess, report: FaultReport): Promise<void> {
  const started = performance.now();
  try {
    const client = await connectToolClient(server.url, 'health');
    const answer = await client.execute({ code: HEALTH_PROBE.code }, { timeoutMs: 30_000 });
    await client.close();
    report.facts.healthProbeMs = Math.round(performance.now() - started);
    const result = answer.result;
    if (
      result?.status !== 'success' ||
      JSON.stringify(result.result) !== JSON.stringify(HEALTH_PROBE.expected) ||
      result.stdout !== '' ||
      result.stderr !== ''
    ) {
      report.problems.push(`health probe: ${JSON.stringify(result ?? answer.text).slice(0, 300)}`);
    }
  } catch (error) {
    report.problems.push(`health probe failed: ${(error as Error).message}`);
  }
  const stop = await server.stop();
  report.facts.exitOnSigterm = stop.exit;
  report.facts.exitMs = stop.elapsedMs;
  if (stop.exit !== 0) report.problems.push(`server exited with ${stop.exit} on SIGTERM`);
  if (/\n\s+at /.test(server.stderr())) report.problems.push('server stderr holds a stack trace');
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Registers a clean-up step that runs after the scenario, whether it passed, failed or threw. */
export type Defer = (cleanup: () => Promise<unknown>) => void;

/** Runs `run`, turning a throw into a problem of a report for `fault`, then runs its clean-ups. */
export async function guarded(
  fault: string,
  backend: string,
  run: (report: FaultReport, defer: Defer) => Promise<void>,
): Promise<FaultReport> {
  const report: FaultReport = { fault, backend, problems: [], facts: {} };
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    await run(report, (cleanup) => cleanups.push(cleanup));
  } catch (error) {
    report.problems.push(`scenario threw: ${(error as Error).message}`);
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  return report;
}
