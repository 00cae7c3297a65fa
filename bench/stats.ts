// The figures every bench prints: median, p95 and max of at least 30 samples, by linear interpolation between
// the two nearest ranks (so a p95 of 30 samples is not simply the second largest).

export interface Stats {
  samples: number;
  median: number;
  p95: number;
  max: number;
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (i - lo);
}

/** To one decimal: what the tables print. */
export const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Median, p95 and max; `round` them to one decimal for a table, or keep them exact. */
export function stats(xs: readonly number[], round: (n: number) => number = (n) => n): Stats {
  return {
    samples: xs.length,
    median: round(quantile(xs, 0.5)),
    p95: round(quantile(xs, 0.95)),
    max: round(xs.length ? Math.max(...xs) : NaN),
  };
}
