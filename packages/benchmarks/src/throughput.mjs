// Executions per second under concurrent load: one sandbox whose pool has a worker per core,
// kept saturated (twice as many executions in flight as workers) for a fixed time.
import { CONTESTANTS, CORES } from './contestants.mjs';
import { rounded } from './statistics.mjs';

async function saturate(runner, workload, { durationMs, inFlight }) {
  let completed = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  const lane = async () => {
    while (performance.now() < deadline) {
      await runner.run(workload);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const elapsedMs = performance.now() - started;
  return {
    executionsPerSecond: rounded((completed / elapsedMs) * 1000, 1),
    completed,
    elapsedMs: rounded(elapsedMs, 0),
  };
}

/** Throughput of the pooled (jsbox) contestants on `workloads`, pool size = number of cores. */
export async function measureThroughput({ workloads, quick, log }) {
  const results = { poolSize: CORES };
  for (const contestant of CONTESTANTS.filter((entry) => entry.pooled)) {
    const runner = await contestant.create({ poolSize: CORES, maxQueued: 4 * CORES });
    results[contestant.id] = {};
    try {
      for (const workload of workloads) {
        await saturate(runner, workload, { durationMs: quick ? 100 : 500, inFlight: 2 * CORES }); // warm every worker
        const measured = await saturate(runner, workload, {
          durationMs: quick ? 500 : 3000,
          inFlight: 2 * CORES,
        });
        results[contestant.id][workload.id] = measured;
        log(
          `  ${contestant.label.padEnd(20)} ${workload.label.padEnd(34)} ${measured.executionsPerSecond} exec/s`,
        );
      }
    } finally {
      await runner.dispose();
    }
  }
  return results;
}
