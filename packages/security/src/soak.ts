// Soak: N executions through the built MCP server over Streamable HTTP (loopback) from C
// concurrent SDK clients, mixing ordinary programs and the hostile families. Reports latency
// percentiles, failures that were not the guest's (target 0) and the server's RSS before/after
// (target: growth under 50 MB). Exit code 1 when a target is missed.
//   pnpm --filter @jsbox/security soak [--executions N --clients N --backend X --hostile-percent P --seed S]
import { z } from 'zod';
import { backendFlag, integerFlag, parseFlags } from './cli-flags.js';
import { GOOD_PROGRAMS } from './good-programs.js';
import { summarizeLatencies } from './latency-summary.js';
import { connectToolClient, type HttpToolClient } from './mcp-client.js';
import { readProcessMemory, toMebibytes } from './process-memory.js';
import { startServerProcess } from './server-process.js';
import { toToolCall } from './shared-cases.js';
import { planSoakWork, type Verdict } from './soak-work.js';

const USAGE =
  'usage: soak [--executions 10000] [--clients 8] [--backend wasmtime|quickjs] [--hostile-percent 5] [--seed 1] [--max-minutes 30]';
const RSS_GROWTH_TARGET_BYTES = 50 * 1024 * 1024;

const options = parseFlags(
  process.argv.slice(2),
  z.object({
    executions: integerFlag(10_000, 1, 10_000_000),
    clients: integerFlag(8, 1, 64),
    backend: backendFlag('wasmtime'),
    'hostile-percent': integerFlag(5, 0, 100),
    seed: integerFlag(1, 0, 2 ** 31),
    'max-minutes': integerFlag(30, 1, 24 * 60),
  }),
  USAGE,
);

const server = await startServerProcess({ backend: options.backend });
const rssAtStart = readProcessMemory(server.pid);
const clients: HttpToolClient[] = [];
for (let i = 0; i < options.clients; i++) clients.push(await connectToolClient(server.url, `soak-${i}`));

// Warm-up: every client runs every good program once, so workers and caches exist before "before".
await Promise.all(
  clients.map(async (client) => {
    for (const program of GOOD_PROGRAMS) await client.execute(toToolCall(program.request).arguments);
  }),
);
const rssBefore = readProcessMemory(server.pid);

const verdicts: Record<Verdict, number> = { ok: 0, mismatch: 0, transport: 0, refused: 0, internal: 0 };
const examples: string[] = [];
const latencies: number[] = [];
const goodLatencies: number[] = [];
const byFamily: Record<string, number> = {};
let next = 0;
const deadline = Date.now() + options['max-minutes'] * 60_000;
const started = performance.now();
let lastReport = started;

await Promise.all(
  clients.map(async (client) => {
    while (next < options.executions && Date.now() < deadline) {
      const index = next++;
      const work = planSoakWork(options.seed, index, options['hostile-percent']);
      byFamily[work.family] = (byFamily[work.family] ?? 0) + 1;
      const callStarted = performance.now();
      let outcome: { verdict: Verdict; detail?: string };
      try {
        outcome = work.judge(await client.execute(work.arguments));
      } catch (error) {
        outcome = { verdict: 'transport', detail: (error as Error).message };
      }
      const elapsed = performance.now() - callStarted;
      latencies.push(elapsed);
      if (work.kind === 'good') goodLatencies.push(elapsed);
      verdicts[outcome.verdict]++;
      if (outcome.verdict !== 'ok' && examples.length < 20)
        examples.push(`#${index} ${work.family}/${work.name}: ${outcome.verdict} ${outcome.detail ?? ''}`);
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        const rss = toMebibytes(readProcessMemory(server.pid).rssBytes);
        process.stderr.write(`soak: ${latencies.length}/${options.executions} done, server RSS ${rss} MiB\n`);
      }
    }
  }),
);
const wallSeconds = (performance.now() - started) / 1000;
const rssAfter = readProcessMemory(server.pid);
await new Promise((resolve) => setTimeout(resolve, 3_000));
const rssSettled = readProcessMemory(server.pid);
for (const client of clients) await client.close();
const stop = await server.stop();

const notGuest = verdicts.transport + verdicts.refused + verdicts.internal;
const growth = rssAfter.rssBytes - rssBefore.rssBytes;
const report = {
  backend: options.backend,
  executions: latencies.length,
  planned: options.executions,
  clients: options.clients,
  hostilePercent: options['hostile-percent'],
  seed: options.seed,
  wallSeconds: Math.round(wallSeconds * 10) / 10,
  executionsPerSecond: Math.round((latencies.length / wallSeconds) * 10) / 10,
  latency: summarizeLatencies(latencies),
  goodProgramLatency: summarizeLatencies(goodLatencies),
  byFamily,
  verdicts,
  notGuestErrors: notGuest,
  serverRssMiB: {
    atStart: toMebibytes(rssAtStart.rssBytes),
    before: toMebibytes(rssBefore.rssBytes),
    after: toMebibytes(rssAfter.rssBytes),
    afterSettling3s: toMebibytes(rssSettled.rssBytes),
    growth: toMebibytes(growth),
    peak: toMebibytes(rssAfter.peakRssBytes),
  },
  serverExit: stop,
  examples,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
const failed =
  notGuest > 0 ||
  verdicts.mismatch > 0 ||
  growth >= RSS_GROWTH_TARGET_BYTES ||
  stop.exit !== 0 ||
  latencies.length < options.executions;
process.stderr.write(failed ? 'soak: FAILED a target (see above)\n' : 'soak: all targets met\n');
process.exit(failed ? 1 : 0);
