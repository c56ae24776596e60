// Warm latency: each contestant's runner is created once, then tinybench times single executions
// (fresh context/store each) after a warm-up. Median and p99 come from tinybench's samples.
import { Bench } from 'tinybench';
import { CONTESTANTS } from './contestants.mjs';
import { runQjsLoop } from './qjs-native.mjs';
import { median, percentile, rounded } from './statistics.mjs';
import { checkAnswer } from './workload-source.mjs';

/** tinybench settings per workload: light ones get many samples, heavy ones a minimum count. */
function benchOptions(workload, quick) {
  const light = workload.id.startsWith('hello');
  return {
    time: quick ? 150 : light ? 1500 : 1200,
    iterations: quick ? 3 : light ? 200 : 12,
    warmupTime: quick ? 20 : 200,
    warmupIterations: quick ? 1 : light ? 20 : 2,
    throws: true,
  };
}

/** Summary of one tinybench task, in ms. */
function summary(task) {
  const { latency } = task.result;
  return {
    medianMs: rounded(latency.p50),
    p99Ms: rounded(latency.p99),
    meanMs: rounded(latency.mean),
    samples: latency.samplesCount,
  };
}

/** Warm latency of every in-process contestant on every workload. */
export async function measureWarmLatency({ workloads, quick, log }) {
  const results = {};
  for (const contestant of CONTESTANTS) {
    const runner = await contestant.create({ poolSize: 1 });
    results[contestant.id] = {};
    try {
      for (const workload of workloads) {
        const bench = new Bench(benchOptions(workload, quick));
        bench.add(`${contestant.id} ${workload.id}`, () => runner.run(workload));
        await bench.run();
        results[contestant.id][workload.id] = summary(bench.tasks[0]);
        log(
          `  ${contestant.label.padEnd(20)} ${workload.label.padEnd(34)} median ${results[contestant.id][workload.id].medianMs} ms`,
        );
      }
    } finally {
      await runner.dispose();
    }
  }
  return results;
}

/** The same table for native qjs (times measured inside qjs; mean per batch for light workloads). */
export function measureQjsWarmLatency({ command, workloads, quick, log }) {
  const results = {};
  for (const workload of workloads) {
    const light = workload.id.startsWith('hello');
    const { times, value } = runQjsLoop(command, workload, {
      rounds: quick ? 3 : light ? 20 : 12,
      batch: light ? 200 : 1,
    });
    checkAnswer('qjs', workload, value);
    results[workload.id] = {
      medianMs: rounded(median(times)),
      p99Ms: rounded(percentile(times, 0.99)),
      meanMs: rounded(times.reduce((sum, time) => sum + time, 0) / times.length),
      samples: times.length,
      ...(light ? { note: 'each sample is the mean of a batch of 200 runs' } : {}),
    };
    log(
      `  ${'qjs (native)'.padEnd(20)} ${workload.label.padEnd(34)} median ${results[workload.id].medianMs} ms`,
    );
  }
  return results;
}
