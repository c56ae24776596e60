// Peak memory of one execution, in a fresh process: create the contestant, run hello world (so
// code and engine are loaded), then run the workload once while a sampler thread reads the
// process's RSS every millisecond, and take the kernel's peak mark too (VmHWM after resetting it
// through /proc/self/clear_refs). peak - RSS before = the execution's peak memory. It covers every
// thread of the process: worker threads, wasm linear memory, the V8 heap, native wasmtime stores.
import { readFileSync, writeFileSync } from 'node:fs';
import { contestantById } from './contestants.mjs';
import { residentBytes, startRssSampler } from './rss-sampler.mjs';
import { workloadById } from './workloads.mjs';

const peakMarkBytes = () => {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
};

const runner = await contestantById(process.argv[2]).create({ poolSize: 1 });
await runner.run(workloadById('hello'));
globalThis.gc?.();
let markReset = true;
try {
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  markReset = false; // not allowed here: rely on the sampler alone
}
const sampler = await startRssSampler();
const beforeBytes = residentBytes();
await runner.run(workloadById(process.argv[3]));
const sampledPeakBytes = await sampler.stop();
const peakBytes = Math.max(sampledPeakBytes, markReset ? peakMarkBytes() : 0);
await runner.dispose();
process.stdout.write(
  `${JSON.stringify({ baselineBytes: beforeBytes, peakDeltaBytes: Math.max(0, peakBytes - beforeBytes) })}\n`,
);
