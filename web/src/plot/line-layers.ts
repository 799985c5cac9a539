/**
 * 1D surfaces as a line plot, as in Li et al.'s Figure 2: loss on the left axis, accuracy on the
 * right one, each in its own colour (the axes' titles and ticks too); one curve style per series
 * (solid, dashed, dotted, dash-dot: a surface's train and test sets, or the surfaces of a
 * comparison); the models marked on the x axis by name, each with a point at its own loss.
 */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import { finiteRange, type SurfaceGrid, testGridOf } from "./grid";
import { axisTicks, makeScale, niceTicks, tickFormat, type ValueScale } from "./scale";
import { AXIS_LINE, AXIS_TEXT, type Frame, MODEL_COLOUR, toWorld, WORLD } from "./world";
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

/** Width over height of a line plot's world (x spans WORLD x LINE_ASPECT, values WORLD). */
export const LINE_ASPECT = 1.6;
/** Loss and accuracy colours: their curves, tick labels and axis titles. */
export const LOSS_COLOUR: [number, number, number] = [240, 162, 75];
export const ACCURACY_COLOUR: [number, number, number] = [190, 130, 255];
/** Curve styles by series, in world units of dash and gap (null: solid). */
export const SERIES_DASHES: ([number, number] | null)[] = [null, [3.2, 2.2], [0.7, 1.6], [3.2, 1.6]];
export const SERIES_STYLE_NAMES = ["solid", "dashed", "dotted", "dash-dot"];

/** One curve pair (loss and accuracy) of a line plot. */
export interface LineSeries {
  name: string;
  grid: SurfaceGrid;
}

/**
 * A surface's curves: with a test set, "train" (solid) and "test" (dashed), as in the paper's
 * Figure 2; else one series named `name`.
 */
export function surfaceSeries(name: string, grid: SurfaceGrid): LineSeries[] {
  const test = testGridOf(grid);
  return test ? [{ name: "train", grid }, { name: "test", grid: test }] : [{ name, grid }];
}

/** A model on the x axis: its name, position and own loss (null when not measured). */
export interface LineMarker {
  name: string;
  x: number;
  loss?: number | null;
}

/** The x range all series cover. */
export function lineFrame(series: readonly LineSeries[]): Frame {
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const { grid } of series) {
    if (grid.nx) {
      xMin = Math.min(xMin, grid.xs[0]!);
      xMax = Math.max(xMax, grid.xs[grid.nx - 1]!);
    }
  }
  if (!Number.isFinite(xMin)) [xMin, xMax] = [0, 1];
  return { xMin, xMax: xMax > xMin ? xMax : xMin + 1, yMin: 0, yMax: 1 };
}

/** The accuracy axis: 0 to 1 for fractions (every finite value in it), else the values' own round range. */
export function accuracyScale(series: readonly LineSeries[]): ValueScale {
  const ranges = series.map((s) => finiteRange(s.grid.accuracy)).filter((r) => r !== null);
  const range = ranges.length ? { min: Math.min(...ranges.map((r) => r.min)), max: Math.max(...ranges.map((r) => r.max)) } : null;
  if (!range || (range.min >= 0 && range.max <= 1)) return makeScale("linear", 0, 1);
  const t = niceTicks(range.min, range.max, 5);
  return makeScale("linear", Math.min(range.min, t[0]!), range.max > range.min ? range.max : range.min + 1);
}

/** A polyline cut into dashes of `dash` world units with `gap` between them, continued across vertices. */
export function dashed(points: [number, number][], pattern: [number, number] | null): [number, number][][] {
  if (!pattern || points.length < 2) return [points];
  const [dash, gap] = pattern;
  const out: [number, number][][] = [];
  let current: [number, number][] | null = [points[0]!];
  let left = dash;
  for (let k = 0; k + 1 < points.length; k++) {
    let [x0, y0] = points[k]!;
    const [x1, y1] = points[k + 1]!;
    let length = Math.hypot(x1 - x0, y1 - y0);
    while (length > left) {
      const f = left / length;
      const x = x0 + (x1 - x0) * f;
      const y = y0 + (y1 - y0) * f;
      if (current) {
        current.push([x, y]);
        out.push(current);
        current = null;
        left = gap;
      } else {
        current = [[x, y]];
        left = dash;
      }
      length -= Math.hypot(x - x0, y - y0);
      [x0, y0] = [x, y];
    }
    left -= length;
    if (current) current.push([x1, y1]);
  }
  if (current && current.length > 1) out.push(current);
  return out;
}

/** Runs of finite values as world polylines (a missing point breaks the curve). */
function curves(grid: SurfaceGrid, values: Float32Array, xOf: (a: number) => number, yOf: (v: number) => number): [number, number][][] {
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  for (let i = 0; i < grid.nx; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) run.push([xOf(grid.xs[i]!), yOf(v)]);
    else if (run.length) runs.push(run.splice(0));
  }
  if (run.length) runs.push(run);
  return runs;
}

export function lineLayers(id: string, series: readonly LineSeries[], loss: ValueScale, markers: readonly LineMarker[] = [], xTitle = "a"): Layer[] {
  const frame = lineFrame(series);
  const accuracy = accuracyScale(series);
  const half = WORLD / 2;
  const right = half * LINE_ASPECT;
  const xOf = (a: number) => toWorld(frame, a, 0)[0] * LINE_ASPECT;
  const clampY = (t: number) => (Math.min(1, Math.max(0, t)) - 0.5) * WORLD;
  const yLoss = (v: number) => clampY(loss.normalize(v));
  const yAccuracy = (v: number) => clampY(accuracy.normalize(v));
  const inside = (s: ValueScale) => (v: number) => v >= s.min - 1e-12 * Math.abs(s.min) && v <= s.max + 1e-12 * Math.abs(s.max);
  const lt = axisTicks(loss).filter(inside(loss));
  const at = axisTicks(accuracy).filter(inside(accuracy));
  const xt = niceTicks(frame.xMin, frame.xMax, 6);
  const paths: { path: [number, number][]; colour: [number, number, number] }[] = [];
  series.forEach((s, k) => {
    const pattern = SERIES_DASHES[k % SERIES_DASHES.length]!;
    for (const run of curves(s.grid, s.grid.accuracy, xOf, yAccuracy)) for (const path of dashed(run, pattern)) paths.push({ path, colour: ACCURACY_COLOUR });
    for (const run of curves(s.grid, s.grid.loss, xOf, yLoss)) for (const path of dashed(run, pattern)) paths.push({ path, colour: LOSS_COLOUR });
  });
  const edge = 1.5;
  const frameLines = [
    [[-right, -half], [right, -half]],
    [[-right, -half], [-right, half]],
    [[right, -half], [right, half]],
    ...xt.map((v) => [[xOf(v), -half], [xOf(v), -half - 2]]),
    ...lt.map((v) => [[-right, yLoss(v)], [-right - 2, yLoss(v)]]),
    ...at.map((v) => [[right, yAccuracy(v)], [right + 2, yAccuracy(v)]]),
  ] as [number, number][][];
  type Label = { text: string; position: [number, number]; anchor: "start" | "middle" | "end"; angle: number; colour: [number, number, number] };
  const labels: Label[] = [
    ...xt.map((v): Label => ({ text: tickFormat(xt)(v), position: [xOf(v), -half - edge - 4], anchor: "middle", angle: 0, colour: AXIS_TEXT })),
    ...lt.map((v): Label => ({ text: tickFormat(lt)(v), position: [-right - edge - 3, yLoss(v)], anchor: "end", angle: 0, colour: LOSS_COLOUR })),
    ...at.map((v): Label => ({ text: tickFormat(at)(v), position: [right + edge + 3, yAccuracy(v)], anchor: "start", angle: 0, colour: ACCURACY_COLOUR })),
    { text: xTitle, position: [0, -half - edge - 18], anchor: "middle", angle: 0, colour: AXIS_TEXT },
    { text: "Loss", position: [-right - edge - 17, 0], anchor: "middle", angle: 90, colour: LOSS_COLOUR },
    { text: "Accuracy", position: [right + edge + 17, 0], anchor: "middle", angle: -90, colour: ACCURACY_COLOUR },
  ];
  const first = series[0];
  // A model's point: at its own loss when measured, else where the (first) curve passes.
  const markerY = (m: LineMarker) => {
    const v = m.loss ?? (first ? lineValueAt(first.grid, first.grid.loss, m.x) : null);
    return v == null ? null : yLoss(v);
  };
  const trigger = [loss.kind, loss.min, loss.max, accuracy.min, accuracy.max];
  return [
    new LineLayer({
      id: `${id}-gridlines`,
      data: lt.map((v) => [[-right, yLoss(v)], [right, yLoss(v)]] as [number, number][]),
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d[0]!,
      getTargetPosition: (d) => d[1]!,
      getColor: [45, 52, 72],
      getWidth: 1,
      widthUnits: "pixels",
      updateTriggers: { getSourcePosition: trigger, getTargetPosition: trigger },
    }),
    new LineLayer({
      id: `${id}-axes`,
      data: frameLines,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d[0]!,
      getTargetPosition: (d) => d[1]!,
      getColor: AXIS_LINE,
      getWidth: 1,
      widthUnits: "pixels",
      updateTriggers: { getSourcePosition: trigger, getTargetPosition: trigger },
    }),
    new PathLayer({
      id: `${id}-curves`,
      data: paths,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPath: (d) => d.path,
      getColor: (d) => d.colour,
      getWidth: 2.5,
      widthUnits: "pixels",
      capRounded: true,
      jointRounded: true,
    }),
    // The models on the x axis: a line up from the axis to a point at the model's loss, and the
    // name under the axis's tick labels.
    new LineLayer({
      id: `${id}-model-ticks`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (m) => [xOf(m.x), -half],
      getTargetPosition: (m) => [xOf(m.x), markerY(m) ?? -half + 4],
      getColor: [...MODEL_COLOUR, 150],
      getWidth: 1,
      widthUnits: "pixels",
      updateTriggers: { getTargetPosition: trigger },
    }),
    new ScatterplotLayer({
      id: `${id}-model-markers`,
      data: markers.filter((m) => markerY(m) !== null),
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (m) => [xOf(m.x), markerY(m)!],
      getRadius: 6,
      radiusUnits: "pixels",
      stroked: true,
      getLineColor: [15, 20, 32],
      lineWidthUnits: "pixels",
      getLineWidth: 1.5,
      getFillColor: MODEL_COLOUR,
      updateTriggers: { getPosition: trigger },
    }),
    new TextLayer({
      id: `${id}-model-labels`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (m) => [xOf(m.x), -half - edge - 10.5],
      getText: (m) => m.name,
      getSize: 13,
      getColor: MODEL_COLOUR,
      fontWeight: 700,
      getTextAnchor: "middle",
      getAlignmentBaseline: "center",
      updateTriggers: { getPosition: trigger },
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
      getColor: (d) => d.colour,
      updateTriggers: { getText: [xTitle, ...trigger], getPosition: trigger },
    }),
  ];
}
