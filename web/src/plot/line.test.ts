import { describe, expect, it } from "vitest";
import type { SurfaceGrid } from "./grid";
import { accuracyScale, dashed, lineValueAt } from "./line-layers";
import { lineLegendEntries } from "./LineLegend";
import { frameOf, toWorld } from "./world";

describe("a 1D line's value at a model's position", () => {
  const grid = { nx: 5, ny: 1, xs: Float64Array.from([-0.5, 0, 0.5, 1, 1.5]), ys: Float64Array.from([0]) } as unknown as SurfaceGrid;
  const values = Float32Array.from([3, 1, 2, NaN, 5]);

  it("is the value at a grid point, linear between two, and null off the grid or next to a missing value", () => {
    expect(lineValueAt(grid, values, 0)).toBe(1);
    expect(lineValueAt(grid, values, 0.25)).toBeCloseTo(1.5, 12);
    expect(lineValueAt(grid, values, 2)).toBeNull();
    expect(lineValueAt(grid, values, 1.25)).toBeNull();
  });
});

describe("line plots", () => {
  it("cut a dashed curve into dashes and gaps of the pattern's length, across vertices", () => {
    const dashes = dashed([[0, 0], [5, 0], [10, 0]], [3, 2]);
    expect(dashes.map((d) => [d[0]![0], d.at(-1)![0]])).toEqual([[0, 3], [5, 8]]);
    // The dash that spans a vertex keeps it, so a bent curve stays bent.
    expect(dashed([[0, 0], [2, 0], [2, 2]], [3, 1])[0]).toEqual([[0, 0], [2, 0], [2, 1]]);
    expect(dashed([[0, 0], [1, 1]], null)).toEqual([[[0, 0], [1, 1]]]);
  });

  it("name each curve by its metric and axis, and by series and style when there are several", () => {
    expect(lineLegendEntries(["slice"]).map((e) => e.text)).toEqual(["loss (left axis)", "accuracy (right axis)"]);
    expect(lineLegendEntries(["small batch", "large batch"]).map((e) => e.text)).toEqual([
      "small batch: loss (left axis, solid)", "small batch: accuracy (right axis, solid)",
      "large batch: loss (left axis, dashed)", "large batch: accuracy (right axis, dashed)",
    ]);
  });

  it("give accuracy the 0 to 1 axis of a fraction", () => {
    const g = { nx: 3, ny: 1, xs: [0, 0.5, 1], ys: [0], loss: Float32Array.from([1, 2, 3]), accuracy: Float32Array.from([0.4, 0.9, 0.6]) };
    const s = accuracyScale([{ name: "x", grid: g }]);
    expect([s.min, s.max]).toEqual([0, 1]);
  });
});

describe("planes at equal aspect", () => {
  it("give the shorter axis its share of the world, so a unit of a is as long as one of b", () => {
    const g = { nx: 3, ny: 3, xs: [-1, 1.5, 4], ys: [-1, -0.5, 1.5], loss: new Float32Array(9), accuracy: new Float32Array(9) };
    const f = frameOf(g, true);
    expect([f.w, f.h]).toEqual([100, 50]);
    const [x0, y0] = toWorld(f, 0, 0);
    const [x1, y1] = toWorld(f, 1, 1);
    expect(x1 - x0).toBeCloseTo(y1 - y0, 9);
    expect(frameOf(g).w).toBeUndefined();
  });
});
