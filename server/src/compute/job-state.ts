/**
 * The state of surfaces and training runs in the database and the queue, without the engine: what
 * the workers record, and what the sweeper (in the API process, which never loads TF.js) needs to
 * queue lost work again or fail it.
 */
import type pg from "pg";
import type { Pool } from "../db/pool.js";
import { priorityOf } from "../domain/fair-queue.js";
import { surfaceParamsSchema } from "../domain/surface-params.js";
import { JOBS } from "../jobs/definitions.js";
import { advanceExperiment } from "./experiment-step.js";
import type { ComputeDeps } from "./surface-jobs.js";

/** Deaths of workers on one piece of work before it fails, unless COMPUTE_ATTEMPTS says otherwise. */
export const DEFAULT_ATTEMPTS = 3;

/** "once", "twice", "three times", ... for messages to people. */
export function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : n === 3 ? "three times" : `${n} times`;
}

/** What the owner of a surface reads when workers keep dying on one tile. */
export function diedOnTileMessage(tile: number, deaths: number): string {
  return `A worker died computing tile ${tile} ${times(deaths)}; the model may need more memory than a worker has`;
}

export function diedPreparingMessage(deaths: number): string {
  return `A worker died preparing this surface ${times(deaths)}; the model may need more memory than a worker has`;
}

/** A pg-boss `db` that sends jobs inside the caller's transaction. */
export function inTransaction(client: pg.PoolClient) {
  return { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
}

/** Runs `work` in one transaction on its own connection. */
export async function transaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function diedTrainingMessage(deaths: number): string {
  return `A worker died training this model ${times(deaths)}; the model may need more memory than a worker has`;
}

export async function notifyProgress(pool: Pool, surfaceId: string, tile: number | null): Promise<void> {
  await pool.query(`SELECT pg_notify('surface_progress', $1)`, [JSON.stringify({ surfaceId, tile })]);
}

/**
 * Marks a surface failed with a code and a message for its owner; later jobs of it do nothing. A
 * worker also drops what it keeps of the surface (surface-jobs.ts, failSurface).
 */
export async function markSurfaceFailed(pool: Pool, surfaceId: string, code: string, message: string): Promise<void> {
  await pool.query(
    `UPDATE surfaces SET status = 'failed', error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
    [surfaceId, code, message.slice(0, 1000)],
  );
  await notifyProgress(pool, surfaceId, null);
}

async function sendTile(deps: Pick<ComputeDeps, "queue">, gpu: boolean, surfaceId: string, tile: number, tag: number, client?: pg.PoolClient): Promise<void> {
  const job = gpu ? JOBS.surfaceTileGpu : JOBS.surfaceTile;
  await deps.queue.send(job.name, job.schema.parse({ surfaceId, tile }), {
    priority: priorityOf(tag),
    singletonKey: `${surfaceId}:${tile}`,
    ...(client ? { db: inTransaction(client) } : {}),
  });
}

/** Jobs of the queue not yet done (waiting, waiting to retry, or being worked on). */
export const LIVE_JOB = `state IN ('created', 'retry', 'active')`;

/**
 * Queues again the unfinished tiles of a running surface that have no live job (their job was
 * lost with a worker, or ran out of retries); fails the surface instead when workers died on a
 * tile as many times as allowed. Returns the tiles queued.
 */
export async function queueMissingTiles(deps: Pick<ComputeDeps, "pool" | "queue" | "attempts">, surfaceId: string): Promise<number[]> {
  const surface = (await deps.pool.query<{ params: unknown; status: string }>(`SELECT params, status FROM surfaces WHERE id = $1`, [surfaceId])).rows[0];
  if (!surface || surface.status !== "running") return [];
  const gpu = surfaceParamsSchema.parse(surface.params).gpu;
  // One statement, one snapshot: a tile is finished before its job completes, so a tile seen
  // unfinished without a live job has lost its job.
  const lost = (
    await deps.pool.query<{ tile: number; deaths: number; queue_tag: string }>(
      `SELECT t.tile, t.attempts - t.failures AS deaths, t.queue_tag
         FROM surface_tiles t
        WHERE t.surface_id = $1 AND t.finished_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM pgboss.job j
                           WHERE j.name IN ($2, $3) AND j.${LIVE_JOB}
                             AND j.data->>'surfaceId' = $4 AND (j.data->>'tile')::int = t.tile)
        ORDER BY t.queue_tag, t.tile`,
      [surfaceId, JOBS.surfaceTile.name, JOBS.surfaceTileGpu.name, surfaceId],
    )
  ).rows;
  const limit = deps.attempts ?? DEFAULT_ATTEMPTS;
  const dead = lost.find((t) => t.deaths >= limit);
  if (dead) {
    await markSurfaceFailed(deps.pool, surfaceId, "INTERNAL_SERVER_ERROR", diedOnTileMessage(dead.tile, dead.deaths));
    return [];
  }
  for (const t of lost) await sendTile(deps, gpu, surfaceId, t.tile, Number(t.queue_tag ?? 0));
  return lost.map((t) => t.tile);
}

export async function sendFinalize(deps: Pick<ComputeDeps, "queue">, surfaceId: string, client?: pg.PoolClient): Promise<void> {
  const job = JOBS.surfaceFinalize;
  await deps.queue.send(job.name, job.schema.parse({ surfaceId }), { singletonKey: `${surfaceId}:finalize`, ...(client ? { db: inTransaction(client) } : {}) });
}

export async function notifyRun(deps: Pick<ComputeDeps, "pool">, runId: string): Promise<void> {
  await deps.pool.query(`SELECT pg_notify('training_progress', $1)`, [JSON.stringify({ runId })]);
}

export async function failRun(deps: Pick<ComputeDeps, "pool" | "queue">, runId: string, code: string, message: string): Promise<void> {
  const failed = await deps.pool.query<{ experiment_id: string | null }>(
    `UPDATE training_runs SET status = 'failed', error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING experiment_id`,
    [runId, code, message.slice(0, 1000)],
  );
  await notifyRun(deps, runId);
  const experimentId = failed.rows[0]?.experiment_id;
  if (experimentId) await advanceExperiment(deps, experimentId);
}

