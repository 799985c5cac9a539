/**
 * What the surface evaluator takes and gives: the plane, its options (with their defaults) and
 * the values at each point. Kept apart from evaluator.ts so that code which only passes options
 * along does not read the evaluator's internals.
 */
import type { Direction } from "./directions.js";

/** The plane (or line) being evaluated: origin + a*dx + b*dy. */
export interface Plane {
  readonly origin: readonly Float32Array[];
  readonly dx: Direction;
  /** Null for 1D surfaces (b is ignored). */
  readonly dy: Direction | null;
}

export interface EvaluatorOptions {
  /** Samples per batch; default 10,000 (one matmul per layer and point over the usual evaluation sets). */
  readonly batchSize?: number;
  /**
   * First-layer linearity trick: "auto" (default) uses it for layers with at least
   * TRICK_MIN_MACS multiply-adds per output element; "always"; "never". Ignored when
   * `trickLayers` is given.
   */
  readonly firstLayerTrick?: "auto" | "always" | "never";
  /**
   * The layers (by name) that use the first-layer trick, as decided once for a surface (see
   * chooseTrickLayers); layers that cannot use it are skipped. Default: decided from
   * `firstLayerTrick`.
   */
  readonly trickLayers?: readonly string[];
  /**
   * Without `batchSize`: bytes of first-layer products (three per tricked layer) one batch may
   * hold; batches shrink below 10,000 samples to fit. Default 512 MiB.
   */
  readonly trickBytes?: number;
  /** Bytes of per-batch precomputation kept on the backend between tiles; default 512 MiB. */
  readonly cacheBytes?: number;
  /**
   * With several batches, bytes of per-point weights (and BatchNorm folds) assembled at a time and
   * reused for every batch; default 64 MiB (at least one point's).
   */
  readonly weightBytes?: number;
  /**
   * Fold inference BatchNorm (and a following activation) into the Dense/Conv2D layer before it,
   * per point (see FoldedGroup); default true. The folded pass differs from the unfolded one by
   * float32 rounding only.
   */
  readonly foldBatchNorm?: boolean;
}

/** Loss (mean over samples) and accuracy (fraction correct, NaN for regression) per point. */
export interface PointValues {
  readonly loss: Float64Array;
  readonly accuracy: Float64Array;
}
