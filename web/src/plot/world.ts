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
}

export function frameOf(grid: SurfaceGrid): Frame {
  const xMin = grid.xs[0] ?? 0;
  const xMax = grid.xs[grid.nx - 1] ?? 1;
  const yMin = grid.ys[0] ?? 0;
  const yMax = grid.ys[grid.ny - 1] ?? 1;
  return { xMin, xMax: xMax > xMin ? xMax : xMin + 1, yMin, yMax: yMax > yMin ? yMax : yMin + 1 };
}

/** (a, b) to world (x, y). */
export function toWorld(f: Frame, a: number, b: number): [number, number] {
  return [((a - f.xMin) / (f.xMax - f.xMin) - 0.5) * WORLD, ((b - f.yMin) / (f.yMax - f.yMin) - 0.5) * WORLD];
}

export function fromWorld(f: Frame, x: number, y: number): [number, number] {
  return [f.xMin + (x / WORLD + 0.5) * (f.xMax - f.xMin), f.yMin + (y / WORLD + 0.5) * (f.yMax - f.yMin)];
}

/** Grid index coordinates (i, j, fractional) to world. */
export function indexToWorld(grid: SurfaceGrid, i: number, j: number): [number, number] {
  return [(i / Math.max(1, grid.nx - 1) - 0.5) * WORLD, (j / Math.max(1, grid.ny - 1) - 0.5) * WORLD];
}
export const CRITICAL_COLOURS: Record<string, [number, number, number]> = { MINIMUM: [62, 207, 142], SADDLE: [240, 162, 75], MAXIMUM: [239, 91, 91] };
/** Models' positions on interpolations and slices: a colour no critical point uses. */
export const MODEL_COLOUR: [number, number, number] = [96, 165, 250];
/** Axis text and lines, readable on the plot's dark background. */
export const AXIS_TEXT: [number, number, number] = [222, 228, 240];
export const AXIS_LINE: [number, number, number] = [150, 160, 184];
