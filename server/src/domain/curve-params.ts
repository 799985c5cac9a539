/**
 * What a curve between two models is asked to do, validated once by the API and parsed again by the
 * worker. Vocabularies, defaults and ranges come from the engine's options (engine/options.ts).
 */
import { z } from "zod";
import {
  CURVE_KINDS, CURVE_OPTIMIZERS, DEFAULT_CURVE_BENDS, DEFAULT_CURVE_ENSEMBLE, DEFAULT_CURVE_KIND, MAX_CURVE_ENSEMBLE, DEFAULT_CURVE_OPTIMIZER, DEFAULT_CURVE_POINTS, MAX_CURVE_BENDS, MAX_CURVE_POINTS, MIN_CURVE_POINTS,
} from "../engine/pure.js";

/** Where a curve stands (curves.status): trained, then evaluated, while running. */
export const CURVE_STATUSES = ["queued", "running", "ready", "failed", "cancelled"] as const;
export type CurveStatus = (typeof CURVE_STATUSES)[number];

/** What a running curve is doing (curves.phase). */
export const CURVE_PHASES = ["training", "evaluating"] as const;
export type CurvePhase = (typeof CURVE_PHASES)[number];

/** Most checkpoints of the bends one curve may store. */
export const MAX_CURVE_CHECKPOINTS = 100;

export const curveOptionsSchema = z.object({
  /** bezier (default) or polychain. */
  kind: z.enum(CURVE_KINDS).default(DEFAULT_CURVE_KIND),
  /** Trained bends between the endpoints (default 1: a quadratic Bezier, or A -> theta -> B). */
  bends: z.number().int().min(1).max(MAX_CURVE_BENDS).default(DEFAULT_CURVE_BENDS),
  /** Passes over the training data (default 10). */
  epochs: z.number().int().min(1).max(200).default(10),
  /** sgd, momentum (0.9; default) or adam. */
  optimizer: z.enum(CURVE_OPTIMIZERS).default(DEFAULT_CURVE_OPTIMIZER),
  /** Default 0.05. */
  learningRate: z.number().gt(0).lt(10).default(0.05),
  /** 0.5 weightDecay ||phi(t)||^2 added to the loss (default 0); only the bends feel it. */
  weightDecay: z.number().min(0).lt(1).default(0),
  /** Samples per step (default 32; capped by the data). */
  batchSize: z.number().int().min(2).max(8192).default(32),
  /** Seed of the shuffles, the values of t and the subset (default 0). */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Values of t evaluated along the curve and the line, ends included (default 61). */
  points: z.number().int().min(MIN_CURVE_POINTS).max(MAX_CURVE_POINTS).default(DEFAULT_CURVE_POINTS),
  /** Models sampled evenly along the curve, ends included, whose averaged softmax outputs make its ensemble: 0 (none) or 2 or more (default 11). */
  ensemble: z.number().int().min(0).max(MAX_CURVE_ENSEMBLE).refine((v) => v !== 1, "An ensemble has 0 (none) or at least 2 members").default(DEFAULT_CURVE_ENSEMBLE),
  /** Train and evaluate on a seeded random subset of this many training samples (default all). */
  samples: z.number().int().min(2).nullable().default(null),
});

export type CurveOptions = z.infer<typeof curveOptionsSchema>;
