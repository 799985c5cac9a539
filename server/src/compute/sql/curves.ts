/** Named operations on `curves` rows: a curve's starts, progress, checkpoints, result and end. */
import type { Db } from "../../db/transaction.js";
import { JOBS } from "../../jobs/definitions.js";
import { LIVE_JOB } from "./queue-jobs.js";

/** A curve as the worker reads it. */
export interface CurveRow {
  id: string;
  project_id: string;
  model_a_id: string;
  model_b_id: string;
  dataset_id: string;
  test_dataset_id: string | null;
  options: unknown;
  status: string;
  storage_prefix: string;
}

export async function loadCurveRow(db: Db, curveId: string): Promise<CurveRow | undefined> {
  return (
    await db.query<CurveRow>(
      `SELECT id, project_id, model_a_id, model_b_id, dataset_id, test_dataset_id, options, status, storage_prefix FROM curves WHERE id = $1`,
      [curveId],
    )
  ).rows[0];
}

/** Tells every API process (`curve_progress`) that a curve moved on. */
export async function notifyCurveProgress(db: Db, curveId: string): Promise<void> {
  await db.query(`SELECT pg_notify('curve_progress', $1)`, [JSON.stringify({ curveId })]);
}

/** Fails a queued or running curve (message cut to 1000 characters). */
export async function markCurveFailed(db: Db, curveId: string, code: string, message: string): Promise<void> {
  await db.query(`UPDATE curves SET status = 'failed', phase = NULL, error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [
    curveId,
    code,
    message.slice(0, 1000),
  ]);
}

/** Counts a start, before the work (so a start whose worker died counts); returns the starts so far. */
export async function countCurveStart(db: Db, curveId: string): Promise<number> {
  return (await db.query<{ attempts: number }>(`UPDATE curves SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, [curveId])).rows[0]!.attempts;
}

/** Takes back a start that reported an error (not a death). */
export async function giveCurveAttemptBack(db: Db, curveId: string): Promise<void> {
  await db.query(`UPDATE curves SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0`, [curveId]);
}

/** Takes back the starts of queued or running curves a stopping worker interrupted; returns how many. */
export async function giveCurveAttemptsBack(db: Db, curveIds: readonly string[]): Promise<number> {
  const result = await db.query(`UPDATE curves SET attempts = GREATEST(attempts - 1, 0) WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')`, [[...curveIds]]);
  return result.rowCount ?? 0;
}

/** A curve starts (again) from nothing: training, no steps, no checkpoints. */
export async function markCurveRunning(db: Db, curveId: string, pointsTotal: number): Promise<void> {
  await db.query(
    `UPDATE curves SET status = 'running', phase = 'training', started_at = now(), steps_done = 0, points_done = 0, points_total = $2, checkpoints = '[]'
      WHERE id = $1 AND status IN ('queued', 'running')`,
    [curveId, pointsTotal],
  );
}

/** Records steps done of those planned; returns the curve's status (cancelled tells the trainer to stop). */
export async function reportCurveSteps(db: Db, curveId: string, done: number, total: number): Promise<string | undefined> {
  return (await db.query<{ status: string }>(`UPDATE curves SET steps_done = $2, steps_total = $3 WHERE id = $1 RETURNING status`, [curveId, done, total])).rows[0]?.status;
}

/** Records a stored checkpoint of the bends; returns the curve's status. */
export async function reportCurveCheckpoint(db: Db, curveId: string, checkpoint: { step: number; meanLoss: number; prefix: string; files: string[] }): Promise<string | undefined> {
  return (
    await db.query<{ status: string }>(`UPDATE curves SET steps_done = $2, checkpoints = checkpoints || $3::jsonb WHERE id = $1 RETURNING status`, [
      curveId,
      checkpoint.step,
      JSON.stringify([checkpoint]),
    ])
  ).rows[0]?.status;
}

/** Training is over: the curve is being evaluated. */
export async function markCurveEvaluating(db: Db, curveId: string): Promise<void> {
  await db.query(`UPDATE curves SET phase = 'evaluating', points_done = 0 WHERE id = $1 AND status = 'running'`, [curveId]);
}

/** Records points evaluated; returns the curve's status. */
export async function reportCurvePoints(db: Db, curveId: string, done: number): Promise<string | undefined> {
  return (await db.query<{ status: string }>(`UPDATE curves SET points_done = $2 WHERE id = $1 RETURNING status`, [curveId, done])).rows[0]?.status;
}

/** A running curve is ready with its evaluation; false when it was cancelled meanwhile. */
export async function markCurveReady(db: Db, curveId: string, result: unknown): Promise<boolean> {
  const ended = await db.query(
    `UPDATE curves SET status = 'ready', phase = NULL, result = $2, points_done = points_total, steps_done = steps_total, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [curveId, JSON.stringify(result)],
  );
  return ended.rowCount !== 0;
}

/** Queued or running curves older than `graceSeconds` without a live curve job. */
export async function findOrphanedCurves(db: Db, graceSeconds: number): Promise<{ id: string; attempts: number }[]> {
  return (
    await db.query<{ id: string; attempts: number }>(
      `SELECT c.id, c.attempts FROM curves c
        WHERE c.status IN ('queued', 'running') AND c.created_at < now() - make_interval(secs => $2)
          AND NOT EXISTS (SELECT 1 FROM queue_jobs j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'curveId' = c.id::text)`,
      [JOBS.curveTrain.name, graceSeconds],
    )
  ).rows;
}
