/**
 * What one grid point of a surface costs before anything is measured. A point is the loss and
 * accuracy of the model at theta + a*dx + b*dy over the evaluation samples (Li et al. 2018, eq. 1):
 * one forward pass per sample, and a forward pass takes about one multiply and one add per weight
 * per sample. That is exact for dense layers; a convolution reuses each weight at every output
 * position, so for CNNs it is a lower bound, and the workers' measured speed (below) absorbs the
 * difference on average. The fair queue places a surface that is not prepared yet by this cost, and
 * the new-surface form shows it.
 */

/** FLOPs of one grid point: 2 x parameters x samples (a multiply and an add per weight per sample). */
export function pointFlops(parameterCount: number, samples: number): number {
  return 2 * Math.max(0, parameterCount) * Math.max(0, samples);
}

/** The samples a surface evaluates: its random subset (`samples`) when smaller than the dataset, else every row. */
export function evaluatedSamples(datasetRows: number, samples: number | null): number {
  return samples === null ? datasetRows : Math.min(samples, datasetRows);
}

/**
 * Seconds one point should take at `flopsPerSecond` (what the workers reached lately, see
 * fair-queue.ts `recentFlopRate`); null without a measured rate.
 */
export function pointSecondsAt(flopsPerPoint: number, flopsPerSecond: number | null): number | null {
  if (flopsPerSecond === null || !(flopsPerSecond > 0)) return null;
  return flopsPerPoint / flopsPerSecond;
}
