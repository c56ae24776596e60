let runCounter = 0;

/**
 * The source to run for `workload` this time: its code, or for a `unique` workload its code with
 * a comment that changes every run (so no compile or bytecode cache can answer it).
 */
export function sourceOf(workload) {
  if (!workload.unique) return workload.code;
  runCounter += 1;
  return `${workload.code}\n// run ${runCounter}`;
}

/** jsbox encodes an `undefined` result as this marker object. */
const isUndefinedMarker = (value) =>
  typeof value === 'object' && value !== null && value.$jsbox === 'undefined';

/** Throws unless `value` is the workload's expected answer (`undefined` and `null` are the same). */
export function checkAnswer(contestant, workload, value) {
  const expected = workload.expected ?? null;
  const actual = isUndefinedMarker(value) ? null : (value ?? null);
  if (actual !== expected) {
    throw new Error(
      `${contestant} answered ${JSON.stringify(value)} to ${workload.id}, expected ${JSON.stringify(expected)}`,
    );
  }
}
