/** What a curvature computation takes, validated once by the API and parsed again by the worker. */
import { z } from "zod";

/** Where a curvature computation stands (model_curvatures.status). */
export const CURVATURE_STATUSES = ["queued", "running", "ready", "failed"] as const;
export type CurvatureState = (typeof CURVATURE_STATUSES)[number];

/** Most samples the Hessian is taken over: each HVP is two gradients over all of them. */
export const MAX_CURVATURE_SAMPLES = 10_000;

export const curvatureOptionsSchema = z.object({
  /** A seeded random subset of this many samples (default 1,000; capped by the dataset). */
  samples: z.number().int().min(1).max(MAX_CURVATURE_SAMPLES).default(1000),
  sampleSeed: z.number().int().min(0).default(0),
  /** Largest eigenvalues to report. */
  topK: z.number().int().min(1).max(20).default(5),
  /** Hutchinson probes for the trace (0: no trace). */
  traceProbes: z.number().int().min(0).max(200).default(30),
  /** Stochastic Lanczos quadrature runs for the density (0: no density), of densitySteps steps. */
  densityRuns: z.number().int().min(0).max(10).default(3),
  densitySteps: z.number().int().min(2).max(100).default(30),
  /** "biasbn" (default): kernels only, as random directions move them; "none": every parameter. */
  ignore: z.enum(["biasbn", "none"]).default("biasbn"),
  /** Seed of every random vector. */
  seed: z.number().int().min(0).default(0),
});

export type CurvatureOptions = z.infer<typeof curvatureOptionsSchema>;
