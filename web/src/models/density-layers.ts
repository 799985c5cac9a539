/**
 * The Hessian's eigenvalue density as deck.gl layers, pure functions of the curve. The density is
 * drawn on a log scale (as PyHessian plots it): the bulk near zero and the few large outliers
 * differ by orders of magnitude. The world is the canvas in pixels, y up.
 */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import { formatValue, niceTicks } from "../plot/scale";

type Rgb = [number, number, number];
const MUTED: Rgb = [190, 198, 216];
const LINE: Rgb = [91, 155, 239];
const NODE: Rgb = [240, 162, 75];

/** Decades of density shown below the peak. */
export const DENSITY_DECADES = 6;

export interface DensityGeometry {
  path: [number, number][];
  nodes: { position: [number, number] }[];
  gridlines: { from: [number, number]; to: [number, number] }[];
  axes: { from: [number, number]; to: [number, number] }[];
  labels: { text: string; position: [number, number]; anchor: "start" | "middle" | "end"; angle: number }[];
}

/** Where everything goes for a canvas of width x height pixels. */
export function densityGeometry(x: readonly number[], density: readonly number[], nodes: readonly number[], width: number, height: number): DensityGeometry {
  const box = { x0: 64, x1: Math.max(65, width - 16), y0: 44, y1: Math.max(45, height - 12) };
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  const span = hi - lo || 1;
  const peak = Math.max(...density.filter((d) => d > 0), Number.MIN_VALUE);
  const top = Math.ceil(Math.log10(peak));
  const bottom = top - DENSITY_DECADES;
  const px = (v: number) => box.x0 + ((v - lo) / span) * (box.x1 - box.x0);
  const py = (d: number) => {
    const l = d > 0 ? Math.log10(d) : bottom;
    return box.y0 + ((Math.max(l, bottom) - bottom) / (top - bottom)) * (box.y1 - box.y0);
  };
  const xTicks = niceTicks(lo, hi, 6).filter((t) => t >= lo && t <= hi);
  const yTicks = Array.from({ length: DENSITY_DECADES + 1 }, (_, k) => bottom + k).filter((_, k) => k % 2 === 0);
  return {
    path: x.map((v, i) => [px(v), py(density[i]!)] as [number, number]),
    nodes: nodes.map((v) => ({ position: [px(v), box.y0 + 4] as [number, number] })),
    gridlines: yTicks.map((t) => ({ from: [box.x0, py(10 ** t)], to: [box.x1, py(10 ** t)] })),
    axes: [
      { from: [box.x0, box.y0], to: [box.x1, box.y0] },
      { from: [box.x0, box.y0], to: [box.x0, box.y1] },
    ],
    labels: [
      ...xTicks.map((t) => ({ text: formatValue(t), position: [px(t), box.y0 - 12] as [number, number], anchor: "middle" as const, angle: 0 })),
      ...yTicks.map((t) => ({ text: `1e${t}`, position: [box.x0 - 6, py(10 ** t)] as [number, number], anchor: "end" as const, angle: 0 })),
      { text: "eigenvalue", position: [(box.x0 + box.x1) / 2, box.y0 - 32], anchor: "middle", angle: 0 },
      { text: "density (log)", position: [box.x0 - 50, (box.y0 + box.y1) / 2], anchor: "middle", angle: 90 },
    ],
  };
}

/** Gridlines, axes, the density line, the quadrature nodes as ticks on the axis, and labels. */
export function densityLayers(id: string, g: DensityGeometry): Layer[] {
  const cartesian = COORDINATE_SYSTEM.CARTESIAN;
  return [
    new LineLayer({ id: `${id}-gridlines`, data: g.gridlines, coordinateSystem: cartesian, getSourcePosition: (d) => d.from, getTargetPosition: (d) => d.to, getColor: [60, 70, 95], getWidth: 1, widthUnits: "pixels" }),
    new LineLayer({ id: `${id}-axes`, data: g.axes, coordinateSystem: cartesian, getSourcePosition: (d) => d.from, getTargetPosition: (d) => d.to, getColor: [141, 150, 173], getWidth: 1, widthUnits: "pixels" }),
    new PathLayer({ id: `${id}-density`, data: [{ path: g.path }], coordinateSystem: cartesian, getPath: (d) => d.path, getColor: LINE, getWidth: 2.5, widthUnits: "pixels", jointRounded: true }),
    new ScatterplotLayer({ id: `${id}-nodes`, data: g.nodes, coordinateSystem: cartesian, getPosition: (d) => d.position, getFillColor: NODE, getRadius: 3, radiusUnits: "pixels" }),
    new TextLayer({ id: `${id}-labels`, data: g.labels, coordinateSystem: cartesian, getPosition: (d) => d.position, getText: (d) => d.text, getTextAnchor: (d) => d.anchor, getAngle: (d) => d.angle, getColor: MUTED, getAlignmentBaseline: "center", getSize: 12 }),
  ];
}
