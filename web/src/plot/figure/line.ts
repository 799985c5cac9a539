/**
 * A 1D figure as the line plot the page draws (line-layers.ts), in the style of Li et al.'s
 * Figure 2: loss on the left axis and accuracy on the right one, each in its own colour (curves,
 * ticks and titles); one stroke style per surface (solid, dashed, dotted, dash-dot); no colour bar;
 * the models marked on the x axis by name, each with a point at its own loss. SVG in points, in
 * the theme and at the size asked for; PNG and PDF are made from it.
 */
import { accuracyScale, lineFrame, type LineMarker, type LineSeries, lineValueAt, SERIES_STYLE_NAMES } from "../line-layers";
import { axisTicks, niceTicks, tickFormat, type ValueScale } from "../scale";
import { MODEL_COLOUR } from "../world";
import { esc, fit, num, rgb, svgDocument, textWidth } from "./panel";
import { documentSize, type FigureSize, type FigureThemeName, themeAt } from "./theme";

export interface LineFigure {
  title: string;
  subtitle?: string;
  /** The curves: each surface's loss and accuracy, the first solid, the next dashed, ... */
  series: readonly LineSeries[];
  /** The loss axis (the data's own range by default, never capped). */
  loss: ValueScale;
  /** The x axis's name: "a" along a slice, "t" between two models. */
  xTitle: string;
  markers?: readonly LineMarker[];
  theme: FigureThemeName;
  size: FigureSize;
}

/** Stroke dash patterns by series, in multiples of the curve's width (none: solid). */
const DASHES = [null, [4, 2.5], [0.9, 2], [4, 2, 0.9, 2]] as const;

/** One curve as polylines (a missing value breaks it). */
function polylines(xs: readonly number[], values: Float32Array, sx: (a: number) => number, sy: (v: number) => number): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  xs.forEach((x, i) => {
    const v = values[i]!;
    if (Number.isFinite(v)) run.push(`${num(sx(x))},${num(sy(v))}`);
    else if (run.length) runs.push(run.splice(0).join(" "));
  });
  if (run.length) runs.push(run.join(" "));
  return runs;
}

export function lineFigureSvg(f: LineFigure): string {
  const size = documentSize(f.size);
  const theme = themeAt(f.theme, size);
  const colours = { loss: theme.loss, accuracy: theme.accuracy };
  const { title: titleSize, label, tick } = theme.font;
  const pad = tick * 0.9;
  const width = theme.axisWidth * 2.5;
  const dash = (k: number) => {
    const d = DASHES[k % DASHES.length];
    return d ? ` stroke-dasharray="${d.map((v) => num(v * width)).join(" ")}"` : "";
  };
  const body: string[] = [];
  let top = pad + titleSize;
  body.push(`<text class="figure-title" x="${num(pad)}" y="${num(top)}" font-size="${titleSize}" font-weight="bold" fill="${theme.ink}">${esc(fit(f.title, titleSize * 1.1, size.w - 2 * pad))}</text>`);
  if (f.subtitle) {
    top += label * 1.35;
    body.push(`<text class="subtitle" x="${num(pad)}" y="${num(top)}" font-size="${label}" fill="${theme.muted}">${esc(fit(f.subtitle, label, size.w - 2 * pad))}</text>`);
  }
  // The legend: one row per surface (one row in all for a single surface), then the models.
  const markers = f.markers ?? [];
  const rows = f.series.map((s, k) => ({ k, name: f.series.length > 1 ? `${s.name} (${SERIES_STYLE_NAMES[k % SERIES_STYLE_NAMES.length]})` : null }));
  body.push(`<g class="legend" font-size="${label}" fill="${theme.ink}">`);
  const sample = label * 1.6;
  for (const row of rows) {
    top += label * 1.45;
    let x = pad;
    let y = top - label * 0.35;
    // An entry that would run past the right edge starts a new line.
    const place = (room: number) => {
      if (x > pad && x + room > size.w - pad) {
        top += label * 1.45;
        y = top - label * 0.35;
        x = pad;
      }
    };
    const entry = (colour: string, words: string) => {
      place(sample + label * 0.4 + textWidth(words.length, label));
      body.push(`<line x1="${num(x)}" x2="${num(x + sample)}" y1="${num(y)}" y2="${num(y)}" stroke="${colour}" stroke-width="${num(width)}"${dash(row.k)}/><text class="legend-entry" x="${num(x + sample + label * 0.4)}" y="${num(top)}">${esc(words)}</text>`);
      x += sample + label * 1.4 + textWidth(words.length, label);
    };
    const prefix = row.name ? `${row.name}: ` : "";
    entry(colours.loss, `${prefix}loss (left axis)`);
    entry(colours.accuracy, `${prefix}accuracy (right axis)`);
    if (row.k === rows.length - 1 && markers.length) {
      const words = `models: ${markers.map((m) => m.name).join(", ")}`;
      place(label * 1.1 + textWidth(words.length, label));
      body.push(`<circle cx="${num(x + label * 0.4)}" cy="${num(y)}" r="${num(label * 0.32)}" fill="${rgb(MODEL_COLOUR)}" stroke="${theme.outline}" stroke-width="${num(theme.axisWidth)}"/><text class="legend-entry" x="${num(x + label * 1.1)}" y="${num(top)}">${esc(words)}</text>`);
    }
  }
  body.push(`</g>`);
  top += label * 1.3;

  // The plot area: the loss axis's labels and title on the left, the accuracy's on the right, the
  // x axis's ticks, the models' names and the x title below.
  const loss = f.loss;
  const accuracy = accuracyScale(f.series);
  const inside = (s: ValueScale) => (v: number) => s.normalize(v) >= -1e-9 && s.normalize(v) <= 1 + 1e-9;
  const lt = axisTicks(loss).filter(inside(loss));
  const at = axisTicks(accuracy).filter(inside(accuracy));
  const side = (ticks: number[]) => tick * 0.9 + textWidth(Math.max(1, ...ticks.map((t) => tickFormat(ticks)(t).length)), tick) + label * 1.4;
  const left = side(lt);
  const right = side(at);
  const bottom = tick * 2.2 + (markers.length ? tick * 1.3 : 0) + label * 1.4;
  const box = { x: pad + left, y: top, w: Math.max(10, size.w - 2 * pad - left - right), h: Math.max(10, size.h - top - bottom - pad) };
  const frame = lineFrame(f.series);
  const sx = (a: number) => box.x + ((a - frame.xMin) / (frame.xMax - frame.xMin)) * box.w;
  const clamp = (t: number) => box.y + box.h - Math.min(1, Math.max(0, t)) * box.h;
  const sLoss = (v: number) => clamp(loss.normalize(v));
  const sAccuracy = (v: number) => clamp(accuracy.normalize(v));
  const stroke = `stroke="${theme.axis}" stroke-width="${theme.axisWidth}"`;
  const len = tick * 0.5;
  const base = box.y + box.h;
  const parts: string[] = [`<g class="panel line-plot">`];
  parts.push(`<defs><clipPath id="plot-area-line"><rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.w)}" height="${num(box.h)}"/></clipPath></defs>`);
  // Faint lines at the loss ticks, under the curves.
  for (const t of lt) parts.push(`<line class="gridline" x1="${num(box.x)}" x2="${num(box.x + box.w)}" y1="${num(sLoss(t))}" y2="${num(sLoss(t))}" stroke="${theme.axis}" stroke-opacity="0.25" stroke-width="${theme.axisWidth}"/>`);
  parts.push(`<g class="data" clip-path="url(#plot-area-line)">`);
  f.series.forEach((s, k) => {
    for (const points of polylines(s.grid.xs, s.grid.accuracy, sx, sAccuracy)) parts.push(`<polyline class="accuracy" data-series="${k}" points="${points}" fill="none" stroke="${colours.accuracy}" stroke-width="${num(width)}" stroke-linejoin="round"${dash(k)}/>`);
    for (const points of polylines(s.grid.xs, s.grid.loss, sx, sLoss)) parts.push(`<polyline class="loss" data-series="${k}" points="${points}" fill="none" stroke="${colours.loss}" stroke-width="${num(width)}" stroke-linejoin="round"${dash(k)}/>`);
  });
  // The models: a line up from the axis to a point at the model's own loss (or the curve's).
  const first = f.series[0];
  for (const m of markers) {
    const v = m.loss ?? (first ? lineValueAt(first.grid, first.grid.loss, m.x) : null);
    const y = v == null ? base - tick : sLoss(v);
    parts.push(`<line class="model" x1="${num(sx(m.x))}" x2="${num(sx(m.x))}" y1="${num(base)}" y2="${num(y)}" stroke="${rgb(MODEL_COLOUR)}" stroke-width="${num(theme.axisWidth * 1.5)}"/>`);
    if (v != null) parts.push(`<circle class="model-point" cx="${num(sx(m.x))}" cy="${num(y)}" r="${num(tick * 0.4)}" fill="${rgb(MODEL_COLOUR)}" stroke="${theme.outline}" stroke-width="${num(theme.axisWidth)}"/>`);
  }
  parts.push(`</g>`);
  parts.push(`<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.w)}" height="${num(box.h)}" fill="none" ${stroke}/>`);
  // x axis: ticks, the models' names under their labels, the title.
  const xt = niceTicks(frame.xMin, frame.xMax, Math.max(3, Math.min(7, Math.round(box.w / (tick * 5)))));
  parts.push(`<g class="x-axis" font-size="${tick}" fill="${theme.ink}">`);
  for (const t of xt) parts.push(`<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${num(base)}" y2="${num(base + len)}" ${stroke}/><text x="${num(sx(t))}" y="${num(base + len + tick)}" text-anchor="middle">${esc(tickFormat(xt)(t))}</text>`);
  for (const m of markers) parts.push(`<text class="model-name" x="${num(sx(m.x))}" y="${num(base + len + tick * 2.2)}" text-anchor="middle" font-weight="bold" fill="${rgb(MODEL_COLOUR)}">${esc(m.name)}</text>`);
  parts.push(`<text class="axis-title" x="${num(box.x + box.w / 2)}" y="${num(base + bottom - label * 0.3)}" text-anchor="middle" font-size="${label}">${esc(f.xTitle)}</text></g>`);
  // The value axes, each in its curves' colour.
  const valueAxis = (cls: string, ticks: number[], s: (v: number) => number, colour: string, title: string, onLeft: boolean) => {
    const x = onLeft ? box.x : box.x + box.w;
    const out = [`<g class="${cls}" font-size="${tick}" fill="${colour}">`];
    for (const t of ticks) {
      const tx = onLeft ? x - len - tick * 0.25 : x + len + tick * 0.25;
      out.push(`<line x1="${num(x)}" x2="${num(onLeft ? x - len : x + len)}" y1="${num(s(t))}" y2="${num(s(t))}" ${stroke}/><text x="${num(tx)}" y="${num(s(t) + tick * 0.35)}" text-anchor="${onLeft ? "end" : "start"}">${esc(tickFormat(ticks)(t))}</text>`);
    }
    const tx = onLeft ? box.x - left + label * 0.8 : box.x + box.w + right - label * 0.5;
    out.push(`<text class="axis-title" transform="translate(${num(tx)} ${num(box.y + box.h / 2)}) rotate(${onLeft ? -90 : 90})" text-anchor="middle" font-size="${label}">${esc(title)}${cls === "loss-axis" && loss.kind === "log" ? " (log)" : ""}</text></g>`);
    return out.join("");
  };
  parts.push(valueAxis("loss-axis", lt, sLoss, colours.loss, "Loss", true));
  parts.push(valueAxis("accuracy-axis", at, sAccuracy, colours.accuracy, "Accuracy", false));
  parts.push(`</g>`);
  body.push(parts.join(""));
  return svgDocument(f.title, size, theme.background, body);
}
