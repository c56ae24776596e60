import { openRawSession, postAndDisconnect } from '../../../mcp-server/test/helpers/raw-http.js';
import { connectToolClient } from '../mcp-client.js';
import { startServerProcess } from '../server-process.js';
import { checkHealthyThenStop, type FaultReport, guarded, sleep } from './fault-report.js';

/** How soon the only slot must be free again after the client vanished (cancel grace is 1 s). */
const FREED_WITHIN_MS = 5_000;

/**
 * A client starts a 60 s busy loop on a server with one worker and no queue, then drops its TCP
 * connection. The execution must be cancelled and the slot freed: another client's call must
 * run within seconds, not after 60 s.
 */
export function clientDisconnectsMidExecution(backend: string): Promise<FaultReport> {
  return guarded('client disconnects mid-execution', backend, async (report, defer) => {
    const server = await startServerProcess({
      backend,
      args: ['--max-concurrency', '1', '--max-queued', '0'],
    });
    defer(() => server.stop('SIGKILL'));
    const sessionId = await openRawSession(server.url);
    await postAndDisconnect(
      server.url,
      sessionId,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'execute_agent_code', arguments: { code: 'for (;;) {}', timeoutMs: 60_000 } },
      },
      700,
    );
    const disconnectedAt = performance.now();
    const other = await connectToolClient(server.url, 'next');
    let refusals = 0;
    let ran = false;
    while (performance.now() - disconnectedAt < 65_000) {
      const answer = await other.execute({ code: '1 + 1' });
      if (answer.result?.status === 'success' && answer.result.result === 2) {
        ran = true;
        break;
      }
      if (answer.result) {
        report.problems.push(`unexpected result: ${JSON.stringify(answer.result).slice(0, 200)}`);
        break;
      }
      refusals++;
      await sleep(100);
    }
    const freedMs = Math.round(performance.now() - disconnectedAt);
    report.facts.slotFreedAfterMs = freedMs;
    report.facts.busyRefusalsMeanwhile = refusals;
    if (!ran) report.problems.push('the next call never ran');
    else if (freedMs > FREED_WITHIN_MS) report.problems.push(`the slot was freed only after ${freedMs} ms`);
    await other.close();
    await checkHealthyThenStop(server, report);
  });
}
