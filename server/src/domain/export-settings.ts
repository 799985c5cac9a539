/**
 * How a user exports figures (theme, size, resolution, format), kept per user on the server so the
 * choice follows them from browser to browser. The values are declared once here; the GraphQL
 * enums and the zod schema derive from them.
 */
import { z } from "zod";

/** `paper`: white background, print-safe colours, small dark text; `dark`: the screen's look. */
export const FIGURE_THEMES = ["paper", "dark"] as const;
export const FIGURE_FORMATS = ["png", "svg", "pdf"] as const;
/** Inches (with a DPI for the raster) or pixels. */
export const SIZE_UNITS = ["in", "px"] as const;

export type FigureTheme = (typeof FIGURE_THEMES)[number];
export type FigureFormat = (typeof FIGURE_FORMATS)[number];
export type SizeUnit = (typeof SIZE_UNITS)[number];

/** Bounds of a figure's size: inches 1 to 20, pixels 100 to 10000; DPI 72 to 1200. */
export const SIZE_LIMITS = { in: { min: 1, max: 20 }, px: { min: 100, max: 10_000 }, dpi: { min: 72, max: 1200 } } as const;

export interface ExportSettingsRecord {
  theme: FigureTheme;
  format: FigureFormat;
  width: number;
  height: number;
  unit: SizeUnit;
  dpi: number;
}

/** A single-column paper figure: 3.25 in wide, 300 DPI, PDF. */
export const DEFAULT_EXPORT_SETTINGS: ExportSettingsRecord = { theme: "paper", format: "pdf", width: 3.25, height: 2.6, unit: "in", dpi: 300 };

export const exportSettingsSchema = z
  .object({
    theme: z.enum(FIGURE_THEMES),
    format: z.enum(FIGURE_FORMATS),
    width: z.number().finite(),
    height: z.number().finite(),
    unit: z.enum(SIZE_UNITS),
    dpi: z.number().int().min(SIZE_LIMITS.dpi.min).max(SIZE_LIMITS.dpi.max),
  })
  .strict()
  .refine((s) => [s.width, s.height].every((v) => v >= SIZE_LIMITS[s.unit].min && v <= SIZE_LIMITS[s.unit].max));

/** What a refused size or DPI is told. */
export const EXPORT_SETTINGS_MESSAGE =
  `A figure is ${SIZE_LIMITS.in.min} to ${SIZE_LIMITS.in.max} inches or ${SIZE_LIMITS.px.min} to ${SIZE_LIMITS.px.max} pixels on each side, at ${SIZE_LIMITS.dpi.min} to ${SIZE_LIMITS.dpi.max} DPI (a whole number)`;
