/**
 * computeSurface: the engine's entry point. A surface evaluates, over a grid of (a, b),
 *   2D plane      f(a, b) = L(theta + a*dx + b*dy)                 (Li et al. 2018, eq. 1 and 2)
 *   1D slice      f(a)    = L(theta + a*dx)
 *   interpolation f(t)    = L((1 - t)*thetaA + t*thetaB) = L(thetaA + t*(thetaB - thetaA))
 *   three models  the plane through thetaA, thetaB, thetaC (A at (0,0), B at (1,0)),
 * with loss and accuracy at every point, over the whole dataset or a stated subset.
 */
import { activeBackend, type BackendName, type BackendRequest, initBackend } from "./backend.js";
import { type CriticalPoint, defaultMinPersistenceOf, findCriticalPoints } from "./critical-points.js";
import { type Dataset, prepareData } from "./data.js";
import {
  alignModel, cosine, difference, type Direction, type DirectionMetadata, type DirectionOptions, dot, orthogonalize, randomDirection,
} from "./directions.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { chooseTrickLayers, type EvaluatorOptions, type PointValues, SurfaceEvaluator } from "./evaluator.js";
import { checkModelPositions, type ModelAnchor, type ModelCheck } from "./model-positions.js";
import { type Axis, axisValues, checkAxis, coarseToFine } from "./grid.js";
import { type LossSpec, parseLoss } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { DEFAULT_RUNNING_STATS, RUNNING_STATS, type RunningStats } from "./options.js";
import { WorkerPool } from "./workers.js";

export type SurfaceKind = "2d" | "1d" | "interpolation" | "three-model";

export interface SurfaceOptions extends EvaluatorOptions {
  /** x coordinates (a, or t for interpolation). */
  readonly x: Axis;
  /** y coordinates (b); present for 2D and three-model surfaces, absent for 1D ones. */
  readonly y?: Axis;
  /** Interpolate from the model to this one (1D), or with modelC span a plane. */
  readonly modelB?: LoadedModel;
  readonly modelC?: LoadedModel;
  /**
   * Interpolations and three-model planes: what BatchNorm's running statistics do between the
   * models; default "move" (see running-stats.ts).
   */
  readonly runningStats?: RunningStats;
  /** Loss; default the model's training-config loss. A string is any Keras/TF.js spelling. */
  readonly loss?: LossSpec | string;
  /** Given directions (e.g. loaded from files or PCA); missing ones are drawn at random. */
  readonly dx?: Direction;
  readonly dy?: Direction;
  /** Seed, normalization and ignore of random directions (defaults 0, "filter", "biasbn"). */
  readonly directions?: DirectionOptions;
  /** Make dy orthogonal to dx (Gram-Schmidt); default false. */
  readonly orthogonalize?: boolean;
  /** Backend; default "auto". Ignored if one is already running and this is "auto". */
  readonly backend?: BackendRequest;
  /** Worker processes; default 1 (in this process). */
  readonly workers?: number;
  /** Points per tile (one read-back and one progress step each); default about 1/50 of the grid. */
  readonly tileSize?: number;
  /** Basin threshold for critical points; see CriticalPointOptions. */
  readonly basinThreshold?: number;
  /**
   * Report critical points of at least this persistence (loss units); default
   * DEFAULT_PERSISTENCE_FRACTION of the surface's capped loss range (defaultMinPersistence). 0
   * reports all of them.
   */
  readonly minPersistence?: number;
}

export interface SurfaceProgress {
  /** Points finished and the total. */
  readonly done: number;
  readonly total: number;
  /** Refinement level of the tile just finished (0 = coarsest) and the number of levels. */
  readonly level: number;
  readonly levels: number;
}

export interface SurfaceTile {
  /** Flat grid indices (j*nx + i) of the tile's points and their values. */
  readonly indices: Int32Array;
  readonly loss: Float64Array;
  readonly accuracy: Float64Array;
}

export interface SurfaceCallbacks {
  /** After every tile. */
  readonly onProgress?: (progress: SurfaceProgress) => void;
  /** After every tile, with its values: a caller can draw the coarse picture early. */
  readonly onTile?: (tile: SurfaceTile) => void;
  /** Aborting stops the computation at the next tile (or batch) and rejects with SurfaceCancelledError. */
  readonly signal?: AbortSignal;
}

export interface SurfaceResult {
  readonly kind: SurfaceKind;
  readonly xs: Float64Array;
  /** [0] for 1D surfaces. */
  readonly ys: Float64Array;
  /** Row-major, ys.length rows of xs.length: loss[j*nx + i] is at (xs[i], ys[j]). */
  readonly loss: Float64Array;
  /** Fraction correct per point, NaN for regression losses. */
  readonly accuracy: Float64Array;
  readonly lossSpec: LossSpec;
  readonly origin: readonly Float32Array[];
  readonly dx: Direction;
  readonly dy: Direction | null;
  readonly directionMetadata: { readonly x: DirectionMetadata; readonly y: DirectionMetadata | null };
  /** Cosine between dx and dy (0 for 1D surfaces). */
  readonly cosine: number;
  /** Where the models lie in plane coordinates (interpolation and three-model surfaces). */
  readonly modelPositions: readonly ModelPosition[];
  /** Each model whose own state lies on the surface: its value there and its own loss and accuracy, checked equal. */
  readonly modelChecks: readonly ModelCheck[];
  readonly criticalPoints: CriticalPoint[];
  readonly samples: number;
  readonly backend: BackendName;
  readonly workers: number;
  /** Layers evaluated with the first-layer linearity trick. */
  readonly trickLayers: readonly string[];
  /** Names of the parameter tensors the surface moves (a non-zero dx or dy), in model order. */
  readonly movedTensors: readonly string[];
  /** What the user should know about this surface (clamped BatchNorm variances, the model's load notes). */
  readonly notes: readonly string[];
  /** Milliseconds: setup (directions, upload), points, and everything. */
  readonly timings: { readonly setupMs: number; readonly computeMs: number; readonly totalMs: number; readonly pointsPerSecond: number };
}

/**
 * Where a model lies in plane coordinates. `runningStatsOf` is set when the network at that point
 * is not the model itself: its weights with another model's BatchNorm running statistics (see
 * running-stats.ts, hold-a and hold-b).
 */
export interface ModelPosition {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly runningStatsOf?: string;
}

/** The plane or line a surface lies in, and what to record about its directions. */
export interface SurfacePlane {
  readonly kind: SurfaceKind;
  readonly origin: readonly Float32Array[];
  readonly dx: Direction;
  readonly dy: Direction | null;
  readonly metadata: { readonly x: DirectionMetadata; readonly y: DirectionMetadata | null };
  readonly modelPositions: ModelPosition[];
  /** The models the surface names whose own state lies on it: their values are checked (model-positions.ts). */
  readonly anchors: ModelAnchor[];
}

/**
 * The models of an interpolation or three-model plane as the plane moves them: with `move` their
 * own states; with hold-a / hold-b every model's BatchNorm running statistics replaced by model A's
 * / model B's (index 0 / 1 of `thetas`).
 */
function statesUnder(model: LoadedModel, thetas: readonly (readonly Float32Array[])[], stats: RunningStats): (readonly Float32Array[])[] {
  if (stats === "move") return [...thetas];
  const source = thetas[stats === "hold-a" ? 0 : 1]!;
  return thetas.map((theta) => theta.map((t, i) => (model.params[i]!.state ? source[i]! : t)));
}

/** The origin of an interpolation from `model` to `modelB` under `stats`: model A, or A's weights with B's statistics (hold-b). */
export function interpolationOrigin(model: LoadedModel, modelB: LoadedModel, stats: RunningStats): readonly Float32Array[] {
  return statesUnder(model, [model.theta, alignModel(model, modelB, "model B")], stats)[0]!;
}

function sameValues(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return a.every((x, i) => {
    const y = b[i]!;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
    return true;
  });
}

/** Builds the plane for the options: given or random directions, or the models' differences. */
export function surfacePlane(model: LoadedModel, options: SurfaceOptions): SurfacePlane {
  const d = options.directions ?? {};
  const random = { kind: "random" as const, seed: d.seed ?? 0, norm: d.norm ?? "filter", ignore: d.ignore ?? "biasbn", frozen: d.frozen ?? "move" };
  if (options.modelB) {
    const stats = options.runningStats ?? DEFAULT_RUNNING_STATS;
    if (!RUNNING_STATS.includes(stats)) throw new EngineInputError(`unknown running statistics mode "${stats}" (choose one of ${RUNNING_STATS.join(", ")})`);
    const own = [model.theta, alignModel(model, options.modelB, "model B"), ...(options.modelC ? [alignModel(model, options.modelC, "model C")] : [])];
    const moved = statesUnder(model, own, stats);
    const origin = moved[0]!;
    const u = difference(origin, moved[1]!);
    const names = ["A", "B", "C"];
    // A model lies on the plane as itself only when the plane leaves its running statistics its own.
    const position = (k: number, x: number, y: number): ModelPosition =>
      sameValues(moved[k]!, own[k]!) ? { name: names[k]!, x, y } : { name: names[k]!, x, y, runningStatsOf: stats === "hold-a" ? "A" : "B" };
    const anchorsOf = (positions: ModelPosition[]): ModelAnchor[] =>
      positions.flatMap((p, k) => (p.runningStatsOf === undefined ? [{ name: p.name, x: p.x, y: p.y, theta: own[k]! }] : []));
    if (!options.modelC) {
      if (options.y) throw new EngineInputError("an interpolation between two models is 1D: leave out --y (or give --model-c for a plane)");
      const modelPositions = [position(0, 0, 0), position(1, 1, 0)];
      return {
        kind: "interpolation", origin, dx: u, dy: null, metadata: { x: { axis: "x", kind: "interpolation", runningStats: stats }, y: null },
        modelPositions, anchors: anchorsOf(modelPositions),
      };
    }
    if (!options.y) throw new EngineInputError("a plane through three models needs --y");
    const v = difference(origin, moved[2]!);
    // dy: the part of C - A orthogonal to B - A, scaled to |B - A| so the plane is not distorted.
    const uu = dot(u, u);
    if (uu === 0) throw new EngineInputError("models A and B are identical; they do not span a plane");
    const cx = dot(u, v) / uu;
    const perp = orthogonalize(u, v);
    const perpNorm = Math.sqrt(dot(perp, perp));
    if (perpNorm === 0) throw new EngineInputError("the three models lie on one line; they do not span a plane");
    const scale = Math.sqrt(uu) / perpNorm;
    const dy = perp.map((p) => p.map((e) => e * scale));
    const modelPositions = [position(0, 0, 0), position(1, 1, 0), position(2, cx, 1 / scale)];
    return {
      kind: "three-model", origin, dx: u, dy,
      metadata: { x: { axis: "x", kind: "three-model", runningStats: stats }, y: { axis: "y", kind: "three-model", runningStats: stats } },
      modelPositions, anchors: anchorsOf(modelPositions),
    };
  }
  const dx = options.dx ?? randomDirection(model, d, 0);
  const xMeta: DirectionMetadata = options.dx ? { axis: "x", kind: "random", given: true } : { axis: "x", ...random };
  if (!options.y) return { kind: "1d", origin: model.theta, dx, dy: null, metadata: { x: xMeta, y: null }, modelPositions: [], anchors: [] };
  let dy = options.dy ?? randomDirection(model, d, 1);
  if (options.orthogonalize) dy = orthogonalize(dx, dy);
  const yMeta: DirectionMetadata = options.dy ? { axis: "y", kind: "random", given: true } : { axis: "y", ...random };
  return { kind: "2d", origin: model.theta, dx, dy, metadata: { x: xMeta, y: { ...yMeta, orthogonalized: options.orthogonalize === true } }, modelPositions: [], anchors: [] };
}

/** Names of the parameters with a non-zero direction on the plane. */
export function movedTensors(model: LoadedModel, dx: Direction, dy: Direction | null): string[] {
  const moves = (d: Float32Array | undefined) => d !== undefined && d.some((v) => v !== 0);
  return model.params.filter((_, i) => moves(dx[i]) || moves(dy?.[i])).map((p) => p.name);
}

/**
 * A note when the plane makes some BatchNorm moving variance negative inside the grid (an
 * interpolation or three-model plane beyond its models: (1 - t) vA + t vB < 0 for t outside
 * [0, 1]); the evaluator clamps variances at 0 (see evaluator.ts). The variance is linear in
 * (a, b), so its minimum over the grid is at a corner.
 */
export function varianceNote(model: LoadedModel, plane: { origin: readonly Float32Array[]; dx: Direction; dy: Direction | null }, x: Axis, y: Axis | undefined): string | null {
  const corners = [x.min, x.max].flatMap((a) => (y && plane.dy ? [y.min, y.max] : [0]).map((b) => [a, b] as const));
  const layers = new Set<string>();
  model.params.forEach((p, i) => {
    if (p.key !== "moving_variance") return;
    const o = plane.origin[i]!;
    const dx = plane.dx[i]!;
    const dy = plane.dy?.[i];
    for (let k = 0; k < o.length && !layers.has(p.layerName); k++) {
      for (const [a, b] of corners) if (o[k]! + a * dx[k]! + b * (dy?.[k] ?? 0) < 0) layers.add(p.layerName);
    }
  });
  if (layers.size === 0) return null;
  return `BatchNorm moving variance would be negative on part of the grid in ${[...layers].join(", ")}; it is clamped at 0 there (the variance of a model is never negative)`;
}

/** The loss to use: the option, else the model's training config; throws if neither. */
export function resolveLoss(model: LoadedModel, loss: LossSpec | string | undefined): LossSpec {
  if (typeof loss === "string") return parseLoss(loss);
  if (loss) return loss;
  if (model.trainingLoss) return model.trainingLoss;
  throw new EngineInputError("the model's model.json names no (known) loss in its training config; choose one with --loss");
}

/**
 * Computes a surface of `model` over `data`. Units: coordinates are multiples of the directions
 * (for interpolation, t in model-A-to-B units); loss is the mean per-sample loss, accuracy a fraction.
 * Defaults: random filter-normalized directions with seed 0, biasbn ignored, the model's own loss,
 * auto backend, one process. Throws EngineInputError for bad input, SurfaceCancelledError on abort.
 */
export async function computeSurface(model: LoadedModel, data: Dataset, options: SurfaceOptions, callbacks: SurfaceCallbacks = {}): Promise<SurfaceResult> {
  const started = performance.now();
  checkAxis(options.x, "x axis");
  if (options.y) checkAxis(options.y, "y axis");
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new EngineInputError(`workers must be an integer from 1 to 64 (got ${workers})`);
  const lossSpec = resolveLoss(model, options.loss);
  const prepared = prepareData(model, data, lossSpec);
  const plane = surfacePlane(model, options);
  const backend = options.backend === undefined || options.backend === "auto" ? activeBackend() ?? (await initBackend("auto")) : await initBackend(options.backend);

  const xs = axisValues(options.x);
  const ys = plane.dy && options.y ? axisValues(options.y) : new Float64Array([0]);
  const nx = xs.length;
  const ny = ys.length;
  const total = nx * ny;
  const { order, levelEnds } = coarseToFine(nx, ny);
  const tileSize = Math.max(1, options.tileSize ?? Math.ceil(total / 50));
  // Tiles never straddle two levels, so each level's picture completes before the next starts.
  // With several workers the last tiles shrink (to a share of what is left), so the workers
  // finish together instead of one computing a whole tile while the others wait.
  const sizeAt = (s: number) => (workers === 1 ? tileSize : Math.min(tileSize, Math.max(1, Math.ceil((total - s) / (2 * workers)))));
  const tiles: { indices: Int32Array; level: number }[] = [];
  let start = 0;
  levelEnds.forEach((end, level) => {
    for (let s = start; s < end; s += sizeAt(s)) tiles.push({ indices: order.slice(s, Math.min(end, s + sizeAt(s))), level });
    start = end;
  });
  const pointsOf = (indices: Int32Array) => {
    const p = new Float64Array(indices.length * 2);
    indices.forEach((k, n) => {
      p[2 * n] = xs[k % nx]!;
      p[2 * n + 1] = ys[Math.floor(k / nx)]!;
    });
    return p;
  };

  const loss = new Float64Array(total).fill(Number.NaN);
  const accuracy = new Float64Array(total).fill(Number.NaN);
  let done = 0;
  const aborted = () => callbacks.signal?.aborted === true;
  const record = (tileIndex: number, values: PointValues) => {
    const tile = tiles[tileIndex]!;
    tile.indices.forEach((k, n) => {
      loss[k] = values.loss[n]!;
      accuracy[k] = values.accuracy[n]!;
    });
    done += tile.indices.length;
    callbacks.onTile?.({ indices: tile.indices, loss: values.loss, accuracy: values.accuracy });
    callbacks.onProgress?.({ done, total, level: tile.level, levels: levelEnds.length });
  };

  // One arithmetic per surface: the first-layer trick's layers are chosen once, here, and every
  // process follows the choice.
  let trickLayers: readonly string[] = options.trickLayers ?? chooseTrickLayers(model, plane.dx, plane.dy, options.firstLayerTrick ?? "auto");
  let setupMs = 0;
  const evaluatorOptions: EvaluatorOptions = {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
    ...(options.foldBatchNorm === undefined ? {} : { foldBatchNorm: options.foldBatchNorm }),
    trickLayers,
  };
  if (workers === 1) {
    const evaluator = SurfaceEvaluator.create(model, prepared, lossSpec, plane, evaluatorOptions);
    try {
      setupMs = performance.now() - started;
      for (const [t, tile] of tiles.entries()) {
        // Let timers and abort events run between tiles: TF.js ops on wasm/cpu block the thread.
        await new Promise((resolve) => setImmediate(resolve));
        if (aborted()) throw new SurfaceCancelledError();
        const values = await evaluator.evaluate(pointsOf(tile.indices), aborted);
        if (values === null) throw new SurfaceCancelledError();
        if (t === 0) trickLayers = [...evaluator.trickLayers];
        record(t, values);
      }
    } finally {
      evaluator.dispose();
    }
  } else {
    const pool = await WorkerPool.start(workers, {
      backend, artifacts: model.artifacts, data: prepared, loss: lossSpec,
      origin: plane.origin, dx: plane.dx, dy: plane.dy, options: evaluatorOptions,
    });
    setupMs = performance.now() - started;
    const onAbort = () => pool.close();
    callbacks.signal?.addEventListener("abort", onAbort);
    try {
      trickLayers = pool.trickLayers;
      await pool.run(tiles.map((t) => pointsOf(t.indices)), record, aborted);
    } catch (error) {
      if (aborted()) throw new SurfaceCancelledError();
      throw error;
    } finally {
      callbacks.signal?.removeEventListener("abort", onAbort);
      pool.close();
    }
    if (aborted()) throw new SurfaceCancelledError();
  }
  const computeMs = performance.now() - started - setupMs;
  // The models the surface names lie on it as themselves, or it is not returned.
  const modelChecks = await checkModelPositions(model, prepared, lossSpec, plane, plane.anchors, { ...evaluatorOptions, trickLayers });
  const criticalPoints = findCriticalPoints(loss, xs, ys, {
    ...(options.basinThreshold === undefined ? {} : { basinThreshold: options.basinThreshold }),
    minPersistence: options.minPersistence ?? defaultMinPersistenceOf(loss),
  });
  const totalMs = performance.now() - started;
  return {
    kind: plane.kind, xs, ys, loss, accuracy, lossSpec,
    origin: plane.origin, dx: plane.dx, dy: plane.dy, directionMetadata: plane.metadata,
    cosine: plane.dy ? cosine(plane.dx, plane.dy) : 0,
    modelPositions: plane.modelPositions, modelChecks,
    criticalPoints, samples: prepared.count, backend, workers, trickLayers,
    movedTensors: movedTensors(model, plane.dx, plane.dy),
    notes: [...model.notes, ...[varianceNote(model, plane, options.x, options.y)].filter((n): n is string => n !== null)],
    timings: { setupMs, computeMs, totalMs, pointsPerSecond: total / (computeMs / 1000) },
  };
}
