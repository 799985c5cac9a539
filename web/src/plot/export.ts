/**
 * Figures and meshes for papers and other tools: a PNG of the plot at twice its size on an opaque
 * background with a title and a colour bar; SVG of contour plots, heatmaps and 1D plots (vector,
 * with axes, ticks, titles and a colour bar); the 3D surface as VTK PolyData XML (`.vtp`, for
 * ParaView, as the paper authors' h52vtp.py writes) and as binary glTF 2.0 (`.glb`, for Blender
 * and three.js). All but the PNG are pure functions of the grid, so their content is tested.
 */
import type { CriticalPoint, PathPoint } from "../api/types";
import { clippedColour, COLOUR_MAPS, type ColourMapName, colourAt } from "./colormap";
import { evenLevels, isoSegments } from "./contours";
import { fillCoarse, type SurfaceGrid } from "./grid";
import { surfaceMesh } from "./mesh-layers";
import { basinOutline } from "./plane-layers";
import { CRITICAL_COLOURS, HEIGHT, MODEL_COLOUR, WORLD } from "./world";
import { axisTicks, formatValue, niceTicks, tickFormat, type ValueScale } from "./scale";

/** What every figure says besides its data. */
export interface FigureText {
  title: string;
  /** A second line under the title (model, dataset, grid). */
  subtitle?: string;
  axisTitles: [string, string];
  valueTitle: string;
}

const BACKGROUND = "#0b0f18";
const INK = "#e6e9f2";
const MUTED = "#aab3c8";
const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(2)).toString() : "0");

// ---------------------------------------------------------------------------------------------
// PNG

/**
 * The plot's canvas framed as a figure: title and subtitle above, the colour bar (with the cap,
 * when values are clipped) below, on the plot's own opaque background, at the canvas's pixel
 * size (draw the plot at 2 device pixels per CSS pixel first for a 2x figure).
 */
export function figurePng(plot: HTMLCanvasElement, text: FigureText, colour: { scale: ValueScale; map: ColourMapName; dataMax: number | null; showBar: boolean }, ratio: number): string {
  const pad = 16 * ratio;
  const head = (text.subtitle ? 58 : 38) * ratio;
  const foot = colour.showBar ? 58 * ratio : pad;
  const out = document.createElement("canvas");
  out.width = plot.width + 2 * pad;
  out.height = plot.height + head + foot;
  const g = out.getContext("2d")!;
  g.fillStyle = BACKGROUND;
  g.fillRect(0, 0, out.width, out.height);
  g.fillStyle = INK;
  g.textBaseline = "top";
  g.font = `600 ${18 * ratio}px system-ui, sans-serif`;
  g.fillText(text.title, pad, 12 * ratio);
  if (text.subtitle) {
    g.fillStyle = MUTED;
    g.font = `${13 * ratio}px system-ui, sans-serif`;
    g.fillText(text.subtitle, pad, 36 * ratio);
  }
  g.drawImage(plot, pad, head);
  if (colour.showBar) {
    const { scale, map } = colour;
    const y = head + plot.height + 14 * ratio;
    const x0 = pad + 120 * ratio;
    const w = Math.min(360 * ratio, out.width - x0 - 200 * ratio);
    const h = 12 * ratio;
    const gradient = g.createLinearGradient(x0, 0, x0 + w, 0);
    const stops = COLOUR_MAPS[map];
    stops.forEach((c, i) => gradient.addColorStop(i / (stops.length - 1), rgb(c)));
    g.fillStyle = gradient;
    g.fillRect(x0, y, w, h);
    g.fillStyle = INK;
    g.font = `600 ${13 * ratio}px system-ui, sans-serif`;
    g.textBaseline = "middle";
    g.textAlign = "right";
    g.fillText(`${text.valueTitle}${scale.kind === "log" ? " (log)" : ""}`, x0 - 8 * ratio, y + h / 2);
    g.textAlign = "center";
    g.textBaseline = "top";
    g.font = `${12 * ratio}px system-ui, sans-serif`;
    const ticks = axisTicks(scale);
    const label = tickFormat(ticks);
    for (const t of ticks) {
      const f = scale.normalize(t);
      if (!(f >= -1e-9 && f <= 1 + 1e-9)) continue;
      g.fillRect(x0 + f * w - 0.5 * ratio, y + h, ratio, 4 * ratio);
      g.fillText(label(t), x0 + f * w, y + h + 6 * ratio);
    }
    if (colour.dataMax !== null && colour.dataMax > scale.max) {
      g.fillStyle = rgb(clippedColour(map));
      g.fillRect(x0 + w + 10 * ratio, y, 16 * ratio, h);
      g.fillStyle = MUTED;
      g.textAlign = "left";
      g.textBaseline = "middle";
      g.fillText(`above ${formatValue(scale.max)}: clipped (max ${formatValue(colour.dataMax)})`, x0 + w + 32 * ratio, y + h / 2);
    }
  }
  return out.toDataURL("image/png");
}

// ---------------------------------------------------------------------------------------------
// SVG

export interface SvgFigure extends FigureText {
  grid: SurfaceGrid;
  values: Float32Array;
  scale: ValueScale;
  map: ColourMapName;
  /** Values' own top, to say what a cap cut off. */
  dataMax: number | null;
  criticalPoints?: readonly CriticalPoint[];
  basinOf?: CriticalPoint | null;
  path?: readonly PathPoint[] | null;
  /** 1D: the models' positions along a. */
  markers?: readonly { name: string; x: number }[];
  /** Contour lines over the heatmap (2D); default 12. 0 draws the heatmap alone. */
  contours?: number;
}

const W = 760;
const H = 640;
const PLOT = { x: 96, y: 86, size: 460 };

/** An SVG figure of a plane (heatmap and contours) or a 1D surface (a line), with its axes. */
export function surfaceSvg(f: SvgFigure): string {
  const oneD = f.grid.ny === 1;
  const parts: string[] = [];
  const { x: px, y: py, size } = PLOT;
  const xMin = f.grid.xs[0]!;
  const xMax = f.grid.xs[f.grid.nx - 1]!;
  const yMin = oneD ? 0 : f.grid.ys[0]!;
  const yMax = oneD ? 1 : f.grid.ys[f.grid.ny - 1]!;
  const sx = (a: number) => px + ((a - xMin) / (xMax - xMin || 1)) * size;
  const sy = (b: number) => py + size - ((b - yMin) / (yMax - yMin || 1)) * size;
  const sv = (v: number) => py + size - Math.min(1, Math.max(0, f.scale.normalize(v))) * size;
  parts.push(`<rect width="${W}" height="${H}" fill="${BACKGROUND}"/>`);
  parts.push(`<text x="24" y="34" font-size="20" font-weight="600" fill="${INK}">${esc(f.title)}</text>`);
  if (f.subtitle) parts.push(`<text x="24" y="56" font-size="13" fill="${MUTED}">${esc(f.subtitle)}</text>`);
  parts.push(`<g id="data" clip-path="url(#plot-area)">`);
  if (oneD) {
    for (const t of axisTicks(f.scale)) if (f.scale.normalize(t) >= -1e-9 && f.scale.normalize(t) <= 1 + 1e-9) parts.push(`<line x1="${px}" x2="${px + size}" y1="${num(sv(t))}" y2="${num(sv(t))}" stroke="#3c465f" stroke-width="1"/>`);
    for (const m of f.markers ?? []) parts.push(`<line class="model" x1="${num(sx(m.x))}" x2="${num(sx(m.x))}" y1="${py}" y2="${py + size}" stroke="${rgb(MODEL_COLOUR)}" stroke-width="1.5"/>`);
    const runs: string[] = [];
    let run: string[] = [];
    for (let i = 0; i < f.grid.nx; i++) {
      const v = f.values[i]!;
      if (!Number.isFinite(v)) {
        if (run.length) runs.push(run.join(" "));
        run = [];
        continue;
      }
      run.push(`${num(sx(f.grid.xs[i]!))},${num(sv(v))}`);
    }
    if (run.length) runs.push(run.join(" "));
    for (const r of runs) parts.push(`<polyline points="${r}" fill="none" stroke="#f0a24b" stroke-width="2.5"/>`);
  } else {
    parts.push(heatmapRects(f, sx, sy));
    const levels = f.contours ?? 12;
    if (levels > 0) {
      const values = f.scale.kind === "log"
        ? evenLevels(Math.log10(Math.max(1e-6, f.scale.min)), Math.log10(Math.max(1e-6, f.scale.max)), levels).map((l) => 10 ** l)
        : evenLevels(f.scale.min, f.scale.max, levels);
      const dark = f.map === "coolwarm" || f.map === "greys";
      values.forEach((level, k) => {
        const d = segmentsPath(isoSegments(f.values, f.grid.nx, f.grid.ny, level), f.grid, sx, sy);
        if (d) parts.push(`<path class="contour" data-level="${level}" d="${d}" fill="none" stroke="${dark ? "#141824" : "#ffffff"}" stroke-opacity="${k % 4 === 3 ? 0.9 : 0.55}" stroke-width="${k % 4 === 3 ? 1.6 : 1}"/>`);
      });
    }
    if (f.basinOf) {
      const d = segmentsPath(basinOutline(f.grid, f.values, f.basinOf), f.grid, sx, sy);
      if (d) parts.push(`<path class="basin" d="${d}" fill="none" stroke="${rgb(CRITICAL_COLOURS.MINIMUM!)}" stroke-width="2.5"/>`);
    }
    if (f.path && f.path.length > 1) {
      parts.push(`<polyline class="optimizer-path" points="${f.path.map((p) => `${num(sx(p.x))},${num(sy(p.y))}`).join(" ")}" fill="none" stroke="#ffffff" stroke-width="2"/>`);
      for (const p of f.path) parts.push(`<circle cx="${num(sx(p.x))}" cy="${num(sy(p.y))}" r="3" fill="#ffffff"/>`);
    }
    for (const p of f.criticalPoints ?? []) {
      parts.push(`<circle class="critical ${p.kind.toLowerCase()}" cx="${num(sx(p.x))}" cy="${num(sy(p.y))}" r="6" fill="${rgb(CRITICAL_COLOURS[p.kind] ?? [255, 255, 255])}" stroke="#0f1420" stroke-width="2"/>`);
    }
  }
  parts.push(`</g>`);
  parts.push(`<rect x="${px}" y="${py}" width="${size}" height="${size}" fill="none" stroke="#96a0b8"/>`);
  parts.push(axesSvg(f, sx, sy, sv, oneD));
  if (!oneD) parts.push(colourBarSvg(f));
  else if (f.markers?.length) {
    parts.push(`<g id="legend" font-size="13" fill="${INK}">`);
    parts.push(`<line x1="${px + size + 24}" x2="${px + size + 44}" y1="${py + 10}" y2="${py + 10}" stroke="#f0a24b" stroke-width="2.5"/><text x="${px + size + 50}" y="${py + 14}">${esc(f.valueTitle)}</text>`);
    parts.push(`<line x1="${px + size + 34}" x2="${px + size + 34}" y1="${py + 24}" y2="${py + 42}" stroke="${rgb(MODEL_COLOUR)}" stroke-width="2"/><text x="${px + size + 50}" y="${py + 38}">models (${esc(f.markers.map((m) => m.name).join(", "))})</text>`);
    parts.push(`</g>`);
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(f.title)}</title>`,
    `<defs><clipPath id="plot-area"><rect x="${px}" y="${py}" width="${size}" height="${size}"/></clipPath></defs>`,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

/** The heatmap as rectangles, one run of equal colour per row piece: vector, and editable. */
function heatmapRects(f: SvgFigure, sx: (a: number) => number, sy: (b: number) => number): string {
  const { grid } = f;
  const values = fillCoarse(f.values, grid.nx, grid.ny);
  const clipped = clippedColour(f.map);
  const half = (axis: number[], k: number) => (axis.length > 1 ? (axis[Math.min(axis.length - 1, k + 1)]! - axis[Math.max(0, k - 1)]!) / (k === 0 || k === axis.length - 1 ? 2 : 4) : 0.5);
  const colourOf = (v: number) => (!Number.isFinite(v) ? "rgb(40,46,62)" : v > f.scale.max ? rgb(clipped) : rgb(colourAt(f.map, f.scale.normalize(v))));
  const rects: string[] = [];
  for (let j = 0; j < grid.ny; j++) {
    const y0 = sy(grid.ys[j]! + half(grid.ys, j));
    const y1 = sy(grid.ys[j]! - half(grid.ys, j));
    let i = 0;
    while (i < grid.nx) {
      const c = colourOf(values[j * grid.nx + i]!);
      let e = i;
      while (e + 1 < grid.nx && colourOf(values[j * grid.nx + e + 1]!) === c) e++;
      const x0 = sx(grid.xs[i]! - half(grid.xs, i));
      const x1 = sx(grid.xs[e]! + half(grid.xs, e));
      // A hair of overlap so no seams show between rectangles.
      rects.push(`<rect x="${num(x0)}" y="${num(y0)}" width="${num(x1 - x0 + 0.3)}" height="${num(y1 - y0 + 0.3)}" fill="${c}"/>`);
      i = e + 1;
    }
  }
  return `<g id="heatmap" shape-rendering="crispEdges">${rects.join("")}</g>`;
}

function segmentsPath(s: Float32Array, grid: SurfaceGrid, sx: (a: number) => number, sy: (b: number) => number): string {
  const at = (i: number, j: number): [number, number] => {
    const a = grid.xs[0]! + (i / Math.max(1, grid.nx - 1)) * (grid.xs[grid.nx - 1]! - grid.xs[0]!);
    const b = grid.ys[0]! + (j / Math.max(1, grid.ny - 1)) * (grid.ys[grid.ny - 1]! - grid.ys[0]!);
    return [sx(a), sy(b)];
  };
  const out: string[] = [];
  for (let q = 0; q < s.length; q += 4) {
    const [x0, y0] = at(s[q]!, s[q + 1]!);
    const [x1, y1] = at(s[q + 2]!, s[q + 3]!);
    out.push(`M${num(x0)} ${num(y0)}L${num(x1)} ${num(y1)}`);
  }
  return out.join("");
}

function axesSvg(f: SvgFigure, sx: (a: number) => number, sy: (b: number) => number, sv: (v: number) => number, oneD: boolean): string {
  const { x: px, y: py, size } = PLOT;
  const parts: string[] = [`<g id="axes" font-size="13" fill="${INK}" stroke="none">`];
  const bottom = py + size;
  const xMin = f.grid.xs[0]!;
  const xMax = f.grid.xs[f.grid.nx - 1]!;
  parts.push(`<g id="x-axis">`);
  const xTicks = niceTicks(xMin, xMax, 6);
  for (const t of xTicks) {
    parts.push(`<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${bottom}" y2="${bottom + 5}" stroke="#96a0b8"/><text x="${num(sx(t))}" y="${bottom + 20}" text-anchor="middle">${esc(tickFormat(xTicks)(t))}</text>`);
  }
  parts.push(`<text class="axis-title" x="${px + size / 2}" y="${bottom + 44}" text-anchor="middle" font-size="15" font-weight="600">${esc(f.axisTitles[0])}</text></g>`);
  parts.push(`<g id="y-axis">`);
  const yTitle = oneD ? f.valueTitle : f.axisTitles[1];
  const yTicks = oneD ? axisTicks(f.scale).filter((t) => f.scale.normalize(t) >= -1e-9 && f.scale.normalize(t) <= 1 + 1e-9) : niceTicks(f.grid.ys[0]!, f.grid.ys[f.grid.ny - 1]!, 6);
  for (const t of yTicks) {
    const y = oneD ? sv(t) : sy(t);
    parts.push(`<line x1="${px - 5}" x2="${px}" y1="${num(y)}" y2="${num(y)}" stroke="#96a0b8"/><text x="${px - 9}" y="${num(y + 4)}" text-anchor="end">${esc(tickFormat(yTicks)(t))}</text>`);
  }
  parts.push(`<text class="axis-title" transform="translate(${px - 62} ${py + size / 2}) rotate(-90)" text-anchor="middle" font-size="15" font-weight="600">${esc(yTitle)}</text></g>`);
  parts.push(`</g>`);
  return parts.join("");
}

function colourBarSvg(f: SvgFigure): string {
  const { y: py, size } = PLOT;
  const x = PLOT.x + size + 36;
  const w = 16;
  const stops = COLOUR_MAPS[f.map];
  const parts = [
    `<g id="colour-bar" font-size="12" fill="${INK}">`,
    `<defs><linearGradient id="colour-map" x1="0" y1="1" x2="0" y2="0">${stops.map((c, i) => `<stop offset="${num((i / (stops.length - 1)) * 100)}%" stop-color="${rgb(c)}"/>`).join("")}</linearGradient></defs>`,
    `<rect x="${x}" y="${py}" width="${w}" height="${size}" fill="url(#colour-map)" stroke="#96a0b8"/>`,
    `<text class="axis-title" x="${x}" y="${py - 18}" font-size="14" font-weight="600">${esc(f.valueTitle)}${f.scale.kind === "log" ? " (log)" : ""}</text>`,
  ];
  const ticks = axisTicks(f.scale);
  for (const t of ticks) {
    const n = f.scale.normalize(t);
    if (!(n >= -1e-9 && n <= 1 + 1e-9)) continue;
    const y = py + size - n * size;
    parts.push(`<line x1="${x + w}" x2="${x + w + 5}" y1="${num(y)}" y2="${num(y)}" stroke="#96a0b8"/><text x="${x + w + 8}" y="${num(y + 4)}">${esc(tickFormat(ticks)(t))}</text>`);
  }
  if (f.dataMax !== null && f.dataMax > f.scale.max) {
    parts.push(`<rect class="clipped" x="${x}" y="${py + size + 14}" width="${w}" height="12" fill="${rgb(clippedColour(f.map))}" stroke="#96a0b8"/>`);
    parts.push(`<text x="${x + w + 6}" y="${py + size + 24}">&gt; ${esc(formatValue(f.scale.max))} clipped</text>`);
    parts.push(`<text x="${x}" y="${py + size + 42}" fill="${MUTED}">(max ${esc(formatValue(f.dataMax))})</text>`);
  }
  parts.push(`</g>`);
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// VTK PolyData

/**
 * The surface as VTK PolyData XML: one point per grid point at (a, b, value), one quad per grid
 * cell whose four corners have values, and the loss and accuracy as point data. `zMax` caps the
 * height (as h52vtp.py's zmax does); the point data keep the true values. ParaView opens it.
 */
export function surfaceVtp(grid: SurfaceGrid, metric: "LOSS" | "ACCURACY", zMax: number | null = null): string {
  const { nx, ny } = grid;
  const heights = metric === "LOSS" ? grid.loss : grid.accuracy;
  const points: string[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = heights[j * nx + i]!;
      const z = Number.isFinite(v) ? (zMax !== null ? Math.min(v, zMax) : v) : 0;
      points.push(`${grid.xs[i]} ${grid.ys[j]} ${z}`);
    }
  }
  const connectivity: number[] = [];
  const offsets: number[] = [];
  const ok = (k: number) => Number.isFinite(heights[k]!);
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = j * nx + i;
      const quad = [a, a + 1, a + nx + 1, a + nx];
      if (!quad.every(ok)) continue;
      connectivity.push(...quad);
      offsets.push(connectivity.length);
    }
  }
  const scalars = (values: Float32Array) => Array.from(values, (v) => (Number.isFinite(v) ? String(v) : "nan")).join(" ");
  return [
    `<?xml version="1.0"?>`,
    `<VTKFile type="PolyData" version="1.0" byte_order="LittleEndian" header_type="UInt64">`,
    `  <PolyData>`,
    `    <Piece NumberOfPoints="${nx * ny}" NumberOfVerts="0" NumberOfLines="0" NumberOfStrips="0" NumberOfPolys="${offsets.length}">`,
    `      <PointData Scalars="${metric === "LOSS" ? "loss" : "accuracy"}">`,
    `        <DataArray type="Float32" Name="loss" NumberOfComponents="1" format="ascii">${scalars(grid.loss)}</DataArray>`,
    `        <DataArray type="Float32" Name="accuracy" NumberOfComponents="1" format="ascii">${scalars(grid.accuracy)}</DataArray>`,
    `      </PointData>`,
    `      <Points>`,
    `        <DataArray type="Float32" Name="Points" NumberOfComponents="3" format="ascii">${points.join(" ")}</DataArray>`,
    `      </Points>`,
    `      <Polys>`,
    `        <DataArray type="Int64" Name="connectivity" format="ascii">${connectivity.join(" ")}</DataArray>`,
    `        <DataArray type="Int64" Name="offsets" format="ascii">${offsets.join(" ")}</DataArray>`,
    `      </Polys>`,
    `    </Piece>`,
    `  </PolyData>`,
    `</VTKFile>`,
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// glTF

/**
 * The 3D view's mesh as binary glTF 2.0: positions (the unit square for a and b, the scaled value
 * up, glTF's +Y; a capped scale flattens what it clips, as on screen), normals, per-vertex colours
 * of the colour map, and triangle indices, in one buffer.
 */
export function surfaceGlb(grid: SurfaceGrid, values: Float32Array, scale: ValueScale, map: ColourMapName, name: string): ArrayBuffer {
  const mesh = surfaceMesh(grid, values, scale, map);
  const n = grid.nx * grid.ny;
  const src = mesh.attributes.positions.value;
  const srcNormals = mesh.attributes.normals.value;
  // Our world is z-up in units of WORLD; glTF is y-up, right-handed: (x, y, z) -> (x, z, -y).
  const positions = new Float32Array(n * 3);
  const normals = new Float32Array(n * 3);
  for (let k = 0; k < n; k++) {
    positions[3 * k] = src[3 * k]! / WORLD;
    positions[3 * k + 1] = src[3 * k + 2]! / WORLD;
    positions[3 * k + 2] = -src[3 * k + 1]! / WORLD;
    normals[3 * k] = srcNormals[3 * k]!;
    normals[3 * k + 1] = srcNormals[3 * k + 2]!;
    normals[3 * k + 2] = -srcNormals[3 * k + 1]!;
  }
  const colours = mesh.attributes.colors.value;
  const indices = mesh.indices.value;
  const views = [positions, normals, colours, indices];
  const offsets: number[] = [];
  let length = 0;
  for (const v of views) {
    offsets.push(length);
    length += v.byteLength; // every view is a multiple of 4 bytes
  }
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < 3; c++) {
      min[c] = Math.min(min[c]!, positions[3 * k + c]!);
      max[c] = Math.max(max[c]!, positions[3 * k + c]!);
    }
  }
  const FLOAT = 5126;
  const json = {
    asset: { version: "2.0", generator: "Loss Atlas" },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name }],
    meshes: [{ name, primitives: [{ attributes: { POSITION: 0, NORMAL: 1, COLOR_0: 2 }, indices: 3, material: 0, mode: 4 }] }],
    materials: [{ name: "surface", doubleSided: true, pbrMetallicRoughness: { baseColorFactor: [1, 1, 1, 1], metallicFactor: 0, roughnessFactor: 0.85 } }],
    buffers: [{ byteLength: length }],
    bufferViews: [
      { buffer: 0, byteOffset: offsets[0], byteLength: positions.byteLength, target: 34962 },
      { buffer: 0, byteOffset: offsets[1], byteLength: normals.byteLength, target: 34962 },
      { buffer: 0, byteOffset: offsets[2], byteLength: colours.byteLength, target: 34962 },
      { buffer: 0, byteOffset: offsets[3], byteLength: indices.byteLength, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: FLOAT, count: n, type: "VEC3", min, max },
      { bufferView: 1, componentType: FLOAT, count: n, type: "VEC3" },
      { bufferView: 2, componentType: FLOAT, count: n, type: "VEC3" },
      { bufferView: 3, componentType: 5125, count: indices.length, type: "SCALAR" },
    ],
    extras: { heightScale: `value normalised to [0, ${HEIGHT / WORLD}] over ${formatValue(scale.min)}..${formatValue(scale.max)} (${scale.kind})` },
  };
  let jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonPadded = Math.ceil(jsonBytes.length / 4) * 4;
  const total = 12 + 8 + jsonPadded + 8 + length;
  const out = new ArrayBuffer(total);
  const view = new DataView(out);
  const bytes = new Uint8Array(out);
  view.setUint32(0, 0x46546c67, true); // "glTF"
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonPadded, true);
  view.setUint32(16, 0x4e4f534a, true); // "JSON"
  bytes.fill(0x20, 20, 20 + jsonPadded); // JSON chunks pad with spaces
  bytes.set(jsonBytes, 20);
  jsonBytes = new Uint8Array(0);
  let o = 20 + jsonPadded;
  view.setUint32(o, length, true);
  view.setUint32(o + 4, 0x004e4942, true); // "BIN\0"
  o += 8;
  views.forEach((v, k) => bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), o + offsets[k]!));
  return out;
}
