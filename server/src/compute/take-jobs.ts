/**
 * Subscribes a worker to the surface queues. Each job's payload is parsed again with its schema;
 * bad input to the engine fails the surface at once with the engine's message, anything else is
 * retried by the queue and fails the surface only when the retries run out.
 */
import { isConnectionError } from "../db/pool.js";
import { EngineInputError } from "../engine/index.js";
import { describeError } from "../errors.js";
import { JOBS } from "../jobs/definitions.js";
import type { ComputeDeps } from "./deps.js";
import { failSurface } from "./fail-surface.js";
import { SURFACE_JOBS } from "./surface-jobs.js";
import { failRun } from "./run-state.js";
import { runTraining } from "./training-job.js";
import { failCurvature, runModelCurvature } from "./curvature-job.js";
import { failCurve, runCurve } from "./curve-job.js";
import { giveCurveAttemptBack } from "./sql/curves.js";
import { USER_PREPARE_PRIORITY } from "../domain/fair-queue.js";
import { giveCurvatureAttemptBack } from "./sql/curvatures.js";
import { givePrepareAttemptBack } from "./sql/surfaces.js";
import { countTileFailure } from "./sql/tiles.js";
import { giveRunAttemptBack } from "./sql/training-runs.js";
import type { QueueJob } from "../queue/queue.js";

type QueuedJob = Pick<QueueJob, "id" | "data" | "retryCount" | "retryLimit">;

export async function takeJobs(deps: ComputeDeps, gpu: boolean): Promise<void> {
  const handle = async (name: keyof typeof SURFACE_JOBS, job: QueuedJob) => {
    const parsed = JOBS[name].schema.safeParse(job.data);
    if (!parsed.success) {
      deps.log.error({ job: job.id, name }, "refusing a job whose payload does not match its schema");
      return;
    }
    const data = parsed.data as { surfaceId: string; tile?: number };
    const run = SURFACE_JOBS[name] as (deps: ComputeDeps, data: { surfaceId: string; tile?: number }) => Promise<void>;
    const log = deps.log.child({ job: job.id, surfaceId: data.surfaceId, ...(data.tile === undefined ? {} : { tile: data.tile }) });
    const started = performance.now();
    try {
      await run(deps, data);
      log.debug({ ms: Math.round(performance.now() - started) }, `${name} done`);
    } catch (error) {
      if (error instanceof EngineInputError) {
        log.info({ reason: error.message }, "surface input rejected by the engine");
        await failSurface(deps.pool, data.surfaceId, "BAD_USER_INPUT", error.message);
        return;
      }
      // The database went away under it (a restart, or a stop that reached PostgreSQL first): not
      // a fault of the job, and nothing can be recorded now; the queue runs it again.
      if (isConnectionError(error)) {
        // Not a warning: the database's absence is reported where it is noticed (the pools, the
        // launcher), and a Ctrl-C in a terminal stops the embedded PostgreSQL before this worker
        // hears of the stop. This job just runs again.
        log.info({ reason: describeError(error) }, `${name} interrupted: PostgreSQL cannot be reached; it will run again`);
        throw error;
      }
      log.error({ err: error, attempt: job.retryCount + 1 }, "job failed");
      // An error reported is not a worker that died: the sweeper counts only the deaths.
      if (data.tile !== undefined) {
        await countTileFailure(deps.pool, data.surfaceId, data.tile);
      } else if (name === "surfacePrepare") {
        await givePrepareAttemptBack(deps.pool, data.surfaceId);
      }
      if (job.retryCount >= job.retryLimit) {
        await failSurface(deps.pool, data.surfaceId, "INTERNAL_SERVER_ERROR", "The computation failed repeatedly; the workers' logs have the details");
      }
      throw error;
    }
  };
  // Each subscription runs one job at a time, and takes its next one as soon as one is done while
  // its queue has a backlog; an empty queue is looked at twice a second.
  const options = { pollingIntervalSeconds: 0.5 } as const;
  const prepare = async (job: QueuedJob) => handle("surfacePrepare", job);
  await deps.queue.work(JOBS.surfacePrepare.name, options, prepare);
  // A second slot for users' preparations only (the demo's have a lower priority, see
  // preparePriority): a newcomer's surface is never stuck behind the demo preparing its own.
  await deps.queue.work(JOBS.surfacePrepare.name, { ...options, minPriority: USER_PREPARE_PRIORITY }, prepare);
  await deps.queue.work(JOBS.surfaceTile.name, options, async (job) => handle("surfaceTile", job));
  // Surfaces that asked for a GPU are computed only by workers that have one.
  if (gpu) await deps.queue.work(JOBS.surfaceTileGpu.name, options, async (job) => handle("surfaceTileGpu", job));
  await deps.queue.work(JOBS.surfaceFinalize.name, options, async (job) => handle("surfaceFinalize", job));
  await deps.queue.work(JOBS.trainingRun.name, options, async (job) => {
    const parsed = JOBS.trainingRun.schema.safeParse(job.data);
    if (!parsed.success) return;
    const { runId } = parsed.data;
    try {
      await runTraining(deps, runId);
    } catch (error) {
      if (error instanceof EngineInputError) {
        await failRun(deps, runId, "BAD_USER_INPUT", error.message);
        return;
      }
      if (isConnectionError(error)) {
        deps.log.info({ runId, reason: describeError(error) }, "training interrupted: PostgreSQL cannot be reached; it will run again");
        throw error;
      }
      deps.log.error({ err: error, runId }, "training failed");
      // An error reported is not a worker that died: only deaths count against the attempts.
      await giveRunAttemptBack(deps.pool, runId);
      if (job.retryCount >= job.retryLimit) await failRun(deps, runId, "INTERNAL_SERVER_ERROR", "Training failed repeatedly; the workers' logs have the details");
      throw error;
    }
  });
  await deps.queue.work(JOBS.modelCurvature.name, options, async (job) => {
    const parsed = JOBS.modelCurvature.schema.safeParse(job.data);
    if (!parsed.success) return;
    const { curvatureId } = parsed.data;
    try {
      await runModelCurvature(deps, curvatureId);
    } catch (error) {
      if (error instanceof EngineInputError) {
        await failCurvature(deps, curvatureId, "BAD_USER_INPUT", error.message);
        return;
      }
      deps.log.error({ err: error, curvatureId }, "model curvature failed");
      // An error reported is not a worker that died: only deaths count against the attempts.
      await giveCurvatureAttemptBack(deps.pool, curvatureId);
      if (job.retryCount >= job.retryLimit) await failCurvature(deps, curvatureId, "INTERNAL_SERVER_ERROR", "The curvature computation failed repeatedly; the workers' logs have the details");
      throw error;
    }
  });
  await deps.queue.work(JOBS.curveTrain.name, options, async (job) => {
    const parsed = JOBS.curveTrain.schema.safeParse(job.data);
    if (!parsed.success) return;
    const { curveId } = parsed.data;
    try {
      await runCurve(deps, curveId);
    } catch (error) {
      if (error instanceof EngineInputError) {
        await failCurve(deps, curveId, "BAD_USER_INPUT", error.message);
        return;
      }
      if (isConnectionError(error)) {
        deps.log.info({ curveId, reason: describeError(error) }, "curve interrupted: PostgreSQL cannot be reached; it will run again");
        throw error;
      }
      deps.log.error({ err: error, curveId }, "curve failed");
      // An error reported is not a worker that died: only deaths count against the attempts.
      await giveCurveAttemptBack(deps.pool, curveId);
      if (job.retryCount >= job.retryLimit) await failCurve(deps, curveId, "INTERNAL_SERVER_ERROR", "Training the curve failed repeatedly; the workers' logs have the details");
      throw error;
    }
  });
}
