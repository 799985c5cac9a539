/** A surface's grid in memory: axes and both metrics as row-major Float32Arrays (NaN = not yet). */

/** Loss and accuracy on the training data; TEST_LOSS and TEST_ACCURACY on a surface's test set. */
export type MetricName = "LOSS" | "ACCURACY" | "TEST_LOSS" | "TEST_ACCURACY";
export const TEST_METRICS: readonly MetricName[] = ["TEST_LOSS", "TEST_ACCURACY"];

/** A metric's name for people: "Loss", "Test accuracy". */
export function metricTitle(metric: MetricName): string {
  return { LOSS: "Loss", ACCURACY: "Accuracy", TEST_LOSS: "Test loss", TEST_ACCURACY: "Test accuracy" }[metric];
}

/** The held-out test set's grids of a surface that has one, evaluated at the same points. */
export interface TestGrids {
  loss: Float32Array;
  accuracy: Float32Array;
}

export interface SurfaceGrid {
  xs: number[];
  ys: number[];
  nx: number;
  ny: number;
  loss: Float32Array;
  accuracy: Float32Array;
  /** Surfaces with a test set: its loss and accuracy at the same points (absent otherwise). */
  test?: TestGrids;
  /** Eigen-ratio maps only: the Hessian's extreme eigenvalues and |lambda_min / lambda_max| (loss and accuracy stay NaN). */
  curvature?: CurvatureGrids;
  /**
   * Eigen-ratio maps only: the Lanczos steps each point took and whether it converged (1) or
   * reached the step cap first (0); NaN where not computed yet or not recorded (older maps).
   */
  lanczos?: LanczosGrids;
}

export interface LanczosGrids {
  steps: Float32Array;
  converged: Float32Array;
}

/** Points that reached the step cap before converging (converged = 0), as a mask for hatching. */
export function unconvergedMask(lanczos: LanczosGrids | undefined): Uint8Array | null {
  if (!lanczos) return null;
  return Uint8Array.from(lanczos.converged, (c) => (c === 0 ? 1 : 0));
}

export type CurvatureMetric = "LAMBDA_MAX" | "LAMBDA_MIN" | "RATIO";
export type CurvatureGrids = Record<CurvatureMetric, Float32Array>;

/** An eigen-ratio map's grid from the API's rows of its three metrics. */
export function curvatureGridFromRows(xs: number[], ys: number[], rows: Record<CurvatureMetric, ValueRows>, lanczosRows?: { steps: ValueRows; converged: ValueRows }): SurfaceGrid {
  const grid = emptyGrid(xs, ys);
  const n = grid.nx * grid.ny;
  const curvature = { LAMBDA_MAX: new Float32Array(n).fill(Number.NaN), LAMBDA_MIN: new Float32Array(n).fill(Number.NaN), RATIO: new Float32Array(n).fill(Number.NaN) };
  for (const metric of ["LAMBDA_MAX", "LAMBDA_MIN", "RATIO"] as const) {
    rows[metric]?.forEach((row, j) => row?.forEach((v, i) => { if (v !== null) curvature[metric][j * grid.nx + i] = v; }));
  }
  const lanczos = { steps: new Float32Array(n).fill(Number.NaN), converged: new Float32Array(n).fill(Number.NaN) };
  for (const key of ["steps", "converged"] as const) {
    lanczosRows?.[key]?.forEach((row, j) => row?.forEach((v, i) => { if (v !== null) lanczos[key][j * grid.nx + i] = v; }));
  }
  return { ...grid, curvature, lanczos };
}

/** A new eigen-ratio grid with a progress event's values written in. */
export function applyCurvatureProgress(
  grid: SurfaceGrid,
  indices: number[],
  values: Record<CurvatureMetric, (number | null)[]>,
  lanczosValues?: { steps: (number | null)[]; converged: (number | null)[] },
): SurfaceGrid {
  if (!grid.curvature) return grid;
  const n = grid.nx * grid.ny;
  const lanczos = { steps: grid.lanczos?.steps.slice() ?? new Float32Array(n).fill(Number.NaN), converged: grid.lanczos?.converged.slice() ?? new Float32Array(n).fill(Number.NaN) };
  for (const key of ["steps", "converged"] as const) {
    indices.forEach((index, k) => {
      const v = lanczosValues?.[key][k];
      if (v !== null && v !== undefined) lanczos[key][index] = v;
    });
  }
  const curvature = { LAMBDA_MAX: grid.curvature.LAMBDA_MAX.slice(), LAMBDA_MIN: grid.curvature.LAMBDA_MIN.slice(), RATIO: grid.curvature.RATIO.slice() };
  for (const metric of ["LAMBDA_MAX", "LAMBDA_MIN", "RATIO"] as const) {
    indices.forEach((index, k) => {
      const v = values[metric][k];
      if (v !== null && v !== undefined) curvature[metric][index] = v;
    });
  }
  return { ...grid, curvature, lanczos };
}

/** A grid with nothing computed yet; with `withTest`, empty test grids too. */
export function emptyGrid(xs: number[], ys: number[], withTest = false): SurfaceGrid {
  const n = xs.length * ys.length;
  const nan = () => new Float32Array(n).fill(Number.NaN);
  return { xs, ys, nx: xs.length, ny: ys.length, loss: nan(), accuracy: nan(), ...(withTest ? { test: { loss: nan(), accuracy: nan() } } : {}) };
}

/** The API's `values` rows (`values[j][i]`, null where missing); the schema allows a null row too. */
export type ValueRows = ((number | null)[] | null)[] | null;

/** From the API's `values` rows. */
export function gridFromRows(xs: number[], ys: number[], loss: ValueRows, accuracy: ValueRows, test?: { loss: ValueRows; accuracy: ValueRows }): SurfaceGrid {
  const grid = emptyGrid(xs, ys, test !== undefined);
  const fill = (target: Float32Array, rows: ValueRows) => {
    rows?.forEach((row, j) => row?.forEach((v, i) => { if (v !== null) target[j * grid.nx + i] = v; }));
  };
  fill(grid.loss, loss);
  fill(grid.accuracy, accuracy);
  if (test && grid.test) {
    fill(grid.test.loss, test.loss);
    fill(grid.test.accuracy, test.accuracy);
  }
  return grid;
}

/**
 * From the float32 little-endian values file: the loss grid, then the accuracy grid, then (a
 * surface with a test set) the test set's loss and accuracy grids.
 */
export function gridFromBuffer(xs: number[], ys: number[], buffer: ArrayBuffer): SurfaceGrid {
  const n = xs.length * ys.length;
  const all = new Float32Array(buffer);
  const test = all.length >= 4 * n ? { test: { loss: all.slice(2 * n, 3 * n), accuracy: all.slice(3 * n, 4 * n) } } : {};
  return { xs, ys, nx: xs.length, ny: ys.length, loss: all.slice(0, n), accuracy: all.slice(n, 2 * n), ...test };
}

/** A new grid with a progress event's values written in (the old grid is left as it was). */
export function applyProgress(
  grid: SurfaceGrid,
  indices: number[],
  loss: (number | null)[],
  accuracy: (number | null)[],
  test?: { loss: (number | null)[]; accuracy: (number | null)[] },
): SurfaceGrid {
  const next: SurfaceGrid = { ...grid, loss: grid.loss.slice(), accuracy: grid.accuracy.slice(), ...(grid.test ? { test: { loss: grid.test.loss.slice(), accuracy: grid.test.accuracy.slice() } } : {}) };
  const write = (target: Float32Array, values: (number | null)[] | undefined) => indices.forEach((index, k) => {
    const v = values?.[k];
    if (v !== null && v !== undefined) target[index] = v;
  });
  write(next.loss, loss);
  write(next.accuracy, accuracy);
  if (next.test) {
    write(next.test.loss, test?.loss);
    write(next.test.accuracy, test?.accuracy);
  }
  return next;
}

/** A metric's grid; a test metric of a surface without a test set is all NaN. */
export function metricValues(grid: SurfaceGrid, metric: MetricName): Float32Array {
  if (metric === "LOSS") return grid.loss;
  if (metric === "ACCURACY") return grid.accuracy;
  const test = grid.test?.[metric === "TEST_LOSS" ? "loss" : "accuracy"];
  return test ?? new Float32Array(grid.loss.length).fill(Number.NaN);
}

/** The test set's values as a grid of their own (loss and accuracy), for a line of its own; null without. */
export function testGridOf(grid: SurfaceGrid): SurfaceGrid | null {
  return grid.test ? { xs: grid.xs, ys: grid.ys, nx: grid.nx, ny: grid.ny, loss: grid.test.loss, accuracy: grid.test.accuracy } : null;
}

/** Finite min and max of some values; null when none is finite. */
export function finiteRange(values: ArrayLike<number>): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max } : null;
}

export function countFinite(values: ArrayLike<number>): number {
  let n = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k]!)) n++;
  return n;
}

/** Nearest grid value at coordinates (a, b): the readout under the pointer. */
export function valueAt(grid: SurfaceGrid, values: Float32Array, a: number, b: number): { i: number; j: number; value: number } | null {
  const i = nearestIndex(grid.xs, a);
  const j = nearestIndex(grid.ys, b);
  if (i < 0 || j < 0) return null;
  return { i, j, value: values[j * grid.nx + i]! };
}

function nearestIndex(axis: number[], v: number): number {
  if (axis.length === 0) return -1;
  const lo = axis[0]!;
  const hi = axis[axis.length - 1]!;
  const step = axis.length > 1 ? (hi - lo) / (axis.length - 1) : 1;
  if (v < lo - step / 2 || v > hi + step / 2) return -1;
  return Math.min(axis.length - 1, Math.max(0, Math.round((v - lo) / step)));
}

/** CSV of the grid: one row per point, a, b, loss, accuracy. */
/** Columns a,b,loss,accuracy, then test_loss,test_accuracy for a surface with a test set. */
export function gridToCsv(grid: SurfaceGrid): string {
  const lines = [grid.test ? "a,b,loss,accuracy,test_loss,test_accuracy" : "a,b,loss,accuracy"];
  for (let j = 0; j < grid.ny; j++) {
    for (let i = 0; i < grid.nx; i++) {
      const k = j * grid.nx + i;
      const f = (v: number) => (Number.isFinite(v) ? String(v) : "");
      const test = grid.test ? `,${f(grid.test.loss[k]!)},${f(grid.test.accuracy[k]!)}` : "";
      lines.push(`${grid.xs[i]},${grid.ys[j]},${f(grid.loss[k]!)},${f(grid.accuracy[k]!)}${test}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function gridToJson(grid: SurfaceGrid): string {
  const rows = (values: Float32Array) =>
    Array.from({ length: grid.ny }, (_, j) => Array.from(values.subarray(j * grid.nx, (j + 1) * grid.nx), (v) => (Number.isFinite(v) ? v : null)));
  const test = grid.test ? { testLoss: rows(grid.test.loss), testAccuracy: rows(grid.test.accuracy) } : {};
  return JSON.stringify({ xs: grid.xs, ys: grid.ys, loss: rows(grid.loss), accuracy: rows(grid.accuracy), ...test });
}

/**
 * While a surface fills in coarse to fine, points not computed yet take the value of the nearest
 * computed point on a coarser lattice (strides 2, 4, 8, ...), so the picture is whole from the
 * first tiles and sharpens as they arrive. For display only; contours use the real values.
 */
export function fillCoarse(values: Float32Array, nx: number, ny: number): Float32Array {
  let missing = false;
  for (let k = 0; k < values.length && !missing; k++) missing = !Number.isFinite(values[k]!);
  if (!missing) return values;
  const out = values.slice();
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      if (Number.isFinite(out[k]!)) continue;
      for (let s = 2; s < 2 * Math.max(nx, ny); s *= 2) {
        const ci = Math.min(nx - 1, Math.round(i / s) * s);
        const cj = Math.min(ny - 1, Math.round(j / s) * s);
        const fi = Math.floor(i / s) * s;
        const fj = Math.floor(j / s) * s;
        const v = Number.isFinite(values[cj * nx + ci]!) ? values[cj * nx + ci]! : values[fj * nx + fi]!;
        if (Number.isFinite(v)) {
          out[k] = v;
          break;
        }
      }
    }
  }
  return out;
}
