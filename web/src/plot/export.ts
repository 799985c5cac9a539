/**
 * Figures and meshes for papers and other tools: SVG of contour plots, heatmaps and 1D plots
 * (vector, with axes, ticks, titles, a colour bar, critical points, the optimizer's path and
 * notes, in the paper or dark theme, at any size: PNG and PDF are made from it, figure/files.ts);
 * a PNG of the 3D view's canvas framed with a title and a colour bar; the 3D surface as VTK
 * PolyData XML (`.vtp`, for ParaView, as the paper authors' h52vtp.py writes) and as binary glTF
 * 2.0 (`.glb`, for Blender and three.js). All but the 3D PNG are pure functions of the grid, so
 * their content is tested.
 */
import { clippedColour, COLOUR_MAPS, type ColourMapName } from "./colormap";
import { axisRoom, colourBarRoom, colourBarSvg, esc, fit, markKeySvg, num, type PanelData, panelSvg, rgb, svgDocument } from "./figure/panel";
import { lineFigureSvg } from "./figure/line";
import { documentSize, type FigureSize, type FigureThemeName, SCREEN_SIZE, THEMES, themeAt } from "./figure/theme";
import { type MetricName, metricValues, type SurfaceGrid } from "./grid";
import { surfaceMesh } from "./mesh-layers";
import { surfaceSeries } from "./line-layers";
import { HEIGHT, WORLD } from "./world";
import { axisTicks, formatValue, tickFormat, type ValueScale } from "./scale";

/** What every figure says besides its data. */
export interface FigureText {
  title: string;
  /** A second line under the title (model, dataset, grid). */
  subtitle?: string;
  axisTitles: [string, string];
  valueTitle: string;
}


// ---------------------------------------------------------------------------------------------
// PNG

/**
 * The plot's canvas framed as a figure: title and subtitle above, the colour bar (with the cap,
 * when values are clipped) below, on the theme's opaque background, at the canvas's pixel
 * size (draw the plot at 2 device pixels per CSS pixel first for a 2x figure).
 */
export function figurePng(plot: HTMLCanvasElement, text: FigureText, colour: { scale: ValueScale; map: ColourMapName; dataMax: number | null; showBar: boolean }, ratio: number, themeName: FigureThemeName = "dark"): string {
  const { background: BACKGROUND, ink: INK, muted: MUTED } = THEMES[themeName];
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

export interface SvgFigure extends FigureText, PanelData {
  /** Values' own top, to say what a cap cut off. */
  dataMax: number | null;
  /** Default dark (the screen's look). */
  theme?: FigureThemeName;
  /** Default 760 x 640 pixels at 96 DPI. */
  size?: FigureSize;
}

/**
 * An SVG figure of a plane (heatmap, contours, basin, optimizer path, critical points, notes, and
 * a colour bar) or a 1D surface (figure/line.ts: loss and accuracy on twin axes), with its axes, in
 * the theme and at the size asked for. Units inside are points; PNG and PDF are made from it.
 */
export function surfaceSvg(f: SvgFigure): string {
  // A 1D surface is the line plot the page draws: loss and accuracy on twin axes, no colour bar;
  // with a test set, train solid and test dashed.
  if (f.grid.ny === 1) {
    return lineFigureSvg({
      title: f.title, subtitle: f.subtitle, series: surfaceSeries(f.title, f.grid), loss: f.scale, xTitle: f.axisTitles[0],
      markers: f.markers ?? [], theme: f.theme ?? "dark", size: f.size ?? SCREEN_SIZE,
    });
  }
  const size = documentSize(f.size ?? SCREEN_SIZE);
  const theme = themeAt(f.theme ?? "dark", size);
  const { title: titleSize, label, tick } = theme.font;
  const pad = tick * 0.9;
  const body: string[] = [];
  let top = pad + titleSize;
  body.push(`<text class="figure-title" x="${num(pad)}" y="${num(top)}" font-size="${titleSize}" font-weight="bold" fill="${theme.ink}">${esc(fit(f.title, titleSize * 1.1, size.w - 2 * pad))}</text>`);
  if (f.subtitle) {
    top += label * 1.35;
    body.push(`<text class="subtitle" x="${num(pad)}" y="${num(top)}" font-size="${label}" fill="${theme.muted}">${esc(fit(f.subtitle, label, size.w - 2 * pad))}</text>`);
  }
  top += label * 2;
  const room = axisRoom(theme, true);
  const clippedRoom = f.dataMax !== null && f.dataMax > f.scale.max ? tick * 3 : 0;
  const right = colourBarRoom(theme, { scale: f.scale, map: f.map, title: f.valueTitle, dataMax: f.dataMax }) + pad;
  const availW = size.w - pad - room.left - right;
  // The key to the marks, under the plot, where it has critical points or notes.
  const key = markKeySvg([f], 0, 0, theme);
  const keyRoom = key ? tick * 1.8 : 0;
  const availH = size.h - top - room.bottom - pad - clippedRoom - keyRoom;
  const side = Math.max(10, Math.min(availW, availH));
  const box = { x: pad + room.left + Math.max(0, (availW - side) / 2), y: top, w: side, h: side };
  const map = theme.valueMap(f.map);
  body.push(panelSvg({ ...f, map }, box, theme, "plot"));
  body.push(colourBarSvg({ scale: f.scale, map, title: f.valueTitle, dataMax: f.dataMax }, { x: box.x + box.w, y: box.y, w: 0, h: box.h }, theme, "value"));
  if (key) body.push(markKeySvg([f], box.x, box.y + box.h + room.bottom + tick * 1.2, theme));
  return svgDocument(f.title, size, theme.background, body);
}

// ---------------------------------------------------------------------------------------------
// VTK PolyData

/**
 * The surface as VTK PolyData XML: one point per grid point at (a, b, value), one quad per grid
 * cell whose four corners have values, and the loss and accuracy (and the test set's, where the
 * surface has one) as point data. `zMax` caps the
 * height (as h52vtp.py's zmax does); the point data keep the true values. ParaView opens it.
 */
export function surfaceVtp(grid: SurfaceGrid, metric: MetricName, zMax: number | null = null): string {
  const { nx, ny } = grid;
  const heights = metricValues(grid, metric);
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
    `      <PointData Scalars="${{ LOSS: "loss", ACCURACY: "accuracy", TEST_LOSS: "test_loss", TEST_ACCURACY: "test_accuracy" }[metric]}">`,
    `        <DataArray type="Float32" Name="loss" NumberOfComponents="1" format="ascii">${scalars(grid.loss)}</DataArray>`,
    `        <DataArray type="Float32" Name="accuracy" NumberOfComponents="1" format="ascii">${scalars(grid.accuracy)}</DataArray>`,
    ...(grid.test
      ? [
          `        <DataArray type="Float32" Name="test_loss" NumberOfComponents="1" format="ascii">${scalars(grid.test.loss)}</DataArray>`,
          `        <DataArray type="Float32" Name="test_accuracy" NumberOfComponents="1" format="ascii">${scalars(grid.test.accuracy)}</DataArray>`,
        ]
      : []),
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
