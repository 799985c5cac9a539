/** Named operations on `model_curvatures` rows: a model's curvature from its start to its result. */
import type { Db } from "../../db/transaction.js";
import { JOBS } from "../../jobs/definitions.js";
import { LIVE_JOB } from "./queue-jobs.js";

export async function loadCurvature(db: Db, curvatureId: string): Promise<{ model_id: string; dataset_id: string; options: unknown; status: string } | undefined> {
  return (
    await db.query<{ model_id: string; dataset_id: string; options: unknown; status: string }>(`SELECT model_id, dataset_id, options, status FROM model_curvatures WHERE id = $1`, [
      curvatureId,
    ])
  ).rows[0];
}

/** Fails a queued or running curvature (message cut to 1000 characters). */
export async function markCurvatureFailed(db: Db, curvatureId: string, code: string, message: string): Promise<void> {
  await db.query(
    `UPDATE model_curvatures SET status = 'failed', error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
    [curvatureId, code, message.slice(0, 1000)],
  );
}

/** Counts a start, before the work (so a start whose worker died counts); returns the starts so far. */
export async function countCurvatureStart(db: Db, curvatureId: string): Promise<number> {
  return (await db.query<{ attempts: number }>(`UPDATE model_curvatures SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, [curvatureId])).rows[0]!.attempts;
}

/** Takes back a start that reported an error (not a death). */
export async function giveCurvatureAttemptBack(db: Db, curvatureId: string): Promise<void> {
  await db.query(`UPDATE model_curvatures SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0`, [curvatureId]);
}

export async function markCurvatureRunning(db: Db, curvatureId: string): Promise<void> {
  await db.query(`UPDATE model_curvatures SET status = 'running', hvps_done = 0 WHERE id = $1`, [curvatureId]);
}

/** Hessian-vector products done of those planned, while it runs. */
export async function reportCurvatureProgress(db: Db, curvatureId: string, done: number, planned: number): Promise<void> {
  await db.query(`UPDATE model_curvatures SET hvps_done = $2, hvps_planned = $3 WHERE id = $1 AND status = 'running'`, [curvatureId, done, planned]);
}

/** A running curvature is ready with its result and the Hessian-vector products it took. */
export async function markCurvatureReady(db: Db, curvatureId: string, result: unknown, hvps: number): Promise<void> {
  await db.query(`UPDATE model_curvatures SET status = 'ready', result = $2, hvps_done = $3, hvps_planned = $3, finished_at = now() WHERE id = $1 AND status = 'running'`, [
    curvatureId,
    JSON.stringify(result),
    hvps,
  ]);
}

/** Queued or running curvatures older than `graceSeconds` that no live job will compute (the sweeper's). */
export async function findOrphanedCurvatures(db: Db, graceSeconds: number): Promise<{ id: string; attempts: number }[]> {
  return (
    await db.query<{ id: string; attempts: number }>(
      `SELECT c.id, c.attempts FROM model_curvatures c
        WHERE c.status IN ('queued', 'running') AND c.created_at < now() - make_interval(secs => $2)
          AND NOT EXISTS (SELECT 1 FROM queue_jobs j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'curvatureId' = c.id::text)`,
      [JOBS.modelCurvature.name, graceSeconds],
    )
  ).rows;
}
