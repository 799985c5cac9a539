/**
 * The loss curve of a training run as deck.gl layers, as pure functions of the curve. The world
 * is the canvas in pixels (an orthographic view at zoom 0 centred on the canvas), so margins for
 * the tick labels stay the same size whatever the canvas's shape.
 */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { CurvePoint } from "../api/training-types";
import { formatValue, niceTicks } from "../plot/scale";

export type Rgb = [number, number, number];
export type SeriesKey = "trainLoss" | "testLoss" | "trainAccuracy" | "testAccuracy";

export interface SeriesStyle { key: SeriesKey; label: string; colour: Rgb; axis: "loss" | "accuracy" }

/** Losses on the left axis, accuracies (0 to 1) on the right one. */
export const SERIES: SeriesStyle[] = [
  { key: "trainLoss", label: "train loss", colour: [240, 162, 75], axis: "loss" },
  { key: "testLoss", label: "test loss", colour: [232, 62, 140], axis: "loss" },
  { key: "trainAccuracy", label: "train accuracy", colour: [62, 207, 142], axis: "accuracy" },
  { key: "testAccuracy", label: "test accuracy", colour: [91, 155, 239], axis: "accuracy" },
];

export interface Series extends SeriesStyle { points: { step: number; value: number }[] }

/** The series with at least one finite value, points in step order (test values may be missing). */
export function curveSeries(curve: CurvePoint[]): Series[] {
  const sorted = [...curve].sort((a, b) => a.step - b.step);
  return SERIES.map((style) => ({
    ...style,
    points: sorted.flatMap((p) => {
      const value = p[style.key];
      return value !== null && Number.isFinite(value) ? [{ step: p.step, value }] : [];
    }),
  })).filter((s) => s.points.length > 0);
}

/** A tick step of 1, 2, 2.5 or 5 times a power of ten, at or above `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((k) => k * mag >= raw * (1 - 1e-12)) ?? 10) * mag;
}

export interface CurveDomain { stepMax: number; lossMax: number; stepTicks: number[]; lossTicks: number[]; accuracyTicks: number[] }

/**
 * Steps run from 0 to the run's total (so a live curve grows across a fixed axis), losses from 0
 * to a round number above the largest, accuracies from 0 to 1.
 */
export function curveDomain(curve: CurvePoint[], stepsTotal: number | null): CurveDomain {
  const lastStep = curve.reduce((m, p) => Math.max(m, p.step), 0);
  const stepMax = Math.max(stepsTotal ?? 0, lastStep, 1);
  const losses = curve.flatMap((p) => [p.trainLoss, p.testLoss ?? Number.NaN]).filter((v) => Number.isFinite(v));
  // The top of the loss axis is a whole number of tick steps, so it carries a label.
  const largest = losses.length ? Math.max(...losses) : 1;
  const tick = niceStep(largest / 4);
  const lossMax = Math.max(1, Math.ceil(largest / tick - 1e-9)) * tick;
  const stepTicks = niceTicks(0, stepMax, 6).filter((s) => Number.isInteger(s));
  return { stepMax, lossMax, stepTicks, lossTicks: niceTicks(0, lossMax, 5), accuracyTicks: [0, 0.25, 0.5, 0.75, 1] };
}

export interface Box { x0: number; x1: number; y0: number; y1: number }

/** The plotting area inside a canvas of this size, leaving room for the labels (y up). */
export function plotBox(width: number, height: number, compact = false): Box {
  return compact
    ? { x0: 40, x1: Math.max(41, width - 40), y0: 22, y1: Math.max(23, height - 10) }
    : { x0: 60, x1: Math.max(61, width - 56), y0: 44, y1: Math.max(45, height - 14) };
}

export interface CurveGeometry {
  box: Box;
  domain: CurveDomain;
  paths: { key: SeriesKey; colour: Rgb; path: [number, number][] }[];
  points: { position: [number, number]; colour: Rgb }[];
  gridlines: { from: [number, number]; to: [number, number] }[];
  axes: { from: [number, number]; to: [number, number] }[];
  labels: { text: string; position: [number, number]; anchor: "start" | "middle" | "end"; angle: number; colour: Rgb }[];
}

const MUTED: Rgb = [190, 198, 216];

/** Where everything goes, in canvas pixels. */
export function curveGeometry(curve: CurvePoint[], stepsTotal: number | null, width: number, height: number, compact = false): CurveGeometry {
  const box = plotBox(width, height, compact);
  const domain = curveDomain(curve, stepsTotal);
  const x = (step: number) => box.x0 + (step / domain.stepMax) * (box.x1 - box.x0);
  const yLoss = (v: number) => box.y0 + (Math.min(v, domain.lossMax) / domain.lossMax) * (box.y1 - box.y0);
  const yAcc = (a: number) => box.y0 + Math.min(1, Math.max(0, a)) * (box.y1 - box.y0);
  const series = curveSeries(curve);
  const place = (s: Series, p: { step: number; value: number }): [number, number] => [x(p.step), s.axis === "loss" ? yLoss(p.value) : yAcc(p.value)];
  const ticks = compact ? domain.lossTicks.filter((_, k, all) => k === 0 || k === all.length - 1) : domain.lossTicks;
  const accTicks = compact ? [0, 1] : domain.accuracyTicks;
  const stepTicks = compact ? [0, domain.stepMax] : domain.stepTicks;
  const midY = (box.y0 + box.y1) / 2;
  const labels: CurveGeometry["labels"] = [
    ...ticks.map((v) => ({ text: formatValue(v), position: [box.x0 - 6, yLoss(v)] as [number, number], anchor: "end" as const, angle: 0, colour: MUTED })),
    ...accTicks.map((a) => ({ text: `${Math.round(a * 100)}%`, position: [box.x1 + 6, yAcc(a)] as [number, number], anchor: "start" as const, angle: 0, colour: MUTED })),
    ...stepTicks.map((s) => ({ text: String(s), position: [x(s), box.y0 - 12] as [number, number], anchor: "middle" as const, angle: 0, colour: MUTED })),
  ];
  if (!compact) {
    labels.push(
      { text: "step", position: [(box.x0 + box.x1) / 2, box.y0 - 32], anchor: "middle", angle: 0, colour: MUTED },
      { text: "loss", position: [box.x0 - 46, midY], anchor: "middle", angle: 90, colour: SERIES[0]!.colour },
      { text: "accuracy", position: [box.x1 + 44, midY], anchor: "middle", angle: -90, colour: SERIES[2]!.colour },
    );
  }
  return {
    box,
    domain,
    paths: series.map((s) => ({ key: s.key, colour: s.colour, path: s.points.map((p) => place(s, p)) })),
    points: series.flatMap((s) => s.points.map((p) => ({ position: place(s, p), colour: s.colour }))),
    gridlines: ticks.map((v) => ({ from: [box.x0, yLoss(v)], to: [box.x1, yLoss(v)] })),
    axes: [
      { from: [box.x0, box.y0], to: [box.x1, box.y0] },
      { from: [box.x0, box.y0], to: [box.x0, box.y1] },
      { from: [box.x1, box.y0], to: [box.x1, box.y1] },
    ],
    labels,
  };
}

/** Gridlines, axes, one line per series with a dot per checkpoint, and the labels; ids `${id}-<role>`. */
export function curveLayers(id: string, g: CurveGeometry, compact = false): Layer[] {
  const cartesian = COORDINATE_SYSTEM.CARTESIAN;
  return [
    new LineLayer({
      id: `${id}-gridlines`, data: g.gridlines, coordinateSystem: cartesian,
      getSourcePosition: (d) => d.from, getTargetPosition: (d) => d.to,
      getColor: [60, 70, 95], getWidth: 1, widthUnits: "pixels",
    }),
    new LineLayer({
      id: `${id}-axes`, data: g.axes, coordinateSystem: cartesian,
      getSourcePosition: (d) => d.from, getTargetPosition: (d) => d.to,
      getColor: [141, 150, 173], getWidth: 1, widthUnits: "pixels",
    }),
    new PathLayer({
      id: `${id}-lines`, data: g.paths, coordinateSystem: cartesian,
      getPath: (d) => d.path, getColor: (d) => d.colour, getWidth: compact ? 1.8 : 2.5, widthUnits: "pixels",
      jointRounded: true, capRounded: true,
    }),
    new ScatterplotLayer({
      id: `${id}-points`, data: g.points, coordinateSystem: cartesian,
      getPosition: (d) => d.position, getFillColor: (d) => d.colour, getRadius: compact ? 2 : 3, radiusUnits: "pixels",
    }),
    new TextLayer({
      id: `${id}-labels`, data: g.labels, coordinateSystem: cartesian,
      getPosition: (d) => d.position, getText: (d) => d.text, getTextAnchor: (d) => d.anchor,
      getAngle: (d) => d.angle, getColor: (d) => d.colour,
      getAlignmentBaseline: "center", getSize: compact ? 11 : 12,
    }),
  ];
}

/** One line about the latest checkpoint, e.g. "step 15 of 15 · epoch 3 · train loss 0.41 · train accuracy 86%". */
export function describeLastPoint(curve: CurvePoint[], stepsTotal: number | null): string | null {
  const last = curve.reduce<CurvePoint | null>((m, p) => (!m || p.step > m.step ? p : m), null);
  if (!last) return null;
  const pct = (a: number) => `${(a * 100).toFixed(1)}%`;
  const parts = [
    `step ${last.step}${stepsTotal ? ` of ${stepsTotal}` : ""}`,
    `epoch ${Number(last.epoch.toFixed(2))}`,
    `train loss ${formatValue(last.trainLoss)}`,
    `train accuracy ${pct(last.trainAccuracy)}`,
  ];
  if (last.testLoss !== null) parts.push(`test loss ${formatValue(last.testLoss)}`);
  if (last.testAccuracy !== null) parts.push(`test accuracy ${pct(last.testAccuracy)}`);
  return parts.join(" · ");
}
