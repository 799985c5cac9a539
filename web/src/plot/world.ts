/**
 * The world deck.gl layers of a surface are drawn in (plane-layers, mesh-layers, line-layers and
 * overlay-layers: pure functions of their inputs), and the colours they share. The 2D world maps
 * the grid's (a, b) range onto a square of side WORLD centred at the origin; the 3D world adds the
 * value, normalised to [0, HEIGHT], as z.
 */
import type { SurfaceGrid } from "./grid";

export const WORLD = 100;
/** Depth state of labels and pins: drawn over the mesh, never hidden behind it. */
export const ON_TOP = { depthCompare: "always" as const, depthWriteEnabled: false };
export const HEIGHT = 45;

export interface Frame {
  xMin: number; xMax: number; yMin: number; yMax: number;
  /** World width and height of the plane: WORLD both, or the shorter axis shorter at equal aspect. */
  w?: number; h?: number;
}

/**
 * The grid's range. At equal aspect (a PCA plane, whose axes share their units) one unit of a is
 * as long as one of b: the longer axis spans WORLD, the other its share of it.
 */
export function frameOf(grid: SurfaceGrid, equalAspect = false): Frame {
  const xMin = grid.xs[0] ?? 0;
  const xMax = grid.xs[grid.nx - 1] ?? 1;
  const yMin = grid.ys[0] ?? 0;
  const yMax = grid.ys[grid.ny - 1] ?? 1;
  const f = { xMin, xMax: xMax > xMin ? xMax : xMin + 1, yMin, yMax: yMax > yMin ? yMax : yMin + 1 };
  if (!equalAspect) return f;
  const longer = Math.max(f.xMax - f.xMin, f.yMax - f.yMin);
  return { ...f, w: (WORLD * (f.xMax - f.xMin)) / longer, h: (WORLD * (f.yMax - f.yMin)) / longer };
}

/** Half the world width and height of a frame's plane. */
export function halves(f: Frame): [number, number] {
  return [(f.w ?? WORLD) / 2, (f.h ?? WORLD) / 2];
}

/** (a, b) to world (x, y). */
export function toWorld(f: Frame, a: number, b: number): [number, number] {
  return [((a - f.xMin) / (f.xMax - f.xMin) - 0.5) * (f.w ?? WORLD), ((b - f.yMin) / (f.yMax - f.yMin) - 0.5) * (f.h ?? WORLD)];
}

export function fromWorld(f: Frame, x: number, y: number): [number, number] {
  return [f.xMin + (x / (f.w ?? WORLD) + 0.5) * (f.xMax - f.xMin), f.yMin + (y / (f.h ?? WORLD) + 0.5) * (f.yMax - f.yMin)];
}

/** Grid index coordinates (i, j, fractional) to world; `f` gives the plane's world size (default square). */
export function indexToWorld(grid: SurfaceGrid, i: number, j: number, f?: Frame): [number, number] {
  return [(i / Math.max(1, grid.nx - 1) - 0.5) * (f?.w ?? WORLD), (j / Math.max(1, grid.ny - 1) - 0.5) * (f?.h ?? WORLD)];
}
export const CRITICAL_COLOURS: Record<string, [number, number, number]> = { MINIMUM: [62, 207, 142], SADDLE: [240, 162, 75], MAXIMUM: [239, 91, 91] };
/** Models' positions on interpolations and slices: a colour no critical point uses. */
export const MODEL_COLOUR: [number, number, number] = [96, 165, 250];
/** Axis text and lines, readable on the plot's dark background. */
export const AXIS_TEXT: [number, number, number] = [222, 228, 240];
export const AXIS_LINE: [number, number, number] = [150, 160, 184];
