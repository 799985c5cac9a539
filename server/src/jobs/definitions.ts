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

/** Creates every queue (idempotent); called by the API at start. */
export async function ensureQueues(queue: Queue): Promise<void> {
  const existing = new Set((await queue.getQueues()).map((q) => q.name));
  for (const job of Object.values(JOBS)) {
    if (existing.has(job.name)) continue;
    await queue.createQueue(job.name, { retryLimit: 5, retryDelay: 1, expireInSeconds: 30 * 60, heartbeatSeconds: JOB_HEARTBEAT_SECONDS });
  }
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
