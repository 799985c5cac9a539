/**
 * Every queue job, defined once with its payload schema: the API sends with `sendJob`, the worker
 * parses the payload again before acting on it (a stale or hand-made job is refused, not run).
 */
import { z } from "zod";
import type { Queue } from "../queue/queue.js";

const surfaceRef = z.object({ surfaceId: z.string().uuid() });
const tileRef = z.object({ surfaceId: z.string().uuid(), tile: z.number().int().min(0) });

export const JOBS = {
  /** Builds a surface's directions and tiles, then queues the tiles. */
  surfacePrepare: { name: "surface-prepare", schema: surfaceRef },
  /** Evaluates one tile of grid points on any worker. */
  surfaceTile: { name: "surface-tile", schema: tileRef },
  /** The same, for surfaces that asked for a GPU: only GPU workers take these. */
  surfaceTileGpu: { name: "surface-tile-gpu", schema: tileRef },
  /** Assembles the values file, statistics, critical points and thumbnail. */
  surfaceFinalize: { name: "surface-finalize", schema: surfaceRef },
  /** Trains a zoo model, saving checkpoints as it goes. */
  trainingRun: { name: "training-run", schema: z.object({ runId: z.string().uuid() }) },
  /** Hessian eigenvalues, trace and density of the loss at a model. */
  modelCurvature: { name: "model-curvature", schema: z.object({ curvatureId: z.string().uuid() }) },
  /** Trains a curve's bends between two models, then evaluates the curve and the line. */
  curveTrain: { name: "curve-train", schema: z.object({ curveId: z.string().uuid() }) },
} as const;

export type JobName = keyof typeof JOBS;
export type JobData<N extends JobName> = z.infer<(typeof JOBS)[N]["schema"]>;

/** Seconds without a heartbeat after which a job's worker counts as dead and the job runs again. */
export const JOB_HEARTBEAT_SECONDS = 10;

/**
 * Every queue's options: a failed job runs again a second later, up to 5 more times; a run may take
 * 30 minutes, and one whose worker stops beating for JOB_HEARTBEAT_SECONDS runs again.
 */
export const QUEUE_OPTIONS = { retryLimit: 5, retryDelay: 1, expireInSeconds: 30 * 60, heartbeatSeconds: JOB_HEARTBEAT_SECONDS } as const;

/** Creates every queue, or brings its options up to date (idempotent); called by the API and workers at start. */
export async function ensureQueues(queue: Queue): Promise<void> {
  for (const job of Object.values(JOBS)) await queue.createQueue(job.name, QUEUE_OPTIONS);
}

export async function sendJob<N extends JobName>(
  queue: Queue,
  name: N,
  data: JobData<N>,
  options: { priority?: number; singletonKey?: string; /** seconds to wait before a worker may take it */ startAfter?: number } = {},
): Promise<void> {
  const job = JOBS[name];
  await queue.send(job.name, job.schema.parse(data), options);
}
