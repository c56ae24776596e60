/** Percentiles of a set of durations, in milliseconds, rounded to 0.1 ms. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Summarises durations (nearest-rank percentiles). An empty list gives zeros. */
export function summarizeLatencies(durationsMs: readonly number[]): LatencySummary {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const rank = (fraction: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: sorted.length,
    p50Ms: round(rank(0.5)),
    p90Ms: round(rank(0.9)),
    p99Ms: round(rank(0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}
