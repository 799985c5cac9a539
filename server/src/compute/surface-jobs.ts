/**
 * The worker's side of a surface, in three idempotent jobs, each in its own file:
 *   prepare   (prepare.ts)   directions, tiles, the first-layer trick's layers, the measured speed;
 *                            records the tiles, marks the surface running and queues the tiles in
 *                            one transaction;
 *   tile      (tile.ts)      evaluates one tile and, in one transaction, records it, counts its
 *                            points and queues finalize after the last one;
 *   finalize  (finalize.ts)  values file, statistics, critical points and thumbnail.
 * Eigen-ratio maps go through the same three jobs: their plane is prepared as a random plane's (or
 * shared with the plane they map), and each of their tiles runs the engine's EigenRatioEvaluator
 * (lambda_max, lambda_min, |lambda_min / lambda_max| by Lanczos at each point) instead of the
 * SurfaceEvaluator. Work lost with its worker is found by the sweeper (sweeper.ts).
 */
import type { JobData } from "../jobs/definitions.js";
import type { ComputeDeps } from "./deps.js";
import { finalizeSurface } from "./finalize.js";
import { prepareSurface } from "./prepare.js";
import { runTile } from "./tile.js";

type SurfaceJobName = "surfacePrepare" | "surfaceTile" | "surfaceTileGpu" | "surfaceFinalize";

/** Each surface job's handler, by job name (see jobs/definitions.ts). */
export const SURFACE_JOBS: { [N in SurfaceJobName]: (deps: ComputeDeps, data: JobData<N>) => Promise<void> } = {
  surfacePrepare: (deps, { surfaceId }) => prepareSurface(deps, surfaceId),
  surfaceTile: (deps, { surfaceId, tile }) => runTile(deps, surfaceId, tile),
  // Surfaces that asked for a GPU: the same work, on workers that have one.
  surfaceTileGpu: (deps, { surfaceId, tile }) => runTile(deps, surfaceId, tile),
  surfaceFinalize: (deps, { surfaceId }) => finalizeSurface(deps, surfaceId),
};
