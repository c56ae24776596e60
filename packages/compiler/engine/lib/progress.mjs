/**
 * Progress lines on stderr with the time each step took, so a slow build shows where it spends.
 * stdout stays free for anything a caller may want to parse.
 */
const buildStart = performance.now();

/** Prints one progress line. */
export function log(message) {
  const seconds = ((performance.now() - buildStart) / 1000).toFixed(1);
  process.stderr.write(`[engine ${seconds.padStart(5)}s] ${message}\n`);
}

/** Runs `work` (sync or async) as a named step and logs how long it took. Returns its result. */
export async function step(name, work) {
  const started = performance.now();
  log(`${name}...`);
  const result = await work();
  log(`${name}: done in ${Math.round(performance.now() - started)} ms`);
  return result;
}

/** Milliseconds since the build started. */
export function elapsedMs() {
  return Math.round(performance.now() - buildStart);
}
