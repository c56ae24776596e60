import { connectToolClient } from '../mcp-client.js';
import { startServerProcess } from '../server-process.js';
import { checkHealthyThenStop, type FaultReport, guarded, sleep } from './fault-report.js';

const HOOK = new URL('./worker-kill-hook.mjs', import.meta.url).href;
const TIMEOUT_MS = 5_000;

/**
 * A worker thread dies mid-execution: the server runs with a fault hook that terminates its
 * execution workers on SIGUSR2. The call must end in a clear `InternalError` result (not a hang,
 * not a dead server), and the next call must run on a replacement worker.
 */
export function workerKilledMidExecution(backend: string): Promise<FaultReport> {
  return guarded('worker killed mid-execution', backend, async (report, defer) => {
    const server = await startServerProcess({
      backend,
      args: ['--max-concurrency', '1'],
      nodeArgs: ['--import', HOOK],
    });
    defer(() => server.stop('SIGKILL'));
    const client = await connectToolClient(server.url, 'victim');
    await client.execute({ code: '1' });
    const started = performance.now();
    const pending = client.execute(
      { code: 'for (;;) {}', timeoutMs: TIMEOUT_MS },
      { timeoutMs: TIMEOUT_MS + 10_000 },
    );
    await sleep(700);
    process.kill(server.pid, 'SIGUSR2');
    const killedAt = performance.now();
    const answer = await pending.catch(async (error: Error) => {
      const exit = await Promise.race([server.exited, sleep(1_000).then(() => 'still running')]);
      throw new Error(`the call failed (${error.message}); server process: ${exit}`);
    });
    report.facts.answerAfterKillMs = Math.round(performance.now() - killedAt);
    report.facts.status = answer.result?.status;
    const result = answer.result;
    if (result?.status === 'error') {
      report.facts.error = `${result.error.type} ${result.error.name}: ${result.error.message}`;
      if (
        result.error.type !== 'unknown' ||
        result.error.name !== 'InternalError' ||
        !/crash/.test(result.error.message)
      )
        report.problems.push(`expected an InternalError crash result, got ${report.facts.error}`);
    } else {
      report.problems.push(
        `expected an error result, got ${JSON.stringify(result ?? answer.text).slice(0, 300)}`,
      );
    }
    if (!answer.isError) report.problems.push('isError is not set');
    if (performance.now() - started > TIMEOUT_MS + 2_000)
      report.problems.push(`the call took ${Math.round(performance.now() - started)} ms`);
    if (!server.stderr().includes('fault hook: terminated 1 execution worker'))
      report.problems.push('the hook did not terminate exactly one worker');
    const after = await client.execute({ code: '6 * 7' });
    report.facts.nextCall = after.result?.status;
    if (after.result?.status !== 'success' || after.result.result !== 42)
      report.problems.push(`next call on the same client: ${after.text.slice(0, 200)}`);
    await client.close();
    await checkHealthyThenStop(server, report);
  });
}
