/**
 * A curve's figures as exported files (SVG, and PNG and PDF made from it by the export dialog):
 * loss and accuracy along t on twin axes, the trained curve solid and the straight line dashed,
 * one figure per data set; and the plane through A, B and the bend as a loss heatmap with the
 * curve, the line (dashed), the three models and the notes pinned on the plane. Pure functions of the values, as the page's.
 */
import { surfaceSvg } from "../plot/export";
import { lineFigureSvg } from "../plot/figure/line";
import type { FigureSize, FigureThemeName } from "../plot/figure/theme";
import { gridFromRows } from "../plot/grid";
import { chooseScale, valueStats } from "../plot/scale";
import type { Annotation } from "../api/types";
import type { CurveFigure, CurveValues } from "./curve-values";

/** Height over width of each figure at its best (the export dialog's presets). */
export const CURVE_FIGURE_ASPECT = 0.7;
export const CURVE_PLANE_ASPECT = 0.86;

/** Exported labels are set in the PDF's standard fonts, which have no Greek: "theta", as on the plot. */
const MODEL_NAMES: Record<string, string> = { "model A": "A", "model B": "B", theta: "theta" };

/** Loss and accuracy along t on one data set: the curve solid, the line dashed, A at t = 0 and B at t = 1 at their own losses. */
export function curveLineSvg(figure: CurveFigure, title: string, theme: FigureThemeName, size: FigureSize): string {
  const [curve] = figure.lines;
  const loss = curve!.grid.loss;
  return lineFigureSvg({
    title,
    subtitle: `${figure.title}: loss (left) and accuracy (right) along t`,
    // The PDF's standard fonts have no arrow either.
    series: figure.lines.map((l) => ({ ...l, name: l.name.replace(" → ", " to ") })),
    loss: chooseScale("linear", figure.lines.map((l) => valueStats(l.grid.loss)), { min: null, max: null, capped: false }).scale,
    xTitle: "t",
    markers: [{ name: "A", x: 0, loss: loss[0] }, { name: "B", x: 1, loss: loss[loss.length - 1] }],
    theme,
    size,
  });
}

/** The plane through A, B and the bend: training loss, the trained curve, the straight line (dashed), the three models and the notes (default none). */
export function curvePlaneSvg(
  plane: NonNullable<CurveValues["plane"]>,
  title: string,
  theme: FigureThemeName,
  size: FigureSize,
  notes: readonly Pick<Annotation, "x" | "y" | "label" | "kind">[] = [],
): string {
  const grid = gridFromRows(plane.xs, plane.ys, plane.loss, plane.accuracy);
  const choice = chooseScale("linear", [valueStats(grid.loss)], { min: null, max: null, capped: true });
  return surfaceSvg({
    title,
    subtitle: "Plane through A, B and theta: the trained curve (white), the straight line (dashed)",
    axisTitles: ["along B - A", "towards theta"],
    valueTitle: "Training loss",
    grid,
    values: grid.loss,
    scale: choice.scale,
    map: "viridis",
    dataMax: choice.dataMax,
    path: plane.curve.map((p, k) => ({ step: k, x: p.x, y: p.y, distance: 0, fromFinal: null, offPlaneFraction: 0 })),
    guide: plane.line,
    models: plane.models.map((m) => ({ x: m.x, y: m.y, name: MODEL_NAMES[m.name ?? ""] ?? m.name ?? "" })),
    annotations: notes,
    theme,
    size,
  });
}
