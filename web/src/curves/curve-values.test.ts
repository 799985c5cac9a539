import { describe, expect, it } from "vitest";
import { barrierRows, curveCsv, type CurveValues, curveFigures, describeCurve, ensembleRows } from "./curve-values";

const values: CurveValues = {
  t: [0, 0.5, 1],
  batchNormRecomputed: false,
  ensemble: { members: 11, t: [], trainAccuracy: 0.9412, trainAccuracyA: 0.9, trainAccuracyB: 0.91, testAccuracy: 0.85, testAccuracyA: 0.8, testAccuracyB: 0.8 },
  plane: null,
  curve: { trainLoss: [0.1, 0.15, 0.12], trainAccuracy: [0.9, 0.88, 0.91], testLoss: [0.2, 0.3, 0.25], testAccuracy: [0.8, 0.75, 0.8] },
  line: { trainLoss: [0.1, 0.9, 0.12], trainAccuracy: [0.9, 0.4, 0.91], testLoss: [0.2, 1.1, 0.25], testAccuracy: [0.8, 0.35, 0.8] },
  curveBarriers: { trainLoss: 0.04, trainAccuracy: 0.025, testLoss: 0.075, testAccuracy: 0.05 },
  lineBarriers: { trainLoss: 0.79, trainAccuracy: 0.505, testLoss: 0.875, testAccuracy: 0.45 },
};

describe("a curve's figures and barriers", () => {
  it("draws the curve and the line over t on each data set, loss and accuracy in place", () => {
    const figures = curveFigures(values);
    expect(figures.map((f) => f.set)).toEqual(["train", "test"]);
    const [curve, line] = figures[0]!.lines;
    expect(curve!.name).toBe("trained curve");
    expect(line!.name).toBe("straight line A → B");
    expect(curve!.grid.xs).toEqual([0, 0.5, 1]);
    expect(curve!.grid.ny).toBe(1);
    expect(Array.from(line!.grid.loss)).toEqual([0.1, 0.9, 0.12].map(Math.fround));
    expect(Array.from(figures[1]!.lines[0]!.grid.accuracy)).toEqual([0.8, 0.75, 0.8].map(Math.fround));
  });

  it("has no test figure or test rows without test data", () => {
    const trainOnly = {
      ...values,
      curve: { ...values.curve, testLoss: null, testAccuracy: null },
      line: { ...values.line, testLoss: null, testAccuracy: null },
      curveBarriers: { ...values.curveBarriers, testLoss: null, testAccuracy: null },
      lineBarriers: { ...values.lineBarriers, testLoss: null, testAccuracy: null },
    };
    expect(curveFigures(trainOnly).map((f) => f.set)).toEqual(["train"]);
    expect(barrierRows(trainOnly).map((r) => `${r.path} ${r.set}`)).toEqual(["Trained curve training", "Straight line training"]);
  });

  it("states the barriers in words", () => {
    expect(barrierRows(values)[0]).toEqual({ path: "Trained curve", set: "training", loss: "0.0400", accuracy: "2.5 points" });
    expect(barrierRows(values)[3]).toEqual({ path: "Straight line", set: "test", loss: "0.8750", accuracy: "45.0 points" });
    expect(describeCurve({ kind: "BEZIER", bends: 1 } as never)).toBe("Bezier curve of degree 2, 1 bend");
    expect(describeCurve({ kind: "POLYCHAIN", bends: 3 } as never)).toBe("Polygonal chain, 3 bends");
  });
});

describe("a curve's values as CSV", () => {
  it("has one row per t with both paths on both data sets, and the barriers", () => {
    const lines = curveCsv(values).trim().split("\n");
    expect(lines[0]).toBe("t,curve_train_loss,curve_train_accuracy,line_train_loss,line_train_accuracy,curve_test_loss,curve_test_accuracy,line_test_loss,line_test_accuracy");
    expect(lines[2]).toBe("0.5,0.15,0.88,0.9,0.4,0.3,0.75,1.1,0.35");
    expect(lines.filter((l) => l.startsWith("# barrier"))).toHaveLength(4);
    expect(lines[4]).toBe("# barrier trained curve training: loss 0.0400, accuracy drop 2.5 points");
  });

  it("states the ensemble's accuracy beside each end's, on each data set measured", () => {
    expect(ensembleRows(values)).toEqual([
      { set: "training", ensemble: "94.1%", a: "90.0%", b: "91.0%" },
      { set: "test", ensemble: "85.0%", a: "80.0%", b: "80.0%" },
    ]);
    expect(ensembleRows({ ...values, ensemble: { ...values.ensemble!, testAccuracy: null, testAccuracyA: null, testAccuracyB: null } })).toHaveLength(1);
    expect(ensembleRows({ ...values, ensemble: null })).toEqual([]);
  });
});
