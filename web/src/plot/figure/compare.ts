/**
 * A comparison as one figure: every panel side by side with its title ("A: ResNet-56"), one colour
 * bar shared by the panels drawn on one scale (or one per panel on their own scales), and, for two
 * surfaces on one grid, the difference panel "A − B" on a diverging map with its own bar.
 */
import { colourBarRoom, colourBarSvg, type ColourBar, esc, fit, markKeySvg, num, type PanelData, panelSvg, svgDocument, axisRoom } from "./panel";
import { documentSize, type FigureSize, type FigureThemeName, themeAt } from "./theme";

export interface ComparePanel {
  /** Its letter: "A", or "A − B" for the difference. */
  title: string;
  /** Under the title: the surface's name, or "first − second" for the difference. */
  names?: string;
  data: PanelData;
  /** A colour bar right of this panel: after the last of those sharing a scale, or its own. */
  bar?: ColourBar;
  /** A difference: drawn on the theme's diverging map; values go on the theme's value map. */
  difference?: boolean;
}

export interface CompareFigure {
  title: string;
  subtitle?: string;
  panels: readonly ComparePanel[];
  theme: FigureThemeName;
  size: FigureSize;
}

/** Letters of the compared surfaces, in order. */
export const PANEL_LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"] as const;

/**
 * The difference of two surfaces on one grid, A − B (first minus second) at every point, on a
 * scale symmetric about 0 so equal values take the diverging map's neutral middle; at most
 * ±`limit` (the span of a capped scale), beyond which the map's ends saturate.
 */
export function differenceOf(a: Float32Array, b: Float32Array, limit = Infinity): { values: Float32Array; extent: number; clipped: boolean } {
  const values = new Float32Array(a.length);
  let extent = 0;
  for (let k = 0; k < a.length; k++) {
    values[k] = a[k]! - b[k]!;
    if (Number.isFinite(values[k]!)) extent = Math.max(extent, Math.abs(values[k]!));
  }
  // A cap on the values caps their difference too: where both lie above it, it is noise.
  const clipped = extent > limit;
  return { values, extent: (clipped ? limit : extent) || 1, clipped };
}

/**
 * Columns of a comparison's figure: up to four panels side by side, as a paper's figure row has
 * them; more in rows of two, as the compare view shows them (a sweep's pairs, one per row).
 */
export const compareColumns = (n: number) => (n <= 4 ? Math.max(1, n) : 2);

/** Height over width of a comparison of `n` panels at its best (one row, or rows of compareColumns). */
export const compareAspect = (n: number) => {
  const columns = compareColumns(n);
  return (0.2 + 1.25 * Math.ceil(n / columns)) / (columns + 0.8);
};

/** The whole comparison in one SVG, in points, in the theme and at the size asked for. */
export function compareSvg(f: CompareFigure): string {
  const size = documentSize(f.size);
  const theme = themeAt(f.theme, size);
  const { title: titleSize, label, tick } = theme.font;
  const pad = tick * 0.9;
  const gap = tick * 1.2;
  const body: string[] = [];
  let top = pad + titleSize;
  body.push(`<text class="figure-title" x="${num(pad)}" y="${num(top)}" font-size="${titleSize}" font-weight="bold" fill="${theme.ink}">${esc(fit(f.title, titleSize * 1.1, size.w - 2 * pad))}</text>`);
  if (f.subtitle) {
    top += label * 1.35;
    body.push(`<text class="subtitle" x="${num(pad)}" y="${num(top)}" font-size="${label}" fill="${theme.muted}">${esc(fit(f.subtitle, label, size.w - 2 * pad))}</text>`);
  }
  const n = f.panels.length;
  const columns = compareColumns(n);
  const rows = Math.ceil(n / columns);
  const column = (k: number) => k % columns;
  // Above each row of plots: the panels' titles (a letter, then the names), then the colour bars' titles.
  const head = label * 4.4;
  top += head;
  // Every panel has its y-axis ticks; only a row's first panel and the difference repeat the axis title.
  const withTitle = f.panels.map((p, k) => column(k) === 0 || p.data.axisTitles[1] !== f.panels[k - 1]!.data.axisTitles[1] || p.difference === true);
  // Each column is as wide as its widest axis room and colour bar.
  const lefts = Array.from({ length: columns }, (_, c) => Math.max(...f.panels.map((_, k) => (column(k) === c ? axisRoom(theme, withTitle[k]!).left : 0))));
  const bars = Array.from({ length: columns }, (_, c) => Math.max(...f.panels.map((p, k) => (column(k) === c && p.bar ? colourBarRoom(theme, p.bar) : 0))));
  const fixed = 2 * pad + lefts.reduce((s, v) => s + v, 0) + bars.reduce((s, v) => s + v, 0) + gap * (columns - 1);
  const clipped = f.panels.some((p) => p.bar && p.bar.dataMax !== null && p.bar.dataMax > p.bar.scale.max) ? tick * 3 : 0;
  const keyRoom = markKeySvg(f.panels.map((p) => p.data), 0, 0, theme) ? tick * 1.8 : 0;
  const axisBottom = axisRoom(theme, true).bottom;
  const bottom = axisBottom + pad + clipped + keyRoom;
  // Between rows: the upper row's x axis, then the lower row's titles.
  const between = axisBottom + head;
  const side = Math.max(10, Math.min((size.w - fixed) / columns, (size.h - top - bottom - (rows - 1) * between) / rows));
  const left = pad + Math.max(0, (size.w - fixed - columns * side) / 2);
  // Height to spare goes above and below alike.
  top += Math.max(0, (size.h - top - bottom - rows * side - (rows - 1) * between) / 2);
  let x = left;
  let y = top;
  f.panels.forEach((p, k) => {
    const c = column(k);
    if (c === 0 && k > 0) {
      x = left;
      y += side + between;
    }
    x += lefts[c]!;
    const map = p.difference ? theme.differenceMap : theme.valueMap(p.data.map);
    const box = { x, y, w: side, h: side };
    // Centred on the panel, the names may run over its axis's room and its bar's (above both).
    const room = side + 2 * Math.min(lefts[c]!, bars[c]! + gap);
    body.push(`<text class="panel-title" x="${num(x + side / 2)}" y="${num(y - label * 3.2)}" text-anchor="middle" font-size="${label}" font-weight="bold" fill="${theme.ink}">${esc(p.title)}</text>`);
    if (p.names) body.push(`<text class="panel-names" x="${num(x + side / 2)}" y="${num(y - label * 2)}" text-anchor="middle" font-size="${tick}" fill="${theme.muted}">${esc(fit(p.names, tick, room))}</text>`);
    body.push(panelSvg({ ...p.data, map, saturate: p.difference }, box, theme, `panel-${k}`, withTitle[k]));
    x += side;
    if (p.bar) body.push(colourBarSvg({ ...p.bar, map }, { x, y, w: 0, h: side }, theme, `bar-${k}`));
    x += bars[c]! + gap;
  });
  // The key to the marks under the panels, from the left edge.
  if (keyRoom) body.push(markKeySvg(f.panels.map((p) => p.data), pad, y + side + axisBottom + tick * 1.2, theme));
  return svgDocument(f.title, size, theme.background, body);
}
