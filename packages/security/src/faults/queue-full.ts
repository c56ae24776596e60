import { connectToolClient } from '../mcp-client.js';
import { startServerProcess } from '../server-process.js';
import { checkHealthyThenStop, type FaultReport, guarded, sleep } from './fault-report.js';

const LOOP_MS = 2_000;

/**
 * One worker, a queue of one: a running and a queued busy loop fill the server, so a third call
 * must be refused at once with a clear "queue is full" `isError`, never hang; the first two end
 * as timeouts and the third runs afterwards.
 */
export function fullQueue(backend: string): Promise<FaultReport> {
  return guarded('full queue', backend, async (report, defer) => {
    const server = await startServerProcess({
      backend,
      args: ['--max-concurrency', '1', '--max-queued', '1'],
    });
    defer(() => server.stop('SIGKILL'));
    const [running, queued, third] = await Promise.all(
      ['running', 'queued', 'third'].map((name) => connectToolClient(server.url, name)),
    );
    await third!.execute({ code: '1' });
    const first = running!.execute({ code: 'for (;;) {}', timeoutMs: LOOP_MS });
    await sleep(400);
    const second = queued!.execute({ code: 'for (;;) {}', timeoutMs: LOOP_MS });
    await sleep(300);
    const asked = performance.now();
    const refused = await third!.execute({ code: '1 + 1' });
    report.facts.refusalMs = Math.round(performance.now() - asked);
    report.facts.refusal = refused.text.slice(0, 120);
    if (!refused.isError || refused.result !== undefined || !/queue is full/.test(refused.text))
      report.problems.push(`expected a "queue is full" refusal, got ${refused.text.slice(0, 200)}`);
    if ((report.facts.refusalMs as number) > 1_000) report.problems.push('the refusal was not immediate');
    const statuses = (await Promise.all([first, second])).map((answer) => answer.result?.status);
    report.facts.runningAndQueued = statuses;
    if (statuses.some((status) => status !== 'timeout'))
      report.problems.push(`the running and queued loops ended as ${statuses.join(', ')}`);
    const after = await third!.execute({ code: '1 + 1' });
    if (after.result?.status !== 'success')
      report.problems.push(`third call afterwards: ${after.text.slice(0, 200)}`);
    await Promise.all([running, queued, third].map((client) => client!.close()));
    await checkHealthyThenStop(server, report);
  });
}
