// Measures the quickjs backend: cold start, warm latency of `1 + 1`, timeout precision and
// memory across poisoned runs. Run after a build: `pnpm --filter @jsbox/runtime-quickjs bench`.
import { performance } from 'node:perf_hooks';
import { resolveExecutionRequest } from '@jsbox/core';
import { createQuickjsBackend } from '../dist/index.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const fixed = (ms) => `${ms.toFixed(2)} ms`;

const coldStart = performance.now();
const backend = await createQuickjsBackend({ poolSize: 1 });
const first = await backend.execute(resolveExecutionRequest({ code: '1 + 1' }));
const coldMs = performance.now() - coldStart;
if (first.status !== 'success') throw new Error(`unexpected first result ${JSON.stringify(first)}`);

const simple = resolveExecutionRequest({ code: '1 + 1' });
for (let i = 0; i < 20; i++) await backend.execute(simple);
const warm = [];
for (let i = 0; i < 200; i++) {
  const started = performance.now();
  await backend.execute(simple);
  warm.push(performance.now() - started);
}

const timeoutRuns = [];
for (const timeoutMs of [50, 100, 500]) {
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const result = await backend.execute(
      resolveExecutionRequest({ code: 'while (true) {}', limits: { timeoutMs } }),
    );
    timeoutRuns.push({ timeoutMs, reportedMs: result.elapsedMs, wallMs: performance.now() - started });
  }
}

const rss = [];
const poison = [
  resolveExecutionRequest({ code: 'while (true) {}', limits: { timeoutMs: 10 } }),
  resolveExecutionRequest({
    code: 'const a = []; for (;;) a.push(new Array(4096).fill(7))',
    limits: { memoryLimitBytes: 8 << 20 },
  }),
];
const poisonStarted = performance.now();
for (let round = 0; round < 250; round++) {
  for (const request of poison) await backend.execute(request);
  if (round % 50 === 49) rss.push(Math.round(process.memoryUsage().rss / 2 ** 20));
}
const poisonMs = (performance.now() - poisonStarted) / 500;
await backend.dispose();

console.log(`cold start (create backend + first 1+1): ${fixed(coldMs)}`);
console.log(
  `warm 1+1 over ${warm.length} runs: median ${fixed(median(warm))}, p90 ${fixed(percentile(warm, 0.9))}, p99 ${fixed(percentile(warm, 0.99))}`,
);
for (const timeoutMs of [50, 100, 500]) {
  const runs = timeoutRuns.filter((run) => run.timeoutMs === timeoutMs);
  const over = runs.map((run) => run.reportedMs - timeoutMs);
  const wall = runs.map((run) => run.wallMs - timeoutMs);
  console.log(
    `timeout ${timeoutMs} ms: reported overshoot max ${Math.max(...over)} ms, wall overshoot median ${fixed(median(wall))} max ${fixed(Math.max(...wall))}`,
  );
}
console.log(
  `500 poisoned runs (timeouts + OOMs), mean ${fixed(poisonMs)} each; RSS every 100 runs (MiB): ${rss.join(', ')}`,
);
