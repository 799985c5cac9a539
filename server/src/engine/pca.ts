/**
 * PCA directions of a training run (Li et al. 2018, section 7): the first two principal
 * components of M = [theta_1 - theta_n; ...; theta_{n-1} - theta_n], and the projection of every
 * checkpoint onto them, which draws the optimizer's path on the final model's surface.
 */
import type { Direction, IgnoreMode } from "./directions.js";
import { alignModel } from "./directions.js";
import { EngineInputError } from "./errors.js";
import type { LoadedModel } from "./network.js";

export interface PcaResult {
  /** First and second principal directions, unit norm, in the final model's parameter order. */
  readonly dx: Direction;
  readonly dy: Direction;
  /** Fraction of the variance of the centred differences each component explains. */
  readonly explainedVarianceRatio: readonly [number, number];
  /** Each checkpoint's coordinates (a, b) in the plane through the final model. */
  readonly path: readonly { readonly x: number; readonly y: number }[];
}

/** Symmetric eigen-decomposition by cyclic Jacobi rotations (n is the number of checkpoints, small). */
function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}

/**
 * PCA of the checkpoints around `final`. Differences are centred before PCA, as in the authors'
 * code (sklearn's PCA); with ignore "biasbn" (default) biases and BatchNorm parameters are zeroed
 * first, and non-trainable state always is. Needs at least two checkpoints that differ.
 */
export function pcaDirections(final: LoadedModel, checkpoints: readonly LoadedModel[], ignore: IgnoreMode = "biasbn"): PcaResult {
  if (checkpoints.length < 2) throw new EngineInputError("PCA needs at least two checkpoints besides the final model");
  const keep = final.params.map((p) => p.trainable && !(ignore === "biasbn" && (p.role === "bias" || p.role === "batchnorm" || p.shape.length <= 1)));
  const rows = checkpoints.map((c, k) => {
    const theta = alignModel(final, c, `checkpoint ${k + 1}`);
    return theta.map((t, i) => {
      const out = new Float32Array(t.length);
      if (keep[i]) for (let e = 0; e < t.length; e++) out[e] = t[e]! - final.theta[i]![e]!;
      return out;
    });
  });
  const n = rows.length;
  // Centre the rows (subtract their mean), then work with the n x n Gram matrix G = M M^T:
  // its eigenvectors u give the principal directions M^T u / sqrt(lambda) without a p x p matrix.
  const mean = final.params.map((p) => new Float64Array(p.size));
  for (const r of rows) r.forEach((t, i) => { const m = mean[i]!; for (let e = 0; e < t.length; e++) m[e] = m[e]! + t[e]! / n; });
  const centred = rows.map((r) => r.map((t, i) => { const m = mean[i]!; const out = new Float64Array(t.length); for (let e = 0; e < t.length; e++) out[e] = t[e]! - m[e]!; return out; }));
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      centred[a]!.forEach((t, i) => { const u = centred[b]![i]!; for (let e = 0; e < t.length; e++) s += t[e]! * u[e]!; });
      gram[a * n + b] = s;
      gram[b * n + a] = s;
    }
  }
  const { values, vectors } = symmetricEigen(gram, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const totalVariance = [...values].reduce((s, v) => s + Math.max(0, v), 0);
  const component = (k: number): Direction => {
    const idx = order[k]!;
    const lambda = values[idx]!;
    if (!(lambda > 1e-20 * Math.max(1, totalVariance))) throw new EngineInputError("the checkpoints do not span two dimensions (they are identical or collinear)");
    const scale = 1 / Math.sqrt(lambda);
    return final.params.map((p, i) => {
      const out = new Float32Array(p.size);
      for (let r = 0; r < n; r++) {
        const w = vectors[r * n + idx]! * scale;
        const row = centred[r]![i]!;
        for (let e = 0; e < out.length; e++) out[e] = out[e]! + w * row[e]!;
      }
      return out;
    });
  };
  const dx = component(0);
  const dy = component(1);
  // Projections of theta_i - theta_final (uncentred) onto the orthonormal directions.
  const project = (r: Float32Array[], d: Direction) => r.reduce((s, t, i) => { const u = d[i]!; let a = 0; for (let e = 0; e < t.length; e++) a += t[e]! * u[e]!; return s + a; }, 0);
  return {
    dx, dy,
    explainedVarianceRatio: [values[order[0]!]! / totalVariance, values[order[1]!]! / totalVariance],
    path: rows.map((r) => ({ x: project(r, dx), y: project(r, dy) })),
  };
}

/** Share of the path's extent left free on each side of a fitted PCA plane (default of pathAxes). */
export const PATH_MARGIN = 0.25;

/**
 * Ranges of a PCA plane that hold the whole optimizer path: along each axis, the extent of the
 * checkpoints' coordinates and of the final model (the origin), widened on both sides by `margin`
 * times the larger of that axis's extent and a quarter of the other's (so a path that barely moves
 * along PC2 still gets a plane, not a sliver). A path of one point gets the square [-1, 1].
 */
export function pathAxes(path: readonly { readonly x: number; readonly y: number }[], margin = PATH_MARGIN): { x: { min: number; max: number }; y: { min: number; max: number } } {
  let [x0, x1, y0, y1] = [0, 0, 0, 0];
  for (const p of path) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  const ex = x1 - x0;
  const ey = y1 - y0;
  const largest = Math.max(ex, ey);
  if (!(largest > 0)) return { x: { min: -1, max: 1 }, y: { min: -1, max: 1 } };
  const padX = margin * Math.max(ex, largest / 4);
  const padY = margin * Math.max(ey, largest / 4);
  // An axis with no extent is centred on the path.
  const cx = ex > 0 ? 0 : x0;
  const cy = ey > 0 ? 0 : y0;
  return {
    x: ex > 0 ? { min: x0 - padX, max: x1 + padX } : { min: cx - padX, max: cx + padX },
    y: ey > 0 ? { min: y0 - padY, max: y1 + padY } : { min: cy - padY, max: cy + padY },
  };
}
