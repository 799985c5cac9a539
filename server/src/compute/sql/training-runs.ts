/** Named operations on `training_runs` rows: a run's starts, progress, end and hand-back. */
import { JOBS } from "../../jobs/definitions.js";
import type { Db } from "../../db/transaction.js";
import { LIVE_JOB } from "./queue-jobs.js";

/** A training run as the worker reads it. */
export interface RunRow {
  id: string;
  project_id: string;
  created_by: string | null;
  name: string;
  dataset_id: string;
  test_dataset_id: string | null;
  architecture: unknown;
  options: unknown;
  status: string;
  storage_prefix: string;
}

export async function loadRun(db: Db, runId: string): Promise<RunRow | undefined> {
  return (
    await db.query<RunRow>(
      `SELECT id, project_id, created_by, name, dataset_id, test_dataset_id, architecture, options, status, storage_prefix FROM training_runs WHERE id = $1`,
      [runId],
    )
  ).rows[0];
}

/** Tells every API process (`training_progress`) that a run moved on. */
export async function notifyTrainingProgress(db: Db, runId: string): Promise<void> {
  await db.query(`SELECT pg_notify('training_progress', $1)`, [JSON.stringify({ runId })]);
}

/** Fails a queued or running run (message cut to 1000 characters); returns its experiment, if it failed now and has one. */
export async function markRunFailed(db: Db, runId: string, code: string, message: string): Promise<string | null | undefined> {
  const failed = await db.query<{ experiment_id: string | null }>(
    `UPDATE training_runs SET status = 'failed', error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING experiment_id`,
    [runId, code, message.slice(0, 1000)],
  );
  return failed.rows[0]?.experiment_id;
}

/** Counts a start of a run, before the work (so a start whose worker died counts); returns the starts so far. */
export async function countRunStart(db: Db, runId: string): Promise<number> {
  return (await db.query<{ attempts: number }>(`UPDATE training_runs SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, [runId])).rows[0]!.attempts;
}

/** Takes back a start of a run that reported an error (not a death). */
export async function giveRunAttemptBack(db: Db, runId: string): Promise<void> {
  await db.query(`UPDATE training_runs SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0`, [runId]);
}

/** Takes back the starts of queued or running runs a stopping worker interrupted; returns how many. */
export async function giveRunAttemptsBack(db: Db, runIds: readonly string[]): Promise<number> {
  const result = await db.query(`UPDATE training_runs SET attempts = GREATEST(attempts - 1, 0) WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')`, [[...runIds]]);
  return result.rowCount ?? 0;
}

/** A run starts (again) from nothing: no steps, no curve. */
export async function markRunRunning(db: Db, runId: string): Promise<void> {
  await db.query(`UPDATE training_runs SET status = 'running', started_at = now(), steps_done = 0, curve = '[]' WHERE id = $1`, [runId]);
}

/** Records steps done of steps planned; returns the run's status (cancelled tells the trainer to stop). */
export async function reportRunSteps(db: Db, runId: string, done: number, total: number): Promise<string | undefined> {
  return (await db.query<{ status: string }>(`UPDATE training_runs SET steps_done = $2, steps_total = $3 WHERE id = $1 RETURNING status`, [runId, done, total])).rows[0]?.status;
}

/** Records a checkpoint's step and its point of the training curve; returns the run's status. */
export async function reportRunCheckpoint(db: Db, runId: string, step: number, point: unknown): Promise<string | undefined> {
  const updated = await db.query<{ status: string }>(`UPDATE training_runs SET steps_done = $2, curve = curve || $3::jsonb WHERE id = $1 RETURNING status`, [
    runId,
    step,
    JSON.stringify([point]),
  ]);
  return updated.rows[0]?.status;
}

/**
 * A running run is ready with its model and steps. Returns whether it ended now (false: it was
 * cancelled meanwhile) and its experiment.
 */
export async function markRunReady(db: Db, runId: string, modelId: string, steps: number): Promise<{ ended: boolean; experimentId: string | null | undefined }> {
  const ended = await db.query<{ experiment_id: string | null }>(
    `UPDATE training_runs SET status = 'ready', model_id = $2, steps_done = $3, steps_total = $3, finished_at = now() WHERE id = $1 AND status = 'running' RETURNING experiment_id`,
    [runId, modelId, steps],
  );
  return { ended: ended.rowCount !== 0, experimentId: ended.rows[0]?.experiment_id };
}

/** Queued or running runs older than `graceSeconds` without a live training job. */
export async function findOrphanedRuns(db: Db, graceSeconds: number): Promise<{ id: string; attempts: number }[]> {
  return (
    await db.query<{ id: string; attempts: number }>(
      `SELECT r.id, r.attempts FROM training_runs r
        WHERE r.status IN ('queued', 'running') AND r.created_at < now() - make_interval(secs => $2)
          AND NOT EXISTS (SELECT 1 FROM queue_jobs j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'runId' = r.id::text)`,
      [JOBS.trainingRun.name, graceSeconds],
    )
  ).rows;
}
