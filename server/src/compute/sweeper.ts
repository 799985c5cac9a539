/**
 * The sweeper: the API looks, every COMPUTE_SWEEP_SECONDS, for computations whose work has no
 * live job (lost with a worker that died, or out of the queue's retries) and queues that work
 * again, or fails the computation with a message its owner understands once workers died on it
 * COMPUTE_ATTEMPTS times. One API at a time sweeps (a PostgreSQL advisory lock), so several API
 * replicas do not queue the same work twice.
 *
 *   queued surfaces     without a live prepare job: prepare again (or fail after the attempts);
 *   running surfaces    unfinished tiles without a live job: queue them again (or fail); every
 *                       tile finished and no live finalize job: finalize (or fail, when the
 *                       finalize job spent its retries on workers that died);
 *   training runs       queued or running without a live job: train again (or fail);
 *   curves              the same, for curves between two models;
 *   model curvatures    the same, for a model's Hessian eigenvalues and density;
 *   experiments         every run ended but the experiment neither queued its surfaces nor
 *                       failed (its last run's worker died between the two): take that step.
 */
import type { Pool } from "../db/pool.js";
import { sendJob } from "../jobs/definitions.js";
import type { Logger } from "../logger.js";
import type { Queue } from "../queue/queue.js";
import { preparePriority } from "../domain/fair-queue.js";
import { failSurface } from "./fail-surface.js";
import { diedCurvatureMessage, diedPreparingMessage, times } from "./messages.js";
import { queueMissingTiles, sendFinalize } from "./queue-work.js";
import { advanceExperiment } from "./experiment-step.js";
import { diedTrainingMessage, failRun } from "./run-state.js";
import { findStalledExperiments } from "./sql/experiments.js";
import { failedFinalizeStarts } from "./sql/queue-jobs.js";
import { tryLockSweep, unlockSweep } from "./sql/sweep-lock.js";
import { findRunningSurfaces, findUnpreparedSurfaces, surfaceStatus } from "./sql/surfaces.js";
import { findOrphanedRuns } from "./sql/training-runs.js";
import { findOrphanedCurves, markCurveFailed, notifyCurveProgress } from "./sql/curves.js";
import { findOrphanedCurvatures, markCurvatureFailed } from "./sql/curvatures.js";

export interface SweepDeps {
  pool: Pool;
  queue: Queue;
  log: Logger;
  /** Worker deaths on one piece of work before its computation is failed. */
  attempts: number;
  /** Work younger than this has a job on its way (sent right after the row): leave it. */
  graceSeconds: number;
}

export interface SweepResult {
  preparesQueued: number;
  tilesQueued: number;
  finalizesQueued: number;
  runsQueued: number;
  curvesQueued: number;
  curvaturesQueued: number;
  experimentsAdvanced: number;
  failed: number;
}

/** One sweep; returns what it did, or null when another process holds the sweep. */
export async function sweepLostWork(deps: SweepDeps): Promise<SweepResult | null> {
  const lock = await deps.pool.connect();
  try {
    if (!(await tryLockSweep(lock))) return null;
    try {
      return await sweep(deps);
    } finally {
      await unlockSweep(lock);
    }
  } finally {
    lock.release();
  }
}

async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const result: SweepResult = { preparesQueued: 0, tilesQueued: 0, finalizesQueued: 0, runsQueued: 0, curvesQueued: 0, curvaturesQueued: 0, experimentsAdvanced: 0, failed: 0 };
  const { pool } = deps;
  const grace = deps.graceSeconds;

  const unprepared = await findUnpreparedSurfaces(pool, grace);
  for (const surface of unprepared) {
    if (surface.prepare_attempts >= deps.attempts) {
      await failSurface(pool, surface.id, "INTERNAL_SERVER_ERROR", diedPreparingMessage(surface.prepare_attempts));
      result.failed++;
      continue;
    }
    await sendJob(deps.queue, "surfacePrepare", { surfaceId: surface.id }, { singletonKey: `${surface.id}:prepare`, priority: await preparePriority(pool, surface.created_by) });
    result.preparesQueued++;
  }

  const running = await findRunningSurfaces(pool, grace);
  for (const surface of running) {
    if (surface.unfinished > 0) {
      const queued = await queueMissingTiles({ pool, queue: deps.queue, attempts: deps.attempts }, surface.id);
      result.tilesQueued += queued.length;
      if ((await surfaceStatus(pool, surface.id)) === "failed") result.failed++;
    } else if (!surface.finalizing) {
      // A finalize job that failed while the surface still runs spent its retries on workers that
      // died (an error it reported would have failed the surface): do not loop on it.
      const died = await failedFinalizeStarts(pool, surface.id);
      if (died) {
        await failSurface(pool, surface.id, "INTERNAL_SERVER_ERROR", `A worker died assembling this surface's values ${times(died)}; the surface may need more memory than a worker has`);
        result.failed++;
        continue;
      }
      await sendFinalize(deps, surface.id);
      result.finalizesQueued++;
    }
  }

  const runs = await findOrphanedRuns(pool, grace);
  for (const run of runs) {
    if (run.attempts >= deps.attempts) {
      await failRun(deps, run.id, "INTERNAL_SERVER_ERROR", diedTrainingMessage(run.attempts));
      result.failed++;
      continue;
    }
    await sendJob(deps.queue, "trainingRun", { runId: run.id });
    result.runsQueued++;
  }

  for (const curve of await findOrphanedCurves(pool, grace)) {
    if (curve.attempts >= deps.attempts) {
      await markCurveFailed(pool, curve.id, "INTERNAL_SERVER_ERROR", `A worker died training this curve ${times(curve.attempts)}; the models may need more memory than a worker has`);
      await notifyCurveProgress(pool, curve.id);
      result.failed++;
      continue;
    }
    await sendJob(deps.queue, "curveTrain", { curveId: curve.id });
    result.curvesQueued++;
  }

  for (const curvature of await findOrphanedCurvatures(pool, grace)) {
    if (curvature.attempts >= deps.attempts) {
      await markCurvatureFailed(pool, curvature.id, "INTERNAL_SERVER_ERROR", diedCurvatureMessage(curvature.attempts));
      result.failed++;
      continue;
    }
    await sendJob(deps.queue, "modelCurvature", { curvatureId: curvature.id }, { singletonKey: curvature.id });
    result.curvaturesQueued++;
  }

  // An experiment steps on when its last run ends, in the same job; a worker that died between
  // the run's end and that step left it waiting for nothing.
  const stalled = await findStalledExperiments(pool, grace);
  for (const experiment of stalled) {
    await advanceExperiment(deps, experiment.id);
    result.experimentsAdvanced++;
  }

  const did = Object.values(result).some((n) => n > 0);
  if (did) deps.log.info(result, "swept computations whose work was lost");
  return result;
}
