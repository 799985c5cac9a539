/**
 * What a surface is asked to be: kind, grid, directions, data subset, loss, GPU wish. Stored with
 * the surface (so it can be recomputed) and parsed again by the worker.
 */
import { z } from "zod";
import { badInput } from "./errors.js";
import {
  DEFAULT_FROZEN_MODE,
  DEFAULT_INTERPOLATION_POINTS,
  DEFAULT_LINE_POINTS,
  DEFAULT_IGNORE_MODE,
  DEFAULT_NORMALIZATION,
  DEFAULT_RUNNING_STATS,
  FROZEN_MODES,
  IGNORE_MODES,
  MAP_LANCZOS_STEPS,
  MAP_TOLERANCE,
  MAX_AXIS_POINTS,
  MAX_MAP_LANCZOS_STEPS,
  MAX_MAP_TOLERANCE,
  MIN_AXIS_POINTS,
  MIN_MAP_LANCZOS_STEPS,
  NORMALIZATIONS,
  RUNNING_STATS,
} from "../engine/pure.js";

export const SURFACE_KINDS = ["plane", "line", "interpolation", "pca", "eigen-ratio"] as const;
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/** Kinds whose grid has a y axis (random planes, PCA planes, eigen-ratio maps of a plane). */
export function isPlanar(kind: SurfaceKind): boolean {
  return kind === "plane" || kind === "pca" || kind === "eigen-ratio";
}

/**
 * What the points of a surface hold. Loss surfaces: loss and accuracy, and with a held-out test set
 * the test set's loss and accuracy (testLoss, testAccuracy). Eigen-ratio maps (Li et al. 2018,
 * section 6): the Hessian's lambda_max, lambda_min and |lambda_min / lambda_max|.
 */
export const LOSS_METRICS = ["loss", "accuracy", "testLoss", "testAccuracy"] as const;
/** The metrics only a surface with a test set holds; its values file keeps them after the training grids. */
export const TEST_METRICS = ["testLoss", "testAccuracy"] as const;
export const CURVATURE_METRICS = ["lambdaMax", "lambdaMin", "ratio", "lanczosSteps", "converged"] as const;
/**
 * The grids of eigen-ratio maps made before per-point convergence: values files (and unfinished
 * tiles) of three grids, read with lanczosSteps and converged unknown (NaN).
 */
export const OLD_CURVATURE_GRIDS = 3;
export type SurfaceMetric = (typeof LOSS_METRICS)[number] | (typeof CURVATURE_METRICS)[number];

/** The metrics a surface of `kind` holds; the test set's only when it has one (`testSet`). */
export function metricsOf(kind: SurfaceKind, testSet = false): readonly SurfaceMetric[] {
  if (kind === "eigen-ratio") return CURVATURE_METRICS;
  return testSet ? LOSS_METRICS : LOSS_METRICS.filter((m) => !(TEST_METRICS as readonly string[]).includes(m));
}

/** Eigen-ratio maps: most points (each costs at most `lanczosSteps` Hessian-vector products). */
export const MAX_EIGEN_RATIO_POINTS = 41 * 41;

/** Most points on one axis (the engine's range), and in one surface. */
export { MAX_AXIS_POINTS, MIN_AXIS_POINTS };
export const MAX_POINTS = 201 * 201 * 2;
/**
 * Critical points stored with a surface: the most persistent this many. A noisy flat region can
 * hold thousands of points of no persistence; the ones kept are what any threshold would show.
 */
export const MAX_STORED_CRITICAL_POINTS = 2000;

export const axisSchema = z
  .object({
    min: z.number().finite(),
    max: z.number().finite(),
    count: z.number().int().min(MIN_AXIS_POINTS).max(MAX_AXIS_POINTS),
  })
  .refine((axis) => axis.max > axis.min, { message: "max must be greater than min" });

export type AxisParams = z.infer<typeof axisSchema>;

export const surfaceParamsSchema = z.object({
  x: axisSchema,
  /** Present for planes (random and PCA), absent for lines and interpolations. */
  y: axisSchema.nullable().default(null),
  norm: z.enum(NORMALIZATIONS).default(DEFAULT_NORMALIZATION),
  ignore: z.enum(IGNORE_MODES).default(DEFAULT_IGNORE_MODE),
  /** move: weights of layers marked trainable: false move too (the authors' choice); still: they do not. */
  frozen: z.enum(FROZEN_MODES).default(DEFAULT_FROZEN_MODE),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  orthogonalize: z.boolean().default(false),
  /** Evaluate a random subset of this many samples (default: all). */
  samples: z.number().int().min(1).nullable().default(null),
  sampleSeed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Loss by Keras name; default the model's training-config loss. */
  loss: z.string().max(60).nullable().default(null),
  /**
   * Interpolations: BatchNorm's running statistics move with the weights from model A's to model
   * B's ("move", the authors' --dir_type states) or stay model A's or model B's ("hold-a", "hold-b").
   */
  runningStats: z.enum(RUNNING_STATS).default(DEFAULT_RUNNING_STATS),
  /** Only GPU workers may compute it. */
  gpu: z.boolean().default(false),
  /** Centre the surface on this checkpoint of the model instead of its final weights. */
  checkpointStep: z.number().int().min(0).nullable().default(null),
  /** Reuse the stored directions of this surface (same model), e.g. for a series over training. */
  directionsFrom: z.string().uuid().nullable().default(null),
  /** Planes and lines: run along directions uploaded for the model (model_directions) instead of random ones. */
  directionX: z.string().uuid().nullable().default(null),
  directionY: z.string().uuid().nullable().default(null),
  /**
   * PCA planes only: when the worker prepares the plane, the x and y ranges become the path's
   * extent (and the final model at the origin) plus a margin; the counts stay. The service sets it
   * for a new PCA plane unless the caller gives false (their ranges are then kept as given).
   */
  fitPath: z.boolean().default(false),
  /**
   * PCA planes with fitted ranges: give both axes the same length (the shorter widened about its
   * centre), so a square plot shows PC1 and PC2 at one scale; default false.
   */
  equalAspect: z.boolean().default(false),
  /**
   * Eigen-ratio maps only: most Lanczos steps per point (each one Hessian-vector product, i.e.
   * four gradients over the samples); default 80, as the engine's MAP_LANCZOS_STEPS. Maps made
   * before per-point convergence stored 10 and took exactly that many.
   */
  lanczosSteps: z.number().int().min(MIN_MAP_LANCZOS_STEPS).max(MAX_MAP_LANCZOS_STEPS).default(MAP_LANCZOS_STEPS),
  /**
   * Eigen-ratio maps only: a point stops once lambda_max and lambda_min meet this residual
   * tolerance (the engine's mapPointConverged; default 1e-2, MAP_TOLERANCE), else at lanczosSteps,
   * marked unconverged.
   */
  tolerance: z.number().gt(0).max(MAX_MAP_TOLERANCE).default(MAP_TOLERANCE),
});

export type SurfaceParams = z.infer<typeof surfaceParamsSchema>;

/** The x axis's points of a 1D surface asked for without a count; null for planes (they need one). */
export function defaultCount(kind: SurfaceKind): number | null {
  return kind === "line" ? DEFAULT_LINE_POINTS : kind === "interpolation" ? DEFAULT_INTERPOLATION_POINTS : null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * A caller's parameters with the x axis's count filled in where it was left out (absent or null)
 * and the kind has a default (`defaultCount`). A plane's axis without a count is bad input (a
 * plane's cost grows with the square of its counts: the caller chooses them); anything else is
 * returned as it is, for surfaceParamsSchema to check.
 */
export function withDefaultCount(kind: SurfaceKind, params: unknown): unknown {
  if (!isObject(params)) return params;
  const count = defaultCount(kind);
  for (const axis of ["x", "y"] as const) {
    const given = params[axis];
    if (!isObject(given) || (given.count !== undefined && given.count !== null)) continue;
    if (axis === "x" && count !== null) return { ...params, x: { ...given, count } };
    throw badInput(`params.${axis}.count`, `The ${axis} axis needs a count of points (${MIN_AXIS_POINTS} to ${MAX_AXIS_POINTS}); only lines (${DEFAULT_LINE_POINTS}) and interpolations (${DEFAULT_INTERPOLATION_POINTS}) have a default`);
  }
  return params;
}
