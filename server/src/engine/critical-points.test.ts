import { describe, expect, it } from "vitest";
import { findCriticalPoints } from "./critical-points.js";
import { axisValues } from "./grid.js";

function grid(f: (x: number, y: number) => number, xs: Float64Array, ys: Float64Array): Float64Array {
  const out = new Float64Array(xs.length * ys.length);
  ys.forEach((y, j) => xs.forEach((x, i) => { out[j * xs.length + i] = f(x, y); }));
  return out;
}

describe("critical points on synthetic grids", () => {
  it("finds the two minima and the saddle of a double well, with depth to the saddle", () => {
    const xs = axisValues({ min: -2, max: 2, count: 41 });
    const ys = axisValues({ min: -1.5, max: 1.5, count: 31 });
    const points = findCriticalPoints(grid((x, y) => (x * x - 1) ** 2 + y * y, xs, ys), xs, ys);
    const minima = points.filter((p) => p.kind === "minimum");
    const saddles = points.filter((p) => p.kind === "saddle");
    expect(minima.map((p) => [p.x, p.y]).sort()).toEqual([[-1, 0], [1, 0]]);
    expect(saddles.map((p) => [p.x, p.y])).toEqual([[0, 0]]);
    expect(points.filter((p) => p.kind === "maximum")).toEqual([]);
    // The saddle is at height 1 over minima at 0. The minima tie; the one that loses the tie
    // spills over the saddle into the other, which spills out of the grid at its lowest edge
    // point, (+-1, +-1.5) at height 2.25.
    const throughSaddle = minima.find((m) => m.basin!.escape === "saddle")!;
    expect([throughSaddle.basin!.spillX, throughSaddle.basin!.spillY]).toEqual([0, 0]);
    expect(throughSaddle.basin!.depth).toBeCloseTo(1, 12);
    const lowest = minima.find((m) => m !== throughSaddle)!;
    expect(lowest.basin!.escape).toBe("boundary");
    expect(lowest.basin!.depth).toBeCloseTo(2.25, 12);
  });

  it("finds a saddle, a maximum and a minimum of simple quadratics", () => {
    const xs = axisValues({ min: -1, max: 1, count: 11 });
    const ys = axisValues({ min: -1, max: 1, count: 11 });
    expect(findCriticalPoints(grid((x, y) => x * x - y * y, xs, ys), xs, ys).map((p) => [p.kind, p.x, p.y])).toEqual([["saddle", 0, 0]]);
    expect(findCriticalPoints(grid((x, y) => -(x * x + y * y), xs, ys), xs, ys).map((p) => [p.kind, p.x, p.y])).toEqual([["maximum", 0, 0]]);
    const [min] = findCriticalPoints(grid((x, y) => x * x + y * y, xs, ys), xs, ys);
    expect([min!.kind, min!.x, min!.y]).toEqual(["minimum", 0, 0]);
    // At or below 0.1 lie the 3 x 3 points around the origin (the corners are at 0.08): 9 cells of 0.2 x 0.2.
    const basin = findCriticalPoints(grid((x, y) => x * x + y * y, xs, ys), xs, ys, { basinThreshold: 0.1 })[0]!.basin!;
    expect(basin.cells).toBe(9);
    expect(basin.area).toBeCloseTo(9 * 0.04, 12);
    expect(basin.escape).toBe("boundary");
    expect(basin.depth).toBeCloseTo(1, 12); // the rim's lowest point, (+-1, 0) or (0, +-1)
  });

  it("breaks ties on plateaus so that a flat region yields no critical points twice", () => {
    const xs = axisValues({ min: 0, max: 1, count: 6 });
    const ys = axisValues({ min: 0, max: 1, count: 6 });
    const points = findCriticalPoints(new Float64Array(36).fill(1), xs, ys);
    expect(points.filter((p) => p.kind === "minimum").length).toBeLessThanOrEqual(1);
  });

  it("works on 1D slices: minima and maxima, no saddles", () => {
    const xs = axisValues({ min: -2, max: 2, count: 41 });
    const ys = new Float64Array([0]);
    const points = findCriticalPoints(grid((x) => (x * x - 1) ** 2, xs, ys), xs, ys);
    expect(points.map((p) => [p.kind, p.x])).toEqual([["minimum", -1], ["maximum", 0], ["minimum", 1]]);
    // One minimum spills over the hump at 0 (depth 1) into the other, which spills at the edge (9).
    const depths = points.filter((p) => p.kind === "minimum").map((m) => m.basin!.depth).sort((a, b) => a - b);
    expect(depths[0]).toBeCloseTo(1, 12);
    expect(depths[1]).toBeCloseTo(9, 12);
  });

  it("treats NaN as +Infinity", () => {
    const xs = axisValues({ min: -1, max: 1, count: 5 });
    const ys = new Float64Array([0]);
    const points = findCriticalPoints(new Float64Array([3, Number.NaN, 1, 2, 3]), xs, ys);
    expect(points.map((p) => [p.kind, p.x])).toEqual([["minimum", 0]]);
  });
});
