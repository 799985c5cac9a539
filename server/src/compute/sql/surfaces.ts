/** Named operations on `surfaces` rows: the states a surface goes through while it is computed. */
import { JOBS } from "../../jobs/definitions.js";
import type { SurfaceKind } from "../../domain/surface-params.js";
import type { Db } from "../../db/transaction.js";
import { LIVE_JOB } from "./queue-jobs.js";

/** A surface as the worker reads it. */
export interface SurfaceRow {
  id: string;
  project_id: string;
  created_by: string | null;
  name: string;
  kind: SurfaceKind;
  model_id: string;
  model_b_id: string | null;
  dataset_id: string;
  /** The held-out set evaluated beside the training set at every point, if any. */
  test_dataset_id: string | null;
  params: unknown;
  status: string;
  geometry: { firstLayerTrick?: string[] } | null;
  points_total: number;
  storage_prefix: string;
}

export async function loadSurface(db: Db, surfaceId: string): Promise<SurfaceRow | undefined> {
  const result = await db.query<SurfaceRow>(
    `SELECT id, project_id, created_by, name, kind, model_id, model_b_id, dataset_id, test_dataset_id, params, status, geometry, points_total, storage_prefix FROM surfaces WHERE id = $1`,
    [surfaceId],
  );
  return result.rows[0];
}

/** A surface's parameters and status only. */
export async function loadSurfaceParams(db: Db, surfaceId: string): Promise<{ params: unknown; status: string } | undefined> {
  return (await db.query<{ params: unknown; status: string }>(`SELECT params, status FROM surfaces WHERE id = $1`, [surfaceId])).rows[0];
}

export async function surfaceStatus(db: Db, surfaceId: string): Promise<string | undefined> {
  return (await db.query<{ status: string }>(`SELECT status FROM surfaces WHERE id = $1`, [surfaceId])).rows[0]?.status;
}

/** The surface whose stored directions another surface shares. */
export async function loadDirectionsSource(
  db: Db,
  surfaceId: string,
): Promise<{ storage_prefix: string; geometry: Record<string, unknown> | null; status: string } | undefined> {
  return (
    await db.query<{ storage_prefix: string; geometry: Record<string, unknown> | null; status: string }>(`SELECT storage_prefix, geometry, status FROM surfaces WHERE id = $1`, [
      surfaceId,
    ])
  ).rows[0];
}

/** Tells every API process (`surface_progress`) that a surface moved on; `tile` is null for a change of state. */
export async function notifySurfaceProgress(db: Db, surfaceId: string, tile: number | null): Promise<void> {
  await db.query(`SELECT pg_notify('surface_progress', $1)`, [JSON.stringify({ surfaceId, tile })]);
}

/** Fails a queued or running surface with a code and a message (cut to 1000 characters). */
export async function markSurfaceFailed(db: Db, surfaceId: string, code: string, message: string): Promise<void> {
  await db.query(
    `UPDATE surfaces SET status = 'failed', error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
    [surfaceId, code, message.slice(0, 1000)],
  );
}

/**
 * Counts a start of a queued surface's preparation, before the work, so that starts whose worker
 * died are counted too. Returns the starts so far, or undefined when the surface is not queued.
 */
export async function countPrepareStart(db: Db, surfaceId: string): Promise<number | undefined> {
  const started = await db.query<{ prepare_attempts: number }>(
    `UPDATE surfaces SET prepare_attempts = prepare_attempts + 1 WHERE id = $1 AND status = 'queued' RETURNING prepare_attempts`,
    [surfaceId],
  );
  return started.rows[0]?.prepare_attempts;
}

/** Takes back a start of a preparation that waited instead of working (waiting is not an attempt). */
export async function uncountPrepareStart(db: Db, surfaceId: string): Promise<void> {
  await db.query(`UPDATE surfaces SET prepare_attempts = prepare_attempts - 1 WHERE id = $1`, [surfaceId]);
}

/** Takes back a start of a queued surface's preparation that reported an error (not a death). */
export async function givePrepareAttemptBack(db: Db, surfaceId: string): Promise<void> {
  await db.query(`UPDATE surfaces SET prepare_attempts = GREATEST(prepare_attempts - 1, 0) WHERE id = $1 AND status = 'queued'`, [surfaceId]);
}

/** Takes back the starts of queued surfaces whose preparation a stopping worker interrupted; returns how many. */
export async function givePrepareAttemptsBack(db: Db, surfaceIds: readonly string[]): Promise<number> {
  const result = await db.query(`UPDATE surfaces SET prepare_attempts = GREATEST(prepare_attempts - 1, 0) WHERE id = ANY($1::uuid[]) AND status = 'queued'`, [[...surfaceIds]]);
  return result.rowCount ?? 0;
}

/**
 * A prepared surface starts running: its tiles, geometry and backend, and its parameters when the
 * preparation fitted them (null keeps them). False when it is no longer queued.
 */
export async function markSurfaceRunning(
  db: Db,
  surfaceId: string,
  run: { tiles: number; geometry: Record<string, unknown>; backend: string; fittedParams: unknown | null },
): Promise<boolean> {
  const started = await db.query(
    `UPDATE surfaces SET status = 'running', tiles_total = $2, geometry = $3, backend = $4, started_at = now(), params = COALESCE($5::jsonb, params) WHERE id = $1 AND status = 'queued'`,
    [surfaceId, run.tiles, JSON.stringify(run.geometry), run.backend, run.fittedParams === null ? null : JSON.stringify(run.fittedParams)],
  );
  return started.rowCount !== 0;
}

/** Adds a tile's points to the surface's count; returns the new count and the total. */
export async function addPointsDone(db: Db, surfaceId: string, points: number): Promise<{ points_done: number; points_total: number } | undefined> {
  return (
    await db.query<{ points_done: number; points_total: number }>(
      `UPDATE surfaces SET points_done = points_done + $2 WHERE id = $1 RETURNING points_done, points_total`,
      [surfaceId, points],
    )
  ).rows[0];
}

/**
 * A running surface is ready with its statistics, critical points (an eigen-ratio map has none:
 * `[]`) and the bytes it keeps in storage. False when it was not running.
 */
export async function markSurfaceReady(db: Db, surfaceId: string, ready: { statistics: unknown; criticalPoints: unknown; storedBytes: number }): Promise<boolean> {
  const done = await db.query(
    `UPDATE surfaces SET status = 'ready', statistics = $2, critical_points = $3, stored_bytes = $4, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [surfaceId, JSON.stringify(ready.statistics), JSON.stringify(ready.criticalPoints), ready.storedBytes],
  );
  return Boolean(done.rowCount);
}

/** Queued surfaces older than `graceSeconds` without a live prepare job. */
export async function findUnpreparedSurfaces(db: Db, graceSeconds: number): Promise<{ id: string; prepare_attempts: number; created_by: string | null }[]> {
  return (
    await db.query<{ id: string; prepare_attempts: number; created_by: string | null }>(
      `SELECT s.id, s.prepare_attempts, s.created_by FROM surfaces s
        WHERE s.status = 'queued' AND s.created_at < now() - make_interval(secs => $2)
          AND NOT EXISTS (SELECT 1 FROM queue_jobs j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'surfaceId' = s.id::text)`,
      [JOBS.surfacePrepare.name, graceSeconds],
    )
  ).rows;
}

/** Running surfaces started more than `graceSeconds` ago: their unfinished tiles, and whether a finalize job is live. */
export async function findRunningSurfaces(db: Db, graceSeconds: number): Promise<{ id: string; unfinished: number; finalizing: boolean }[]> {
  return (
    await db.query<{ id: string; unfinished: number; finalizing: boolean }>(
      `SELECT s.id,
              (SELECT count(*) FROM surface_tiles t WHERE t.surface_id = s.id AND t.finished_at IS NULL)::int AS unfinished,
              EXISTS (SELECT 1 FROM queue_jobs j WHERE j.name = $1 AND j.${LIVE_JOB} AND j.data->>'surfaceId' = s.id::text) AS finalizing
         FROM surfaces s
        WHERE s.status = 'running' AND s.started_at < now() - make_interval(secs => $2)`,
      [JOBS.surfaceFinalize.name, graceSeconds],
    )
  ).rows;
}
