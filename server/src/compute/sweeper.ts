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
 *   experiments         every run ended but the experiment neither queued its surfaces nor
 *                       failed (its last run's worker died between the two): take that step.
 */
import type { Pool } from "../db/pool.js";
import { JOBS, sendJob } from "../jobs/definitions.js";
import type { Logger } from "../logger.js";
import type { Queue } from "../queue/queue.js";
import { preparePriority } from "../domain/fair-queue.js";
import { LIVE_JOB, diedPreparingMessage, diedTrainingMessage, failRun, markSurfaceFailed, queueMissingTiles, sendFinalize, times } from "./job-state.js";
import { advanceExperiment } from "./experiment-step.js";

/** The advisory lock key of the sweep ("lasw" in ASCII). */
const SWEEP_LOCK = 0x6c617377;

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
  experimentsAdvanced: number;
  failed: number;
}

/** One sweep; returns what it did, or null when another process holds the sweep. */
export async function sweepLostWork(deps: SweepDeps): Promise<SweepResult | null> {
  const lock = await deps.pool.connect();
  try {
    const got = (await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [SWEEP_LOCK])).rows[0]?.ok;
    if (!got) return null;
    try {
      return await sweep(deps);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1)`, [SWEEP_LOCK]);
    }
  } finally {
    lock.release();
  }
}

async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const result: SweepResult = { preparesQueued: 0, tilesQueued: 0, finalizesQueued: 0, runsQueued: 0, experimentsAdvanced: 0, failed: 0 };
  const { pool } = deps;
  const grace = deps.graceSeconds;

  const unprepared = (
    await pool.query<{ id: string; prepare_attempts: number; created_by: string | null }>(
      `SELECT s.id, s.prepare_attempts, s.created_by FROM surfaces s
        WHERE s.status = 'queued' AND s.created_at < now() - make_interval(secs => $2)
          AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'surfaceId' = s.id::text)`,
      [JOBS.surfacePrepare.name, grace],
    )
  ).rows;
  for (const surface of unprepared) {
    if (surface.prepare_attempts >= deps.attempts) {
      await markSurfaceFailed(pool, surface.id, "INTERNAL_SERVER_ERROR", diedPreparingMessage(surface.prepare_attempts));
      result.failed++;
      continue;
    }
    await sendJob(deps.queue, "surfacePrepare", { surfaceId: surface.id }, { singletonKey: `${surface.id}:prepare`, priority: await preparePriority(pool, surface.created_by) });
    result.preparesQueued++;
  }

  const running = (
    await pool.query<{ id: string; unfinished: number; finalizing: boolean }>(
      `SELECT s.id,
              (SELECT count(*) FROM surface_tiles t WHERE t.surface_id = s.id AND t.finished_at IS NULL)::int AS unfinished,
              EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'surfaceId' = s.id::text) AS finalizing
         FROM surfaces s
        WHERE s.status = 'running' AND s.started_at < now() - make_interval(secs => $2)`,
      [JOBS.surfaceFinalize.name, grace],
    )
  ).rows;
  for (const surface of running) {
    if (surface.unfinished > 0) {
      const queued = await queueMissingTiles({ pool, queue: deps.queue, attempts: deps.attempts }, surface.id);
      result.tilesQueued += queued.length;
      const status = (await pool.query<{ status: string }>(`SELECT status FROM surfaces WHERE id = $1`, [surface.id])).rows[0]?.status;
      if (status === "failed") result.failed++;
    } else if (!surface.finalizing) {
      // A finalize job that failed while the surface still runs spent its retries on workers that
      // died (an error it reported would have failed the surface): do not loop on it.
      const died = (
        await pool.query<{ starts: number | null }>(
          `SELECT max(retry_count + 1)::int AS starts FROM pgboss.job WHERE name = $1 AND state = 'failed' AND data->>'surfaceId' = $2`,
          [JOBS.surfaceFinalize.name, surface.id],
        )
      ).rows[0]?.starts;
      if (died) {
        await markSurfaceFailed(pool, surface.id, "INTERNAL_SERVER_ERROR", `A worker died assembling this surface's values ${times(died)}; the surface may need more memory than a worker has`);
        result.failed++;
        continue;
      }
      await sendFinalize(deps, surface.id);
      result.finalizesQueued++;
    }
  }

  const runs = (
    await pool.query<{ id: string; attempts: number }>(
      `SELECT r.id, r.attempts FROM training_runs r
        WHERE r.status IN ('queued', 'running') AND r.created_at < now() - make_interval(secs => $2)
          AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'runId' = r.id::text)`,
      [JOBS.trainingRun.name, grace],
    )
  ).rows;
  for (const run of runs) {
    if (run.attempts >= deps.attempts) {
      await failRun(deps, run.id, "INTERNAL_SERVER_ERROR", diedTrainingMessage(run.attempts));
      result.failed++;
      continue;
    }
    await sendJob(deps.queue, "trainingRun", { runId: run.id });
    result.runsQueued++;
  }

  // An experiment steps on when its last run ends, in the same job; a worker that died between
  // the run's end and that step left it waiting for nothing.
  const stalled = (
    await pool.query<{ id: string }>(
      `SELECT e.id FROM experiments e
        WHERE NOT e.failed AND cardinality(e.surface_ids) = 0
          AND EXISTS (SELECT 1 FROM training_runs r WHERE r.experiment_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM training_runs r WHERE r.experiment_id = e.id
                           AND (r.status IN ('queued', 'running') OR r.finished_at > now() - make_interval(secs => $1)))`,
      [grace],
    )
  ).rows;
  for (const experiment of stalled) {
    await advanceExperiment(deps, experiment.id);
    result.experimentsAdvanced++;
  }

  const did = Object.values(result).some((n) => n > 0);
  if (did) deps.log.info(result, "swept computations whose work was lost");
  return result;
}
