// Samples the process's resident set size from a worker thread every millisecond, so the peak of
// an execution is seen even when the main thread is busy running it (in-process contestants).
import { readFileSync } from 'node:fs';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const PAGE_KIB = 4;
const STOP = 0;
const PEAK_KIB = 1;

const rssKiB = () => Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * PAGE_KIB;

if (!isMainThread && workerData?.rssSampler) {
  const shared = new Int32Array(workerData.rssSampler);
  while (Atomics.load(shared, STOP) === 0) {
    const rss = rssKiB();
    if (rss > Atomics.load(shared, PEAK_KIB)) Atomics.store(shared, PEAK_KIB, rss);
    Atomics.wait(shared, STOP, 0, 1);
  }
}

/** Starts sampling; `stop()` resolves to the highest RSS seen, in bytes. */
export async function startRssSampler() {
  const buffer = new SharedArrayBuffer(8);
  const shared = new Int32Array(buffer);
  Atomics.store(shared, PEAK_KIB, rssKiB());
  const worker = new Worker(new URL(import.meta.url), { workerData: { rssSampler: buffer } });
  await new Promise((resolve) => worker.once('online', resolve));
  return {
    async stop() {
      Atomics.store(shared, STOP, 1);
      Atomics.notify(shared, STOP);
      await new Promise((resolve) => worker.once('exit', resolve));
      return Atomics.load(shared, PEAK_KIB) * 1024;
    },
  };
}

/** Current resident set size in bytes. */
export const residentBytes = () => rssKiB() * 1024;
