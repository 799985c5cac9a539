/**
 * Work this worker process started and is stopping before it finished (SIGTERM, Ctrl-C): the
 * queue runs it again at once (a stopping worker fails its running jobs back to the queue, which
 * runs them again a second later), and here its start is taken back, so an orderly stop does not
 * count as a worker that died on it (COMPUTE_ATTEMPTS).
 */
import type { Pool } from "../db/pool.js";
import { givePrepareAttemptsBack } from "./sql/surfaces.js";
import { handBackTiles } from "./sql/tiles.js";

/** Surfaces this process is preparing now: a stop hands them back (see handBackInterrupted). */
const preparing = new Set<string>();

/** Runs a surface's preparation, known to a stop as this process's while it runs. */
export async function whilePreparing<T>(surfaceId: string, work: () => Promise<T>): Promise<T> {
  preparing.add(surfaceId);
  try {
    return await work();
  } finally {
    preparing.delete(surfaceId);
  }
}

/** Hands back this worker's unfinished tiles and the preparations in progress; returns how many of each. */
export async function handBackInterrupted(pool: Pool, workerId: string): Promise<{ tiles: number; preparations: number }> {
  const tiles = await handBackTiles(pool, workerId);
  const preparations = preparing.size === 0 ? 0 : await givePrepareAttemptsBack(pool, [...preparing]);
  return { tiles, preparations };
}
