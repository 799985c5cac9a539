/** The 2D plane: heatmap, contours, basin outline and hatching, with the overlay on top. */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { BitmapLayer, LineLayer } from "@deck.gl/layers";
import type { CriticalPoint } from "../api/types";
import { clippedColour, type ColourMapName, colourAt } from "./colormap";
import { evenLevels, isoSegments } from "./contours";
import { fillCoarse, type SurfaceGrid } from "./grid";
import { axisLayers, type Overlay, overlayLayers } from "./overlay-layers";
import type { ValueScale } from "./scale";
import { type Frame, frameOf, halves, indexToWorld, toWorld } from "./world";

/** RGBA pixels of the grid, one per point, row 0 at the bottom (so flipped for an image). */
export function heatmapImage(grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName): ImageData {
  const data = new Uint8ClampedArray(grid.nx * grid.ny * 4);
  // Values above the scale's top (a cap) are marked, not painted in the top colour.
  const clipped = clippedColour(map);
  for (let j = 0; j < grid.ny; j++) {
    for (let i = 0; i < grid.nx; i++) {
      const v = values[j * grid.nx + i]!;
      const o = ((grid.ny - 1 - j) * grid.nx + i) * 4;
      if (!Number.isFinite(v)) {
        data.set([40, 46, 62, 255], o);
        continue;
      }
      const [r, g, b] = v > scale.max ? clipped : colourAt(map, scale.normalize(v));
      data.set([r, g, b, 255], o);
    }
  }
  return new ImageData(data, grid.nx, grid.ny);
}
/**
 * The outline of a minimum's basin in grid index coordinates (flat [i0, j0, i1, j1, ...]): the
 * cells lower than its pass (value + persistence), 8-connected to it, traced by marching squares
 * over their indicator. Empty without a persistence.
 */
export function basinOutline(grid: SurfaceGrid, values: Float32Array, minimum: Pick<CriticalPoint, "i" | "j" | "value" | "persistence">): Float32Array {
  if (minimum.persistence == null || !(minimum.persistence > 0)) return new Float32Array(0);
  const { nx, ny } = grid;
  const level = minimum.value + minimum.persistence;
  const inside = new Float32Array(nx * ny);
  const start = minimum.j * nx + minimum.i;
  if (!(values[start]! < level)) return new Float32Array(0);
  const stack = [start];
  inside[start] = 1;
  while (stack.length) {
    const k = stack.pop()!;
    const i = k % nx;
    const j = (k - i) / nx;
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const a = i + di;
        const b = j + dj;
        if (a < 0 || b < 0 || a >= nx || b >= ny) continue;
        const m = b * nx + a;
        if (inside[m] === 0 && values[m]! < level) {
          inside[m] = 1;
          stack.push(m);
        }
      }
    }
  }
  return isoSegments(inside, nx, ny, 0.5);
}

/**
 * Three diagonal strokes across each hatched cell (the cell spans half a grid step around its
 * point, as the heatmap's pixel does).
 */
export function hatchSegments(grid: SurfaceGrid, hatched: Uint8Array, hx: number, hy: number, frame?: Frame): { from: [number, number]; to: [number, number] }[] {
  const out: { from: [number, number]; to: [number, number] }[] = [];
  for (let k = 0; k < hatched.length; k++) {
    if (hatched[k] !== 1) continue;
    const [cx, cy] = indexToWorld(grid, k % grid.nx, Math.floor(k / grid.nx), frame);
    out.push(
      { from: [cx - hx, cy - hy], to: [cx + hx, cy + hy] },
      { from: [cx - hx, cy], to: [cx, cy + hy] },
      { from: [cx, cy - hy], to: [cx + hx, cy] },
    );
  }
  return out;
}

/** The strokes twice: a dark halo under a light line, so they show on every colour of every map. */
function hatchLayers(id: string, grid: SurfaceGrid, hatched: Uint8Array, hx: number, hy: number, frame: Frame): Layer[] {
  const data = hatchSegments(grid, hatched, hx, hy, frame);
  const stroke = (suffix: string, color: [number, number, number, number], width: number) =>
    new LineLayer({
      id: `${id}-${suffix}`,
      data,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: color,
      getWidth: width,
      widthUnits: "pixels",
    });
  return [stroke("hatching-halo", [20, 24, 36, 200], 3.5), stroke("hatching", [255, 255, 255, 240], 1.5)];
}
/** Heatmap, contour lines, axes, critical points, PCA path and annotation pins. */
export function planeLayers(id: string, grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName, overlay: Overlay, contours = 12): Layer[] {
  const frame = frameOf(grid, overlay.equalAspect);
  const [halfX, halfY] = halves(frame);
  // Pixel centres lie on grid points, so the image spans half a cell beyond the outer points.
  const hx = halfX / Math.max(1, grid.nx - 1);
  const hy = halfY / Math.max(1, grid.ny - 1);
  const image = heatmapImage(grid, fillCoarse(values, grid.nx, grid.ny), scale, map);
  const trigger = [scale.kind, scale.min, scale.max, map];
  const dark = map === "coolwarm" || map === "greys";
  const segments: { from: [number, number]; to: [number, number]; major: boolean }[] = [];
  const levelValues = scale.kind === "log"
    ? evenLevels(Math.log10(Math.max(1e-6, scale.min)), Math.log10(Math.max(1e-6, scale.max)), contours).map((l) => 10 ** l)
    : evenLevels(scale.min, scale.max, contours);
  if (overlay.lossContours) {
    // Another grid's contours: its index coordinates to (a, b), then to this plot's world.
    const other = overlay.lossContours.grid;
    const otherValues = fillCoarse(overlay.lossContours.values, other.nx, other.ny);
    const at = (i: number, j: number): [number, number] => {
      const a = other.xs[0]! + (i / Math.max(1, other.nx - 1)) * ((other.xs[other.nx - 1] ?? 0) - other.xs[0]!);
      const b = other.ys[0]! + (j / Math.max(1, other.ny - 1)) * ((other.ys[other.ny - 1] ?? 0) - other.ys[0]!);
      return toWorld(frame, a, b);
    };
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of otherValues) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (hi > lo) {
      evenLevels(lo, hi, contours).forEach((level, k) => {
        const s = isoSegments(otherValues, other.nx, other.ny, level);
        for (let q = 0; q < s.length; q += 4) segments.push({ from: at(s[q]!, s[q + 1]!), to: at(s[q + 2]!, s[q + 3]!), major: k % 4 === 3 });
      });
    }
  } else {
    levelValues.forEach((level, k) => {
      const s = isoSegments(values, grid.nx, grid.ny, level);
      for (let q = 0; q < s.length; q += 4) segments.push({ from: indexToWorld(grid, s[q]!, s[q + 1]!, frame), to: indexToWorld(grid, s[q + 2]!, s[q + 3]!, frame), major: k % 4 === 3 });
    });
  }
  const layers: Layer[] = [
    new BitmapLayer({
      id: `${id}-heatmap`,
      image,
      bounds: [-halfX - hx, -halfY - hy, halfX + hx, halfY + hy],
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      textureParameters: { minFilter: "nearest", magFilter: "nearest" },
      updateTriggers: { image: trigger },
    }),
    new LineLayer({
      id: `${id}-contours`,
      data: segments,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      // Light lines on dark maps, dark ones on the light middle of coolwarm and greys.
      getColor: (d) => (dark ? (d.major ? [20, 24, 36, 230] : [20, 24, 36, 150]) : d.major ? [255, 255, 255, 230] : [255, 255, 255, 140]),
      getWidth: (d) => (d.major ? 1.6 : 1),
      widthUnits: "pixels",
      updateTriggers: { getColor: dark },
    }),
    ...axisLayers(id, frame, overlay.axisTitles, [hx, hy]),
  ];
  if (overlay.hatched?.some((h) => h === 1)) layers.push(...hatchLayers(id, grid, overlay.hatched, hx, hy, frame));
  if (overlay.basinOf) {
    const s = basinOutline(grid, values, overlay.basinOf);
    const outline: { from: [number, number]; to: [number, number] }[] = [];
    for (let q = 0; q < s.length; q += 4) outline.push({ from: indexToWorld(grid, s[q]!, s[q + 1]!, frame), to: indexToWorld(grid, s[q + 2]!, s[q + 3]!, frame) });
    layers.push(
      new LineLayer({
        id: `${id}-basin`,
        data: outline,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getSourcePosition: (d) => d.from,
        getTargetPosition: (d) => d.to,
        getColor: [62, 207, 142, 255],
        getWidth: 2.5,
        widthUnits: "pixels",
      }),
    );
  }
  layers.push(...overlayLayers(id, frame, overlay));
  return layers;
}

