import { connectToolClient } from '../mcp-client.js';
import { startServerProcess } from '../server-process.js';
import { checkHealthyThenStop, type FaultReport, guarded } from './fault-report.js';

const TIMEOUT_MS = 300;
/** The pool's backstop grace past `timeoutMs` (quickjs and wasmtime backends: 1 s) plus slack. */
const BOUND_MS = TIMEOUT_MS + 1_000 + 1_500;

/**
 * A guest that sits in long native builtins (typed-array sorts of 20M elements), where QuickJS
 * does not poll its interrupt handler. On quickjs the pool's backstop must terminate the worker
 * at `timeoutMs` + 1 s; on wasmtime the epoch deadline stops it inside the builtin. Either way the
 * call ends as a `timeout` within its bound and the server serves on.
 */
export function guestIgnoringInterrupts(backend: string): Promise<FaultReport> {
  return guarded('guest ignoring interrupts (backstop)', backend, async (report, defer) => {
    const server = await startServerProcess({ backend, args: ['--max-concurrency', '1'] });
    defer(() => server.stop('SIGKILL'));
    const client = await connectToolClient(server.url, 'stubborn');
    await client.execute({ code: '1' });
    const started = performance.now();
    const answer = await client.execute({
      code: 'const a = new Float64Array(2e7); a.fill(1, 0, 1e7);\nfor (let i = 0; i < 4; i++) { a.sort(); a.reverse(); }\na.length',
      timeoutMs: TIMEOUT_MS,
      memoryLimitBytes: 512 * 1024 * 1024,
    });
    const roundTripMs = Math.round(performance.now() - started);
    report.facts.roundTripMs = roundTripMs;
    report.facts.status = answer.result?.status;
    report.facts.durationMs = answer.result?.durationMs;
    if (answer.result?.status !== 'timeout' || answer.result.reason !== 'deadline')
      report.problems.push(
        `expected a deadline timeout, got ${JSON.stringify(answer.result ?? answer.text).slice(0, 300)}`,
      );
    if (roundTripMs > BOUND_MS) report.problems.push(`took ${roundTripMs} ms, bound ${BOUND_MS} ms`);
    await client.close();
    await checkHealthyThenStop(server, report);
  });
}
