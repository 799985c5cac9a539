import { describe, expect, it } from "vitest";
import type { CurvePoint } from "../api/training-types";
import { curveDomain, curveGeometry, curveLayers, curveSeries, describeLastPoint, niceStep, plotBox } from "./curve-layers";

const point = (step: number, trainLoss: number, trainAccuracy: number, testLoss: number | null = null, testAccuracy: number | null = null): CurvePoint => ({
  step, epoch: step / 5, trainLoss, trainAccuracy, testLoss, testAccuracy,
});

describe("loss curve data", () => {
  it("keeps only series with values, in step order, skipping missing test values", () => {
    const series = curveSeries([point(4, 0.8, 0.6, 0.9, null), point(2, 1.1, 0.4)]);
    expect(series.map((s) => s.key)).toEqual(["trainLoss", "testLoss", "trainAccuracy"]);
    expect(series[0]!.points).toEqual([{ step: 2, value: 1.1 }, { step: 4, value: 0.8 }]);
    expect(series[1]!.points).toEqual([{ step: 4, value: 0.9 }]);
    expect(curveSeries([])).toEqual([]);
  });

  it("spans steps up to the run's total and losses up to a round number above the largest", () => {
    expect(niceStep(0.28)).toBe(0.5);
    expect(niceStep(0.031)).toBeCloseTo(0.05);
    expect(niceStep(0)).toBe(1);
    const d = curveDomain([point(2, 1.13, 0.3, 1.4), point(4, 0.7, 0.7)], 15);
    expect(d.stepMax).toBe(15);
    expect(d.lossMax).toBe(1.5);
    expect(d.lossTicks).toEqual([0, 0.5, 1, 1.5]);
    expect(curveDomain([point(1, 1.07, 0.5)], 5).lossMax).toBe(1.5);
    expect(curveDomain([point(1, 5.6, 0.5)], 5).lossTicks.at(-1)).toBe(6);
    expect(d.stepTicks.every(Number.isInteger)).toBe(true);
    // Before the total is known, the last step is the end; an empty curve still has an axis.
    expect(curveDomain([point(7, 1, 0.5)], null).stepMax).toBe(7);
    expect(curveDomain([], null)).toMatchObject({ stepMax: 1, lossMax: 1 });
  });

  it("places points inside the plotting box: losses on the left scale, accuracies on 0 to 1", () => {
    const g = curveGeometry([point(0, 1, 0), point(10, 0.5, 1)], 10, 600, 300);
    const box = plotBox(600, 300);
    expect(g.box).toEqual(box);
    const loss = g.paths.find((p) => p.key === "trainLoss")!.path;
    expect(loss[0]).toEqual([box.x0, box.y1]);
    expect(loss[1]![0]).toBe(box.x1);
    expect(loss[1]![1]).toBeCloseTo(box.y0 + (box.y1 - box.y0) / 2);
    const acc = g.paths.find((p) => p.key === "trainAccuracy")!.path;
    expect(acc).toEqual([[box.x0, box.y0], [box.x1, box.y1]]);
    expect(g.points).toHaveLength(4);
    expect(g.labels.map((l) => l.text)).toEqual(expect.arrayContaining(["step", "loss", "accuracy", "100%", "0"]));
  });

  it("keeps only the end ticks and no axis titles when compact", () => {
    const g = curveGeometry([point(3, 2, 0.5)], 6, 300, 160, true);
    expect(g.labels.map((l) => l.text)).not.toContain("step");
    expect(g.labels.filter((l) => l.text.endsWith("%")).map((l) => l.text)).toEqual(["0%", "100%"]);
  });

  it("makes deck layers with stable ids", () => {
    const layers = curveLayers("run-1", curveGeometry([point(1, 1, 0.5)], 4, 400, 200));
    expect(layers.map((l) => l.id)).toEqual(["run-1-gridlines", "run-1-axes", "run-1-lines", "run-1-points", "run-1-labels"]);
  });

  it("describes the latest checkpoint in words", () => {
    expect(describeLastPoint([], 10)).toBeNull();
    expect(describeLastPoint([point(5, 0.9, 0.5), point(15, 0.41234, 0.8667, 0.5, 0.8)], 15)).toBe(
      "step 15 of 15 · epoch 3 · train loss 0.412 · train accuracy 86.7% · test loss 0.5 · test accuracy 80.0%",
    );
  });
});
