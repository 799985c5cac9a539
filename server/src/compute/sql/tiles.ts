/** Named operations on `surface_tiles` rows: a surface's tiles, their starts, values and ends. */
import { JOBS } from "../../jobs/definitions.js";
import type { Db } from "../../db/transaction.js";
import { LIVE_JOB } from "./queue-jobs.js";

/**
 * Records a surface's tiles (their refinement level, grid indices and fair-queue tag) in one
 * statement; a tile recorded already keeps its row and takes the new tag.
 */
export async function recordTiles(db: Db, surfaceId: string, tiles: readonly { tile: number; level: number; indices: number[]; tag: number }[]): Promise<void> {
  await db.query(
    `INSERT INTO surface_tiles (surface_id, tile, level, indices, queue_tag)
     SELECT $1, t.tile, t.level, ARRAY(SELECT jsonb_array_elements_text(t.indices)::int), t.tag
       FROM jsonb_to_recordset($2::jsonb) AS t(tile int, level int, indices jsonb, tag bigint)
     ON CONFLICT (surface_id, tile) DO UPDATE SET queue_tag = EXCLUDED.queue_tag`,
    [surfaceId, JSON.stringify(tiles)],
  );
}

/**
 * Counts a start of an unfinished tile by this worker, before the work (so a start whose worker
 * died is counted). Returns its grid indices, starts and reported failures, or undefined when the
 * tile is finished already.
 */
export async function startTile(db: Db, surfaceId: string, tile: number, workerId: string): Promise<{ indices: number[]; attempts: number; failures: number } | undefined> {
  return (
    await db.query<{ indices: number[]; attempts: number; failures: number }>(
      `UPDATE surface_tiles SET worker_id = $3, attempts = attempts + 1, started_at = now()
        WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL RETURNING indices, attempts, failures`,
      [surfaceId, tile, workerId],
    )
  ).rows[0];
}

/** Counts an error a tile's job reported (not a worker that died). */
export async function countTileFailure(db: Db, surfaceId: string, tile: number): Promise<void> {
  await db.query(`UPDATE surface_tiles SET failures = failures + 1 WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL`, [surfaceId, tile]);
}

/**
 * Takes back the starts of the unfinished tiles a stopping worker was computing, and frees them;
 * returns how many.
 */
export async function handBackTiles(db: Db, workerId: string): Promise<number> {
  const tiles = await db.query(
    `UPDATE surface_tiles SET attempts = GREATEST(attempts - 1, 0), worker_id = NULL WHERE worker_id = $1 AND finished_at IS NULL`,
    [workerId],
  );
  return tiles.rowCount ?? 0;
}

/** A loss tile's values: float32 bytes in the tile's index order; the test set's null without one. */
export interface LossTileValues {
  loss: Buffer;
  accuracy: Buffer;
  testLoss: Buffer | null;
  testAccuracy: Buffer | null;
}

/**
 * Finishes a loss tile with its loss and accuracy (and the test set's); false when it was
 * finished already (by another worker).
 */
export async function finishLossTile(db: Db, surfaceId: string, tile: number, values: LossTileValues): Promise<boolean> {
  const done = await db.query(
    `UPDATE surface_tiles SET loss = $3, accuracy = $4, test_loss = $5, test_accuracy = $6, finished_at = now() WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL`,
    [surfaceId, tile, values.loss, values.accuracy, values.testLoss, values.testAccuracy],
  );
  return done.rowCount !== 0;
}

/**
 * Finishes an eigen-ratio tile with its grids one after the other (float32 bytes); false when it
 * was finished already.
 */
export async function finishCurvatureTile(db: Db, surfaceId: string, tile: number, curvature: Buffer): Promise<boolean> {
  const done = await db.query(`UPDATE surface_tiles SET curvature = $3, finished_at = now() WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL`, [
    surfaceId,
    tile,
    curvature,
  ]);
  return done.rowCount !== 0;
}

/** Every tile's indices with its loss and accuracy, and the test set's (null until it is finished, or after finalize). */
export async function loadLossTiles(db: Db, surfaceId: string): Promise<{ indices: number[]; loss: Buffer | null; accuracy: Buffer | null; test_loss: Buffer | null; test_accuracy: Buffer | null }[]> {
  return (
    await db.query<{ indices: number[]; loss: Buffer | null; accuracy: Buffer | null; test_loss: Buffer | null; test_accuracy: Buffer | null }>(
      `SELECT indices, loss, accuracy, test_loss, test_accuracy FROM surface_tiles WHERE surface_id = $1`,
      [surfaceId],
    )
  ).rows;
}

/** Every tile's indices with its eigen-ratio grids (null until it is finished, or after finalize). */
export async function loadCurvatureTiles(db: Db, surfaceId: string): Promise<{ indices: number[]; curvature: Buffer | null }[]> {
  return (await db.query<{ indices: number[]; curvature: Buffer | null }>(`SELECT indices, curvature FROM surface_tiles WHERE surface_id = $1`, [surfaceId])).rows;
}

/** Drops the tiles' loss and accuracy (the test set's too) once the values file holds them. */
export async function clearLossTiles(db: Db, surfaceId: string): Promise<void> {
  await db.query(`UPDATE surface_tiles SET loss = NULL, accuracy = NULL, test_loss = NULL, test_accuracy = NULL WHERE surface_id = $1`, [surfaceId]);
}

/** Drops the tiles' eigen-ratio grids once the values file holds them. */
export async function clearCurvatureTiles(db: Db, surfaceId: string): Promise<void> {
  await db.query(`UPDATE surface_tiles SET curvature = NULL WHERE surface_id = $1`, [surfaceId]);
}

/**
 * The unfinished tiles of a surface without a live tile job (on either tile queue), with the deaths
 * of workers on each (starts that neither finished nor reported an error) and its fair-queue tag,
 * in tag order. One statement, one snapshot: a tile is finished before its job completes, so a
 * tile seen unfinished without a live job has lost its job.
 */
export async function findLostTiles(db: Db, surfaceId: string): Promise<{ tile: number; deaths: number; queue_tag: string }[]> {
  return (
    await db.query<{ tile: number; deaths: number; queue_tag: string }>(
      `SELECT t.tile, t.attempts - t.failures AS deaths, t.queue_tag
         FROM surface_tiles t
        WHERE t.surface_id = $1 AND t.finished_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM queue_jobs j
                           WHERE j.name IN ($2, $3) AND j.${LIVE_JOB}
                             AND j.data->>'surfaceId' = $4 AND (j.data->>'tile')::int = t.tile)
        ORDER BY t.queue_tag, t.tile`,
      [surfaceId, JOBS.surfaceTile.name, JOBS.surfaceTileGpu.name, surfaceId],
    )
  ).rows;
}
