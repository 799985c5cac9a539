/** How a surface's grid is cut into tiles, and how many points a tile holds at a measured speed. */
import { coarseToFine } from "../engine/index.js";

/** Seconds one tile should take at most, from the speed measured when the surface is prepared. */
export const TILE_SECONDS = 5;

/**
 * The demo's tiles are shorter: a worker in the middle of one (the usual case on a fresh start,
 * where the demo computes for many minutes) is free for a newcomer's surface sooner.
 */
export const DEMO_TILE_SECONDS = 2;

/**
 * Tiles: about 1/50 of the grid each (one read-back and one progress step), at least 16 points
 * (each tile is a queue round trip), never across refinement levels, and never more than
 * `maxPoints` (from the measured speed, so that a slow model's tile still takes seconds).
 */
export function cutTiles(nx: number, ny: number, maxPoints = Number.POSITIVE_INFINITY): { indices: number[]; level: number }[] {
  const { order, levelEnds } = coarseToFine(nx, ny);
  // Smaller where points are slow: see tilePointsFor.
  const size = Math.max(1, Math.min(Math.max(16, Math.ceil((nx * ny) / 50)), Math.floor(maxPoints)));
  const tiles: { indices: number[]; level: number }[] = [];
  let start = 0;
  levelEnds.forEach((end, level) => {
    for (let s = start; s < end; s += size) tiles.push({ indices: Array.from(order.slice(s, Math.min(end, s + size))), level });
    start = end;
  });
  return tiles;
}

/** Points per tile so that one takes about `seconds` (default TILE_SECONDS) at `pointSeconds` per point. */
export function tilePointsFor(pointSeconds: number, seconds = TILE_SECONDS): number {
  return Math.max(1, Math.floor(seconds / Math.max(pointSeconds, 1e-6)));
}
