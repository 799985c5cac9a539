/** 1D surfaces as a line chart. */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import { clippedColour } from "./colormap";
import type { SurfaceGrid } from "./grid";
import { axisTicks, niceTicks, tickFormat, type ValueScale } from "./scale";
import { AXIS_TEXT, frameOf, MODEL_COLOUR, toWorld, WORLD } from "./world";

/**
 * 1D surfaces: the metric along a as a line, with ticks and titles on both axes, in the same
 * square world; the models' positions (an interpolation's ends, a slice's centre) as vertical
 * lines in their own colour, named at the top.
 */
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

export function lineLayers(id: string, grid: SurfaceGrid, values: Float32Array, scale: ValueScale, markers: { name: string; x: number }[] = [], titles: { x: string; value: string } = { x: "a", value: "value" }): Layer[] {
  const frame = frameOf(grid);
  const half = WORLD / 2;
  const yOf = (v: number) => (Math.min(1, Math.max(0, scale.normalize(v))) - 0.5) * WORLD;
  const path: [number, number][] = [];
  const segments: [number, number][][] = [];
  for (let i = 0; i < grid.nx; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      if (path.length) segments.push(path.splice(0));
      continue;
    }
    path.push([toWorld(frame, grid.xs[i]!, 0)[0], yOf(v)]);
  }
  if (path.length) segments.push(path.splice(0));
  const xt = niceTicks(frame.xMin, frame.xMax, 6);
  const vt = axisTicks(scale).filter((v) => v >= scale.min - 1e-12 * Math.abs(scale.min) && v <= scale.max * (1 + 1e-12));
  const edge = half + 1.5;
  const grids = vt.map((v) => ({ from: [-half, yOf(v)] as [number, number], to: [half, yOf(v)] as [number, number] }));
  const labels = [
    ...xt.map((v) => ({ text: tickFormat(xt)(v), position: [toWorld(frame, v, 0)[0], -edge - 4] as [number, number], anchor: "middle" as const, angle: 0 })),
    ...vt.map((v) => ({ text: tickFormat(vt)(v), position: [-edge - 2, yOf(v)] as [number, number], anchor: "end" as const, angle: 0 })),
    { text: titles.x, position: [0, -edge - 11] as [number, number], anchor: "middle" as const, angle: 0 },
    { text: titles.value, position: [-edge - 15, 0] as [number, number], anchor: "middle" as const, angle: 90 },
  ];
  const points = values.length > 0 ? Array.from({ length: grid.nx }, (_, i) => ({ x: grid.xs[i]!, v: values[i]! })).filter((p) => Number.isFinite(p.v)) : [];
  const trigger = [scale.kind, scale.min, scale.max];
  return [
    new LineLayer({
      id: `${id}-gridlines`,
      data: grids,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: [60, 70, 95],
      getWidth: 1,
      widthUnits: "pixels",
    }),
    new LineLayer({
      id: `${id}-model-lines`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (m) => [toWorld(frame, m.x, 0)[0], -half],
      getTargetPosition: (m) => [toWorld(frame, m.x, 0)[0], half],
      getColor: [...MODEL_COLOUR, 200],
      getWidth: 1.5,
      widthUnits: "pixels",
    }),
    new PathLayer({
      id: `${id}-line`,
      data: segments,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPath: (d) => d,
      getColor: [240, 162, 75],
      getWidth: 2.5,
      widthUnits: "pixels",
      updateTriggers: { getPath: trigger },
    }),
    new ScatterplotLayer({
      id: `${id}-line-points`,
      data: points,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (p) => [toWorld(frame, p.x, 0)[0], yOf(p.v)],
      getRadius: 3,
      radiusUnits: "pixels",
      // Points above a capped scale sit on its top edge, in the clipped colour.
      getFillColor: (p) => (p.v > scale.max ? clippedColour("viridis") : [240, 162, 75]),
      updateTriggers: { getPosition: trigger, getFillColor: trigger },
    }),
    new ScatterplotLayer({
      id: `${id}-model-markers`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      // On the curve, at the model's value: the point the reader compares with the model's own loss.
      getPosition: (m) => {
        const v = lineValueAt(grid, values, m.x);
        return [toWorld(frame, m.x, 0)[0], v === null ? -half : yOf(v)];
      },
      updateTriggers: { getPosition: trigger },
      getRadius: 6,
      radiusUnits: "pixels",
      stroked: true,
      getLineColor: [15, 20, 32],
      lineWidthUnits: "pixels",
      getLineWidth: 1.5,
      getFillColor: MODEL_COLOUR,
    }),
    new TextLayer({
      id: `${id}-model-names`,
      data: markers,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (m) => [toWorld(frame, m.x, 0)[0], half],
      getText: (m) => m.name,
      getSize: 13,
      getColor: MODEL_COLOUR,
      fontWeight: 700,
      getTextAnchor: "start",
      getAlignmentBaseline: "top",
      getPixelOffset: [4, 2],
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
      getColor: AXIS_TEXT,
      updateTriggers: { getText: [titles.x, titles.value] },
    }),
  ];
}
