// One cold start, in a fresh process: import the contestant, create it, run hello world once.
// Prints one JSON line; `sinceProcessStartMs` counts from process start (performance.timeOrigin).
import { contestantById } from './contestants.mjs';
import { workloadById } from './workloads.mjs';

const importStarted = performance.now();
const contestant = contestantById(process.argv[2]);
const runner = await contestant.create({ poolSize: 1 });
const created = performance.now();
await runner.run(workloadById('hello'));
const answered = performance.now();
await runner.dispose();
process.stdout.write(
  `${JSON.stringify({
    sinceProcessStartMs: answered,
    nodeStartupMs: importStarted,
    createMs: created - importStarted,
    firstRunMs: answered - created,
  })}\n`,
);
