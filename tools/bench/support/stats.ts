/** Percentiles of a sample (nearest rank), for the benchmarks' reports. Non-finite values are left out. */
export function stats(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const percentile = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
  return {
    n: sorted.length,
    p50: percentile(50),
    p95: percentile(95),
    p99: percentile(99),
    max: sorted[sorted.length - 1],
  };
}

export const median = (values: number[]): number => stats(values).p50;

/** A number of milliseconds (or anything) for a table cell; '–' when there is none. */
export const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');
