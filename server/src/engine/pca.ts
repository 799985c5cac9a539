/**
 * PCA directions of a training run (Li et al. 2018, section 7; the authors' projection.py): the
 * first two principal components of M = [theta_1 - theta_n; ...; theta_{n-1} - theta_n] over the
 * parameters a random direction would move (directionCovers), and the projection of every
 * checkpoint onto them, which draws the optimizer's path on the final model's surface.
 *
 * Everything here lives in the PCA's own space, the tensors it covers: with d_i = theta_i -
 * theta_final over those tensors and u, v the unit components,
 *   x_i = <d_i, u>,  y_i = <d_i, v>,  off_i = ||d_i - x_i u - y_i v||,
 * so that off_i^2 + x_i^2 + y_i^2 = ||d_i||^2, and each component's explained variance ratio is
 * the variance of the path's coordinates on it over the total variance of the centred rows.
 */
import type { Direction } from "./directions.js";
import { alignModel, directionCovers } from "./directions.js";
import { FROZEN_MODES, type FrozenMode, IGNORE_MODES, type IgnoreMode } from "./options.js";
import { EngineInputError } from "./errors.js";
import type { LoadedModel } from "./model-types.js";

/** One checkpoint seen from the final model, in the PCA's space (the tensors it covers). */
export interface PcaPoint {
  /** Coordinates on the unit components: x = <theta_i - theta_final, PC1>, y likewise on PC2. */
  readonly x: number;
  readonly y: number;
  /** ||theta_i - theta_final|| over the PCA's tensors. */
  readonly distance: number;
  /** ||theta_i - theta_final - x PC1 - y PC2||: how far the checkpoint lies off the plane. */
  readonly offPlane: number;
}

export interface PcaOptions {
  /** biasbn (default): biases and BatchNorm parameters take no part; none: they do. */
  readonly ignore?: IgnoreMode;
  /** move (default): weights of frozen layers take part (they do not change in training anyway); still: they do not. */
  readonly frozen?: FrozenMode;
}

export interface PcaResult {
  /** First and second principal directions, unit norm, in the final model's parameter order (zero outside `covered`). */
  readonly dx: Direction;
  readonly dy: Direction;
  /** Fraction of the variance of the centred differences each component explains. */
  readonly explainedVarianceRatio: readonly [number, number];
  /** Sum of squared norms of the centred rows (n times the total variance, in weight units squared). */
  readonly totalVariance: number;
  /** Each checkpoint's coordinates in the plane through the final model, with its distances. */
  readonly path: readonly PcaPoint[];
  /** Per parameter of the final model: whether the PCA covers it (directionCovers under the options). */
  readonly covered: readonly boolean[];
  /** The options the PCA ran with, defaults filled in. */
  readonly options: { readonly ignore: IgnoreMode; readonly frozen: FrozenMode };
}

/** Symmetric eigen-decomposition by cyclic Jacobi rotations (n is the number of checkpoints, small). */
function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  // Converged when the off-diagonal mass is at rounding level relative to the whole matrix
  // (checkpoint differences can be tiny, so no absolute threshold).
  const scale = m.reduce((s, x) => s + x * x, 0);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (!(off > 1e-30 * scale)) break;
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
 * PCA of the checkpoints around `final`, as the authors' projection.py does it: rows theta_i -
 * theta_final over the covered parameters, centred (sklearn's PCA subtracts the rows' mean), the
 * first two components as unit directions (no filter normalization), and the uncentred rows
 * projected onto them. Arithmetic is float64 throughout; the directions are rounded to float32
 * only in the returned Direction. Needs at least two checkpoints that span two dimensions.
 */
export function pcaDirections(final: LoadedModel, checkpoints: readonly LoadedModel[], options: IgnoreMode | PcaOptions = {}): PcaResult {
  const { ignore = "biasbn", frozen = "move" } = typeof options === "string" ? { ignore: options } : options;
  if (!IGNORE_MODES.includes(ignore)) throw new EngineInputError(`unknown ignore "${ignore}" (choose one of ${IGNORE_MODES.join(", ")})`);
  if (!FROZEN_MODES.includes(frozen)) throw new EngineInputError(`unknown frozen "${frozen}" (choose one of ${FROZEN_MODES.join(", ")})`);
  if (checkpoints.length < 2) throw new EngineInputError("PCA needs at least two checkpoints besides the final model");
  const covered = final.params.map((p) => directionCovers(p, ignore, frozen));
  const used = covered.flatMap((c, i) => (c ? [i] : []));
  if (used.length === 0) throw new EngineInputError(`with ignore "${ignore}" and frozen "${frozen}" the PCA covers no parameter of the model`);
  // Rows d_i = theta_i - theta_final, float64, one array per covered parameter.
  const rows = checkpoints.map((c, k) => {
    const theta = alignModel(final, c, `checkpoint ${k + 1}`);
    return used.map((i) => {
      const t = theta[i]!;
      const origin = final.theta[i]!;
      return Float64Array.from(t, (w, e) => w - origin[e]!);
    });
  });
  const n = rows.length;
  const dot = (a: readonly Float64Array[], b: readonly Float64Array[]) => {
    let s = 0;
    for (let j = 0; j < a.length; j++) {
      const u = a[j]!;
      const v = b[j]!;
      for (let e = 0; e < u.length; e++) s += u[e]! * v[e]!;
    }
    return s;
  };
  // Gram matrix G = M M^T of the uncentred rows, then centred in place: with J = I - 11^T/n the
  // centred rows are J M, whose Gram matrix is J G J. Its eigenvectors w give the principal
  // directions (J M)^T w / sqrt(lambda) without ever forming a p x p matrix.
  const raw = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) raw[a * n + b] = raw[b * n + a] = dot(rows[a]!, rows[b]!);
  const rowMean = Array.from({ length: n }, (_, a) => { let s = 0; for (let b = 0; b < n; b++) s += raw[a * n + b]!; return s / n; });
  const allMean = rowMean.reduce((s, v) => s + v, 0) / n;
  const gram = Float64Array.from(raw, (g, k) => g - rowMean[Math.floor(k / n)]! - rowMean[k % n]! + allMean);
  const { values, vectors } = symmetricEigen(gram, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  // The trace of J G J: the sum of squared norms of the centred rows, n times the total variance.
  let totalVariance = 0;
  for (let a = 0; a < n; a++) totalVariance += gram[a * n + a]!;
  const component = (k: number): Float64Array[] => {
    const idx = order[k]!;
    const lambda = values[idx]!;
    if (!(lambda > 1e-12 * totalVariance)) throw new EngineInputError("the checkpoints do not span two dimensions (they are identical or collinear)");
    // Coefficients of the uncentred rows: J w, scaled so the direction has unit norm.
    const w = Array.from({ length: n }, (_, r) => vectors[r * n + idx]!);
    const wMean = w.reduce((s, v) => s + v, 0) / n;
    // Sign as sklearn's svd_flip (u-based): the row farthest from the mean along the component
    // has a positive centred coordinate.
    const far = w.reduce((best, v, r) => (Math.abs(v) > Math.abs(w[best]!) ? r : best), 0);
    const sign = w[far]! < 0 ? -1 : 1;
    const coef = w.map((v) => (sign * (v - wMean)) / Math.sqrt(lambda));
    return used.map((_, j) => {
      const out = new Float64Array(rows[0]![j]!.length);
      for (let r = 0; r < n; r++) {
        const c = coef[r]!;
        const row = rows[r]![j]!;
        for (let e = 0; e < out.length; e++) out[e] = out[e]! + c * row[e]!;
      }
      return out;
    });
  };
  const u = component(0);
  const v = component(1);
  const path = rows.map((d) => {
    const x = dot(d, u);
    const y = dot(d, v);
    // Measured, not inferred from x and y: a direction that were not unit or orthogonal would show.
    let off = 0;
    let total = 0;
    for (let j = 0; j < d.length; j++) {
      const dj = d[j]!;
      const uj = u[j]!;
      const vj = v[j]!;
      for (let e = 0; e < dj.length; e++) {
        const r = dj[e]! - x * uj[e]! - y * vj[e]!;
        off += r * r;
        total += dj[e]! * dj[e]!;
      }
    }
    return { x, y, distance: Math.sqrt(total), offPlane: Math.sqrt(off) };
  });
  const toDirection = (c: Float64Array[]): Direction => {
    const out = final.params.map((p) => new Float32Array(p.size));
    used.forEach((i, j) => out[i]!.set(c[j]!));
    return out;
  };
  return {
    dx: toDirection(u),
    dy: toDirection(v),
    explainedVarianceRatio: [values[order[0]!]! / totalVariance, values[order[1]!]! / totalVariance],
    totalVariance,
    path,
    covered,
    options: { ignore, frozen },
  };
}

/** Share of the path's extent left free on each side of a fitted PCA plane (default of pathAxes). */
export const PATH_MARGIN = 0.25;

/**
 * Ranges of a PCA plane that hold the whole optimizer path: along each axis, the extent of the
 * checkpoints' coordinates and of the final model (the origin), widened on both sides by `margin`
 * times the larger of that axis's extent and a quarter of the other's (so a path that barely moves
 * along PC2 still gets a plane, not a sliver). A path of one point gets the square [-1, 1].
 * With `equalAspect` (default false) the shorter range is then widened about its centre to the
 * longer one's length, so a square plot shows PC1 and PC2 at one scale, as distances are.
 */
export function pathAxes(
  path: readonly { readonly x: number; readonly y: number }[],
  margin = PATH_MARGIN,
  equalAspect = false,
): { x: { min: number; max: number }; y: { min: number; max: number } } {
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
  const x = ex > 0 ? { min: x0 - padX, max: x1 + padX } : { min: cx - padX, max: cx + padX };
  const y = ey > 0 ? { min: y0 - padY, max: y1 + padY } : { min: cy - padY, max: cy + padY };
  if (!equalAspect) return { x, y };
  const side = Math.max(x.max - x.min, y.max - y.min);
  const widen = (r: { min: number; max: number }) => {
    const grow = (side - (r.max - r.min)) / 2;
    return { min: r.min - grow, max: r.max + grow };
  };
  return { x: widen(x), y: widen(y) };
}
