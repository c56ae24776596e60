// The jsbox benchmark suite. `pnpm bench` at the repo root (or `pnpm --filter @jsbox/benchmarks
// bench`) runs it after building every package. Flags:
//   --quick        a fast smoke pass (few samples); writes to packages/benchmarks/.results/ only
//   --qjs=PATH     the native QuickJS interpreter to compare with (default: `qjs` on PATH)
//   --only=a,b     run only these sections (warm, fuel, throughput, memory, cold, mcp, compiler)
//   --render-only  measure nothing: redraw the charts and docs/benchmarks.md from the committed
//                  docs/benchmarks/results.json (after changing the report code)
// A full run writes docs/benchmarks/results.json, the SVG charts beside it and the generated part
// of docs/benchmarks.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCharts } from './charts.mjs';
import { measureColdStart } from './cold-start.mjs';
import { measureCompiler } from './compiler-numbers.mjs';
import { CONTESTANTS } from './contestants.mjs';
import { measureFuel } from './fuel.mjs';
import { describeMachine } from './machine.mjs';
import { measureMcpRoundTrip } from './mcp-round-trip.mjs';
import { measureMemory } from './memory.mjs';
import { findQjs } from './qjs-native.mjs';
import { renderMarkdown } from './report-markdown.mjs';
import { measureThroughput } from './throughput.mjs';
import { measureQjsWarmLatency, measureWarmLatency } from './warm-latency.mjs';
import { TIGHT_LOOP, WORKLOADS, workloadById } from './workloads.mjs';

const SECTIONS = ['warm', 'fuel', 'throughput', 'memory', 'cold', 'mcp', 'compiler'];
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOC = join(REPOSITORY_ROOT, 'docs', 'benchmarks.md');
const MARKERS = ['<!-- results:start -->', '<!-- results:end -->'];

function parseFlags(argv) {
  const flags = { quick: false, qjs: undefined, only: SECTIONS, renderOnly: false };
  for (const argument of argv) {
    if (argument === '--') continue;
    if (argument === '--quick') flags.quick = true;
    else if (argument === '--render-only') flags.renderOnly = true;
    else if (argument.startsWith('--qjs=')) flags.qjs = argument.slice('--qjs='.length);
    else if (argument.startsWith('--only=')) {
      flags.only = argument.slice('--only='.length).split(',');
      const unknown = flags.only.filter((section) => !SECTIONS.includes(section));
      if (unknown.length > 0)
        throw new Error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
    } else {
      throw new Error(
        `unknown flag ${argument}; flags: --quick, --qjs=PATH, --only=${SECTIONS.join(',')}, --render-only`,
      );
    }
  }
  return flags;
}

const log = (line) => console.log(line);

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.renderOnly) {
    const committed = JSON.parse(
      readFileSync(join(REPOSITORY_ROOT, 'docs', 'benchmarks', 'results.json'), 'utf8'),
    );
    write(committed, { ...flags, quick: committed.quick }, { rewriteResults: false });
    return;
  }
  const started = performance.now();
  const selected = (section) => flags.only.includes(section);
  const workloads = WORKLOADS;
  const qjs = findQjs(flags.qjs);
  const results = {
    suite: '@jsbox/benchmarks',
    command: 'pnpm bench',
    quick: flags.quick,
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    qjs,
    contestants: CONTESTANTS.map(({ id, label, pooled, isolation }) => ({ id, label, pooled, isolation })),
    workloads: workloads.map(({ id, label, code, expected }) => ({
      id,
      label,
      code,
      expected: expected ?? null,
    })),
    throughputWorkloads: ['hello', 'fib'].map(workloadById).map(({ id, label }) => ({ id, label })),
    memoryWorkloads: workloads.filter((workload) => !workload.unique).map(({ id, label }) => ({ id, label })),
  };
  log(
    `jsbox benchmarks${flags.quick ? ' (--quick)' : ''}: ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}`,
  );
  if (!qjs.available) log(`note: ${qjs.note}`);

  if (selected('warm')) {
    log('\nwarm latency');
    results.warmLatency = await measureWarmLatency({ workloads, quick: flags.quick, log });
    if (qjs.available)
      results.qjsWarmLatency = measureQjsWarmLatency({
        command: qjs.command,
        workloads,
        quick: flags.quick,
        log,
      });
  }
  if (selected('fuel')) {
    log('\nfuel metering (wasmtime)');
    results.fuel = await measureFuel({
      workloads: [...workloads.filter((workload) => !workload.unique), TIGHT_LOOP],
      quick: flags.quick,
      log,
    });
  }
  if (selected('throughput')) {
    log('\nthroughput');
    results.throughput = await measureThroughput({
      workloads: results.throughputWorkloads.map(({ id }) => workloadById(id)),
      quick: flags.quick,
      log,
    });
  }
  if (selected('memory')) {
    log('\npeak memory per execution');
    const memoryWorkloads = flags.quick
      ? results.memoryWorkloads.filter(({ id }) => id === 'hello' || id === 'json')
      : results.memoryWorkloads;
    results.memoryWorkloads = memoryWorkloads;
    results.memory = measureMemory({ workloads: memoryWorkloads.map(({ id }) => workloadById(id)), log });
  }
  if (selected('cold')) {
    log('\ncold start');
    results.coldStart = measureColdStart({ quick: flags.quick, qjs, log });
  }
  if (selected('mcp')) {
    log('\nMCP round trip (stdio)');
    results.mcp = await measureMcpRoundTrip({ quick: flags.quick, log });
  }
  if (selected('compiler')) {
    log('\ncompiler');
    results.compiler = await measureCompiler({ quick: flags.quick, log });
  }
  results.finishedAt = new Date().toISOString();
  results.durationMs = Math.round(performance.now() - started);
  results.loadAverageAtEnd = loadavg().map((value) => Math.round(value * 100) / 100);
  write(results, flags);
}

function write(results, flags, { rewriteResults = true } = {}) {
  const complete = SECTIONS.every((section) => flags.only.includes(section));
  const official = complete && !flags.quick;
  const directory = official
    ? join(REPOSITORY_ROOT, 'docs', 'benchmarks')
    : fileURLToPath(new URL('../.results/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  if (rewriteResults) writeFileSync(join(directory, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (!complete) {
    log(`\npartial run: results in ${join(directory, 'results.json')} (no report without every section)`);
    return;
  }
  for (const [name, svg] of Object.entries(renderCharts(results))) writeFileSync(join(directory, name), svg);
  const markdown = renderMarkdown(results);
  log(`\n${markdown}\n`);
  if (!official) {
    writeFileSync(join(directory, 'report.md'), `${markdown}\n`);
    log(`--quick: results, charts and report in ${directory} (docs/ left alone)`);
    return;
  }
  const doc = readFileSync(DOC, 'utf8');
  const [before, rest] = doc.split(MARKERS[0]);
  const after = rest?.split(MARKERS[1])[1];
  if (after === undefined) throw new Error(`docs/benchmarks.md lacks the ${MARKERS.join(' / ')} markers`);
  writeFileSync(DOC, `${before}${MARKERS[0]}\n${markdown}\n${MARKERS[1]}${after}`);
  log(`wrote docs/benchmarks.md${rewriteResults ? ', docs/benchmarks/results.json' : ''} and the charts`);
}

await main();
