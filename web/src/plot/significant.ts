/** Which of a surface's critical points a plot marks by default. */
import type { Surface } from "../api/types";
import type { SurfaceGrid } from "./grid";
import { significanceSpan, type ValueStats, valueStats } from "./scale";

/** Each grid's loss statistics, worked out once. */
const lossStats = new WeakMap<SurfaceGrid, ValueStats | null>();

/** A surface's critical points of at least 1% of its capped loss range (the viewer's default). */
export function significantPoints(surface: Surface, grid: SurfaceGrid): Surface["criticalPoints"] {
  if (!lossStats.has(grid)) lossStats.set(grid, valueStats(grid.loss));
  const floor = 0.01 * significanceSpan(lossStats.get(grid)!);
  return surface.criticalPoints.filter((p) => p.persistence == null || p.persistence >= floor);
}
