/**
 * The arithmetic of curves between two models, without TF.js (Garipov et al. 2018, eq. 2-4): the
 * coefficients c_j(t) of a curve's control points w_0 = A, w_1 .. w_{k-1} (the bends), w_k = B, so
 * that the point on the curve is phi(t) = sum_j c_j(t) w_j, for every parameter tensor alike.
 *
 * - Bezier of degree k: c_j(t) = binom(k, j) t^j (1 - t)^(k - j); with one bend,
 *   phi(t) = (1 - t)^2 A + 2 t (1 - t) theta + t^2 B.
 * - Polygonal chain through k - 1 bends at t = j / k: c_j(t) = max(0, 1 - |k t - j|), the hat
 *   functions of the reference's PolyChain (A -> theta -> B for one bend).
 *
 * BatchNorm's running statistics are not control points: they are recomputed at each t
 * (curves.ts), so only parameters (`!param.state`) lie on the curve.
 */
import type { CurveKind } from "./options.js";

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** c_0(t) .. c_k(t) for a curve with `bends` bends (k = bends + 1); t in [0, 1]. */
export function curveCoefficients(kind: CurveKind, bends: number, t: number): Float64Array {
  const k = bends + 1;
  const c = new Float64Array(k + 1);
  for (let j = 0; j <= k; j++) {
    c[j] = kind === "bezier" ? binomial(k, j) * t ** j * (1 - t) ** (k - j) : Math.max(0, 1 - Math.abs(k * t - j));
  }
  return c;
}

/**
 * The bends' starting values: bend j at the point j / k of the segment A -> B (the reference's
 * `init_linear`), so the untrained curve is the straight line. One array of tensors per bend, in
 * the model's parameter order; `isParam[i]` false (BatchNorm state) gives A's values, never used.
 */
export function initialBends(a: readonly Float32Array[], b: readonly Float32Array[], bends: number, isParam: readonly boolean[]): Float32Array[][] {
  const k = bends + 1;
  return Array.from({ length: bends }, (_, jm) => {
    const alpha = (jm + 1) / k;
    return a.map((wa, i) => {
      if (!isParam[i]) return new Float32Array(wa);
      const wb = b[i]!;
      const out = new Float32Array(wa.length);
      for (let e = 0; e < wa.length; e++) out[e] = (1 - alpha) * wa[e]! + alpha * wb[e]!;
      return out;
    });
  });
}

/**
 * phi(t) for every parameter: sum_j c_j w_j summed in float64, stored in float32. Entries with
 * `isParam[i]` false (BatchNorm's running statistics) are A's, to be recomputed by the caller.
 */
export function pointOnCurve(
  a: readonly Float32Array[],
  bends: readonly (readonly Float32Array[])[],
  b: readonly Float32Array[],
  coefficients: ArrayLike<number>,
  isParam: readonly boolean[],
): Float32Array[] {
  const points = [a, ...bends, b];
  return a.map((wa, i) => {
    if (!isParam[i]) return new Float32Array(wa);
    const out = new Float32Array(wa.length);
    for (let e = 0; e < wa.length; e++) {
      let s = 0;
      for (let j = 0; j < points.length; j++) s += coefficients[j]! * points[j]![i]![e]!;
      out[e] = s;
    }
    return out;
  });
}

/** The evenly spaced values of t at which a curve is evaluated, 0 and 1 included. */
export function curveTs(points: number): number[] {
  return Array.from({ length: points }, (_, i) => i / (points - 1));
}

/**
 * Barrier height of a path (Draxler et al. 2018; Garipov et al. 2018): the highest value along it
 * minus the mean of its two endpoints' values. Of a loss: max - mean(ends); of an accuracy (higher
 * is better): mean(ends) - min.
 */
export function barrier(values: readonly number[], higherIsBetter = false): number {
  const ends = (values[0]! + values[values.length - 1]!) / 2;
  return higherIsBetter ? ends - Math.min(...values) : Math.max(...values) - ends;
}
