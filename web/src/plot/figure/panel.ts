/**
 * The parts every exported figure is made of, as SVG text in points: one panel (a plane's heatmap
 * with contours; 1D surfaces are line plots, figure/line.ts) with its axes and everything drawn on
 * it (the basin, the optimizer's path, critical points, annotations), and a vertical colour bar. Pure
 * functions of the data, so their content is tested.
 */
import type { Annotation, CriticalPoint, PathPoint } from "../../api/types";
import { clippedColour, COLOUR_MAPS, type ColourMapName, colourAt } from "../colormap";
import { evenLevels, isoSegments } from "../contours";
import { fillCoarse, type SurfaceGrid } from "../grid";
import { basinOutline } from "../plane-layers";
import { axisTicks, formatValue, niceTicks, tickFormat, type ValueScale } from "../scale";
import { GLYPH_KINDS, GLYPH_MEANINGS, glyphPath, isGlyphKind } from "../glyphs";
import { CRITICAL_COLOURS, MODEL_COLOUR } from "../world";
import type { FigureTheme } from "./theme";

export interface Box { x: number; y: number; w: number; h: number }

export const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;
export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
export const num = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(2)).toString() : "0");
/** About how wide a label of `chars` characters is at `size` points (a sans-serif's average). */
export const textWidth = (chars: number, size: number) => chars * size * 0.56;

/** `text`, cut with an ellipsis where it would run wider than `width` points at `size`. */
export function fit(text: string, size: number, width: number): string {
  const chars = Math.max(4, Math.floor(width / (size * 0.56)));
  return text.length <= chars ? text : `${text.slice(0, chars - 1).trimEnd()}…`;
}

/** What one panel shows. */
export interface PanelData {
  grid: SurfaceGrid;
  values: Float32Array;
  scale: ValueScale;
  map: ColourMapName;
  axisTitles: [string, string];
  valueTitle: string;
  criticalPoints?: readonly CriticalPoint[];
  basinOf?: CriticalPoint | null;
  path?: readonly PathPoint[] | null;
  /** 1D (figure/line.ts): the models' positions along a, each at its own loss when measured. */
  markers?: readonly { name: string; x: number; loss?: number | null }[];
  /** A straight path drawn dashed under `path` (a curve's plane: the line from model A to model B). */
  guide?: readonly { x: number; y: number }[] | null;
  /** Models marked in the plane by name (a curve's plane: A, B and the bend). */
  models?: readonly { x: number; y: number; name: string }[];
  /** Notes pinned on the surface, drawn with their labels. */
  annotations?: readonly Pick<Annotation, "x" | "y" | "label" | "kind">[];
  /** Contour lines over the heatmap (2D); default 12. 0 draws the heatmap alone. */
  contours?: number;
  /** Values beyond the scale take its end colours (a difference), not the clipped colour. */
  saturate?: boolean;
}

/** Room a panel's axes take around its plot area, in points. */
export function axisRoom(theme: FigureTheme, withYTitle: boolean): { left: number; bottom: number } {
  const { tick, label } = theme.font;
  return { left: textWidth(5, tick) + tick * 0.6 + (withYTitle ? label * 1.6 : 0), bottom: tick * 2 + label * 1.7 };
}

/**
 * A panel in `box` (its plot area; the axes go outside it, in the room axisRoom gives). `key` makes
 * the clip path's id unique in a figure of several panels.
 */
export function panelSvg(p: PanelData, box: Box, theme: FigureTheme, key: string, withYTitle = true): string {
  const { x: px, y: py, w, h } = box;
  const xMin = p.grid.xs[0]!;
  const xMax = p.grid.xs[p.grid.nx - 1]!;
  const yMin = p.grid.ys[0]!;
  const yMax = p.grid.ys[p.grid.ny - 1]!;
  const sx = (a: number) => px + ((a - xMin) / (xMax - xMin || 1)) * w;
  const sy = (b: number) => py + h - ((b - yMin) / (yMax - yMin || 1)) * h;
  const mark = theme.font.tick * 0.42;
  const parts: string[] = [`<g class="panel" data-panel="${esc(key)}">`];
  parts.push(`<defs><clipPath id="plot-area-${esc(key)}"><rect x="${num(px)}" y="${num(py)}" width="${num(w)}" height="${num(h)}"/></clipPath></defs>`);
  parts.push(`<g class="data" clip-path="url(#plot-area-${esc(key)})">`);
  parts.push(heatmapRects(p, sx, sy, theme));
  parts.push(contoursSvg(p, sx, sy, theme));
  if (p.basinOf) {
    const d = segmentsPath(basinOutline(p.grid, p.values, p.basinOf), p.grid, sx, sy);
    if (d) parts.push(`<path class="basin" d="${d}" fill="none" stroke="${rgb(CRITICAL_COLOURS.MINIMUM!)}" stroke-width="${num(mark * 0.6)}"/>`);
  }
  if (p.guide && p.guide.length > 1) {
    const points = p.guide.map((q) => `${num(sx(q.x))},${num(sy(q.y))}`).join(" ");
    parts.push(`<polyline class="guide" points="${points}" fill="none" stroke="#b0b0b0" stroke-width="${num(mark * 0.45)}" stroke-dasharray="${num(mark * 1.6)} ${num(mark)}"/>`);
  }
  if (p.path && p.path.length > 1) {
    // A dark line under a white one: the path reads on light and dark colours alike.
    const points = p.path.map((q) => `${num(sx(q.x))},${num(sy(q.y))}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${theme.outline}" stroke-width="${num(mark * 0.9)}"/>`);
    parts.push(`<polyline class="optimizer-path" points="${points}" fill="none" stroke="#ffffff" stroke-width="${num(mark * 0.45)}"/>`);
    for (const q of p.path) parts.push(`<circle cx="${num(sx(q.x))}" cy="${num(sy(q.y))}" r="${num(mark * 0.6)}" fill="#ffffff" stroke="${theme.outline}" stroke-width="${num(mark * 0.2)}"/>`);
  }
  for (const c of p.criticalPoints ?? []) {
    if (!isGlyphKind(c.kind)) continue;
    parts.push(`<path class="critical ${c.kind.toLowerCase()}" d="${glyphPath(c.kind, sx(c.x), sy(c.y), mark * 1.15)}" fill="${rgb(CRITICAL_COLOURS[c.kind]!)}" stroke="${theme.outline}" stroke-width="${num(mark * 0.3)}" stroke-linejoin="round"/>`);
  }
  parts.push(`</g>`);
  // Annotations are outside the clip: a label near the edge may run past the plot.
  parts.push(annotationsSvg(p, sx, sy, theme, mark));
  parts.push(modelsSvg(p, sx, sy, theme, mark));
  parts.push(`<rect x="${num(px)}" y="${num(py)}" width="${num(w)}" height="${num(h)}" fill="none" stroke="${theme.axis}" stroke-width="${theme.axisWidth}"/>`);
  parts.push(axesSvg(p, box, sx, sy, theme, withYTitle));
  parts.push(`</g>`);
  return parts.join("");
}

/** The heatmap as rectangles, one run of equal colour per row piece: vector, and editable. */
function heatmapRects(p: PanelData, sx: (a: number) => number, sy: (b: number) => number, theme: FigureTheme): string {
  const { grid } = p;
  const values = fillCoarse(p.values, grid.nx, grid.ny);
  const clipped = rgb(clippedColour(p.map));
  const half = (axis: number[], k: number) => (axis.length > 1 ? (axis[Math.min(axis.length - 1, k + 1)]! - axis[Math.max(0, k - 1)]!) / (k === 0 || k === axis.length - 1 ? 2 : 4) : 0.5);
  const colourOf = (v: number) => (!Number.isFinite(v) ? theme.missing : v > p.scale.max && !p.saturate ? clipped : rgb(colourAt(p.map, p.scale.normalize(v))));
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
      rects.push(`<rect x="${num(x0)}" y="${num(y0)}" width="${num(x1 - x0 + 0.2)}" height="${num(y1 - y0 + 0.2)}" fill="${c}"/>`);
      i = e + 1;
    }
  }
  return `<g class="heatmap" shape-rendering="crispEdges">${rects.join("")}</g>`;
}

function contoursSvg(p: PanelData, sx: (a: number) => number, sy: (b: number) => number, theme: FigureTheme): string {
  const levels = p.contours ?? 12;
  if (levels <= 0) return "";
  const values = p.scale.kind === "log"
    ? evenLevels(Math.log10(Math.max(1e-6, p.scale.min)), Math.log10(Math.max(1e-6, p.scale.max)), levels).map((l) => 10 ** l)
    : evenLevels(p.scale.min, p.scale.max, levels);
  // On the dark theme's diverging and grey maps, white lines would vanish in the light middle.
  const colour = theme.name === "dark" && (p.map === "coolwarm" || p.map === "greys") ? "#141824" : theme.contour.colour;
  return values.map((level, k) => {
    const d = segmentsPath(isoSegments(p.values, p.grid.nx, p.grid.ny, level), p.grid, sx, sy);
    const major = k % 4 === 3;
    return d ? `<path class="contour" data-level="${level}" d="${d}" fill="none" stroke="${colour}" stroke-opacity="${num(Math.min(1, theme.contour.opacity * (major ? 1.6 : 1)))}" stroke-width="${num(theme.contour.width * (major ? 1.6 : 1))}"/>` : "";
  }).join("");
}

/** Each note as a pin (a diamond) and its label beside it, on a halo of the background. */
function annotationsSvg(p: PanelData, sx: (a: number) => number, sy: (b: number) => number, theme: FigureTheme, mark: number): string {
  const notes = p.annotations ?? [];
  if (notes.length === 0) return "";
  const size = theme.font.tick;
  const parts = [`<g class="annotations" font-size="${size}">`];
  for (const a of notes) {
    const x = sx(a.x);
    const y = sy(a.y);
    // A circle: no critical point's glyph (glyphs.ts) is one.
    const d = mark * 0.95;
    parts.push(`<circle class="pin" cx="${num(x)}" cy="${num(y)}" r="${num(d)}" fill="${theme.annotation}" stroke="${theme.outline}" stroke-width="${num(mark * 0.25)}"/>`);
    const label = esc(a.label);
    const at = `x="${num(x + d + size * 0.3)}" y="${num(y + size * 0.35)}"`;
    parts.push(`<text ${at} fill="none" stroke="${theme.background}" stroke-width="${num(size * 0.3)}" stroke-linejoin="round">${label}</text>`);
    parts.push(`<text class="annotation-label" ${at} fill="${theme.ink}">${label}</text>`);
  }
  parts.push(`</g>`);
  return parts.join("");
}

/** Models marked by name: a point in the models' colour with its name in bold beside it. */
function modelsSvg(p: PanelData, sx: (a: number) => number, sy: (b: number) => number, theme: FigureTheme, mark: number): string {
  const models = p.models ?? [];
  if (models.length === 0) return "";
  const size = theme.font.tick;
  const parts = [`<g class="models" font-size="${size}" font-weight="bold">`];
  for (const m of models) {
    const [x, y] = [sx(m.x), sy(m.y)];
    parts.push(`<circle class="model-point" cx="${num(x)}" cy="${num(y)}" r="${num(mark * 0.9)}" fill="${rgb(MODEL_COLOUR)}" stroke="${theme.outline}" stroke-width="${num(mark * 0.25)}"/>`);
    const at = `x="${num(x + mark + size * 0.3)}" y="${num(y - size * 0.3)}"`;
    parts.push(`<text ${at} fill="none" stroke="${theme.background}" stroke-width="${num(size * 0.3)}" stroke-linejoin="round">${esc(m.name)}</text>`);
    parts.push(`<text class="model-name" ${at} fill="${rgb(MODEL_COLOUR)}">${esc(m.name)}</text>`);
  }
  parts.push(`</g>`);
  return parts.join("");
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

function axesSvg(p: PanelData, box: Box, sx: (a: number) => number, sy: (b: number) => number, theme: FigureTheme, withYTitle: boolean): string {
  const { tick, label } = theme.font;
  const len = tick * 0.5;
  const stroke = `stroke="${theme.axis}" stroke-width="${theme.axisWidth}"`;
  const bottom = box.y + box.h;
  const parts: string[] = [`<g class="axes" font-size="${tick}" fill="${theme.ink}">`, `<g class="x-axis">`];
  const xTicks = niceTicks(p.grid.xs[0]!, p.grid.xs[p.grid.nx - 1]!, Math.max(3, Math.min(6, Math.round(box.w / (tick * 5)))));
  for (const t of xTicks) {
    parts.push(`<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${num(bottom)}" y2="${num(bottom + len)}" ${stroke}/><text x="${num(sx(t))}" y="${num(bottom + len + tick)}" text-anchor="middle">${esc(tickFormat(xTicks)(t))}</text>`);
  }
  parts.push(`<text class="axis-title" x="${num(box.x + box.w / 2)}" y="${num(bottom + len + tick * 1.3 + label * 1.1)}" text-anchor="middle" font-size="${label}">${esc(p.axisTitles[0])}</text></g>`);
  parts.push(`<g class="y-axis">`);
  const yTicks = niceTicks(p.grid.ys[0]!, p.grid.ys[p.grid.ny - 1]!, Math.max(3, Math.min(6, Math.round(box.h / (tick * 4)))));
  let widest = 0;
  for (const t of yTicks) {
    const y = sy(t);
    const text = tickFormat(yTicks)(t);
    widest = Math.max(widest, text.length);
    parts.push(`<line x1="${num(box.x - len)}" x2="${num(box.x)}" y1="${num(y)}" y2="${num(y)}" ${stroke}/><text x="${num(box.x - len - tick * 0.25)}" y="${num(y + tick * 0.35)}" text-anchor="end">${esc(text)}</text>`);
  }
  if (withYTitle) {
    const at = box.x - len - tick * 0.25 - textWidth(widest, tick) - label * 0.6;
    parts.push(`<text class="axis-title" transform="translate(${num(at)} ${num(box.y + box.h / 2)}) rotate(-90)" text-anchor="middle" font-size="${label}">${esc(p.axisTitles[1])}</text>`);
  }
  parts.push(`</g></g>`);
  return parts.join("");
}

/**
 * The key to the marks a figure's panels show: each kind of critical point present as its glyph
 * and name ("▼ minimum"), and notes as their circle; "" when there are none. One line from (x, y),
 * y its text's baseline.
 */
export function markKeySvg(panels: readonly Pick<PanelData, "criticalPoints" | "annotations">[], x: number, y: number, theme: FigureTheme): string {
  const kinds = GLYPH_KINDS.filter((k) => panels.some((p) => p.criticalPoints?.some((c) => c.kind === k)));
  const notes = panels.some((p) => (p.annotations?.length ?? 0) > 0);
  if (kinds.length === 0 && !notes) return "";
  const size = theme.font.tick;
  const r = size * 0.42;
  const parts = [`<g class="mark-key" font-size="${size}" fill="${theme.ink}">`];
  let at = x;
  const entry = (mark: string, words: string) => {
    parts.push(mark, `<text x="${num(at + r * 3.2)}" y="${num(y)}">${esc(words)}</text>`);
    // Generous: a word of wide letters ("minimum") runs past the average width.
    at += r * 3.2 + textWidth(words.length, size) * 1.15 + size * 1.4;
  };
  for (const k of kinds) {
    entry(`<path class="key-${k.toLowerCase()}" d="${glyphPath(k, at + r, y - size * 0.33, r * 1.15)}" fill="${rgb(CRITICAL_COLOURS[k]!)}" stroke="${theme.outline}" stroke-width="${num(r * 0.3)}" stroke-linejoin="round"/>`, GLYPH_MEANINGS[k].name);
  }
  if (notes) entry(`<circle class="key-note" cx="${num(at + r)}" cy="${num(y - size * 0.33)}" r="${num(r * 0.95)}" fill="${theme.annotation}" stroke="${theme.outline}" stroke-width="${num(r * 0.25)}"/>`, "note");
  parts.push(`</g>`);
  return parts.join("");
}

/** Room a vertical colour bar takes beside a panel, in points. */
export function colourBarRoom(theme: FigureTheme, bar?: ColourBar): number {
  const ticks = theme.font.tick * 1.1 + theme.font.tick * 0.5 + textWidth(5, theme.font.tick);
  // The bar's title and the note of a cap start at the bar and may be wider than its ticks.
  const title = textWidth(bar?.title.length ?? 0, theme.font.label);
  const cap = bar && clippedNote(bar) ? textWidth(clippedNote(bar)!.length + 3, theme.font.tick) : 0;
  return theme.font.tick * 1.2 + Math.max(ticks, title, cap);
}

/** "> 7.06 clipped" under a capped bar, or null. */
function clippedNote(bar: ColourBar): string | null {
  return bar.dataMax !== null && bar.dataMax > bar.scale.max ? `> ${formatValue(bar.scale.max)} clipped` : null;
}

export interface ColourBar {
  scale: ValueScale;
  map: ColourMapName;
  title: string;
  /** Values' own top, to say what a cap cut off. */
  dataMax: number | null;
}

/** A vertical colour bar along `box`'s height, titled above, ticked on its right. */
export function colourBarSvg(bar: ColourBar, box: Box, theme: FigureTheme, key: string): string {
  const { tick, label } = theme.font;
  const w = tick * 1.1;
  const x = box.x + tick * 1.2;
  const stops = COLOUR_MAPS[bar.map];
  const stroke = `stroke="${theme.axis}" stroke-width="${theme.axisWidth}"`;
  const parts = [
    `<g class="colour-bar" data-bar="${esc(key)}" font-size="${tick}" fill="${theme.ink}">`,
    `<defs><linearGradient id="colour-map-${esc(key)}" x1="0" y1="1" x2="0" y2="0">${stops.map((c, i) => `<stop offset="${num((i / (stops.length - 1)) * 100)}%" stop-color="${rgb(c)}"/>`).join("")}</linearGradient></defs>`,
    `<rect x="${num(x)}" y="${num(box.y)}" width="${num(w)}" height="${num(box.h)}" fill="url(#colour-map-${esc(key)})" ${stroke}/>`,
    `<text class="axis-title" x="${num(x)}" y="${num(box.y - label * 0.6)}" font-size="${label}">${esc(bar.title)}${bar.scale.kind === "log" ? " (log)" : ""}</text>`,
  ];
  const ticks = axisTicks(bar.scale);
  for (const t of ticks) {
    const n = bar.scale.normalize(t);
    if (!(n >= -1e-9 && n <= 1 + 1e-9)) continue;
    const y = box.y + box.h - n * box.h;
    parts.push(`<line x1="${num(x + w)}" x2="${num(x + w + tick * 0.5)}" y1="${num(y)}" y2="${num(y)}" ${stroke}/><text x="${num(x + w + tick * 0.75)}" y="${num(y + tick * 0.35)}">${esc(tickFormat(ticks)(t))}</text>`);
  }
  if (bar.dataMax !== null && bar.dataMax > bar.scale.max) {
    const y = box.y + box.h + tick * 0.8;
    parts.push(`<rect class="clipped" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(tick * 0.9)}" fill="${rgb(clippedColour(bar.map))}" ${stroke}/>`);
    parts.push(`<text x="${num(x + w + tick * 0.4)}" y="${num(y + tick * 0.8)}">${esc(clippedNote(bar)!)}</text>`);
    parts.push(`<text x="${num(x)}" y="${num(y + tick * 2)}" fill="${theme.muted}">(max ${esc(formatValue(bar.dataMax))})</text>`);
  }
  parts.push(`</g>`);
  return parts.join("");
}

/** The SVG document around a figure's parts: its size in the unit asked for, its units points. */
export function svgDocument(title: string, size: { w: number; h: number; width: string; height: string }, background: string, body: string[]): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${num(size.w)} ${num(size.h)}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${num(size.w)}" height="${num(size.h)}" fill="${background}"/>`,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
}
