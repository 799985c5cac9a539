/** Grid axes and the coarse-to-fine order in which a surface's points are computed. */
import { EngineInputError } from "./errors.js";

/** `count` evenly spaced coordinates from `min` to `max`, both included. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/**
 * Parses "min:max:count" (e.g. "-1:1:51"), or "min:max" when a `defaultCount` is given (a 1D
 * surface's default); `flag` names the option in errors.
 */
export function parseAxis(text: string, flag: string, defaultCount?: number): Axis {
  const parts = text.split(":");
  if (parts.length === 2 && defaultCount !== undefined) parts.push(String(defaultCount));
  const [min, max, count] = parts.map(Number) as [number, number, number];
  if (parts.length !== 3 || !Number.isFinite(min) || !Number.isFinite(max) || !Number.isInteger(count)) {
    throw new EngineInputError(`${flag} takes min:max:count${defaultCount === undefined ? "" : ` or min:max (${defaultCount} points)`}, e.g. -1:1:51 (got "${text}")`);
  }
  return checkAxis({ min, max, count }, flag);
}

/** Throws EngineInputError unless min < max (or count 1) and 1 <= count <= 10,001. */
export function checkAxis(axis: Axis, flag: string): Axis {
  if (!Number.isInteger(axis.count) || axis.count < 1 || axis.count > 10_001) throw new EngineInputError(`${flag}: count must be an integer from 1 to 10001 (got ${axis.count})`);
  if (!Number.isFinite(axis.min) || !Number.isFinite(axis.max)) throw new EngineInputError(`${flag}: min and max must be finite numbers`);
  if (axis.count > 1 && !(axis.min < axis.max)) throw new EngineInputError(`${flag}: min must be less than max (got ${axis.min}:${axis.max})`);
  return axis;
}

/** The axis' coordinates. */
export function axisValues(axis: Axis): Float64Array {
  const out = new Float64Array(axis.count);
  for (let i = 0; i < axis.count; i++) {
    // Rounded to 12 significant digits so that -1:1:21 gives -0.3, not -0.30000000000000004.
    out[i] = axis.count === 1 ? axis.min : Number((axis.min + ((axis.max - axis.min) * i) / (axis.count - 1)).toPrecision(12));
  }
  return out;
}

/** Point order of a grid: flat indices j*nx + i, and where each refinement level ends. */
export interface GridOrder {
  readonly order: Int32Array;
  /** levelEnds[k] is the end (exclusive) in `order` of level k; the last equals nx*ny. */
  readonly levelEnds: readonly number[];
}

/**
 * Coarse to fine: first every s-th row and column (s a power of two, about 1/8 of the axis, with
 * the last row and column included so the first picture spans the whole range), then s/2, ...,
 * then every remaining point. A caller can draw the coarse picture after a few percent of the work.
 */
export function coarseToFine(nx: number, ny: number): GridOrder {
  const longest = Math.max(nx, ny);
  let stride = 1;
  while (stride * 8 < longest - 1) stride *= 2;
  const seen = new Uint8Array(nx * ny);
  const order = new Int32Array(nx * ny);
  const levelEnds: number[] = [];
  let n = 0;
  const onLevel = (k: number, size: number, s: number) => k % s === 0 || k === size - 1;
  for (let s = stride; s >= 1; s = Math.floor(s / 2)) {
    for (let j = 0; j < ny; j++) {
      if (!onLevel(j, ny, s)) continue;
      for (let i = 0; i < nx; i++) {
        const idx = j * nx + i;
        if (seen[idx] || !onLevel(i, nx, s)) continue;
        seen[idx] = 1;
        order[n++] = idx;
      }
    }
    if (levelEnds.length === 0 || levelEnds[levelEnds.length - 1] !== n) levelEnds.push(n);
    if (s === 1) break;
  }
  return { order, levelEnds };
}
