/**
 * The plane through A, B and a curve's bend theta (Garipov et al. 2018, Figure 1; the reference's
 * plane.py): the loss surface over it, with the curve and the straight line in its coordinates.
 * The plane is the engine's three-model plane: A at (0, 0), B at (1, 0), dx = B - A and dy the part
 * of theta - A orthogonal to dx, scaled to |dx|. That is the reference's orthonormal basis (u along
 * B - A, v along theta - A made orthogonal to it) with both coordinates divided by |B - A|. A
 * quadratic Bezier curve or a chain through one bend lies in this plane, so its points have exact
 * coordinates; the line is y = 0, from x = 0 to 1.
 *
 * With BatchNorm, as in the reference's plane.py (`utils.update_bn` before each point), the running
 * statistics of every point of the plane are recomputed on the training data at that point's
 * weights (curves.ts's recomputeBatchNorm), never taken from A, B or theta.
 */
import { type Curve, type Endpoints, isParamOf, lossOf, measureAt, recomputeBatchNorm } from "./curves.js";
import { curveCoefficients, curveTs, pointOnCurve } from "./curve-math.js";
import { modelWithWeights } from "./curve-files.js";
import { type Dataset, prepareData } from "./data.js";
import { axisValues } from "./grid.js";
import { EngineInputError } from "./errors.js";
import type { Axis } from "./grid.js";
import { computeSurface, type ModelPosition } from "./surface.js";

export interface CurvePlane {
  readonly xs: number[];
  readonly ys: number[];
  /** Row-major: loss[j * xs.length + i] is at (xs[i], ys[j]). */
  readonly loss: number[];
  readonly accuracy: number[];
  /** A, B and theta in plane coordinates. */
  readonly modelPositions: readonly ModelPosition[];
  /** The curve's points at `points` values of t, in plane coordinates. */
  readonly curve: { t: number; x: number; y: number }[];
  readonly line: { t: number; x: number; y: number }[];
  /** Largest distance of a curve point from the plane, as a fraction of its distance from A (0 up to rounding). */
  readonly offPlane: number;
  /** True when the model has BatchNorm: its statistics were recomputed on the data at every point of the plane. */
  readonly batchNormRecomputed: boolean;
}

/** Sum over parameters (BatchNorm state left out) of u_i v_i, in float64. */
function dotParams(u: readonly Float32Array[], v: readonly Float32Array[], isParam: readonly boolean[]): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) {
    if (!isParam[i]) continue;
    const a = u[i]!;
    const b = v[i]!;
    for (let e = 0; e < a.length; e++) s += a[e]! * b[e]!;
  }
  return s;
}

/** Where theta lies in the plane's coordinates: (<w, u>/|u|^2, |w - that u| / |u|) with u = B - A, w = theta - A. */
export function bendPosition(endpoints: Endpoints, theta: readonly Float32Array[]): { x: number; y: number } {
  const isParam = endpoints.model.params.map((p) => !p.state);
  const u = endpoints.b.map((w, i) => Float32Array.from(w, (v, e) => v - endpoints.a[i]![e]!));
  const w = theta.map((t, i) => Float32Array.from(t, (v, e) => v - endpoints.a[i]![e]!));
  const uu = dotParams(u, u, isParam);
  const x = dotParams(w, u, isParam) / uu;
  return { x, y: Math.sqrt(Math.max(0, dotParams(w, w, isParam) / uu - x * x)) };
}

/**
 * A grid that holds A, B and theta with a margin of a quarter of each side: x from -0.25 to 1.25
 * (wider if theta lies beyond), y from -0.25 s to 1.25 s with s theta's height (at least 0.2).
 */
export function planeAxesFor(endpoints: Endpoints, curve: Curve, count = 21): { x: Axis; y: Axis } {
  const p = bendPosition(endpoints, curve.bends[0]!);
  const lo = Math.min(0, p.x);
  const hi = Math.max(1, p.x);
  const s = Math.max(p.y, 0.2);
  return { x: { min: lo - 0.25 * (hi - lo), max: hi + 0.25 * (hi - lo), count }, y: { min: -0.25 * s, max: 1.25 * s, count } };
}

/**
 * Loss and accuracy on `data` over the plane through A, B and the curve's one bend, on the grid
 * `x` by `y` (default planeAxesFor's), and the curve (at `points` values of t) and the line in its
 * coordinates. Refuses curves with more than one bend (they leave the plane). With BatchNorm each
 * point's statistics are recomputed on `data` (batches of `batchSize`, default 128) first.
 */
export async function curvePlane(endpoints: Endpoints, curve: Curve, data: Dataset, axes: { x: Axis; y: Axis } | null = null, points = 61, batchSize?: number): Promise<CurvePlane> {
  const { model } = endpoints;
  if (curve.bends.length !== 1) throw new EngineInputError("the plane through A, B and theta is drawn for curves with one bend; a curve with more bends leaves that plane");
  const grid = axes ?? planeAxesFor(endpoints, curve);
  if (model.steps.some((s) => s.className === "BatchNormalization")) return batchNormPlane(endpoints, curve, data, grid, points, batchSize);
  const theta = curve.bends[0]!;
  const modelB = await modelWithWeights(model, endpoints.b, "model B");
  const modelC = await modelWithWeights(model, theta, "theta");
  const surface = await computeSurface(model, data, { x: grid.x, y: grid.y, modelB, modelC, runningStats: "move" });
  const { curve: path, offPlane } = curveInPlane(endpoints, curve, surface.dx, surface.dy!, points);
  return {
    xs: Array.from(surface.xs),
    ys: Array.from(surface.ys),
    loss: Array.from(surface.loss),
    accuracy: Array.from(surface.accuracy),
    modelPositions: surface.modelPositions,
    curve: path,
    line: path.map(({ t }) => ({ t, x: t, y: 0 })),
    offPlane,
    batchNormRecomputed: false,
  };
}

/** The curve's points at `points` values of t in the plane's coordinates along dx and dy, and how far off the plane it strays. */
function curveInPlane(endpoints: Endpoints, curve: Curve, dx: readonly Float32Array[], dy: readonly Float32Array[], points: number): { curve: { t: number; x: number; y: number }[]; offPlane: number } {
  const isParam = isParamOf(endpoints.model);
  const xx = dotParams(dx, dx, isParam);
  const yy = dotParams(dy, dy, isParam);
  let offPlane = 0;
  const path = curveTs(points).map((t) => {
    const phi = pointOnCurve(endpoints.a, curve.bends, endpoints.b, curveCoefficients(curve.kind, 1, t), isParam);
    const d = phi.map((w, i) => Float32Array.from(w, (v, e) => v - endpoints.a[i]![e]!));
    const x = dotParams(d, dx, isParam) / xx;
    const y = dotParams(d, dy, isParam) / yy;
    const norm2 = dotParams(d, d, isParam);
    if (norm2 > 0) offPlane = Math.max(offPlane, Math.sqrt(Math.max(0, norm2 - x * x * xx - y * y * yy) / norm2));
    return { t, x, y };
  });
  return { curve: path, offPlane };
}

/**
 * The plane of a model with BatchNorm, point by point: the parameters at A + x dx + y dy (dx = B - A,
 * dy the part of theta - A orthogonal to it scaled to |dx|), the statistics recomputed there on
 * `data`, then loss and accuracy in eval mode, as along the curve.
 */
async function batchNormPlane(endpoints: Endpoints, curve: Curve, data: Dataset, grid: { x: Axis; y: Axis }, points: number, batchSize?: number): Promise<CurvePlane> {
  const { model, a, b } = endpoints;
  const theta = curve.bends[0]!;
  const isParam = isParamOf(model);
  const bend = bendPosition(endpoints, theta);
  if (!(bend.y > 0)) throw new EngineInputError("theta lies on the line through A and B: there is no plane through the three");
  const dx = b.map((w, i) => (isParam[i] ? Float32Array.from(w, (v, e) => v - a[i]![e]!) : new Float32Array(w.length)));
  const dy = theta.map((w, i) => (isParam[i] ? Float32Array.from(w, (v, e) => (v - a[i]![e]! - bend.x * dx[i]![e]!) / bend.y) : new Float32Array(w.length)));
  const { loss, form } = lossOf(model);
  const prepared = prepareData(model, data, loss);
  const xs = axisValues(grid.x);
  const ys = axisValues(grid.y);
  const values = { loss: [] as number[], accuracy: [] as number[] };
  for (const y of ys) {
    for (const x of xs) {
      const at = a.map((w, i) => (isParam[i] ? Float32Array.from(w, (v, e) => v + x * dx[i]![e]! + y * dy[i]![e]!) : w));
      const r = measureAt(model, recomputeBatchNorm(model, at, prepared, form, batchSize), prepared, loss, form);
      values.loss.push(r.loss);
      values.accuracy.push(r.accuracy);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const { curve: path, offPlane } = curveInPlane(endpoints, curve, dx, dy, points);
  return {
    xs: Array.from(xs),
    ys: Array.from(ys),
    ...values,
    modelPositions: [{ name: "A", x: 0, y: 0 }, { name: "B", x: 1, y: 0 }, { name: "C", x: bend.x, y: bend.y }],
    curve: path,
    line: path.map(({ t }) => ({ t, x: t, y: 0 })),
    offPlane,
    batchNormRecomputed: true,
  };
}
