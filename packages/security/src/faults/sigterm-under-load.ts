import { connectToolClient } from '../mcp-client.js';
import { startServerProcess } from '../server-process.js';
import { planSoakWork } from '../soak-work.js';
import { type FaultReport, guarded, sleep } from './fault-report.js';

const CLIENTS = 8;
/** The server's own shutdown grace is 5 s; it must be gone well within this. */
const EXIT_WITHIN_MS = 8_000;
/** A call still unanswered this long after SIGTERM counts as hung. */
const CALL_SETTLE_MS = 15_000;

/**
 * Eight clients keep the server busy (two in 60 s loops, the rest a third hostile), then
 * the server gets SIGTERM. Every call in flight must settle, with its result or an error the
 * client sees, nothing may hang, and the process must exit 0 within its grace period.
 */
export function sigtermUnderLoad(backend: string): Promise<FaultReport> {
  return guarded('SIGTERM under load', backend, async (report, defer) => {
    const server = await startServerProcess({ backend, args: ['--max-concurrency', '4'] });
    defer(() => server.stop('SIGKILL'));
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, index) => connectToolClient(server.url, `load-${index}`)),
    );
    let signalledAt: number | undefined;
    const settled = {
      beforeSignal: 0,
      resultAfterSignal: 0,
      refusedAfterSignal: 0,
      transportErrorAfterSignal: 0,
      hung: 0,
    };
    let index = 0;
    const cancelled: string[] = [];
    const loops = clients.map(async (client, clientIndex) => {
      while (signalledAt === undefined) {
        // Two clients run loops longer than the shutdown grace: they must be cancelled and told so.
        const work =
          clientIndex < 2
            ? { arguments: { code: 'for (;;) {}', timeoutMs: 60_000 } }
            : planSoakWork(7, index++, 35);
        try {
          const answer = await client.execute(work.arguments, { timeoutMs: CALL_SETTLE_MS + 10_000 });
          if (clientIndex < 2 && answer.result?.status === 'timeout') cancelled.push(answer.result.reason);
          if (signalledAt === undefined) settled.beforeSignal++;
          else if (answer.result) settled.resultAfterSignal++;
          else settled.refusedAfterSignal++;
          if (signalledAt !== undefined && performance.now() - signalledAt > CALL_SETTLE_MS) settled.hung++;
        } catch (error) {
          if (signalledAt === undefined)
            report.problems.push(`call failed before SIGTERM: ${(error as Error).message}`);
          else if (performance.now() - signalledAt > CALL_SETTLE_MS) settled.hung++;
          else settled.transportErrorAfterSignal++;
        }
      }
    });
    await sleep(2_500);
    signalledAt = performance.now();
    const stop = await server.stop('SIGTERM', 30_000);
    await Promise.all(loops);
    report.facts.calls = settled;
    report.facts.longLoopsEndedAs = cancelled;
    if (cancelled.length !== 2 || cancelled.some((reason) => reason !== 'cancelled'))
      report.problems.push(
        `the two long loops ended as ${JSON.stringify(cancelled)}, expected two cancelled timeouts`,
      );
    report.facts.exit = stop.exit;
    report.facts.exitMs = stop.elapsedMs;
    report.facts.allSettledMs = Math.round(performance.now() - signalledAt);
    if (stop.exit !== 0) report.problems.push(`exit ${stop.exit}`);
    if (stop.elapsedMs > EXIT_WITHIN_MS) report.problems.push(`exit took ${stop.elapsedMs} ms`);
    if (settled.hung > 0) report.problems.push(`${settled.hung} call(s) hung`);
    if (settled.beforeSignal === 0) report.problems.push('no load before the signal');
    if (/\n\s+at /.test(server.stderr())) report.problems.push('server stderr holds a stack trace');
    await Promise.all(clients.map((client) => client.close()));
  });
}
