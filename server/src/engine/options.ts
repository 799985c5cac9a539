/**
 * The engine's option vocabularies and ranges, declared once. This module imports nothing (no
 * TF.js), so the API's parameter schemas (domain/surface-params.ts), its GraphQL enums and its
 * validation messages derive from these lists without loading the engine.
 */

/**
 * How a random direction is scaled to the weights (Li et al. 2018, section 4).
 * filter (default): each filter of a kernel (a slice along its last axis, the output unit of a
 * TF.js Dense or Conv kernel) is rescaled to the norm of the same filter in theta. layer: each
 * parameter tensor is rescaled to theta's norm. weight: each entry is multiplied by theta's entry.
 * none: the raw Gaussian.
 */
export const NORMALIZATIONS = ["filter", "layer", "weight", "none"] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];
export const DEFAULT_NORMALIZATION: Normalization = "filter";

/** biasbn (default): biases and BatchNorm parameters get zero direction. none: they move too. */
export const IGNORE_MODES = ["biasbn", "none"] as const;
export type IgnoreMode = (typeof IGNORE_MODES)[number];
export const DEFAULT_IGNORE_MODE: IgnoreMode = "biasbn";

/**
 * move (default): weights of layers marked `trainable: false` move like any other, as in the
 * authors' code, which perturbs every parameter. still: they get zero direction.
 */
export const FROZEN_MODES = ["move", "still"] as const;
export type FrozenMode = (typeof FROZEN_MODES)[number];
export const DEFAULT_FROZEN_MODE: FrozenMode = "move";

/**
 * What an interpolation (or a plane through three models) does with BatchNorm's running mean and
 * variance.
 *
 * - move (default): every state of the network moves linearly from model A to model B, running
 *   statistics included, as the authors' code does with `--dir_type states`; at t = 0 the network
 *   is model A and at t = 1 model B, exactly.
 * - hold-a: only the weights move (`--dir_type weights`); the running statistics stay model A's all
 *   along, so t = 1 is model B's weights with model A's statistics, not model B.
 * - hold-b: the same, with model B's statistics all along; t = 0 is not model A.
 */
export const RUNNING_STATS = ["move", "hold-a", "hold-b"] as const;
export type RunningStats = (typeof RUNNING_STATS)[number];
export const DEFAULT_RUNNING_STATS: RunningStats = "move";

/** Points on one axis of a surface's grid: from MIN_AXIS_POINTS to MAX_AXIS_POINTS, ends included. */
export const MIN_AXIS_POINTS = 2;
export const MAX_AXIS_POINTS = 401;
/**
 * Points of a 1D surface made without a count: 51 along a random line and 61 along an
 * interpolation. A curve costs one row of a plane, and a figure's line wants finer sampling than a
 * plane's axis (Li et al. 2018 sample their 1D plots finely); the web form starts from the same.
 */
export const DEFAULT_LINE_POINTS = 51;
export const DEFAULT_INTERPOLATION_POINTS = 61;

/**
 * Most Lanczos steps per point of an eigen-ratio map (default); each is one HVP. Measured on the
 * float64 fixtures (an MLP with BatchNorm and a CNN, README "Curvature"), points met the default
 * tolerance in 20 to 61 steps (the MLP's lambda_min sits at the edge of a cluster and converges
 * last); 80 covers them with room, and a point that needs more is marked unconverged rather than
 * run on. The old fixed 10 steps left |lambda_min| 10-37% short with nothing to show it.
 */
export const MAP_LANCZOS_STEPS = 80;
/** The range a map's step cap may be chosen from. */
export const MIN_MAP_LANCZOS_STEPS = 2;
export const MAX_MAP_LANCZOS_STEPS = 100;

/**
 * Default tolerance of a map point (mapPointConverged): 1e-2, so |lambda_min / lambda_max| is
 * within about 2e-2 relative of its converged value (2e-4 absolute where it is below 1e-2).
 */
export const MAP_TOLERANCE = 1e-2;
/** The largest tolerance a map may ask for (the smallest is anything above 0). */
export const MAX_MAP_TOLERANCE = 0.5;

/**
 * Critical points: the default threshold of significance, this fraction of the surface's loss span
 * as its figure shows it by default: from the lowest loss to the default cap of the colour scale
 * (LOSS_CAP_FACTOR), or to the highest loss when nothing is cut.
 */
export const DEFAULT_PERSISTENCE_FRACTION = 0.01;

/**
 * The default cap of a loss figure lies this many median rises (median - min) above the lowest
 * loss (the web's colour scale, web/src/plot/scale.ts, uses the same factor). A fraction of the
 * full range would let one corner that shoots up to 10^3 hide every local minimum of the basin
 * the figure shows (the paper's ResNet-56-noshort: no minimum at 1% of its range, 18 at 1% of
 * the capped span, measured on PyTorch's planes).
 */
export const LOSS_CAP_FACTOR = 3;

/** What a zip (an uploaded model or dataset, or a model the command line reads) may hold. */
export interface ZipLimits {
  /** Most entries (files and folders) an archive may hold. Default 2000. */
  maxEntries: number;
  /** Most bytes all entries may expand to. Default 1 GiB. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 1024 * 1024 * 1024 };

/** The zoo's ResNets (zoo-resnet.ts): most basic blocks per stage (ResNet-110) and first-stage channels. */
export const MAX_RESNET_BLOCKS = 18;
export const MAX_RESNET_WIDTH = 64;
/** Most input downsampling (average pooling) before the stem. */
export const MAX_RESNET_DOWNSAMPLE = 4;

/** "ResNet-56" or "ResNet-56-noshort", with the width when it is not the authors' 16. */
export function resnetName(spec: { blocks: number; width: number; residual: boolean }): string {
  return `ResNet-${6 * spec.blocks + 2}${spec.residual ? "" : "-noshort"}${spec.width === 16 ? "" : ` (width ${spec.width})`}`;
}

/**
 * The images of samples of `sampleShape` as the zoo's ResNets read them, [channels, height,
 * width]: samples stored channels-last (the dataset says so, or one channel, where both layouts
 * are the same bytes) are [height, width, channels]; others are NCHW, as PyTorch stores them.
 * Null when the samples are not images.
 */
export function resnetImageShape(sampleShape: readonly number[], channelsLast: boolean): [number, number, number] | null {
  if (sampleShape.length !== 3) return null;
  const [a, b, c] = sampleShape as [number, number, number];
  return channelsLast || c === 1 ? [c, a, b] : [a, b, c];
}

/** Why a ResNet of `spec` cannot be built for images of [channels, height, width], or null. */
export function resnetProblem(spec: { blocks: number; width: number; downsample: number }, [, height, width]: readonly [number, number, number]): string | null {
  if (!Number.isInteger(spec.blocks) || spec.blocks < 1 || spec.blocks > MAX_RESNET_BLOCKS) return `blocks per stage must be from 1 to ${MAX_RESNET_BLOCKS}`;
  if (!Number.isInteger(spec.width) || spec.width < 1 || spec.width > MAX_RESNET_WIDTH) return `width must be from 1 to ${MAX_RESNET_WIDTH} channels`;
  const d = spec.downsample;
  if (!Number.isInteger(d) || d < 1 || d > MAX_RESNET_DOWNSAMPLE || height % d !== 0 || width % d !== 0) {
    return `downsampling must be a whole factor from 1 to ${MAX_RESNET_DOWNSAMPLE} that divides the image sides (${height}x${width}); got ${d}`;
  }
  if (height / d < 4 || width / d < 4) return `images of ${height}x${width} downsampled by ${d} are too small for three stages`;
  return null;
}

/**
 * Curves between two models (Garipov et al. 2018, "Loss Surfaces, Mode Connectivity, and Fast
 * Ensembling of DNNs", section 3.2): a Bezier curve of degree k = bends + 1 or a polygonal chain
 * through `bends` bends, endpoints fixed.
 */
export const CURVE_KINDS = ["bezier", "polychain"] as const;
export type CurveKind = (typeof CURVE_KINDS)[number];
export const DEFAULT_CURVE_KIND: CurveKind = "bezier";
/** Bends (trained control points) between the endpoints: 1 (default, a quadratic Bezier) to MAX_CURVE_BENDS. */
export const DEFAULT_CURVE_BENDS = 1;
export const MAX_CURVE_BENDS = 5;
/** sgd, momentum (0.9, the reference's SGD) or adam. */
export const CURVE_OPTIMIZERS = ["sgd", "momentum", "adam"] as const;
export type CurveOptimizer = (typeof CURVE_OPTIMIZERS)[number];
export const DEFAULT_CURVE_OPTIMIZER: CurveOptimizer = "momentum";
/** Values of t a curve is evaluated at, ends included (the reference's eval_curve.py --num_points). */
export const DEFAULT_CURVE_POINTS = 61;
export const MIN_CURVE_POINTS = 2;
export const MAX_CURVE_POINTS = 401;
/** Models sampled along a curve, evenly in t with both ends, whose averaged predictions make its ensemble (0: none; default 11). */
export const DEFAULT_CURVE_ENSEMBLE = 11;
export const MAX_CURVE_ENSEMBLE = 101;
