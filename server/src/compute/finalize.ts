/**
 * finalize: assembles the float32 values file, statistics, critical points and thumbnail from the
 * finished tiles. A re-run writes the same files, and marks the surface ready once.
 */
import { axisValues, basinAround, findCriticalPoints, summarizeValues as summarize } from "../engine/index.js";
import { MAX_STORED_CRITICAL_POINTS, isPlanar, surfaceParamsSchema } from "../domain/surface-params.js";
import { forgetSurface } from "./context-cache.js";
import { nonConvexity } from "./curvature.js";
import type { ComputeDeps } from "./deps.js";
import { floatsOf } from "../domain/values.js";
import { type SurfaceRow, loadSurface, markSurfaceReady, notifySurfaceProgress } from "./sql/surfaces.js";
import { clearCurvatureTiles, clearLossTiles, loadCurvatureTiles, loadLossTiles } from "./sql/tiles.js";
import { renderThumbnail } from "./thumbnail.js";

export async function finalizeSurface(deps: ComputeDeps, surfaceId: string): Promise<void> {
  const surface = await loadSurface(deps.pool, surfaceId);
  if (!surface || surface.status !== "running") return;
  const params = surfaceParamsSchema.parse(surface.params);
  const xs = axisValues(params.x);
  const ys = params.y && isPlanar(surface.kind) ? axisValues(params.y) : new Float64Array([0]);
  const total = xs.length * ys.length;
  if (surface.kind === "eigen-ratio") {
    await finalizeEigenRatio(deps, surface, xs.length, ys.length);
    return;
  }
  const grid = () => new Float32Array(total).fill(Number.NaN);
  const [loss, accuracy] = [grid(), grid()];
  // The test set's grids, when the surface has one (evaluated on the same tiles).
  const test = surface.test_dataset_id ? { loss: grid(), accuracy: grid() } : null;
  for (const tile of await loadLossTiles(deps.pool, surfaceId)) {
    if (!tile.loss || !tile.accuracy) return; // not complete yet; the last tile queues us again
    const place = (into: Float32Array, bytes: Buffer | null) => {
      if (!bytes) return;
      const v = floatsOf(bytes);
      tile.indices.forEach((k, n) => (into[k] = v[n]!));
    };
    place(loss, tile.loss);
    place(accuracy, tile.accuracy);
    if (test) {
      place(test.loss, tile.test_loss);
      place(test.accuracy, tile.test_accuracy);
    }
  }
  // Every point with its persistence, the most persistent few thousand: the API filters them.
  // Critical points, convexity and the basin describe the training loss, as in the paper.
  const criticalPoints = findCriticalPoints(Float64Array.from(loss), xs, ys, { maxPoints: MAX_STORED_CRITICAL_POINTS });
  const spacing = (axis: Float64Array) => (axis.length > 1 ? axis[1]! - axis[0]! : 1);
  const statistics = {
    loss: summarize(loss),
    accuracy: summarize(accuracy),
    ...(test ? { testLoss: summarize(test.loss), testAccuracy: summarize(test.accuracy) } : {}),
    nonConvexity: nonConvexity(loss, xs.length, ys.length, spacing(xs), spacing(ys)),
    basin: basinAround(loss, xs, ys),
  };
  // values.bin: the loss grid then the accuracy grid (then, with a test set, its loss and accuracy
  // grids), float32 little-endian, row-major (j * nx + i).
  const grids = test ? [loss, accuracy, test.loss, test.accuracy] : [loss, accuracy];
  const bytes = new Uint8Array(total * 4 * grids.length);
  grids.forEach((g, m) => bytes.set(new Uint8Array(g.buffer), m * total * 4));
  await deps.store.put(`${surface.storage_prefix}values.bin`, bytes);
  await deps.store.put(`${surface.storage_prefix}thumbnail.png`, renderThumbnail(loss, xs.length, ys.length), "image/png");
  // Everything the surface keeps counts against its creator's quota.
  const storedBytes = await deps.store.bytesUnder(surface.storage_prefix);
  // The tiles' copies are no longer needed once the values file holds them.
  if (await markSurfaceReady(deps.pool, surfaceId, { statistics, criticalPoints, storedBytes })) await clearLossTiles(deps.pool, surfaceId);
  await notifySurfaceProgress(deps.pool, surfaceId, null);
  forgetSurface(surfaceId);
}

/**
 * An eigen-ratio map's finish: values.bin holds the lambda_max grid, the lambda_min grid, the
 * |lambda_min / lambda_max| grid, the Lanczos steps each point took and whether it converged (1)
 * or reached the step cap first (0), float32, row-major (maps made before per-point convergence
 * have the first three only, and so do their tiles); statistics summarize each and count the
 * unconverged points; the thumbnail shows the ratio. No critical points: the grid is not a loss.
 */
async function finalizeEigenRatio(deps: ComputeDeps, surface: SurfaceRow, nx: number, ny: number): Promise<void> {
  const total = nx * ny;
  const grids = [0, 1, 2, 3, 4].map(() => new Float32Array(total).fill(Number.NaN));
  for (const tile of await loadCurvatureTiles(deps.pool, surface.id)) {
    if (!tile.curvature) return; // not complete yet; the last tile queues us again
    const all = floatsOf(tile.curvature);
    const n = tile.indices.length;
    tile.indices.forEach((k, p) => grids.forEach((grid, m) => {
      if (m * n + p < all.length) grid[k] = all[m * n + p]!;
    }));
  }
  const [lambdaMax, lambdaMin, ratio, steps, converged] = grids as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const recorded = converged.every((c) => !Number.isNaN(c));
  const statistics = {
    lambdaMax: summarize(lambdaMax), lambdaMin: summarize(lambdaMin), ratio: summarize(ratio),
    ...(recorded ? { lanczosSteps: summarize(steps), unconverged: converged.reduce((n, c) => n + (c === 1 ? 0 : 1), 0) } : {}),
  };
  const bytes = new Uint8Array(total * 4 * grids.length);
  grids.forEach((grid, m) => bytes.set(new Uint8Array(grid.buffer), m * total * 4));
  await deps.store.put(`${surface.storage_prefix}values.bin`, bytes);
  await deps.store.put(`${surface.storage_prefix}thumbnail.png`, renderThumbnail(ratio, nx, ny), "image/png");
  const storedBytes = await deps.store.bytesUnder(surface.storage_prefix);
  if (await markSurfaceReady(deps.pool, surface.id, { statistics, criticalPoints: [], storedBytes })) await clearCurvatureTiles(deps.pool, surface.id);
  await notifySurfaceProgress(deps.pool, surface.id, null);
  forgetSurface(surface.id);
}

