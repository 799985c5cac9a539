/**
 * How an exported figure looks and how big it is. Two themes: `paper` (white background, thin dark
 * axes, small dark sans-serif text, print-safe colour maps: a perceptually uniform map for values,
 * a diverging one for differences) and `dark` (the screen's look). Sizes are in inches or pixels;
 * the figure's own units are PostScript points (72 per inch), so text sizes mean what they mean in
 * a paper whatever the size, and a PNG is the same picture rasterized at the DPI.
 */
import type { ColourMapName } from "../colormap";

export type FigureThemeName = "paper" | "dark";
export type FigureFormat = "png" | "svg" | "pdf";
export type SizeUnit = "in" | "px";

export interface FigureTheme {
  name: FigureThemeName;
  background: string;
  ink: string;
  muted: string;
  /** Axis lines and ticks, and their width in points. */
  axis: string;
  axisWidth: number;
  /** Font sizes in points. */
  font: { title: number; label: number; tick: number };
  /** Cells without a value. */
  missing: string;
  contour: { colour: string; opacity: number; width: number };
  /** The map values are drawn with, given the one on screen: print-safe on paper. */
  valueMap(map: ColourMapName): ColourMapName;
  /** Differences between two surfaces: diverging around 0. */
  differenceMap: ColourMapName;
  /** Outline of markers (critical points, pins), so they read on any colour. */
  outline: string;
  annotation: string;
  /**
   * A 1D figure's curves, ticks and axis titles: loss (left axis) and accuracy (right axis). Blue
   * and red on paper, as in Li et al.'s Figure 2; the screen's orange and purple when dark.
   */
  loss: string;
  accuracy: string;
}

/** Perceptually uniform maps print and photocopy well; anything else becomes viridis on paper. */
const PRINT_SAFE: readonly ColourMapName[] = ["viridis", "magma", "greys"];

export const THEMES: Record<FigureThemeName, FigureTheme> = {
  paper: {
    name: "paper",
    background: "#ffffff",
    ink: "#1a1a1a",
    muted: "#555555",
    axis: "#333333",
    axisWidth: 0.5,
    font: { title: 8, label: 7, tick: 6 },
    missing: "#e6e6e6",
    contour: { colour: "#000000", opacity: 0.35, width: 0.35 },
    valueMap: (map) => (PRINT_SAFE.includes(map) ? map : "viridis"),
    differenceMap: "coolwarm",
    outline: "#1a1a1a",
    annotation: "#7b3fa0",
    loss: "#1f5fa8",
    accuracy: "#c0392b",
  },
  dark: {
    name: "dark",
    background: "#0b0f18",
    ink: "#e6e9f2",
    muted: "#aab3c8",
    axis: "#96a0b8",
    axisWidth: 0.75,
    font: { title: 14, label: 10, tick: 9 },
    missing: "rgb(40,46,62)",
    contour: { colour: "#ffffff", opacity: 0.55, width: 0.7 },
    valueMap: (map) => map,
    differenceMap: "coolwarm",
    outline: "#0f1420",
    annotation: "#ffd166",
    loss: "rgb(240,162,75)",
    accuracy: "rgb(190,130,255)",
  },
};

/**
 * The theme at a figure's size: paper text keeps its point sizes (a journal's), the dark theme's
 * grows and shrinks with the figure from the screen's 570 x 480 points, so a slide or a thumbnail
 * reads alike.
 */
export function themeAt(name: FigureThemeName, size: { w: number; h: number }): FigureTheme {
  const theme = THEMES[name];
  if (name === "paper") return theme;
  const k = Math.min(4, Math.max(0.5, Math.min(size.w / 570, size.h / 480)));
  return { ...theme, font: { title: theme.font.title * k, label: theme.font.label * k, tick: theme.font.tick * k }, axisWidth: theme.axisWidth * Math.max(0.7, k) };
}

export interface FigureSize {
  width: number;
  height: number;
  unit: SizeUnit;
  /** Dots per inch: the raster's resolution, and how pixels convert to inches. */
  dpi: number;
}

/** Column widths of two-column papers (NeurIPS, ICML, IEEE): single 3.25 in, double 6.75 in. */
export const SIZE_PRESETS = [
  { name: "Single column", width: 3.25 },
  { name: "Double column", width: 6.75 },
] as const;

/** The figure's size in points (72 per inch): the SVG's and the PDF page's units. */
export function sizeInPoints(size: FigureSize): { w: number; h: number } {
  const perUnit = size.unit === "in" ? 72 : 72 / size.dpi;
  return { w: size.width * perUnit, h: size.height * perUnit };
}

/** The raster's size in pixels: inches x DPI, or the pixels asked for. */
export function sizeInPixels(size: FigureSize): { w: number; h: number } {
  const perUnit = size.unit === "in" ? size.dpi : 1;
  return { w: Math.round(size.width * perUnit), h: Math.round(size.height * perUnit) };
}

export interface ExportChoice extends FigureSize {
  theme: FigureThemeName;
  format: FigureFormat;
}

/** Until a user saves their own: a single-column paper figure, 300 DPI, as PDF. */
export const DEFAULT_EXPORT: ExportChoice = { theme: "paper", format: "pdf", width: 3.25, height: 2.6, unit: "in", dpi: 300 };

/** The SVG root's size: points inside, the unit asked for outside (inches, or pixels). */
export function documentSize(size: FigureSize): { w: number; h: number; width: string; height: string } {
  const { w, h } = sizeInPoints(size);
  return { w, h, width: `${size.width}${size.unit}`, height: `${size.height}${size.unit}` };
}

/** The screen's figure: 760 x 640 pixels at 96 DPI. */
export const SCREEN_SIZE: FigureSize = { width: 760, height: 640, unit: "px", dpi: 96 };
