// Peak memory per execution: one fresh child process per contestant and workload (see
// memory-child.mjs for the method), so no heap grown by an earlier workload hides the cost.
import { execFileSync } from 'node:child_process';
import { CONTESTANTS } from './contestants.mjs';

const CHILD = new URL('./memory-child.mjs', import.meta.url);

/** Peak memory (bytes above the RSS before the run) of every contestant on every workload. */
export function measureMemory({ workloads, log }) {
  const results = {};
  for (const contestant of CONTESTANTS) {
    results[contestant.id] = {};
    for (const workload of workloads) {
      const output = execFileSync(
        process.execPath,
        ['--expose-gc', CHILD.pathname, contestant.id, workload.id],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      results[contestant.id][workload.id] = JSON.parse(output.trim().split('\n').pop());
    }
    const cells = workloads.map(
      (workload) =>
        `${workload.id} ${(results[contestant.id][workload.id].peakDeltaBytes / 2 ** 20).toFixed(1)}`,
    );
    log(`  ${contestant.label.padEnd(20)} MiB: ${cells.join(', ')}`);
  }
  return results;
}
