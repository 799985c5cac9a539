/**
 * Queueing a surface's tile and finalize jobs: inside the caller's transaction when it gives one,
 * each tile with its fair-queue tag as its priority and one singleton key per piece of work.
 */
import type pg from "pg";
import { JOBS } from "../jobs/definitions.js";
import { surfaceParamsSchema } from "../domain/surface-params.js";
import { type ComputeDeps, DEFAULT_ATTEMPTS } from "./deps.js";
import { failSurface } from "./fail-surface.js";
import { priorityOf } from "../domain/fair-queue.js";
import { diedOnTileMessage } from "./messages.js";
import { loadSurfaceParams } from "./sql/surfaces.js";
import { findLostTiles } from "./sql/tiles.js";

/** Tile jobs of one surface in one statement, inside the caller's transaction. */
export async function sendTiles(deps: Pick<ComputeDeps, "queue">, gpu: boolean, surfaceId: string, tiles: readonly { tile: number; tag: number }[], client: pg.PoolClient): Promise<void> {
  const job = gpu ? JOBS.surfaceTileGpu : JOBS.surfaceTile;
  const jobs = tiles.map(({ tile, tag }) => ({ data: job.schema.parse({ surfaceId, tile }), priority: priorityOf(tag), singletonKey: `${surfaceId}:${tile}` }));
  await deps.queue.insert(job.name, jobs, { db: client });
}

async function sendTile(deps: Pick<ComputeDeps, "queue">, gpu: boolean, surfaceId: string, tile: number, tag: number, client?: pg.PoolClient): Promise<void> {
  const job = gpu ? JOBS.surfaceTileGpu : JOBS.surfaceTile;
  await deps.queue.send(job.name, job.schema.parse({ surfaceId, tile }), {
    priority: priorityOf(tag),
    singletonKey: `${surfaceId}:${tile}`,
    ...(client ? { db: client } : {}),
  });
}

export async function sendFinalize(deps: Pick<ComputeDeps, "queue">, surfaceId: string, client?: pg.PoolClient): Promise<void> {
  const job = JOBS.surfaceFinalize;
  await deps.queue.send(job.name, job.schema.parse({ surfaceId }), { singletonKey: `${surfaceId}:finalize`, ...(client ? { db: client } : {}) });
}

/**
 * Queues again the unfinished tiles of a running surface that have no live job (their job was
 * lost with a worker, or ran out of retries); fails the surface instead when workers died on a
 * tile as many times as allowed. Returns the tiles queued.
 */
export async function queueMissingTiles(deps: Pick<ComputeDeps, "pool" | "queue" | "attempts">, surfaceId: string): Promise<number[]> {
  const surface = await loadSurfaceParams(deps.pool, surfaceId);
  if (!surface || surface.status !== "running") return [];
  const gpu = surfaceParamsSchema.parse(surface.params).gpu;
  const lost = await findLostTiles(deps.pool, surfaceId);
  const limit = deps.attempts ?? DEFAULT_ATTEMPTS;
  const dead = lost.find((t) => t.deaths >= limit);
  if (dead) {
    await failSurface(deps.pool, surfaceId, "INTERNAL_SERVER_ERROR", diedOnTileMessage(dead.tile, dead.deaths));
    return [];
  }
  for (const t of lost) await sendTile(deps, gpu, surfaceId, t.tile, Number(t.queue_tag ?? 0));
  return lost.map((t) => t.tile);
}
