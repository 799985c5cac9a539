/** The 3D mesh of a surface, with its box, ticks, titles and the overlay lifted onto it. */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import { SimpleMeshLayer } from "@deck.gl/mesh-layers";
import type { PathPoint } from "../api/types";
import { clippedColour, type ColourMapName, colourAt } from "./colormap";
import { fillCoarse, type SurfaceGrid } from "./grid";
import { criticalGlyphLayers, type Overlay, overlayLayers } from "./overlay-layers";
import { axisTicks, niceTicks, tickFormat, type ValueScale } from "./scale";
import { AXIS_LINE, AXIS_TEXT, type Frame, frameOf, halves, HEIGHT, indexToWorld, ON_TOP, toWorld, WORLD } from "./world";

/**
 * A lit triangle mesh of the grid, coloured by value: positions, normals, colours as typed arrays.
 * Values above the scale's top are drawn flat at the top in the clipped colour, as the paper's
 * figures cut the loss at a fixed level.
 */
export function surfaceMesh(grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName, frame?: Frame) {
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
      const [x, y] = indexToWorld(grid, i, j, frame);
      positions.set([x, y, z[k]!], k * 3);
      const c = !Number.isFinite(t) ? [60, 66, 82] : v > scale.max ? clipped : colourAt(map, tt);
      colors.set([c[0]! / 255, c[1]! / 255, c[2]! / 255], k * 3);
    }
  }
  const [hx, hy] = frame ? halves(frame) : [WORLD / 2, WORLD / 2];
  const dx = (2 * hx) / Math.max(1, nx - 1);
  const dy = (2 * hy) / Math.max(1, ny - 1);
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
 * shared corner are kept apart. At equal aspect (a PCA plane) the floor is as long on each side as
 * its axis's range, as in 2D: the shorter axis's side is shorter.
 */
export function meshLayers(id: string, grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName, overlay: Overlay): Layer[] {
  const frame = frameOf(grid, overlay.equalAspect);
  const mesh = surfaceMesh(grid, fillCoarse(values, grid.nx, grid.ny), scale, map, frame);
  const [hx, hy] = halves(frame);
  const zOfValue = (v: number) => Math.min(1, Math.max(0, scale.normalize(v))) * HEIGHT;
  const zt = axisTicks(scale).filter((v) => v >= scale.min - 1e-12 * Math.abs(scale.min) && v <= scale.max * (1 + 1e-12));
  // The value axis stands at the corner on the screen's left (a and b at their minimum), as in
  // the paper's figures; the back walls (x = -hx, y = +hy) carry the value ticks as lines.
  const axisAt: [number, number] = [-hx, -hy];
  const lines: [number, number, number][][] = [
    [[-hx, -hy, 0], [hx, -hy, 0], [hx, hy, 0], [-hx, hy, 0], [-hx, -hy, 0]],
    [[axisAt[0], axisAt[1], 0], [axisAt[0], axisAt[1], HEIGHT]],
    ...zt.map((v): [number, number, number][] => [[axisAt[0], axisAt[1], zOfValue(v)], [axisAt[0] - 2, axisAt[1] - 2, zOfValue(v)]]),
    // Back walls' top edges and the value ticks along them, so heights read against the box.
    [[-hx, -hy, HEIGHT], [-hx, hy, HEIGHT], [hx, hy, HEIGHT]],
    ...zt.map((v): [number, number, number][] => [[-hx, -hy, zOfValue(v)], [-hx, hy, zOfValue(v)], [hx, hy, zOfValue(v)]]),
  ];
  // a ticks along the front edge, b ticks along the right one: both edges face the camera, so
  // their labels lie on the floor outside the surface, never over it. The tick at the corner they
  // share is labelled once (by a).
  const xt = niceTicks(frame.xMin, frame.xMax, 5);
  const yt = niceTicks(frame.yMin, frame.yMax, 5).filter((v) => Math.abs(v - frame.yMin) > 1e-9 * (frame.yMax - frame.yMin));
  const labels: { text: string; position: [number, number, number]; anchor: "start" | "middle" | "end"; title?: boolean }[] = [
    ...xt.map((v) => ({ text: tickFormat(xt)(v), position: [toWorld(frame, v, frame.yMin)[0], -hy - LABEL_GAP, 0] as [number, number, number], anchor: "middle" as const })),
    ...yt.map((v) => ({ text: tickFormat(yt)(v), position: [hx + LABEL_GAP, toWorld(frame, frame.xMax, v)[1], 0] as [number, number, number], anchor: "start" as const })),
    // Further out than the ticks and toward the near corner, so a long title ("PC1 (84.3%)") ends
    // before the far tick.
    { text: overlay.axisTitles?.[0] ?? "a", position: [-0.3 * hx, -hy - 3.2 * LABEL_GAP, 0], anchor: "middle", title: true },
    { text: overlay.axisTitles?.[1] ?? "b", position: [hx + 2.2 * LABEL_GAP, hy * 0.2, 0], anchor: "start", title: true },
  ];
  // Ticks low on the axis would meet the a labels at the corner: the lowest one goes.
  const valueLabels = zt
    .filter((v) => zOfValue(v) > 0.05 * HEIGHT)
    .map((v) => ({ text: tickFormat(zt)(v), position: [axisAt[0] - 3, axisAt[1] - 3, zOfValue(v)] as [number, number, number] }));
  const valueTitle = { text: overlay.valueTitle ?? "value", position: [axisAt[0] - 3, axisAt[1] - 3, HEIGHT + 5] as [number, number, number] };
  const heightOf = (a: number, b: number) => meshHeight(grid, values, scale, frame, a, b);
  const points = overlay.criticalPoints ?? [];
  const criticalAt = (p: { x: number; y: number }): [number, number, number] => [...toWorld(frame, p.x, p.y), heightOf(p.x, p.y) + 1.2];
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
    // Depth-tested, so the surface in front of a point hides it, and faint over everything, so a
    // hidden one still shows where it is.
    ...criticalGlyphLayers(`${id}-critical-3d`, points, criticalAt, { updateTriggers: { getPosition: meshTrigger } }),
    ...criticalGlyphLayers(`${id}-critical-3d-behind`, points, criticalAt, { updateTriggers: { getPosition: meshTrigger }, opacity: 0.35, parameters: ON_TOP }),
    ...pathLayers(`${id}-path-3d`, overlay.path ?? null, frame, heightOf, meshTrigger),
    ...overlayLayers(`${id}-3d`, frame, { annotations: overlay.annotations, selectedAnnotation: overlay.selectedAnnotation }, (a, b) => heightOf(a, b) + 0.8),
  ];
}


/**
 * The mesh's height (world z) at (a, b): bilinear between the four grid points around it, as the
 * mesh's triangles nearly are, so what is drawn on the surface lies on it rather than under it.
 */
export function meshHeight(grid: SurfaceGrid, values: Float32Array, scale: ValueScale, frame: Frame, a: number, b: number): number {
  const fi = Math.max(0, Math.min(grid.nx - 1, ((a - frame.xMin) / (frame.xMax - frame.xMin)) * (grid.nx - 1)));
  const fj = Math.max(0, Math.min(grid.ny - 1, ((b - frame.yMin) / (frame.yMax - frame.yMin)) * (grid.ny - 1)));
  const i0 = Math.min(Math.floor(fi), Math.max(0, grid.nx - 2));
  const j0 = Math.min(Math.floor(fj), Math.max(0, grid.ny - 2));
  const z = (i: number, j: number) => {
    const t = scale.normalize(values[Math.min(grid.ny - 1, j) * grid.nx + Math.min(grid.nx - 1, i)]!);
    return Number.isFinite(t) ? Math.min(1, Math.max(0, t)) * HEIGHT : 0;
  };
  const u = fi - i0;
  const w = fj - j0;
  return (1 - w) * ((1 - u) * z(i0, j0) + u * z(i0 + 1, j0)) + w * ((1 - u) * z(i0, j0 + 1) + u * z(i0 + 1, j0 + 1));
}

/** Ring outlines drawn over everything, faint: where a marker or path lies behind the surface. */
const GHOST = 110;

/**
 * Markers on the mesh: filled and depth-tested, so the surface in front of one hides it, and a
 * faint outline over everything, so a hidden one still shows where it is.
 */
function markerLayers<P>(id: string, data: P[], position: (p: P) => [number, number, number], colour: (p: P) => [number, number, number], trigger: unknown, radius = 6): Layer[] {
  if (!data.length) return [];
  const common = { data, coordinateSystem: COORDINATE_SYSTEM.CARTESIAN, getPosition: position, getRadius: radius, radiusUnits: "pixels" as const, billboard: true, lineWidthUnits: "pixels" as const, updateTriggers: { getPosition: trigger } };
  return [
    new ScatterplotLayer<P>({ ...common, id, stroked: true, getLineColor: [15, 20, 32], getLineWidth: 1.5, getFillColor: colour }),
    new ScatterplotLayer<P>({ ...common, id: `${id}-behind`, stroked: true, filled: false, getLineColor: (p) => [...colour(p), GHOST], getLineWidth: 1.5, parameters: ON_TOP }),
  ];
}

/** Sub-steps per path segment, so the path follows the surface's relief between checkpoints. */
const PATH_STEPS = 12;

/** The optimizer's path on the mesh: depth-tested over the surface, faint where it passes behind. */
function pathLayers(id: string, path: PathPoint[] | null, frame: Frame, heightOf: (a: number, b: number) => number, trigger: unknown): Layer[] {
  if (!path || path.length < 2) return [];
  const line: [number, number, number][] = [];
  for (let k = 0; k + 1 < path.length; k++) {
    const [p, q] = [path[k]!, path[k + 1]!];
    for (let s = 0; s < PATH_STEPS || (k + 2 === path.length && s === PATH_STEPS); s++) {
      const a = p.x + ((q.x - p.x) * s) / PATH_STEPS;
      const b = p.y + ((q.y - p.y) * s) / PATH_STEPS;
      line.push([...toWorld(frame, a, b), heightOf(a, b) + 0.6]);
    }
  }
  const common = { data: [line], coordinateSystem: COORDINATE_SYSTEM.CARTESIAN, getPath: (d: [number, number, number][]) => d, widthUnits: "pixels" as const, updateTriggers: { getPath: trigger } };
  return [
    new PathLayer({ ...common, id: `${id}-behind`, getColor: [255, 255, 255, 70], getWidth: 1.5, parameters: ON_TOP }),
    new PathLayer({ ...common, id, getColor: [255, 255, 255], getWidth: 2.5 }),
    ...markerLayers(`${id}-steps`, path, (p) => [...toWorld(frame, p.x, p.y), heightOf(p.x, p.y) + 0.6], () => [255, 255, 255], trigger, 3),
  ];
}
