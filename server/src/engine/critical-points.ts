/**
 * Critical points of a computed grid: local minima, saddles and maxima, and for each minimum a
 * basin measure. Values are compared as (value, flat index) pairs, so plateaus of equal values
 * still give a strict order and nothing is counted twice. Non-finite values count as +Infinity.
 */

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
  /** For minima only. */
  readonly basin?: Basin;
}

export interface CriticalPointOptions {
  /**
   * Absolute loss level bounding each basin's area. Default: each minimum's value plus 10% of
   * the grid's finite value range.
   */
  readonly basinThreshold?: number;
  /** At most this many minima get a basin measure (lowest first); default 100. */
  readonly maxBasins?: number;
}

/** A binary heap of flat indices keyed by (value, index). */
class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly less: (a: number, b: number) => boolean) {}
  get size(): number { return this.items.length; }
  push(v: number): void {
    const h = this.items;
    h.push(v);
    let k = h.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(h[k]!, h[p]!)) break;
      [h[k], h[p]] = [h[p]!, h[k]!];
      k = p;
    }
  }
  pop(): number {
    const h = this.items;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m]!, h[k]!];
        k = m;
      }
    }
    return top;
  }
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
  const v = (k: number) => (Number.isFinite(values[k]!) ? values[k]! : Infinity);
  const less = (a: number, b: number) => v(a) < v(b) || (v(a) === v(b) && a < b);
  const ring2d: [number, number][] = [[-1, -1], [0, -1], [1, -1], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0]];
  const ring1d: [number, number][] = [[-1, 0], [1, 0]];
  const oneD = ny === 1;
  const ring = oneD ? ring1d : ring2d;
  const points: CriticalPoint[] = [];
  for (let j = oneD ? 0 : 1; j < (oneD ? 1 : ny - 1); j++) {
    for (let i = 1; i < nx - 1; i++) {
      const c = j * nx + i;
      if (!Number.isFinite(values[c]!)) continue;
      const higher = ring.map(([di, dj]) => less(c, (j + dj) * nx + (i + di)));
      let changes = 0;
      for (let k = 0; k < higher.length; k++) if (higher[k] !== higher[(k + 1) % higher.length]) changes++;
      let kind: CriticalKind | null = null;
      if (higher.every(Boolean)) kind = "minimum";
      else if (!higher.some(Boolean)) kind = "maximum";
      else if (!oneD && changes >= 4) kind = "saddle";
      if (kind) points.push({ kind, i, j, x: xs[i]!, y: ys[j]!, value: values[c]! });
    }
  }
  const finite = [...values].filter(Number.isFinite);
  const range = finite.length ? Math.max(...finite) - Math.min(...finite) : 0;
  const cellX = nx > 1 ? (xs[nx - 1]! - xs[0]!) / (nx - 1) : 1;
  const cellY = ny > 1 ? (ys[ny - 1]! - ys[0]!) / (ny - 1) : 1;
  const minima = points.filter((p) => p.kind === "minimum").sort((a, b) => a.value - b.value);
  const withBasins = new Map<CriticalPoint, Basin>();
  for (const m of minima.slice(0, options.maxBasins ?? 100)) {
    const threshold = options.basinThreshold ?? m.value + 0.1 * range;
    withBasins.set(m, basinOf(m.j * nx + m.i, nx, ny, v, less, threshold, oneD ? cellX : cellX * cellY, xs, ys));
  }
  return points.map((p) => (withBasins.has(p) ? { ...p, basin: withBasins.get(p)! } : p));
}

function basinOf(
  start: number, nx: number, ny: number, v: (k: number) => number, less: (a: number, b: number) => boolean,
  threshold: number, cellArea: number, xs: Float64Array, ys: Float64Array,
): Basin {
  const neighbours = (k: number, diagonal: boolean): number[] => {
    const i = k % nx;
    const j = (k - i) / nx;
    const out: number[] = [];
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        if ((di === 0 && dj === 0) || (!diagonal && di !== 0 && dj !== 0)) continue;
        const a = i + di;
        const b = j + dj;
        if (a >= 0 && a < nx && b >= 0 && b < ny) out.push(b * nx + a);
      }
    }
    return out;
  };
  // Area: 4-connected flood over cells at or below the threshold.
  let cells = 0;
  if (v(start) <= threshold) {
    const seen = new Uint8Array(nx * ny);
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const k = stack.pop()!;
      cells++;
      for (const n of neighbours(k, false)) {
        if (!seen[n] && v(n) <= threshold) {
          seen[n] = 1;
          stack.push(n);
        }
      }
    }
  }
  // Depth: flood upward from the minimum, always taking the lowest cell on the shore, until the
  // water reaches a cell lower than the minimum (it spilled over a saddle into another basin) or
  // the grid's edge. The highest level met on the way is the spill level.
  const onEdge = (k: number) => {
    const i = k % nx;
    const j = (k - i) / nx;
    return i === 0 || i === nx - 1 || (ny > 1 && (j === 0 || j === ny - 1));
  };
  const heap = new MinHeap(less);
  // parent[k]: the shore cell from which k was reached, to walk back the path once it escapes.
  const parent = new Int32Array(nx * ny).fill(-1);
  const queued = new Uint8Array(nx * ny);
  heap.push(start);
  queued[start] = 1;
  let level = v(start);
  let escapeAt = start;
  let escape: "saddle" | "boundary" = "boundary";
  while (heap.size > 0) {
    const k = heap.pop();
    escapeAt = k;
    if (k !== start && less(k, start)) {
      escape = "saddle";
      break;
    }
    level = Math.max(level, v(k));
    if (onEdge(k)) {
      escape = "boundary";
      break;
    }
    for (const n of neighbours(k, ny > 1)) {
      if (!queued[n]) {
        queued[n] = 1;
        parent[n] = k;
        heap.push(n);
      }
    }
  }
  // The spill point is the highest cell on the path from the minimum to where the water left;
  // on ties, the one nearest the exit (the pass itself rather than a cell of equal height before it).
  let spillAt = escapeAt;
  for (let k = escapeAt; k !== -1; k = parent[k]!) if (v(k) > v(spillAt)) spillAt = k;
  if (escape === "saddle" && v(spillAt) < level) spillAt = escapeAt;
  const si = spillAt % nx;
  const sj = (spillAt - si) / nx;
  return { threshold, cells, area: cells * cellArea, spillValue: level, depth: level - v(start), escape, spillX: xs[si]!, spillY: ys[sj]! };
}
