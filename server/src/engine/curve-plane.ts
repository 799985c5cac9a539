/**
 * The plane through A, B and a curve's bend theta (Garipov et al. 2018, Figure 1; the reference's
 * plane.py): the loss surface over it, with the curve and the straight line in its coordinates.
 * The plane is the engine's three-model plane: A at (0, 0), B at (1, 0), dx = B - A and dy the part
 * of theta - A orthogonal to dx, scaled to |dx|. That is the reference's orthonormal basis (u along
 * B - A, v along theta - A made orthogonal to it) with both coordinates divided by |B - A|. A
 * quadratic Bezier curve or a chain through one bend lies in this plane, so its points have exact
 * coordinates; the line is y = 0, from x = 0 to 1.
 */
import type { Curve, Endpoints } from "./curves.js";
import { curveCoefficients, curveTs, pointOnCurve } from "./curve-math.js";
import { modelWithWeights } from "./curve-files.js";
import type { Dataset } from "./data.js";
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
 * `x` by `y` (default planeAxesFor's), and the curve (at `points` values of t) and the line in its coordinates. Refuses
 * curves with more than one bend (they leave the plane) and models with BatchNorm (the plane's
 * points would need their statistics recomputed one by one, as the curve's are).
 */
export async function curvePlane(endpoints: Endpoints, curve: Curve, data: Dataset, axes: { x: Axis; y: Axis } | null = null, points = 61): Promise<CurvePlane> {
  const { model } = endpoints;
  if (curve.bends.length !== 1) throw new EngineInputError("the plane through A, B and theta is drawn for curves with one bend; a curve with more bends leaves that plane");
  if (model.steps.some((s) => s.className === "BatchNormalization")) {
    throw new EngineInputError("the plane through A, B and theta is drawn for models without BatchNorm: each of its points would need BatchNorm's statistics recomputed, as the curve's are");
  }
  const theta = curve.bends[0]!;
  const grid = axes ?? planeAxesFor(endpoints, curve);
  const modelB = await modelWithWeights(model, endpoints.b, "model B");
  const modelC = await modelWithWeights(model, theta, "theta");
  const surface = await computeSurface(model, data, { x: grid.x, y: grid.y, modelB, modelC, runningStats: "move" });
  const isParam = model.params.map((p) => !p.state);
  const dx = surface.dx;
  const dy = surface.dy!;
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
  return {
    xs: Array.from(surface.xs),
    ys: Array.from(surface.ys),
    loss: Array.from(surface.loss),
    accuracy: Array.from(surface.accuracy),
    modelPositions: surface.modelPositions,
    curve: path,
    line: path.map(({ t }) => ({ t, x: t, y: 0 })),
    offPlane,
  };
}
