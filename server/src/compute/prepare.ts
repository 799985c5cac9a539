/**
 * prepare: loads the model(s), builds the plane (directions.ts), stores the directions, measures
 * this worker's speed on the surface, cuts the grid into coarse-to-fine tiles and, in one
 * transaction, records the tiles, marks the surface running and queues them. A re-run of a running
 * surface queues again whatever tiles have no job.
 */
import { ModelPositionError, checkModelPositions, chooseTrickLayers, cosine, initBackend, movedTensors, varianceNote } from "../engine/index.js";
import { sendJob } from "../jobs/definitions.js";
import { isPlanar, surfaceParamsSchema } from "../domain/surface-params.js";
import { type SurfaceContext, keepContext } from "./context-cache.js";
import { buildContext, loadModelRow } from "./context.js";
import { type ComputeDeps, DEFAULT_ATTEMPTS } from "./deps.js";
import { type PlaneChoice, choosePlane, storeDirections } from "./directions.js";
import { failSurface } from "./fail-surface.js";
import { ownerFor, preparePriority, tagWork, tileCost, usersHaveWork } from "../domain/fair-queue.js";
import { whilePreparing } from "./hand-back.js";
import { diedPreparingMessage } from "./messages.js";
import { queueMissingTiles, sendTiles } from "./queue-work.js";
import { transaction } from "../db/transaction.js";
import { type SurfaceRow, countPrepareStart, loadSurface, markSurfaceRunning, notifySurfaceProgress, uncountPrepareStart } from "./sql/surfaces.js";
import { recordTiles } from "./sql/tiles.js";
import { DEMO_TILE_SECONDS, TILE_SECONDS, cutTiles, tilePointsFor } from "./tiles.js";

/** Seconds the demo's preparation waits before it looks again whether users' work is done. */
const DEMO_PREPARE_WAIT_SECONDS = 3;

/** Seconds a surface that shares directions waits before it looks again whether they are stored. */
const SHARED_DIRECTIONS_WAIT_SECONDS = 2;

/** Milliseconds of each step, logged at debug level: where a slow preparation spends its time. */
class Phases {
  readonly ms: Record<string, number> = {};
  private start = performance.now();

  end(name: string): void {
    const now = performance.now();
    this.ms[name] = Math.round(now - this.start);
    this.start = now;
  }
}

export async function prepareSurface(deps: ComputeDeps, surfaceId: string): Promise<void> {
  const phases = new Phases();
  const surface = await loadSurface(deps.pool, surfaceId);
  if (surface?.status === "running") {
    // Prepared already (this is a re-run, or the sweeper's): queue what has no job.
    await queueMissingTiles(deps, surface.id);
    return;
  }
  if (!surface || surface.status !== "queued") return; // deleted, cancelled, or done
  if ((await ownerFor(deps.pool, surface.created_by)).key === "demo" && (await usersHaveWork(deps.pool))) {
    // The demo is the lowest-priority owner: its preparation would hold this worker for seconds
    // while users' tiles wait. Look again shortly; waiting is not an attempt.
    await prepareAgainIn(deps, surface, DEMO_PREPARE_WAIT_SECONDS);
    return;
  }
  await whilePreparing(surface.id, () => prepareCounted(deps, surface, phases));
}

/** Queues the surface's preparation again, `seconds` from now. */
async function prepareAgainIn(deps: ComputeDeps, surface: SurfaceRow, seconds: number): Promise<void> {
  await sendJob(deps.queue, "surfacePrepare", { surfaceId: surface.id }, { startAfter: seconds, singletonKey: `${surface.id}:prepare:${Date.now()}`, priority: await preparePriority(deps.pool, surface.created_by) });
}

async function prepareCounted(deps: ComputeDeps, surface: SurfaceRow, phases: Phases): Promise<void> {
  // Counted before the work, so starts whose worker died are counted too.
  const previous = ((await countPrepareStart(deps.pool, surface.id)) ?? 1) - 1;
  if (previous >= (deps.attempts ?? DEFAULT_ATTEMPTS)) {
    await failSurface(deps.pool, surface.id, "INTERNAL_SERVER_ERROR", diedPreparingMessage(previous));
    return;
  }
  await initBackend(deps.backend);
  const model = await loadModelRow(deps, surface.model_id, "the model");
  phases.end("model");

  const plane = await choosePlane(deps, surface, surfaceParamsSchema.parse(surface.params), model);
  if (!plane) {
    // Its directions are made when it is prepared: look again shortly (frames of a series are
    // queued together with the surface they share directions with). Waiting is not an attempt.
    await uncountPrepareStart(deps.pool, surface.id);
    await prepareAgainIn(deps, surface, SHARED_DIRECTIONS_WAIT_SECONDS);
    return;
  }
  phases.end("directions");
  const { dx, dy, params, geometry } = plane;
  geometry.cosine = dy ? cosine(dx, dy) : 0;
  if (surface.kind !== "eigen-ratio") geometry.firstLayerTrick = chooseTrickLayers(model, dx, dy);
  geometry.movedTensors = movedTensors(model, dx, dy);
  const variance = varianceNote(model, { origin: plane.origin, dx, dy }, params.x, dy && params.y ? params.y : undefined);
  geometry.notes = [...model.notes, ...(variance ? [variance] : [])];
  // Directions are stored in the model's own format: any surface can be recomputed from them.
  await storeDirections(deps, surface, plane, model);
  phases.end("stored");

  // Tiles sized from this worker's measured speed on this very surface: a tile takes at most about
  // TILE_SECONDS, so a worker turns to another owner's work within seconds (fair queue).
  const measured = await measurePointSeconds(deps, { ...surface, params, geometry: geometry as SurfaceRow["geometry"] });
  phases.end("measured");
  geometry.pointSeconds = measured.seconds;
  let kept = false;
  try {
    if (!(await checkAnchors(deps, surface, plane, measured.context))) return;
    const queued = await queueTiles(deps, surface, plane, measured.seconds);
    phases.end("queued");
    deps.log.debug({ surfaceId: surface.id, ms: phases.ms }, "surface prepared");
    if (queued) {
      // The measurement's context is the one the tiles need (same stored directions, grid and
      // first-layer trick): this worker's first tile of the surface starts from it.
      keepContext(surface.id, measured.context);
      kept = true;
      await notifySurfaceProgress(deps.pool, surface.id, null);
    }
  } finally {
    if (!kept) measured.context.evaluator.dispose();
  }
}

/**
 * The models the surface names must lie on it as themselves, through the stored directions the
 * tiles will use (the same context): checked once here, or the surface fails (false).
 */
async function checkAnchors(deps: ComputeDeps, surface: SurfaceRow, plane: PlaneChoice, context: SurfaceContext): Promise<boolean> {
  if (plane.anchors.length === 0 || context.kind !== "loss") return true;
  // Positions are checked on the training set (a surface's test set does not change where it runs).
  const evaluator = context.evaluator.train;
  try {
    const checks = await checkModelPositions(context.model, context.prepared, context.loss, { origin: context.origin, dx: plane.dx, dy: plane.dy }, plane.anchors, {}, (points) =>
      evaluator.evaluate(points),
    );
    plane.geometry.modelChecks = checks.map((c) => ({ ...c, accuracy: Number.isFinite(c.accuracy) ? c.accuracy : null, ownAccuracy: Number.isFinite(c.ownAccuracy) ? c.ownAccuracy : null }));
    return true;
  } catch (error) {
    if (!(error instanceof ModelPositionError)) throw error;
    deps.log.error({ surfaceId: surface.id, checks: error.checks }, "surface does not pass through its models");
    await failSurface(deps.pool, surface.id, "INTERNAL_SERVER_ERROR", `The surface was not computed: ${error.message}`);
    return false;
  }
}

/**
 * Tiles, their places in the fair queue, the running status and the tile jobs: all or nothing.
 * False when the surface was no longer queued.
 */
async function queueTiles(deps: ComputeDeps, surface: SurfaceRow, plane: PlaneChoice, pointSeconds: number): Promise<boolean> {
  const { params } = plane;
  const nx = params.x.count;
  const ny = params.y && isPlanar(surface.kind) ? params.y.count : 1;
  const demo = (await ownerFor(deps.pool, surface.created_by)).key === "demo";
  const tiles = cutTiles(nx, ny, tilePointsFor(pointSeconds, demo ? DEMO_TILE_SECONDS : TILE_SECONDS));
  return transaction(deps.pool, async (client) => {
    const started = await markSurfaceRunning(client, surface.id, { tiles: tiles.length, geometry: plane.geometry, backend: deps.backend, fittedParams: plane.fittedParams ? params : null });
    if (!started) return false;
    // Coarse tiles first (they are cut in that order), so the whole picture appears early and then sharpens.
    const tags = await tagWork(client, surface.created_by, tiles.map((t) => tileCost(t.indices.length, pointSeconds)));
    // One statement for the tiles and one for their jobs: a worker in the middle of another
    // surface's tile gives this preparation a turn only between its slices.
    await recordTiles(client, surface.id, tiles.map(({ indices, level }, tile) => ({ tile, level, indices, tag: tags[tile]! })));
    await sendTiles(deps, params.gpu, surface.id, tiles.map((_, tile) => ({ tile, tag: tags[tile]! })), client);
    return true;
  });
}

/**
 * Seconds this worker takes per grid point of the surface: one point to warm up (kernels, the
 * first-layer products), then two timed. The values are thrown away; the context is returned
 * (built from the surface's final parameters and stored directions, as a tile builds it), for
 * the caller to keep or dispose.
 */
async function measurePointSeconds(deps: ComputeDeps, surface: SurfaceRow): Promise<{ seconds: number; context: SurfaceContext }> {
  const context = await buildContext(deps, surface);
  try {
    const point = (i: number) => [context.xs[i % context.xs.length]!, context.ys[Math.floor(context.ys.length / 2)]!];
    await context.evaluator.evaluate(Float64Array.from(point(0)));
    const started = performance.now();
    await context.evaluator.evaluate(Float64Array.from([...point(1), ...point(2)]));
    return { seconds: (performance.now() - started) / 1000 / 2, context };
  } catch (error) {
    context.evaluator.dispose();
    throw error;
  }
}
