/** Median of a list of numbers (`NaN` for an empty list). */
export function median(values) {
  return percentile(values, 0.5);
}

/** Nearest-rank percentile (`p` from 0 to 1) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Rounds to `digits` significant decimals for the report (keeps JSON readable). */
export function rounded(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Number(value.toFixed(digits));
}
