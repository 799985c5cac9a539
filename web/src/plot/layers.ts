/**
 * deck.gl layers of a surface, as pure functions of their inputs. The 2D world maps the grid's
 * (a, b) range onto a square of side WORLD centred at the origin; the 3D world adds the value,
 * normalised to [0, HEIGHT], as z.
 */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { BitmapLayer, LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import { SimpleMeshLayer } from "@deck.gl/mesh-layers";
import type { Annotation, CriticalPoint, PathPoint } from "../api/types";
import { clippedColour, type ColourMapName, colourAt } from "./colormap";
import { evenLevels, isoSegments } from "./contours";
import { fillCoarse, type SurfaceGrid } from "./grid";
import { axisTicks, niceTicks, tickFormat, type ValueScale } from "./scale";

export const WORLD = 100;
/** Depth state of labels and pins: drawn over the mesh, never hidden behind it. */
const ON_TOP = { depthCompare: "always" as const, depthWriteEnabled: false };
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
function indexToWorld(grid: SurfaceGrid, i: number, j: number): [number, number] {
  return [(i / Math.max(1, grid.nx - 1) - 0.5) * WORLD, (j / Math.max(1, grid.ny - 1) - 0.5) * WORLD];
}

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

export interface Overlay {
  criticalPoints?: CriticalPoint[];
  path?: PathPoint[] | null;
  annotations?: Annotation[];
  selectedAnnotation?: string | null;
  /** Names of the a and b axes (default "a", "b"), e.g. "PC1 (61.2%)" on a PCA plane. */
  axisTitles?: [string, string];
  /** Outline this minimum's basin: the cells below its pass, connected to it. */
  basinOf?: CriticalPoint | null;
  /** Title of the value axis (3D and 1D), e.g. "Loss". */
  valueTitle?: string;
  /**
   * 2D: contours of another grid over the same plane (the loss of the plane an eigen-ratio map
   * belongs to) drawn in place of the heatmap's own, placed by their (a, b) coordinates.
   */
  lossContours?: { grid: SurfaceGrid; values: Float32Array } | null;
  /**
   * 2D: cells to hatch (1 at grid index j * nx + i), e.g. eigen-ratio points whose Lanczos run
   * reached its step cap before converging.
   */
  hatched?: Uint8Array | null;
}

export const CRITICAL_COLOURS: Record<string, [number, number, number]> = { MINIMUM: [62, 207, 142], SADDLE: [240, 162, 75], MAXIMUM: [239, 91, 91] };
/** Models' positions on interpolations and slices: a colour no critical point uses. */
export const MODEL_COLOUR: [number, number, number] = [96, 165, 250];
/** Axis text and lines, readable on the plot's dark background. */
export const AXIS_TEXT: [number, number, number] = [222, 228, 240];
const AXIS_LINE: [number, number, number] = [150, 160, 184];

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

/** The minimum whose basin matters most: the most persistent one, the lowest on a tie. */
export function mainMinimum<P extends Pick<CriticalPoint, "kind" | "value" | "persistence">>(points: readonly P[] | undefined): P | null {
  let best: P | null = null;
  for (const p of points ?? []) {
    if (p.kind !== "MINIMUM") continue;
    if (!best || (p.persistence ?? 0) > (best.persistence ?? 0) || ((p.persistence ?? 0) === (best.persistence ?? 0) && p.value < best.value)) best = p;
  }
  return best;
}

/** Heatmap, contour lines, axes, critical points, PCA path and annotation pins. */
/**
 * Three diagonal strokes across each hatched cell (the cell spans half a grid step around its
 * point, as the heatmap's pixel does).
 */
export function hatchSegments(grid: SurfaceGrid, hatched: Uint8Array, hx: number, hy: number): { from: [number, number]; to: [number, number] }[] {
  const out: { from: [number, number]; to: [number, number] }[] = [];
  for (let k = 0; k < hatched.length; k++) {
    if (hatched[k] !== 1) continue;
    const [cx, cy] = indexToWorld(grid, k % grid.nx, Math.floor(k / grid.nx));
    out.push(
      { from: [cx - hx, cy - hy], to: [cx + hx, cy + hy] },
      { from: [cx - hx, cy], to: [cx, cy + hy] },
      { from: [cx, cy - hy], to: [cx + hx, cy] },
    );
  }
  return out;
}

/** The strokes twice: a dark halo under a light line, so they show on every colour of every map. */
function hatchLayers(id: string, grid: SurfaceGrid, hatched: Uint8Array, hx: number, hy: number): Layer[] {
  const data = hatchSegments(grid, hatched, hx, hy);
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

export function planeLayers(id: string, grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName, overlay: Overlay, contours = 12): Layer[] {
  const frame = frameOf(grid);
  const half = WORLD / 2;
  // Pixel centres lie on grid points, so the image spans half a cell beyond the outer points.
  const hx = WORLD / Math.max(1, grid.nx - 1) / 2;
  const hy = WORLD / Math.max(1, grid.ny - 1) / 2;
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
      for (let q = 0; q < s.length; q += 4) segments.push({ from: indexToWorld(grid, s[q]!, s[q + 1]!), to: indexToWorld(grid, s[q + 2]!, s[q + 3]!), major: k % 4 === 3 });
    });
  }
  const layers: Layer[] = [
    new BitmapLayer({
      id: `${id}-heatmap`,
      image,
      bounds: [-half - hx, -half - hy, half + hx, half + hy],
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
    ...axisLayers(id, frame, overlay.axisTitles),
  ];
  if (overlay.hatched?.some((h) => h === 1)) layers.push(...hatchLayers(id, grid, overlay.hatched, hx, hy));
  if (overlay.basinOf) {
    const s = basinOutline(grid, values, overlay.basinOf);
    const outline: { from: [number, number]; to: [number, number] }[] = [];
    for (let q = 0; q < s.length; q += 4) outline.push({ from: indexToWorld(grid, s[q]!, s[q + 1]!), to: indexToWorld(grid, s[q + 2]!, s[q + 3]!) });
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

/**
 * Path, critical points and pins. `zOf` lifts them onto the 3D mesh; in 2D everything stays at
 * z = 0, since the orthographic camera clips what is above its eye.
 */
function overlayLayers(id: string, frame: Frame, overlay: Overlay, zOf: (a: number, b: number) => number = () => 0): Layer[] {
  const layers: Layer[] = [];
  const at = (a: number, b: number): [number, number, number] => [...toWorld(frame, a, b), zOf(a, b)];
  if (overlay.path && overlay.path.length > 1) {
    layers.push(
      new PathLayer({
        id: `${id}-pca-path`,
        data: [overlay.path],
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPath: (d: PathPoint[]) => d.map((p) => at(p.x, p.y)),
        getColor: [255, 255, 255],
        getWidth: 2,
        widthUnits: "pixels",
      }),
      new ScatterplotLayer({
        id: `${id}-pca-steps`,
        data: overlay.path,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (p: PathPoint) => at(p.x, p.y),
        getRadius: 3,
        radiusUnits: "pixels",
        getFillColor: [255, 255, 255],
      }),
    );
  }
  if (overlay.criticalPoints?.length) {
    layers.push(
      new ScatterplotLayer({
        id: `${id}-critical`,
        data: overlay.criticalPoints,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (p: CriticalPoint) => at(p.x, p.y),
        getRadius: 6,
        radiusUnits: "pixels",
        stroked: true,
        getLineColor: [15, 20, 32],
        lineWidthUnits: "pixels",
        getLineWidth: 2,
        getFillColor: (p: CriticalPoint) => CRITICAL_COLOURS[p.kind] ?? [255, 255, 255],
      }),
    );
  }
  if (overlay.annotations?.length) {
    layers.push(
      new ScatterplotLayer({
        id: `${id}-pins`,
        data: overlay.annotations,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (n: Annotation) => at(n.x, n.y),
        getRadius: (n: Annotation) => (n.id === overlay.selectedAnnotation ? 9 : 7),
        radiusUnits: "pixels",
        stroked: true,
        getLineColor: [255, 255, 255],
        lineWidthUnits: "pixels",
        getLineWidth: 2,
        getFillColor: [232, 62, 140],
        parameters: ON_TOP,
        updateTriggers: { getRadius: overlay.selectedAnnotation },
      }),
      new TextLayer({
        id: `${id}-pin-labels`,
        data: overlay.annotations,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (n: Annotation) => at(n.x, n.y),
        getText: (n: Annotation) => n.label,
        getSize: 13,
        getColor: [255, 255, 255],
        getPixelOffset: [10, -10],
        getTextAnchor: "start",
        outlineWidth: 3,
        outlineColor: [15, 20, 32],
        fontSettings: { sdf: true },
        parameters: ON_TOP,
      }),
    );
  }
  return layers;
}

/** Frame lines with ticks and labels along a and b. */
function axisLayers(id: string, frame: Frame, titles: [string, string] = ["a", "b"]): Layer[] {
  const half = WORLD / 2;
  const xt = niceTicks(frame.xMin, frame.xMax, 5).map((v) => ({ v, p: toWorld(frame, v, frame.yMin) }));
  const yt = niceTicks(frame.yMin, frame.yMax, 5).map((v) => ({ v, p: toWorld(frame, frame.xMin, v) }));
  const edge = half + 1.5;
  const fx = tickFormat(xt.map((t) => t.v));
  const fy = tickFormat(yt.map((t) => t.v));
  const ticks = [
    ...xt.map((t) => ({ from: [t.p[0], -edge] as [number, number], to: [t.p[0], -edge - 2] as [number, number] })),
    ...yt.map((t) => ({ from: [-edge, t.p[1]] as [number, number], to: [-edge - 2, t.p[1]] as [number, number] })),
  ];
  const labels = [
    ...xt.map((t) => ({ text: fx(t.v), position: [t.p[0], -edge - 4] as [number, number], anchor: "middle" as const })),
    ...yt.map((t) => ({ text: fy(t.v), position: [-edge - 3, t.p[1]] as [number, number], anchor: "end" as const })),
    { text: titles[0], position: [edge + 2, -edge - 4] as [number, number], anchor: "start" as const },
    { text: titles[1], position: [-edge - 3, edge + 6] as [number, number], anchor: "end" as const },
  ];
  return [
    new LineLayer({
      id: `${id}-ticks`,
      data: ticks,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: AXIS_LINE,
      getWidth: 1,
      widthUnits: "pixels",
    }),
    new TextLayer({
      id: `${id}-tick-labels`,
      data: labels,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getTextAnchor: (d) => d.anchor,
      getAlignmentBaseline: "center",
      getSize: 13,
      getColor: AXIS_TEXT,
    }),
  ];
}

/**
 * A lit triangle mesh of the grid, coloured by value: positions, normals, colours as typed arrays.
 * Values above the scale's top are drawn flat at the top in the clipped colour, as the paper's
 * figures cut the loss at a fixed level.
 */
export function surfaceMesh(grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName) {
  const { nx, ny } = grid;
  const n = nx * ny;
  const positions = new Float32Array(n * 3);
  const colors = new Float32Array(n * 3);
  const normals = new Float32Array(n * 3);
  const z = new Float32Array(n);
  const clipped = clippedColour(map);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const v = values[k]!;
      const t = scale.normalize(v);
      const tt = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
      z[k] = tt * HEIGHT;
      const [x, y] = indexToWorld(grid, i, j);
      positions.set([x, y, z[k]!], k * 3);
      const c = !Number.isFinite(t) ? [60, 66, 82] : v > scale.max ? clipped : colourAt(map, tt);
      colors.set([c[0]! / 255, c[1]! / 255, c[2]! / 255], k * 3);
    }
  }
  const dx = WORLD / Math.max(1, nx - 1);
  const dy = WORLD / Math.max(1, ny - 1);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const zx = (z[j * nx + Math.min(nx - 1, i + 1)]! - z[j * nx + Math.max(0, i - 1)]!) / (dx * (i > 0 && i < nx - 1 ? 2 : 1));
      const zy = (z[Math.min(ny - 1, j + 1) * nx + i]! - z[Math.max(0, j - 1) * nx + i]!) / (dy * (j > 0 && j < ny - 1 ? 2 : 1));
      const len = Math.hypot(zx, zy, 1);
      normals.set([-zx / len, -zy / len, 1 / len], k * 3);
    }
  }
  const indices = new Uint32Array((nx - 1) * (ny - 1) * 6);
  let o = 0;
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = j * nx + i;
      indices.set([a, a + 1, a + nx + 1, a, a + nx + 1, a + nx], o);
      o += 6;
    }
  }
  return {
    attributes: {
      positions: { value: positions, size: 3 },
      normals: { value: normals, size: 3 },
      colors: { value: colors, size: 3 },
    },
    indices: { value: indices, size: 1 },
  };
}

/** Where the 3D box's labels go, in world units outside the box. */
const LABEL_GAP = 7;

/**
 * 3D mesh in a box like the paper's figures: a floor frame with a and b ticks along its front and
 * left edges, a value axis with 4 to 6 ticks and its title standing at the back-left corner, and
 * overlays on the surface. Labels are drawn over the mesh, never hidden by it, and the ticks at the
 * shared corner are kept apart.
 */
export function meshLayers(id: string, grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName, overlay: Overlay): Layer[] {
  const frame = frameOf(grid);
  const mesh = surfaceMesh(grid, fillCoarse(values, grid.nx, grid.ny), scale, map);
  const half = WORLD / 2;
  const zOfValue = (v: number) => Math.min(1, Math.max(0, scale.normalize(v))) * HEIGHT;
  const zt = axisTicks(scale).filter((v) => v >= scale.min - 1e-12 * Math.abs(scale.min) && v <= scale.max * (1 + 1e-12));
  // The value axis stands at the corner on the screen's left (a and b at their minimum), as in
  // the paper's figures; the back walls (x = -half, y = +half) carry the value ticks as lines.
  const axisAt: [number, number] = [-half, -half];
  const lines: [number, number, number][][] = [
    [[-half, -half, 0], [half, -half, 0], [half, half, 0], [-half, half, 0], [-half, -half, 0]],
    [[axisAt[0], axisAt[1], 0], [axisAt[0], axisAt[1], HEIGHT]],
    ...zt.map((v): [number, number, number][] => [[axisAt[0], axisAt[1], zOfValue(v)], [axisAt[0] - 2, axisAt[1] - 2, zOfValue(v)]]),
    // Back walls' top edges and the value ticks along them, so heights read against the box.
    [[-half, -half, HEIGHT], [-half, half, HEIGHT], [half, half, HEIGHT]],
    ...zt.map((v): [number, number, number][] => [[-half, -half, zOfValue(v)], [-half, half, zOfValue(v)], [half, half, zOfValue(v)]]),
  ];
  // a ticks along the front edge, b ticks along the left edge; the tick at the corner they share
  // is labelled once (by a), so "-1" and "-1" never sit on top of each other.
  const xt = niceTicks(frame.xMin, frame.xMax, 5);
  const yt = niceTicks(frame.yMin, frame.yMax, 5).filter((v) => Math.abs(v - frame.yMin) > 1e-9 * (frame.yMax - frame.yMin));
  const labels: { text: string; position: [number, number, number]; anchor: "start" | "middle" | "end"; title?: boolean }[] = [
    ...xt.map((v) => ({ text: tickFormat(xt)(v), position: [toWorld(frame, v, frame.yMin)[0], -half - LABEL_GAP, 0] as [number, number, number], anchor: "middle" as const })),
    ...yt.map((v) => ({ text: tickFormat(yt)(v), position: [-half - LABEL_GAP, toWorld(frame, frame.xMin, v)[1], 0] as [number, number, number], anchor: "end" as const })),
    { text: overlay.axisTitles?.[0] ?? "a", position: [0, -half - 2.6 * LABEL_GAP, 0], anchor: "middle", title: true },
    { text: overlay.axisTitles?.[1] ?? "b", position: [-half - 2.6 * LABEL_GAP, 0, 0], anchor: "end", title: true },
  ];
  // Ticks low on the axis would meet the a and b labels at the corner: the lowest one goes.
  const valueLabels = zt
    .filter((v) => zOfValue(v) > 0.05 * HEIGHT)
    .map((v) => ({ text: tickFormat(zt)(v), position: [axisAt[0] - 3, axisAt[1] - 3, zOfValue(v)] as [number, number, number] }));
  const valueTitle = { text: overlay.valueTitle ?? "value", position: [axisAt[0] - 3, axisAt[1] - 3, HEIGHT + 5] as [number, number, number] };
  const heightOf = (a: number, b: number) => {
    const i = Math.round(((a - frame.xMin) / (frame.xMax - frame.xMin)) * (grid.nx - 1));
    const j = Math.round(((b - frame.yMin) / (frame.yMax - frame.yMin)) * (grid.ny - 1));
    const v = values[Math.max(0, Math.min(grid.ny - 1, j)) * grid.nx + Math.max(0, Math.min(grid.nx - 1, i))]!;
    return Number.isFinite(scale.normalize(v)) ? zOfValue(v) : 0;
  };
  const points = overlay.criticalPoints ?? [];
  const meshTrigger = [scale.kind, scale.min, scale.max, map];
  return [
    new SimpleMeshLayer({
      id: `${id}-mesh`,
      data: [0],
      // Typed arrays straight in; a new mesh object only when the grid, scale or map changes.
      mesh: mesh as never,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: () => [0, 0, 0],
      getColor: [255, 255, 255],
      pickable: true,
      material: { ambient: 0.4, diffuse: 0.75, shininess: 40, specularColor: [70, 70, 70] },
      updateTriggers: { mesh: meshTrigger },
    }),
    new PathLayer({
      id: `${id}-frame`,
      data: lines,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPath: (d) => d,
      getColor: [...AXIS_LINE, 200],
      getWidth: 1,
      widthUnits: "pixels",
      updateTriggers: { getPath: meshTrigger },
    }),
    new TextLayer({
      id: `${id}-axis-labels`,
      data: labels,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getTextAnchor: (d) => d.anchor,
      getAlignmentBaseline: "center",
      getSize: (d) => (d.title ? 16 : 14),
      getColor: AXIS_TEXT,
      fontWeight: 600,
      billboard: true,
      parameters: ON_TOP,
    }),
    new TextLayer({
      id: `${id}-value-labels`,
      data: valueLabels,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getSize: 14,
      getColor: AXIS_TEXT,
      fontWeight: 600,
      getTextAnchor: "end",
      getAlignmentBaseline: "center",
      getPixelOffset: [-4, 0],
      billboard: true,
      parameters: ON_TOP,
      updateTriggers: { getPosition: meshTrigger },
    }),
    new TextLayer({
      id: `${id}-value-title`,
      data: [valueTitle],
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getSize: 16,
      getColor: AXIS_TEXT,
      fontWeight: 600,
      getTextAnchor: "end",
      getAlignmentBaseline: "bottom",
      billboard: true,
      parameters: ON_TOP,
      updateTriggers: { getText: overlay.valueTitle },
    }),
    ...(points.length
      ? [
          new ScatterplotLayer({
            id: `${id}-critical-3d`,
            data: points,
            coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
            getPosition: (p: CriticalPoint) => [...toWorld(frame, p.x, p.y), heightOf(p.x, p.y) + 0.6] as [number, number, number],
            getRadius: 6,
            radiusUnits: "pixels",
            stroked: true,
            getLineColor: [15, 20, 32],
            lineWidthUnits: "pixels",
            getLineWidth: 1.5,
            billboard: true,
            parameters: ON_TOP,
            getFillColor: (p: CriticalPoint) => CRITICAL_COLOURS[p.kind] ?? [255, 255, 255],
            updateTriggers: { getPosition: meshTrigger },
          }),
        ]
      : []),
    ...overlayLayers(`${id}-3d`, frame, { annotations: overlay.annotations, selectedAnnotation: overlay.selectedAnnotation, path: overlay.path }, (a, b) => heightOf(a, b) + 0.8),
  ];
}

/**
 * 1D surfaces: the metric along a as a line, with ticks and titles on both axes, in the same
 * square world; the models' positions (an interpolation's ends, a slice's centre) as vertical
 * lines in their own colour, named at the top.
 */
/** The line's value at x, linear between its two nearest grid points; null off the grid or where a value is missing. */
export function lineValueAt(grid: SurfaceGrid, values: Float32Array, x: number): number | null {
  const xs = grid.xs;
  for (let i = 0; i + 1 < grid.nx; i++) {
    const x0 = xs[i]!;
    const x1 = xs[i + 1]!;
    if (x < Math.min(x0, x1) || x > Math.max(x0, x1)) continue;
    const v0 = values[i]!;
    const v1 = values[i + 1]!;
    if (!Number.isFinite(v0) || !Number.isFinite(v1)) return null;
    return x1 === x0 ? v0 : v0 + ((x - x0) / (x1 - x0)) * (v1 - v0);
  }
  return null;
}

export function lineLayers(id: string, grid: SurfaceGrid, values: Float32Array, scale: ValueScale, markers: { name: string; x: number }[] = [], titles: { x: string; value: string } = { x: "a", value: "value" }): Layer[] {
  const frame = frameOf(grid);
  const half = WORLD / 2;
  const yOf = (v: number) => (Math.min(1, Math.max(0, scale.normalize(v))) - 0.5) * WORLD;
  const path: [number, number][] = [];
  const segments: [number, number][][] = [];
  for (let i = 0; i < grid.nx; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      if (path.length) segments.push(path.splice(0));
      continue;
    }
    path.push([toWorld(frame, grid.xs[i]!, 0)[0], yOf(v)]);
  }
  if (path.length) segments.push(path.splice(0));
  const xt = niceTicks(frame.xMin, frame.xMax, 6);
  const vt = axisTicks(scale).filter((v) => v >= scale.min - 1e-12 * Math.abs(scale.min) && v <= scale.max * (1 + 1e-12));
  const edge = half + 1.5;
  const grids = vt.map((v) => ({ from: [-half, yOf(v)] as [number, number], to: [half, yOf(v)] as [number, number] }));
  const labels = [
    ...xt.map((v) => ({ text: tickFormat(xt)(v), position: [toWorld(frame, v, 0)[0], -edge - 4] as [number, number], anchor: "middle" as const, angle: 0 })),
    ...vt.map((v) => ({ text: tickFormat(vt)(v), position: [-edge - 2, yOf(v)] as [number, number], anchor: "end" as const, angle: 0 })),
    { text: titles.x, position: [0, -edge - 11] as [number, number], anchor: "middle" as const, angle: 0 },
    { text: titles.value, position: [-edge - 15, 0] as [number, number], anchor: "middle" as const, angle: 90 },
  ];
  const points = values.length > 0 ? Array.from({ length: grid.nx }, (_, i) => ({ x: grid.xs[i]!, v: values[i]! })).filter((p) => Number.isFinite(p.v)) : [];
  const trigger = [scale.kind, scale.min, scale.max];
  return [
    new LineLayer({
      id: `${id}-gridlines`,
      data: grids,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: [60, 70, 95],
      getWidth: 1,
      widthUnits: "pixels",
    }),
    new LineLayer({
      id: `${id}-model-lines`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (m) => [toWorld(frame, m.x, 0)[0], -half],
      getTargetPosition: (m) => [toWorld(frame, m.x, 0)[0], half],
      getColor: [...MODEL_COLOUR, 200],
      getWidth: 1.5,
      widthUnits: "pixels",
    }),
    new PathLayer({
      id: `${id}-line`,
      data: segments,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPath: (d) => d,
      getColor: [240, 162, 75],
      getWidth: 2.5,
      widthUnits: "pixels",
      updateTriggers: { getPath: trigger },
    }),
    new ScatterplotLayer({
      id: `${id}-line-points`,
      data: points,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (p) => [toWorld(frame, p.x, 0)[0], yOf(p.v)],
      getRadius: 3,
      radiusUnits: "pixels",
      // Points above a capped scale sit on its top edge, in the clipped colour.
      getFillColor: (p) => (p.v > scale.max ? clippedColour("viridis") : [240, 162, 75]),
      updateTriggers: { getPosition: trigger, getFillColor: trigger },
    }),
    new ScatterplotLayer({
      id: `${id}-model-markers`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      // On the curve, at the model's value: the point the reader compares with the model's own loss.
      getPosition: (m) => {
        const v = lineValueAt(grid, values, m.x);
        return [toWorld(frame, m.x, 0)[0], v === null ? -half : yOf(v)];
      },
      updateTriggers: { getPosition: trigger },
      getRadius: 6,
      radiusUnits: "pixels",
      stroked: true,
      getLineColor: [15, 20, 32],
      lineWidthUnits: "pixels",
      getLineWidth: 1.5,
      getFillColor: MODEL_COLOUR,
    }),
    new TextLayer({
      id: `${id}-model-names`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (m) => [toWorld(frame, m.x, 0)[0], half],
      getText: (m) => m.name,
      getSize: 13,
      getColor: MODEL_COLOUR,
      fontWeight: 700,
      getTextAnchor: "start",
      getAlignmentBaseline: "top",
      getPixelOffset: [4, 2],
    }),
    new TextLayer({
      id: `${id}-line-labels`,
      data: labels,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getTextAnchor: (d) => d.anchor,
      getAngle: (d) => d.angle,
      getAlignmentBaseline: "center",
      getSize: 13,
      getColor: AXIS_TEXT,
      updateTriggers: { getText: [titles.x, titles.value] },
    }),
  ];
}
