/**
 * What one grid point of a surface costs before anything is measured. A point is the loss and
 * accuracy of the model at theta + a*dx + b*dy over the evaluation samples (Li et al. 2018, eq. 1):
 * one forward pass per sample. The engine counts a forward pass's FLOPs when it reads the model
 * (twice the multiply-adds of its dense and convolution layers: a convolution applies each weight
 * at every output position, so a CNN's pass costs many times its parameters); models stored before
 * that count fall back to a multiply and an add per weight, exact for dense layers only. The fair
 * queue places a surface that is not prepared yet by this cost, and the new-surface form shows it.
 */

/**
 * FLOPs of one sample's forward pass: the engine's count, else 2 x parameters. The fair queue's
 * SQL (sql/fair-queue.ts, SAMPLE_FLOPS) computes the same.
 */
export function sampleFlops(model: { flopsPerSample: number | null; parameterCount: number }): number {
  return model.flopsPerSample ?? 2 * Math.max(0, model.parameterCount);
}

/** FLOPs of one grid point: a forward pass per sample. */
export function pointFlops(flopsPerSample: number, samples: number): number {
  return Math.max(0, flopsPerSample) * Math.max(0, samples);
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
