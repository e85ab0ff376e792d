/*
 * The figures the benchmarks report from their samples: best, median and
 * worst of runs, and nearest-rank percentiles of latencies.
 */

/** Best (smallest), median and worst of a run's figures. */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return {
    best: sorted[0],
    median:
      sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    worst: sorted[sorted.length - 1],
  };
}

/**
 * The nearest-rank `p`th percentile of ascending `sorted`, rounded to
 * `decimals`; null when there is none.
 */
export function percentile(sorted, p, decimals) {
  if (sorted.length === 0) return null;
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  const scale = 10 ** decimals;
  return Math.round(sorted[Math.max(0, i)] * scale) / scale;
}
