/**
 * The worker's side of a surface, in three idempotent jobs:
 *   prepare   loads the model(s), builds the plane (seeded random, interpolation or PCA
 *             directions), stores the directions, cuts the grid into coarse-to-fine tiles and,
 *             in one transaction, records the tiles, marks the surface running and queues them
 *             (a re-run of a running surface queues again whatever tiles have no job);
 *   tile      evaluates one tile's points and, in one transaction, records them, counts them
 *             and queues finalize after the last one (a re-run after a worker died finds the
 *             tile done, or overwrites nothing);
 *   finalize  assembles the float32 values file, statistics, critical points and thumbnail
 *             (a re-run writes the same files, and marks the surface ready once).
 * Eigen-ratio maps go through the same three jobs: their plane is prepared as a random plane's (or
 * shared with the plane they map), and each of their tiles runs the engine's EigenRatioEvaluator
 * (lambda_max, lambda_min, |lambda_min / lambda_max| by Lanczos at each point) instead of the
 * SurfaceEvaluator.
 * Work lost with its worker is found by the sweeper (sweeper.ts).
 */
import type pg from "pg";
import type { Pool } from "../db/pool.js";
import { initBackend } from "../engine/backend.js";
import { basinAround, findCriticalPoints } from "../engine/critical-points.js";
import { type Dataset, type PreparedData, prepareData } from "../engine/data.js";
import { type Direction, type DirectionMetadata, alignModel, cosine, encodeDirection, loadDirection } from "../engine/directions.js";
import { EngineInputError } from "../engine/errors.js";
import { chooseTrickLayers, SurfaceEvaluator } from "../engine/evaluator.js";
import { EigenRatioEvaluator } from "../engine/hessian.js";
import { axisValues, coarseToFine } from "../engine/grid.js";
import { floatsOf } from "../domain/values.js";
import type { LossSpec } from "../engine/loss.js";
import type { LoadedModel } from "../engine/network.js";
import { PATH_MARGIN, pathAxes, pcaDirections } from "../engine/pca.js";
import { checkModelPositions, type ModelAnchor, ModelPositionError } from "../engine/model-positions.js";
import { interpolationOrigin, movedTensors, resolveLoss, surfacePlane, varianceNote } from "../engine/surface.js";
import { JOBS, sendJob } from "../jobs/definitions.js";
import type { Logger } from "../logger.js";
import { isPlanar, MAX_STORED_CRITICAL_POINTS, type SurfaceKind, type SurfaceParams, surfaceParamsSchema } from "../domain/surface-params.js";
import type { Queue } from "../queue/queue.js";
import type { ObjectStore } from "../storage/object-store.js";
import { loadStoredDataset, loadStoredModel } from "./artifacts.js";
import { nonConvexity } from "./curvature.js";
import { ownerFor, preparePriority, priorityOf, tagWork, tileCost, usersHaveWork } from "../domain/fair-queue.js";
import { DEFAULT_ATTEMPTS, diedOnTileMessage, diedPreparingMessage, inTransaction, markSurfaceFailed, notifyProgress, queueMissingTiles, sendFinalize, transaction } from "./job-state.js";
import { renderThumbnail } from "./thumbnail.js";

export interface ComputeDeps {
  pool: Pool;
  store: ObjectStore;
  queue: Queue;
  log: Logger;
  workerId: string;
  backend: "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
  /** Starts of a tile or a preparation whose worker died before the surface is failed (default 3). */
  attempts?: number;
  /**
   * Test hook (WORKER_TEST_CRASH_SURFACE), never set in production: the worker process exits
   * when it takes a tile of a surface with this name, as a worker killed by running out of
   * memory would.
   */
  testCrashSurface?: string;
}

interface SurfaceRow {
  id: string;
  project_id: string;
  created_by: string | null;
  name: string;
  kind: SurfaceKind;
  model_id: string;
  model_b_id: string | null;
  dataset_id: string;
  params: unknown;
  status: string;
  geometry: { firstLayerTrick?: string[] } | null;
  points_total: number;
  storage_prefix: string;
}

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

async function loadSurface(pool: Pool, surfaceId: string): Promise<SurfaceRow | undefined> {
  const result = await pool.query<SurfaceRow>(
    `SELECT id, project_id, created_by, name, kind, model_id, model_b_id, dataset_id, params, status, geometry, points_total, storage_prefix FROM surfaces WHERE id = $1`,
    [surfaceId],
  );
  return result.rows[0];
}

async function loadModelRow(deps: ComputeDeps, modelId: string, label: string): Promise<LoadedModel> {
  const row = (await deps.pool.query<{ storage_prefix: string; files: string[] }>(`SELECT storage_prefix, files FROM models WHERE id = $1`, [modelId])).rows[0];
  if (!row) throw new EngineInputError(`${label} was deleted`);
  return loadStoredModel(deps.store, row.storage_prefix, row.files, label);
}

async function loadData(deps: ComputeDeps, datasetId: string, params: SurfaceParams): Promise<Dataset> {
  const row = (
    await deps.pool.query<{ format: "npy" | "csv" | "builtin"; storage_prefix: string | null; files: string[]; label: string | null; channels_last: boolean }>(
      `SELECT format, storage_prefix, files, label, channels_last FROM datasets WHERE id = $1`,
      [datasetId],
    )
  ).rows[0];
  if (!row) throw new EngineInputError("the dataset was deleted");
  return loadStoredDataset(deps.store, { format: row.format, storagePrefix: row.storage_prefix, files: row.files, label: row.label, channelsLast: row.channels_last }, params.samples, params.sampleSeed);
}

/** A checkpoint's weights in the model's parameter order. */
async function checkpointTheta(deps: ComputeDeps, modelId: string, step: number, model: LoadedModel): Promise<Float32Array[]> {
  const row = (await deps.pool.query<{ storage_prefix: string; files: string[] }>(`SELECT storage_prefix, files FROM checkpoints WHERE model_id = $1 AND step = $2`, [modelId, step])).rows[0];
  if (!row) throw new EngineInputError(`the model has no checkpoint at step ${step}`);
  return alignModel(model, await loadStoredModel(deps.store, row.storage_prefix, row.files, `checkpoint at step ${step}`), `checkpoint at step ${step}`);
}

/**
 * What a worker keeps of a surface between its tiles: everything uploaded to the backend once.
 * Loss surfaces hold a SurfaceEvaluator, eigen-ratio maps an EigenRatioEvaluator.
 */
type SurfaceContext = { xs: Float64Array; ys: Float64Array; model: LoadedModel; prepared: PreparedData; loss: LossSpec; origin: readonly Float32Array[] } & (
  | { kind: "loss"; evaluator: SurfaceEvaluator }
  | { kind: "curvature"; evaluator: EigenRatioEvaluator }
);

/** A worker keeps the contexts of the two surfaces it touched last; older ones free their tensors. */
const contexts = new Map<string, Promise<SurfaceContext>>();
const CONTEXTS_KEPT = 2;

async function buildContext(deps: ComputeDeps, surface: SurfaceRow): Promise<SurfaceContext> {
  await initBackend(deps.backend);
  const params = surfaceParamsSchema.parse(surface.params);
  const model = await loadModelRow(deps, surface.model_id, "the model");
  const data = await loadData(deps, surface.dataset_id, params);
  const loss: LossSpec = resolveLoss(model, params.loss ?? undefined);
  const prepared = prepareData(model, data, loss);
  const direction = async (axis: "x" | "y"): Promise<Direction | null> => {
    const bin = await deps.store.get(`${surface.storage_prefix}directions/${axis}/weights.bin`);
    const json = await deps.store.get(`${surface.storage_prefix}directions/${axis}/model.json`);
    if (!bin || !json) return null;
    return loadDirection({ modelJson: json, shards: new Map([["weights.bin", bin]]) }, model, `direction ${axis}`);
  };
  const dx = await direction("x");
  if (!dx) throw new Error(`surface ${surface.id} has no stored x direction`);
  const dy = await direction("y");
  const origin = await originOf(deps, surface, params, model);
  // The first-layer trick's layers were chosen when the surface was prepared: every worker and
  // every re-run does the same arithmetic, so the surface is the same whoever computes it.
  const xs = axisValues(params.x);
  const ys = params.y ? axisValues(params.y) : new Float64Array([0]);
  if (surface.kind === "eigen-ratio") {
    // The Hessian over the parameters the directions move (same ignore and frozen rules); the
    // same seeded Lanczos start at every point, so a point's values do not depend on the worker.
    const evaluator = EigenRatioEvaluator.create(model, prepared, loss, { origin, dx, dy }, { ignore: params.ignore, frozen: params.frozen, steps: params.lanczosSteps, tolerance: params.tolerance, seed: params.seed });
    return { kind: "curvature", evaluator, xs, ys, model, prepared, loss, origin };
  }
  const trickLayers = surface.geometry?.firstLayerTrick ?? chooseTrickLayers(model, dx, dy);
  const evaluator = SurfaceEvaluator.create(model, prepared, loss, { origin, dx, dy }, { trickLayers });
  return { kind: "loss", evaluator, xs, ys, model, prepared, loss, origin };
}

/**
 * Where the surface's plane starts: the model, or the checkpoint it is centred on; for an
 * interpolation that holds model B's running statistics, model A's weights with B's statistics.
 */
async function originOf(deps: ComputeDeps, surface: SurfaceRow, params: SurfaceParams, model: LoadedModel): Promise<readonly Float32Array[]> {
  if (params.checkpointStep !== null) return checkpointTheta(deps, surface.model_id, params.checkpointStep, model);
  if (surface.kind === "interpolation" && params.runningStats === "hold-b" && surface.model_b_id) {
    return interpolationOrigin(model, await loadModelRow(deps, surface.model_b_id, "model B"), params.runningStats);
  }
  return model.theta;
}

function contextFor(deps: ComputeDeps, surface: SurfaceRow): Promise<SurfaceContext> {
  let context = contexts.get(surface.id);
  if (!context) {
    context = buildContext(deps, surface);
    contexts.set(surface.id, context);
    // A failed build is not kept: the next tile tries again.
    context.catch(() => contexts.delete(surface.id));
    while (contexts.size > CONTEXTS_KEPT) forgetSurface(contexts.keys().next().value!);
  }
  return context;
}

/** Keeps a context built elsewhere (by the preparation) for the surface's tiles. */
function keepContext(surfaceId: string, context: SurfaceContext): void {
  forgetSurface(surfaceId);
  contexts.set(surfaceId, Promise.resolve(context));
  while (contexts.size > CONTEXTS_KEPT) forgetSurface(contexts.keys().next().value!);
}

/**
 * Contexts a tile is computing with right now, by surface, with how many tiles use each. A worker
 * runs a preparation (which keeps its context, evicting an older one) and a tile at the same time:
 * a context dropped while in use is freed when its last tile is done with it, not under it.
 */
const inUse = new Map<string, { context: Promise<SurfaceContext>; users: number; dropped: boolean }>();

async function withContext<T>(deps: ComputeDeps, surface: SurfaceRow, work: (context: SurfaceContext) => Promise<T>): Promise<T> {
  const promise = contextFor(deps, surface);
  let use = inUse.get(surface.id);
  if (use?.context !== promise) {
    // A context dropped earlier and still in use stays that tile's; this one is tracked instead.
    if (use) use.dropped = true;
    use = { context: promise, users: 0, dropped: false };
    inUse.set(surface.id, use);
  }
  use.users++;
  const mine = use;
  try {
    return await work(await promise);
  } finally {
    mine.users--;
    if (mine.users === 0) {
      if (inUse.get(surface.id) === mine) inUse.delete(surface.id);
      if (mine.dropped) dispose(mine.context);
    }
  }
}

function dispose(context: Promise<SurfaceContext>): void {
  context.then((c) => c.evaluator.dispose()).catch(() => undefined);
}

/** Frees what this worker holds for a surface (its tensors on the backend), once no tile uses it. */
export function forgetSurface(surfaceId: string): void {
  const context = contexts.get(surfaceId);
  contexts.delete(surfaceId);
  if (!context) return;
  const use = inUse.get(surfaceId);
  if (use?.context === context && use.users > 0) use.dropped = true;
  else dispose(context);
}

/** Marks a surface failed with a code and a message for its owner; later jobs of it do nothing. */
export async function failSurface(pool: Pool, surfaceId: string, code: string, message: string): Promise<void> {
  await markSurfaceFailed(pool, surfaceId, code, message);
  forgetSurface(surfaceId);
}

export async function prepareSurface(deps: ComputeDeps, surfaceId: string): Promise<void> {
  // Milliseconds of each step, logged at debug level: where a slow preparation spends its time.
  const phases: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };
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
    await sendJob(deps.queue, "surfacePrepare", { surfaceId: surface.id }, { startAfter: DEMO_PREPARE_WAIT_SECONDS, singletonKey: `${surface.id}:prepare:${Date.now()}`, priority: await preparePriority(deps.pool, surface.created_by) });
    return;
  }
  preparing.add(surface.id);
  try {
    await prepareCounted(deps, surface, phase, phases);
  } finally {
    preparing.delete(surface.id);
  }
}

/** Surfaces this process is preparing now: a stop hands them back (see handBackInterrupted). */
const preparing = new Set<string>();

/**
 * Work this worker process started and is stopping before it finished (SIGTERM, Ctrl-C): the
 * queue runs it again at once (pg-boss fails a stopping worker's jobs, retried a second later),
 * and here its start is taken back, so an orderly stop does not count as a worker that died on
 * it (COMPUTE_ATTEMPTS). Returns the tiles and preparations handed back.
 */
export async function handBackInterrupted(pool: Pool, workerId: string): Promise<{ tiles: number; preparations: number }> {
  const tiles = await pool.query(
    `UPDATE surface_tiles SET attempts = GREATEST(attempts - 1, 0), worker_id = NULL WHERE worker_id = $1 AND finished_at IS NULL`,
    [workerId],
  );
  const prepared = preparing.size === 0
    ? { rowCount: 0 }
    : await pool.query(`UPDATE surfaces SET prepare_attempts = GREATEST(prepare_attempts - 1, 0) WHERE id = ANY($1::uuid[]) AND status = 'queued'`, [[...preparing]]);
  return { tiles: tiles.rowCount ?? 0, preparations: prepared.rowCount ?? 0 };
}

async function prepareCounted(deps: ComputeDeps, surface: SurfaceRow, phase: (name: string) => void, phases: Record<string, number>): Promise<void> {
  const surfaceId = surface.id;
  // Counted before the work, so starts whose worker died are counted too.
  const started = await deps.pool.query<{ prepare_attempts: number }>(
    `UPDATE surfaces SET prepare_attempts = prepare_attempts + 1 WHERE id = $1 AND status = 'queued' RETURNING prepare_attempts`,
    [surface.id],
  );
  const previous = (started.rows[0]?.prepare_attempts ?? 1) - 1;
  if (previous >= (deps.attempts ?? DEFAULT_ATTEMPTS)) {
    await failSurface(deps.pool, surface.id, "INTERNAL_SERVER_ERROR", diedPreparingMessage(previous));
    return;
  }
  await initBackend(deps.backend);
  let params = surfaceParamsSchema.parse(surface.params);
  let fittedParams = false;
  const model = await loadModelRow(deps, surface.model_id, "the model");
  phase("model");

  let dx: Direction;
  let dy: Direction | null;
  let anchors: readonly ModelAnchor[] = [];
  let origin: readonly Float32Array[] = model.theta;
  const geometry: Record<string, unknown> = {};
  if (params.directionX) {
    // Directions uploaded for the model (PyTorch's own, say), in its format, matched by parameter name.
    const uploaded = async (id: string, axis: "x" | "y"): Promise<Direction> => {
      const row = (await deps.pool.query<{ storage_prefix: string; files: string[] }>(`SELECT storage_prefix, files FROM model_directions WHERE id = $1`, [id])).rows[0];
      if (!row) throw new EngineInputError(`the uploaded ${axis} direction was deleted`);
      const stored = await loadStoredModel(deps.store, row.storage_prefix, row.files, `uploaded ${axis} direction`);
      return alignModel(model, stored, `uploaded ${axis} direction`).map((values, i) => (model.params[i]!.state ? new Float32Array(values.length) : values));
    };
    dx = await uploaded(params.directionX, "x");
    dy = params.directionY && params.y && surface.kind === "plane" ? await uploaded(params.directionY, "y") : null;
  } else if (params.directionsFrom) {
    // Shared directions: the same plane for every surface of a series (over training, say).
    const source = (
      await deps.pool.query<{ storage_prefix: string; geometry: Record<string, unknown> | null; status: string }>(`SELECT storage_prefix, geometry, status FROM surfaces WHERE id = $1`, [
        params.directionsFrom,
      ])
    ).rows[0];
    if (!source) throw new EngineInputError("the surface whose directions were to be shared was deleted");
    if (source.status === "failed" || source.status === "cancelled") throw new EngineInputError(`the surface whose directions were to be shared is ${source.status}`);
    if (source.status === "queued") {
      // Its directions are made when it is prepared: look again shortly (frames of a series are
      // queued together with the surface they share directions with). Waiting is not an attempt.
      await deps.pool.query(`UPDATE surfaces SET prepare_attempts = prepare_attempts - 1 WHERE id = $1`, [surface.id]);
      await sendJob(deps.queue, "surfacePrepare", { surfaceId: surface.id }, { startAfter: 2, singletonKey: `${surface.id}:prepare:${Date.now()}`, priority: await preparePriority(deps.pool, surface.created_by) });
      return;
    }
    const read = async (axis: "x" | "y") => {
      const json = await deps.store.get(`${source.storage_prefix}directions/${axis}/model.json`);
      const bin = await deps.store.get(`${source.storage_prefix}directions/${axis}/weights.bin`);
      return json && bin ? loadDirection({ modelJson: json, shards: new Map([["weights.bin", bin]]) }, model, `direction ${axis}`) : null;
    };
    const x = await read("x");
    if (!x) throw new EngineInputError("the surface whose directions were to be shared has none stored");
    dx = x;
    dy = await read("y");
    if (source.geometry?.explainedVariance) geometry.explainedVariance = source.geometry.explainedVariance;
    geometry.directionsFrom = params.directionsFrom;
  } else if (surface.kind === "pca") {
    const rows = (
      await deps.pool.query<{ step: number; storage_prefix: string; files: string[] }>(
        `SELECT step, storage_prefix, files FROM checkpoints WHERE model_id = $1 ORDER BY step`,
        [surface.model_id],
      )
    ).rows;
    if (rows.length < 2) throw new EngineInputError("a PCA surface needs at least two checkpoints of the model's training run");
    const checkpoints: LoadedModel[] = [];
    for (const row of rows) checkpoints.push(await loadStoredModel(deps.store, row.storage_prefix, row.files, `checkpoint at step ${row.step}`));
    const pca = pcaDirections(model, checkpoints, { ignore: params.ignore, frozen: params.frozen });
    dx = pca.dx;
    dy = pca.dy;
    if (params.fitPath && params.y) {
      // The path is known only now: the plane's ranges follow it, as the grid is laid out next.
      const fitted = pathAxes(pca.path, PATH_MARGIN, params.equalAspect);
      params = { ...params, x: { ...params.x, ...fitted.x }, y: { ...params.y, ...fitted.y } };
      fittedParams = true;
    }
    geometry.explainedVariance = [...pca.explainedVarianceRatio];
    // Paths lie off their PCA plane: say by how much, for every checkpoint, in weight-space units
    // and over the PCA's own tensors, so that distance^2 + x^2 + y^2 = fromFinal^2.
    geometry.path = pca.path.map((point, i) => ({
      step: rows[i]!.step,
      x: point.x,
      y: point.y,
      distance: point.offPlane,
      fromFinal: point.distance,
      offPlaneFraction: point.distance > 0 ? point.offPlane / point.distance : 0,
    }));
  } else {
    const modelB = surface.kind === "interpolation" && surface.model_b_id ? await loadModelRow(deps, surface.model_b_id, "model B") : undefined;
    const plane = surfacePlane(model, {
      x: params.x,
      ...(params.y && (surface.kind === "plane" || surface.kind === "eigen-ratio") ? { y: params.y } : {}),
      ...(modelB ? { modelB } : {}),
      directions: { seed: params.seed, norm: params.norm, ignore: params.ignore, frozen: params.frozen },
      orthogonalize: params.orthogonalize,
      runningStats: params.runningStats,
    });
    dx = plane.dx;
    dy = plane.dy;
    origin = plane.origin;
    anchors = plane.anchors;
    geometry.modelPositions = plane.modelPositions;
  }
  phase("directions");
  geometry.cosine = dy ? cosine(dx, dy) : 0;
  if (surface.kind !== "eigen-ratio") geometry.firstLayerTrick = chooseTrickLayers(model, dx, dy);
  geometry.movedTensors = movedTensors(model, dx, dy);
  const variance = varianceNote(model, { origin, dx, dy }, params.x, dy && params.y ? params.y : undefined);
  geometry.notes = [...model.notes, ...(variance ? [variance] : [])];

  // Directions are stored in the model's own format: any surface can be recomputed from them.
  for (const [axis, direction] of [
    ["x", dx],
    ["y", dy],
  ] as const) {
    if (!direction) continue;
    // A PCA direction is a unit principal component: no seed or normalization went into it.
    const metadata: DirectionMetadata =
      surface.kind === "pca" && !params.directionsFrom
        ? { axis, kind: "pca", ignore: params.ignore, frozen: params.frozen, explainedVarianceRatio: (geometry.explainedVariance as number[] | undefined)?.[axis === "x" ? 0 : 1] }
        : {
            axis, kind: surface.kind === "pca" ? "pca" : surface.kind === "interpolation" ? "interpolation" : "random", seed: params.seed, norm: params.norm, ignore: params.ignore, frozen: params.frozen,
            ...(surface.kind === "interpolation" ? { runningStats: params.runningStats } : {}),
          };
    const files = encodeDirection(model, direction, metadata);
    await deps.store.put(`${surface.storage_prefix}directions/${axis}/model.json`, files.modelJson, "application/json");
    await deps.store.put(`${surface.storage_prefix}directions/${axis}/weights.bin`, files.weightsBin);
  }

  phase("stored");
  const nx = params.x.count;
  const ny = params.y && isPlanar(surface.kind) ? params.y.count : 1;
  // Tiles sized from this worker's measured speed on this very surface: a tile takes at most about
  // TILE_SECONDS, so a worker turns to another owner's work within seconds (fair queue).
  const measured = await measurePointSeconds(deps, { ...surface, params, geometry: geometry as SurfaceRow["geometry"] });
  phase("measured");
  const pointSeconds = measured.seconds;
  geometry.pointSeconds = pointSeconds;
  let kept = false;
  try {
    const context = measured.context;
    if (anchors.length > 0 && context.kind === "loss") {
      // The models the surface names must lie on it as themselves, through the stored directions
      // the tiles will use (the same context): checked once here, or the surface fails.
      const evaluator = context.evaluator;
      try {
        const checks = await checkModelPositions(context.model, context.prepared, context.loss, { origin: context.origin, dx, dy }, anchors, {}, (points) => evaluator.evaluate(points));
        geometry.modelChecks = checks.map((c) => ({ ...c, accuracy: Number.isFinite(c.accuracy) ? c.accuracy : null, ownAccuracy: Number.isFinite(c.ownAccuracy) ? c.ownAccuracy : null }));
      } catch (error) {
        if (!(error instanceof ModelPositionError)) throw error;
        deps.log.error({ surfaceId, checks: error.checks }, "surface does not pass through its models");
        await failSurface(deps.pool, surface.id, "INTERNAL_SERVER_ERROR", `The surface was not computed: ${error.message}`);
        return;
      }
    }
    const demo = (await ownerFor(deps.pool, surface.created_by)).key === "demo";
    const tiles = cutTiles(nx, ny, tilePointsFor(pointSeconds, demo ? DEMO_TILE_SECONDS : TILE_SECONDS));
    // Tiles, their places in the fair queue, the running status and the tile jobs: all or nothing.
    const queued = await transaction(deps.pool, async (client) => {
      const started = await client.query(
        `UPDATE surfaces SET status = 'running', tiles_total = $2, geometry = $3, backend = $4, started_at = now(), params = COALESCE($5::jsonb, params) WHERE id = $1 AND status = 'queued'`,
        [surface.id, tiles.length, JSON.stringify(geometry), deps.backend, fittedParams ? JSON.stringify(params) : null],
      );
      if (started.rowCount === 0) return false;
      // Coarse tiles first (they are cut in that order), so the whole picture appears early and then sharpens.
      const tags = await tagWork(client, surface.created_by, tiles.map((t) => tileCost(t.indices.length, pointSeconds)));
      // One statement for the tiles and one for their jobs: a worker in the middle of another
      // surface's tile gives this preparation a turn only between its slices.
      await client.query(
        `INSERT INTO surface_tiles (surface_id, tile, level, indices, queue_tag)
         SELECT $1, t.tile, t.level, ARRAY(SELECT jsonb_array_elements_text(t.indices)::int), t.tag
           FROM jsonb_to_recordset($2::jsonb) AS t(tile int, level int, indices jsonb, tag bigint)
         ON CONFLICT (surface_id, tile) DO UPDATE SET queue_tag = EXCLUDED.queue_tag`,
        [surface.id, JSON.stringify(tiles.map(({ indices, level }, tile) => ({ tile, level, indices, tag: tags[tile] })))],
      );
      await sendTiles(deps, params.gpu, surface.id, tiles.map((_, tile) => ({ tile, tag: tags[tile]! })), client);
      return true;
    });
    phase("queued");
    deps.log.debug({ surfaceId, ms: phases }, "surface prepared");
    if (queued) {
      // The measurement's context is the one the tiles need (same stored directions, grid and
      // first-layer trick): this worker's first tile of the surface starts from it.
      keepContext(surface.id, measured.context);
      kept = true;
      await notifyProgress(deps.pool, surface.id, null);
    }
  } finally {
    if (!kept) measured.context.evaluator.dispose();
  }
}

/** Seconds the demo's preparation waits before it looks again whether users' work is done. */
const DEMO_PREPARE_WAIT_SECONDS = 3;

/** Seconds one tile should take at most, from the speed measured when the surface is prepared. */
export const TILE_SECONDS = 5;

/**
 * The demo's tiles are shorter: a worker in the middle of one (the usual case on a fresh start,
 * where the demo computes for many minutes) is free for a newcomer's surface sooner.
 */
export const DEMO_TILE_SECONDS = 2;

/** Points per tile so that one takes about `seconds` (default TILE_SECONDS) at `pointSeconds` per point. */
export function tilePointsFor(pointSeconds: number, seconds = TILE_SECONDS): number {
  return Math.max(1, Math.floor(seconds / Math.max(pointSeconds, 1e-6)));
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

/** Tile jobs of one surface in one statement, inside the caller's transaction. */
async function sendTiles(deps: Pick<ComputeDeps, "queue">, gpu: boolean, surfaceId: string, tiles: readonly { tile: number; tag: number }[], client: pg.PoolClient): Promise<void> {
  const job = gpu ? JOBS.surfaceTileGpu : JOBS.surfaceTile;
  const jobs = tiles.map(({ tile, tag }) => ({ data: job.schema.parse({ surfaceId, tile }), priority: priorityOf(tag), singletonKey: `${surfaceId}:${tile}` }));
  await deps.queue.insert(job.name, jobs, { db: inTransaction(client) });
}

export async function runTile(deps: ComputeDeps, surfaceId: string, tile: number): Promise<void> {
  const surface = await loadSurface(deps.pool, surfaceId);
  if (!surface || surface.status !== "running") return;
  const row = (
    await deps.pool.query<{ indices: number[]; attempts: number; failures: number }>(
      `UPDATE surface_tiles SET worker_id = $3, attempts = attempts + 1, started_at = now()
        WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL RETURNING indices, attempts, failures`,
      [surfaceId, tile, deps.workerId],
    )
  ).rows[0];
  if (!row) return; // done already: this is a re-run of a job whose first run finished
  // Earlier starts that neither finished nor reported an error: their worker died.
  const deaths = row.attempts - 1 - row.failures;
  if (deaths >= (deps.attempts ?? DEFAULT_ATTEMPTS)) {
    await failSurface(deps.pool, surfaceId, "INTERNAL_SERVER_ERROR", diedOnTileMessage(tile, deaths));
    return;
  }
  if (deps.testCrashSurface !== undefined && surface.name === deps.testCrashSurface) {
    // Test hook only (see ComputeDeps.testCrashSurface): die as a worker out of memory would.
    deps.log.warn({ surfaceId, tile }, "exiting: test hook WORKER_TEST_CRASH_SURFACE names this surface");
    process.exit(70);
  }
  const record = await withContext(deps, surface, async (context): Promise<{ sql: string; values: Buffer[] }> => {
    const nx = context.xs.length;
    const points = new Float64Array(row.indices.length * 2);
    row.indices.forEach((k, n) => {
      points[2 * n] = context.xs[k % nx]!;
      points[2 * n + 1] = context.ys[Math.floor(k / nx)]!;
    });
    if (context.kind === "curvature") {
      const values = await evaluateMapYielding(context.evaluator, points);
      return {
        sql: `UPDATE surface_tiles SET curvature = $3, finished_at = now() WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL`,
        values: [Buffer.concat([values.lambdaMax, values.lambdaMin, values.ratio, values.steps, values.converged].map((v) => float32Bytes(v)))],
      };
    }
    const values = await evaluateYielding(context.evaluator, points);
    return {
      sql: `UPDATE surface_tiles SET loss = $3, accuracy = $4, finished_at = now() WHERE surface_id = $1 AND tile = $2 AND finished_at IS NULL`,
      values: [float32Bytes(values.loss), float32Bytes(values.accuracy)],
    };
  });
  // The tile's values, the surface's count and, after the last tile, finalize: all or nothing.
  const recorded = await transaction(deps.pool, async (client) => {
    const done = await client.query(record.sql, [surfaceId, tile, ...record.values]);
    if (done.rowCount === 0) return false; // another worker finished it meanwhile
    const progress = (
      await client.query<{ points_done: number; points_total: number }>(
        `UPDATE surfaces SET points_done = points_done + $2 WHERE id = $1 RETURNING points_done, points_total`,
        [surfaceId, row.indices.length],
      )
    ).rows[0];
    if (progress && progress.points_done >= progress.points_total) await sendFinalize(deps, surfaceId, client);
    return true;
  });
  if (recorded) await notifyProgress(deps.pool, surfaceId, tile);
}

/**
 * Longest stretch, in seconds, a worker computes without giving its event loop a turn. Short: a
 * newcomer's surface is prepared on the same event loop between the slices of a tile in flight,
 * and every step of that preparation waits for the next turn.
 */
const SLICE_SECONDS = 0.25;

/**
 * Evaluates a tile's points in slices of about SLICE_SECONDS each, giving the event loop a turn
 * between slices: the engine computes synchronously on CPU backends, and a tile that held the
 * loop for longer than the queue's job heartbeat (10 s) would look dead, be started again
 * elsewhere and count as a worker death. Every point's value is its own sum over the samples in
 * order, so slicing changes no bit.
 */
async function evaluateYielding(evaluator: SurfaceEvaluator, points: Float64Array): Promise<{ loss: Float64Array; accuracy: Float64Array }> {
  const count = points.length / 2;
  const loss = new Float64Array(count);
  const accuracy = new Float64Array(count);
  let done = 0;
  let slice = 1;
  while (done < count) {
    const n = Math.min(slice, count - done);
    const started = performance.now();
    const values = await evaluator.evaluate(points.subarray(2 * done, 2 * (done + n)));
    if (!values) throw new Error("the evaluation stopped before its end");
    loss.set(values.loss, done);
    accuracy.set(values.accuracy, done);
    done += n;
    const perPoint = Math.max((performance.now() - started) / 1000 / n, 1e-6);
    slice = Math.max(1, Math.min(4 * slice, Math.floor(SLICE_SECONDS / perPoint)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { loss, accuracy };
}

/**
 * An eigen-ratio tile point by point (each point is a Lanczos run of many Hessian-vector
 * products), giving the event loop a turn after each, for the same reason as evaluateYielding.
 */
async function evaluateMapYielding(
  evaluator: EigenRatioEvaluator,
  points: Float64Array,
): Promise<{ lambdaMax: Float64Array; lambdaMin: Float64Array; ratio: Float64Array; steps: Float64Array; converged: Float64Array }> {
  const count = points.length / 2;
  const out = { lambdaMax: new Float64Array(count), lambdaMin: new Float64Array(count), ratio: new Float64Array(count), steps: new Float64Array(count), converged: new Float64Array(count) };
  for (let p = 0; p < count; p++) {
    const values = await evaluator.evaluate(points.subarray(2 * p, 2 * p + 2));
    out.lambdaMax[p] = values.lambdaMax[0]!;
    out.lambdaMin[p] = values.lambdaMin[0]!;
    out.ratio[p] = values.ratio[0]!;
    out.steps[p] = values.steps[0]!;
    out.converged[p] = values.converged[0]!;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

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
  const loss = new Float32Array(total).fill(Number.NaN);
  const accuracy = new Float32Array(total).fill(Number.NaN);
  const tiles = await deps.pool.query<{ indices: number[]; loss: Buffer | null; accuracy: Buffer | null }>(
    `SELECT indices, loss, accuracy FROM surface_tiles WHERE surface_id = $1`,
    [surfaceId],
  );
  for (const tile of tiles.rows) {
    if (!tile.loss || !tile.accuracy) return; // not complete yet; the last tile queues us again
    const l = floatsOf(tile.loss);
    const a = floatsOf(tile.accuracy);
    tile.indices.forEach((k, n) => {
      loss[k] = l[n]!;
      accuracy[k] = a[n]!;
    });
  }
  // Every point with its persistence, the most persistent few thousand: the API filters them.
  const criticalPoints = findCriticalPoints(Float64Array.from(loss), xs, ys, { maxPoints: MAX_STORED_CRITICAL_POINTS });
  const spacing = (axis: Float64Array) => (axis.length > 1 ? axis[1]! - axis[0]! : 1);
  const statistics = {
    loss: summarize(loss),
    accuracy: summarize(accuracy),
    nonConvexity: nonConvexity(loss, xs.length, ys.length, spacing(xs), spacing(ys)),
    basin: basinAround(loss, xs, ys),
  };
  // values.bin: the loss grid then the accuracy grid, float32 little-endian, row-major (j * nx + i).
  const bytes = new Uint8Array(total * 8);
  bytes.set(new Uint8Array(loss.buffer), 0);
  bytes.set(new Uint8Array(accuracy.buffer), total * 4);
  await deps.store.put(`${surface.storage_prefix}values.bin`, bytes);
  await deps.store.put(`${surface.storage_prefix}thumbnail.png`, renderThumbnail(loss, xs.length, ys.length), "image/png");
  // Everything the surface keeps counts against its creator's quota.
  const storedBytes = await deps.store.bytesUnder(surface.storage_prefix);
  const done = await deps.pool.query(
    `UPDATE surfaces SET status = 'ready', statistics = $2, critical_points = $3, stored_bytes = $4, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [surfaceId, JSON.stringify(statistics), JSON.stringify(criticalPoints), storedBytes],
  );
  if (done.rowCount) {
    // The tiles' copies are no longer needed: the values file holds them.
    await deps.pool.query(`UPDATE surface_tiles SET loss = NULL, accuracy = NULL WHERE surface_id = $1`, [surfaceId]);
  }
  await notifyProgress(deps.pool, surfaceId, null);
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
  const tiles = await deps.pool.query<{ indices: number[]; curvature: Buffer | null }>(`SELECT indices, curvature FROM surface_tiles WHERE surface_id = $1`, [surface.id]);
  for (const tile of tiles.rows) {
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
  const done = await deps.pool.query(
    `UPDATE surfaces SET status = 'ready', statistics = $2, critical_points = '[]', stored_bytes = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [surface.id, JSON.stringify(statistics), storedBytes],
  );
  if (done.rowCount) await deps.pool.query(`UPDATE surface_tiles SET curvature = NULL WHERE surface_id = $1`, [surface.id]);
  await notifyProgress(deps.pool, surface.id, null);
  forgetSurface(surface.id);
}

function summarize(values: Float32Array): { min: number | null; max: number | null; mean: number | null } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    n++;
  }
  return n === 0 ? { min: null, max: null, mean: null } : { min, max, mean: sum / n };
}

function float32Bytes(values: Float64Array): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}
