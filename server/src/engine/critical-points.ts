/**
 * Critical points of a computed grid: local minima, saddles and maxima, each with its topological
 * persistence, and for the most persistent minima a basin measure. Values are compared as
 * (value, flat index) pairs, so plateaus of equal values still give a strict order and nothing is
 * counted twice. Non-finite values count as +Infinity.
 *
 * Persistence (0-dimensional, of sublevel and superlevel sets; Edelsbrunner, Letscher and
 * Zomorodian 2002) says how much a point matters. Flood the grid from below: every minimum starts
 * a lake; when two lakes meet at a pass, the one with the higher bottom ends there. A minimum's
 * persistence is the height of that pass above it: the lowest pass to a lower basin, or to the
 * grid's edge (the water outside the grid counts as lower than everything, since the grid says
 * nothing beyond it). Maxima are the same seen from above: the depth of the lowest drop from a
 * peak to a higher peak or the edge. A saddle is where lakes (or peaks) meet; its persistence is
 * that of the minimum or maximum that ends at it, and 0 when none does (a pass between two parts
 * of one lake). Noise on a flat basin gives many points of tiny persistence: filtering by a
 * threshold keeps the landscape's real features. Everything runs in loops over typed arrays, so
 * grids of any size work (no recursion, no spreading of arrays into arguments).
 */
import { DEFAULT_PERSISTENCE_FRACTION, LOSS_CAP_FACTOR } from "./options.js";

export type CriticalKind = "minimum" | "saddle" | "maximum";

export interface Basin {
  /** The loss level that bounds the basin (see CriticalPointOptions.basinThreshold). */
  readonly threshold: number;
  /** Grid cells at or below the threshold connected (4-neighbour) to the minimum. */
  readonly cells: number;
  /** Those cells' area in coordinate units (cells x dx x dy; in 1D, x dx: a length). */
  readonly area: number;
  /** The lowest level at which water poured into the minimum leaves it: its lowest saddle. */
  readonly spillValue: number;
  /** spillValue - value: the depth of the minimum below its lowest saddle. */
  readonly depth: number;
  /** Where it spills: toward a lower minimum ("saddle") or out of the computed grid ("boundary"). */
  readonly escape: "saddle" | "boundary";
  readonly spillX: number;
  readonly spillY: number;
}

export interface CriticalPoint {
  readonly kind: CriticalKind;
  /** Column (x index) and row (y index) in the grid. */
  readonly i: number;
  readonly j: number;
  readonly x: number;
  readonly y: number;
  readonly value: number;
  /**
   * Topological persistence, in loss units (see the file's comment): how far the landscape must
   * be raised or lowered before the point disappears.
   */
  readonly persistence: number;
  /** For the most persistent minima (CriticalPointOptions.maxBasins) only. */
  readonly basin?: Basin;
}

export interface CriticalPointOptions {
  /**
   * Absolute loss level bounding each basin's area. Default: each minimum's value plus 10% of
   * the grid's finite value range.
   */
  readonly basinThreshold?: number;
  /** At most this many minima get a basin measure (most persistent first); default 100. */
  readonly maxBasins?: number;
  /** Keep only points of at least this persistence (loss units); default 0, all of them. */
  readonly minPersistence?: number;
  /** Keep at most this many points, the most persistent; default all. */
  readonly maxPoints?: number;
}


/**
 * The default minimum persistence for a surface whose finite values span [min, max] with this
 * median: a fraction of the span its figure shows by default, up to the cap (see
 * LOSS_CAP_FACTOR); without a median (surfaces made before it was recorded), of the whole range.
 */
export function defaultMinPersistence(min: number, max: number, median: number | null = null): number {
  if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) return 0;
  const top = median !== null && Number.isFinite(median) && median > min ? Math.min(max, min + LOSS_CAP_FACTOR * (median - min)) : max;
  return DEFAULT_PERSISTENCE_FRACTION * (top - min);
}

/** Lowest, highest, mean and median of the finite values of a grid; all null when none is finite. */
export interface ValueSummary {
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
}

/** The ValueSummary of `values` (non-finite values, such as a diverged point's, left out). */
export function summarizeValues(values: ArrayLike<number>): ValueSummary {
  const finite = Float64Array.from(values).filter((v) => Number.isFinite(v)).sort();
  const n = finite.length;
  if (n === 0) return { min: null, max: null, mean: null, median: null };
  let sum = 0;
  for (const v of finite) sum += v;
  const mid = n >> 1;
  return { min: finite[0]!, max: finite[n - 1]!, mean: sum / n, median: n % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2 };
}

/** The default minimum persistence of a grid of values (defaultMinPersistence of its min, max and median). */
export function defaultMinPersistenceOf(values: ArrayLike<number>): number {
  const { min, max, median } = summarizeValues(values);
  return min === null ? 0 : defaultMinPersistence(min, max!, median);
}

/** Finite min and max of values, by a loop (spreading 10^8 values into Math.max overflows the stack). */
export function finiteRange(values: ArrayLike<number>): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const x = values[k]!;
    if (Number.isFinite(x)) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max ? { min, max } : null;
}

/** Keeps the points of at least `minPersistence`; points stored without one are kept. */
export function filterByPersistence<P extends { readonly persistence?: number | null }>(points: readonly P[], minPersistence: number): P[] {
  return points.filter((p) => p.persistence == null || p.persistence >= minPersistence);
}

/**
 * Finds the critical points of `values` (row-major: values[j*nx + i] is at xs[i], ys[j]; a 1D
 * surface has ys of length 1). Only interior points qualify, as the grid says nothing about the
 * other side of its edge. A point is a minimum (maximum) when lower (higher) than all 8
 * neighbours, a saddle when the signs of neighbour - centre change at least 4 times around the
 * ring of 8 (two valleys and two ridges meet). In 1D, 2 neighbours and no saddles.
 */
export function findCriticalPoints(values: Float64Array, xs: Float64Array, ys: Float64Array, options: CriticalPointOptions = {}): CriticalPoint[] {
  const nx = xs.length;
  const ny = ys.length;
  const n = nx * ny;
  if (values.length !== n) throw new RangeError(`values has ${values.length} entries, the grid ${nx} x ${ny}`);
  const h = new Float64Array(n);
  // + 0 turns -0 into 0, which the sort's bit patterns would otherwise put first.
  for (let k = 0; k < n; k++) h[k] = Number.isFinite(values[k]!) ? values[k]! + 0 : Infinity;
  const less = (a: number, b: number) => h[a]! < h[b]! || (h[a]! === h[b]! && a < b);
  const oneD = ny === 1;
  const ringI = oneD ? [-1, 1] : [-1, 0, 1, 1, 1, 0, -1, -1];
  const ringJ = oneD ? [0, 0] : [-1, -1, -1, 0, 1, 1, 1, 0];
  const kinds = new Int8Array(n); // 0 none, 1 minimum, 2 saddle, 3 maximum
  const higher: boolean[] = new Array<boolean>(ringI.length);
  for (let j = oneD ? 0 : 1; j < (oneD ? 1 : ny - 1); j++) {
    for (let i = 1; i < nx - 1; i++) {
      const c = j * nx + i;
      if (h[c] === Infinity) continue;
      let ups = 0;
      for (let r = 0; r < ringI.length; r++) {
        higher[r] = less(c, (j + ringJ[r]!) * nx + (i + ringI[r]!));
        if (higher[r]) ups++;
      }
      let changes = 0;
      for (let r = 0; r < ringI.length; r++) if (higher[r] !== higher[(r + 1) % ringI.length]) changes++;
      if (ups === ringI.length) kinds[c] = 1;
      else if (ups === 0) kinds[c] = 3;
      else if (!oneD && changes >= 4) kinds[c] = 2;
    }
  }

  // One sort of all cells by (value, index); the sublevel sweep walks it up, the superlevel down.
  const order = argsort(h);
  const range = finiteRange(h);
  const top = range ? range.max : 0;
  const sub = sweep(order, nx, ny, h, false);
  const sup = sweep(order, nx, ny, h, true);

  // A pass at +Infinity (a basin walled in by missing values) is as high as the grid goes.
  const finiteLevel = (level: number, fallback: number) => (Number.isFinite(level) ? level : fallback);
  const saddlePersistence = new Float64Array(n);
  const points: { k: number; kind: CriticalKind; persistence: number }[] = [];
  for (let k = 0; k < n; k++) {
    const kind = kinds[k]!;
    if (kind === 1) points.push({ k, kind: "minimum", persistence: finiteLevel(h[sub.passOf[k]!]!, top) - h[k]! });
    else if (kind === 3) points.push({ k, kind: "maximum", persistence: h[k]! - (sup.passOf[k]! === -2 ? -Infinity : h[sup.passOf[k]!]!) });
  }
  for (const p of points) {
    const pass = p.kind === "minimum" ? sub.passOf[p.k]! : sup.passOf[p.k]!;
    if (pass >= 0 && kinds[pass] === 2) saddlePersistence[pass] = Math.max(saddlePersistence[pass]!, p.persistence);
  }
  for (const p of points) if (p.kind === "maximum" && !Number.isFinite(p.persistence)) p.persistence = range ? range.max - range.min : 0;
  for (let k = 0; k < n; k++) if (kinds[k] === 2) points.push({ k, kind: "saddle", persistence: saddlePersistence[k]! });

  let kept = points.filter((p) => p.persistence >= (options.minPersistence ?? 0));
  if (options.maxPoints !== undefined && kept.length > options.maxPoints) {
    kept = kept.sort((a, b) => b.persistence - a.persistence || a.k - b.k).slice(0, options.maxPoints);
  }
  kept.sort((a, b) => a.k - b.k);

  const cellX = nx > 1 ? (xs[nx - 1]! - xs[0]!) / (nx - 1) : 1;
  const cellY = ny > 1 ? (ys[ny - 1]! - ys[0]!) / (ny - 1) : 1;
  const withBasin = kept
    .filter((p) => p.kind === "minimum")
    .sort((a, b) => b.persistence - a.persistence || a.k - b.k)
    .slice(0, options.maxBasins ?? 100);
  const basins = new Map<number, Basin>();
  const stamp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  withBasin.forEach((m, id) => {
    const threshold = options.basinThreshold ?? h[m.k]! + 0.1 * (range ? range.max - range.min : 0);
    // Area: a 4-connected flood over cells at or below the threshold, by an explicit stack.
    let cells = 0;
    if (h[m.k]! <= threshold) {
      stack.push(m.k);
      stamp[m.k] = id;
      while (stack.length) {
        const k = stack.pop()!;
        cells++;
        const i = k % nx;
        const j = (k - i) / nx;
        const visit = (a: number) => {
          if (stamp[a] !== id && h[a]! <= threshold) {
            stamp[a] = id;
            stack.push(a);
          }
        };
        if (i > 0) visit(k - 1);
        if (i < nx - 1) visit(k + 1);
        if (j > 0) visit(k - nx);
        if (j < ny - 1) visit(k + nx);
      }
    }
    const pass = sub.passOf[m.k]!;
    const si = pass % nx;
    const sj = (pass - si) / nx;
    const spillValue = finiteLevel(h[pass]!, top);
    basins.set(m.k, {
      threshold, cells, area: cells * (oneD ? cellX : cellX * cellY),
      spillValue, depth: spillValue - h[m.k]!, escape: sub.toEdge[m.k] ? "boundary" : "saddle",
      spillX: xs[si]!, spillY: ys[sj]!,
    });
  });
  return kept.map((p) => {
    const i = p.k % nx;
    const j = (p.k - i) / nx;
    const point: CriticalPoint = { kind: p.kind, i, j, x: xs[i]!, y: ys[j]!, value: values[p.k]!, persistence: p.persistence };
    const basin = basins.get(p.k);
    return basin ? { ...point, basin } : point;
  });
}

/**
 * The flood of sublevel sets (or, with `fromAbove`, superlevel sets) with union-find over
 * 8-neighbour cells (2 in 1D). The grid's edge joins a component "outside" that is older than any
 * cell. For every cell that started a component, `passOf` is the cell at which it merged into an
 * older one (-2 when it never did, which only the outside does), and `toEdge` whether that older
 * one was the outside.
 */
function sweep(order: Uint32Array, nx: number, ny: number, h: Float64Array, fromAbove: boolean): { passOf: Int32Array; toEdge: Uint8Array } {
  const n = nx * ny;
  const OUTSIDE = n;
  const parent = new Int32Array(n + 1).fill(-1); // -1: not flooded yet
  const oldest = new Int32Array(n + 1); // per root: the cell that started the component
  const passOf = new Int32Array(n).fill(-2);
  const toEdge = new Uint8Array(n);
  parent[OUTSIDE] = OUTSIDE;
  oldest[OUTSIDE] = OUTSIDE;
  const find = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[k] !== r) {
      const next = parent[k]!;
      parent[k] = r;
      k = next;
    }
    return r;
  };
  // Older: the outside, then the lower (from above: higher) value, then the lower index.
  const older = (a: number, b: number) => {
    if (a === OUTSIDE) return true;
    if (b === OUTSIDE) return false;
    if (h[a]! !== h[b]!) return fromAbove ? h[a]! > h[b]! : h[a]! < h[b]!;
    return fromAbove ? a > b : a < b;
  };
  const oneD = ny === 1;
  const roots = new Int32Array(9);
  for (let s = 0; s < n; s++) {
    const k = order[fromAbove ? n - 1 - s : s]!;
    const i = k % nx;
    const j = (k - i) / nx;
    let count = 0;
    if (i === 0 || i === nx - 1 || (!oneD && (j === 0 || j === ny - 1))) roots[count++] = OUTSIDE;
    const jFrom = oneD ? j : Math.max(0, j - 1);
    const jTo = oneD ? j : Math.min(ny - 1, j + 1);
    const iFrom = Math.max(0, i - 1);
    const iTo = Math.min(nx - 1, i + 1);
    for (let b = jFrom; b <= jTo; b++) {
      for (let a = iFrom; a <= iTo; a++) {
        const m = b * nx + a;
        if (m === k || parent[m] === -1) continue;
        const r = find(m);
        let known = false;
        for (let q = 0; q < count; q++) if (roots[q] === r) known = true;
        if (!known) roots[count++] = r;
      }
    }
    if (count === 0) {
      parent[k] = k;
      oldest[k] = k;
      continue;
    }
    let keep = roots[0]!;
    for (let q = 1; q < count; q++) if (older(oldest[roots[q]!]!, oldest[keep]!)) keep = roots[q]!;
    parent[k] = keep;
    for (let q = 0; q < count; q++) {
      const r = roots[q]!;
      if (r === keep) continue;
      // The younger component ends here: k is its pass.
      passOf[oldest[r]!] = k;
      toEdge[oldest[r]!] = keep === OUTSIDE ? 1 : 0;
      parent[r] = keep;
    }
  }
  return { passOf, toEdge };
}

/**
 * Indices of `h` in increasing (value, index) order, by a stable least-significant-digit radix
 * sort of the values' IEEE 754 bit patterns (flipped so that unsigned order is numeric order):
 * linear time, where a comparison sort of 10^6 indices through a callback takes seconds.
 * Expects no NaN and no -0.
 */
export function argsort(h: Float64Array): Uint32Array {
  const n = h.length;
  const words = new Uint32Array(h.buffer, h.byteOffset, n * 2); // little-endian: [lo, hi] per value
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const little = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
  for (let k = 0; k < n; k++) {
    let a = words[2 * k + (little ? 1 : 0)]!;
    let b = words[2 * k + (little ? 0 : 1)]!;
    if (a & 0x80000000) {
      a = ~a >>> 0;
      b = ~b >>> 0;
    } else {
      a = (a | 0x80000000) >>> 0;
    }
    hi[k] = a;
    lo[k] = b;
  }
  let src = new Uint32Array(n);
  for (let k = 0; k < n; k++) src[k] = k;
  let dst = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (const [key, shift] of [[lo, 0], [lo, 16], [hi, 0], [hi, 16]] as const) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(key[k]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let s = 0; s < n; s++) {
      const k = src[s]!;
      dst[counts[(key[k]! >>> shift) & 0xffff]!++] = k;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** Loss above the minimum that bounds the basin measured by basinAround (loss units, default 1). */
export const BASIN_RISE = 1;

/**
 * The basin of a surface's lowest point: the cells whose value is within `rise` of the minimum,
 * 8-connected to it (a fixed rise in loss units, so two surfaces compare on the same footing).
 * `area` is in coordinate units (a length in 1D); `width` is the diameter of a disc of that area
 * (in 1D, the length itself). Null when no value is finite.
 */
export function basinAround(values: ArrayLike<number>, xs: Float64Array, ys: Float64Array, rise = BASIN_RISE): { level: number; cells: number; area: number; width: number } | null {
  const nx = xs.length;
  const ny = ys.length;
  let start = -1;
  for (let k = 0; k < nx * ny; k++) if (Number.isFinite(values[k]!) && (start < 0 || values[k]! < values[start]!)) start = k;
  if (start < 0) return null;
  const level = values[start]! + rise;
  const seen = new Uint8Array(nx * ny);
  const stack = [start];
  seen[start] = 1;
  let cells = 0;
  while (stack.length) {
    const k = stack.pop()!;
    cells++;
    const i = k % nx;
    const j = (k - i) / nx;
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const a = i + di;
        const b = j + dj;
        if (a < 0 || b < 0 || a >= nx || b >= ny) continue;
        const m = b * nx + a;
        if (!seen[m] && values[m]! <= level) {
          seen[m] = 1;
          stack.push(m);
        }
      }
    }
  }
  const cellX = nx > 1 ? (xs[nx - 1]! - xs[0]!) / (nx - 1) : 1;
  const cellY = ny > 1 ? (ys[ny - 1]! - ys[0]!) / (ny - 1) : 1;
  const area = ny === 1 ? cells * cellX : cells * cellX * cellY;
  return { level, cells, area, width: ny === 1 ? area : 2 * Math.sqrt(area / Math.PI) };
}
