/**
 * What a surface is asked to be: kind, grid, directions, data subset, loss, GPU wish. Stored with
 * the surface (so it can be recomputed) and parsed again by the worker.
 */
import { z } from "zod";

export const SURFACE_KINDS = ["plane", "line", "interpolation", "pca"] as const;
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/** Most points on one axis, and in one surface. */
export const MAX_AXIS_POINTS = 401;
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
    count: z.number().int().min(2).max(MAX_AXIS_POINTS),
  })
  .refine((axis) => axis.max > axis.min, { message: "max must be greater than min" });

export type AxisParams = z.infer<typeof axisSchema>;

export const surfaceParamsSchema = z.object({
  x: axisSchema,
  /** Present for planes (random and PCA), absent for lines and interpolations. */
  y: axisSchema.nullable().default(null),
  norm: z.enum(["filter", "layer", "weight", "none"]).default("filter"),
  ignore: z.enum(["biasbn", "none"]).default("biasbn"),
  /** move: weights of layers marked trainable: false move too (the authors' choice); still: they do not. */
  frozen: z.enum(["move", "still"]).default("move"),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  orthogonalize: z.boolean().default(false),
  /** Evaluate a random subset of this many samples (default: all). */
  samples: z.number().int().min(1).nullable().default(null),
  sampleSeed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Loss by Keras name; default the model's training-config loss. */
  loss: z.string().max(60).nullable().default(null),
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
   * extent (and the final model at the origin) plus a margin; the counts stay.
   */
  fitPath: z.boolean().default(false),
});

export type SurfaceParams = z.infer<typeof surfaceParamsSchema>;
