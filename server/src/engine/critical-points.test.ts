import { describe, expect, it } from "vitest";
import { argsort, basinAround, defaultMinPersistence, defaultMinPersistenceOf, filterByPersistence, findCriticalPoints, finiteRange, summarizeValues } from "./critical-points.js";
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

/** Seeded uniform numbers in [0, 1) (mulberry32), so noisy grids are the same on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A minimum's persistence by brute force, independent of the union-find sweep: the lowest level
 * L at which the cells at or below L, 8-connected to the minimum, reach the grid's edge or a cell
 * lower than the minimum (in the (value, index) order).
 */
function bruteMinimumPersistence(h: Float64Array, nx: number, ny: number, start: number): number {
  const lower = (a: number, b: number) => h[a]! < h[b]! || (h[a]! === h[b]! && a < b);
  const levels = [...new Set(h)].filter((v) => v >= h[start]!).sort((a, b) => a - b);
  for (const level of levels) {
    const seen = new Set([start]);
    const todo = [start];
    while (todo.length) {
      const k = todo.pop()!;
      const i = k % nx;
      const j = (k - i) / nx;
      if (k !== start && lower(k, start)) return level - h[start]!;
      if (i === 0 || j === 0 || i === nx - 1 || j === ny - 1) return level - h[start]!;
      for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
        const m = (j + dj) * nx + i + di;
        if (!seen.has(m) && h[m]! <= level) { seen.add(m); todo.push(m); }
      }
    }
  }
  return Infinity;
}

describe("persistence of critical points", () => {
  it("gives a double well's minima the heights of their passes, and the saddle the shallower one's", () => {
    const xs = axisValues({ min: -2, max: 2, count: 41 });
    const ys = axisValues({ min: -1.5, max: 1.5, count: 31 });
    const points = findCriticalPoints(grid((x, y) => (x * x - 1) ** 2 + y * y, xs, ys), xs, ys);
    const minima = points.filter((p) => p.kind === "minimum").map((p) => p.persistence).sort((a, b) => a - b);
    // One well ends at the saddle (height 1); the other at the lowest edge point, height 2.25.
    expect(minima[0]).toBeCloseTo(1, 12);
    expect(minima[1]).toBeCloseTo(2.25, 12);
    expect(points.find((p) => p.kind === "saddle")!.persistence).toBeCloseTo(1, 12);
  });

  it("gives a peak the drop to the grid's highest edge point", () => {
    const xs = axisValues({ min: -1, max: 1, count: 21 });
    const ys = axisValues({ min: -1, max: 1, count: 21 });
    const [peak] = findCriticalPoints(grid((x, y) => 3 - x * x - 2 * y * y, xs, ys), xs, ys);
    // The highest edge points are (+-1, 0) and (0, +-1)... of which (+-1, 0) at 2 is the highest.
    expect(peak!.kind).toBe("maximum");
    expect(peak!.persistence).toBeCloseTo(1, 12);
  });

  it("agrees with a brute-force flood on random grids", () => {
    const rand = uniform(7);
    for (let trial = 0; trial < 5; trial++) {
      const nx = 12;
      const ny = 9;
      const h = Float64Array.from({ length: nx * ny }, () => Math.round(rand() * 20) / 4);
      const xs = axisValues({ min: 0, max: 1, count: nx });
      const ys = axisValues({ min: 0, max: 1, count: ny });
      const minima = findCriticalPoints(h, xs, ys).filter((p) => p.kind === "minimum");
      expect(minima.length).toBeGreaterThan(0);
      for (const m of minima) expect(m.persistence).toBeCloseTo(bruteMinimumPersistence(h, nx, ny, m.j * nx + m.i), 12);
    }
  });

  it("keeps one minimum of a noisy flat basin above the default threshold", () => {
    const xs = axisValues({ min: -1, max: 1, count: 61 });
    const ys = axisValues({ min: -1, max: 1, count: 61 });
    const rand = uniform(3);
    // A wide flat floor (r < 0.5) with noise of 0.001 on a bowl rising to about 30 at the corners.
    const values = grid((x, y) => 0.5 + 15 * Math.max(0, Math.hypot(x, y) - 0.5) ** 2 * 4 + 0.001 * rand(), xs, ys);
    const all = findCriticalPoints(values, xs, ys);
    expect(all.filter((p) => p.kind === "minimum").length).toBeGreaterThan(10);
    const range = finiteRange(values)!;
    const significant = filterByPersistence(all, defaultMinPersistence(range.min, range.max));
    expect(significant.map((p) => p.kind)).toEqual(["minimum"]);
    expect(Math.hypot(significant[0]!.x, significant[0]!.y)).toBeLessThan(0.5);
    expect(findCriticalPoints(values, xs, ys, { minPersistence: defaultMinPersistence(range.min, range.max) })).toEqual(significant);
  });

  it("measures significance against the range up to the figure's cap, so a corner shooting up hides no minima of the basin", () => {
    const xs = axisValues({ min: -1, max: 1, count: 41 });
    const ys = axisValues({ min: -1, max: 1, count: 41 });
    // A bowl with two dimples 0.5 deep either side of the centre, and one corner rising to 10^3.
    const dimple = (x: number, y: number) => 0.5 * Math.exp(-((x - 0.45) ** 2 + y ** 2) / 0.01) + 0.5 * Math.exp(-((x + 0.45) ** 2 + y ** 2) / 0.01);
    const values = grid((x, y) => 2 * (x * x + y * y) - dimple(x, y) + (x > 0.8 && y > 0.8 ? 1000 * (x - 0.8) * (y - 0.8) * 25 : 0), xs, ys);
    const sorted = Float64Array.from(values).sort();
    const [min, max, median] = [sorted[0]!, sorted.at(-1)!, sorted[840]!]; // 41 x 41 values: the 841st is the median
    const minima = (threshold: number) => filterByPersistence(findCriticalPoints(values, xs, ys), threshold).filter((p) => p.kind === "minimum");
    // 1% of the whole range (10) hides the dimples and even the bowl's own minimum.
    expect(defaultMinPersistence(min, max)).toBeCloseTo(0.01 * (max - min), 12);
    expect(minima(defaultMinPersistence(min, max)).length).toBeLessThan(3);
    // Up to the cap, 3 median rises above the minimum: the three minima the picture shows.
    expect(defaultMinPersistence(min, max, median)).toBeCloseTo(0.01 * 3 * (median - min), 12);
    expect(minima(defaultMinPersistence(min, max, median))).toHaveLength(3);
    // A surface that does not reach its cap is measured against its whole range, as before.
    expect(defaultMinPersistence(0, 1, 0.9)).toBeCloseTo(0.01, 12);
  });

  it("runs on grids far beyond the call stack's reach (1001 x 1001) and keeps the most persistent when asked", () => {
    const xs = axisValues({ min: -1, max: 1, count: 1001 });
    const ys = axisValues({ min: -1, max: 1, count: 1001 });
    const rand = uniform(11);
    const values = grid((x, y) => x * x + y * y + 1e-4 * rand(), xs, ys);
    const points = findCriticalPoints(values, xs, ys, { maxPoints: 50, maxBasins: 5 });
    expect(points.length).toBe(50);
    const best = [...points].sort((a, b) => b.persistence - a.persistence)[0]!;
    expect(best.kind).toBe("minimum");
    expect(Math.hypot(best.x, best.y)).toBeLessThan(0.02);
    expect(best.persistence).toBeCloseTo(1, 3); // to the rim's lowest point, (+-1, 0) or (0, +-1)
    expect(best.basin!.escape).toBe("boundary");
    expect(finiteRange(values)!.max).toBeGreaterThan(1.99);
  });
});

describe("argsort", () => {
  it("orders by value, then index, as a comparison sort does, across signs, ties and infinity", () => {
    const rand = uniform(5);
    const h = Float64Array.from({ length: 3000 }, () => (rand() < 0.1 ? Infinity : Math.round((rand() - 0.5) * 40) / 8 * 10 ** Math.round(rand() * 6 - 3) + 0));
    const expected = Array.from({ length: h.length }, (_, k) => k).sort((a, b) => (h[a]! < h[b]! ? -1 : h[a]! > h[b]! ? 1 : a - b));
    expect([...argsort(h)]).toEqual(expected);
  });
});

describe("basinAround", () => {
  it("measures the disc within a given rise of a paraboloid's minimum", () => {
    const xs = axisValues({ min: -1, max: 1, count: 201 });
    const ys = axisValues({ min: -1, max: 1, count: 201 });
    // x^2 + y^2 <= 0.25: a disc of radius 0.5, area pi/4, width 1.
    const basin = basinAround(grid((x, y) => 3 + x * x + y * y, xs, ys), xs, ys, 0.25)!;
    expect(basin.level).toBeCloseTo(3.25, 12);
    expect(basin.area).toBeCloseTo(Math.PI / 4, 2);
    expect(basin.width).toBeCloseTo(1, 2);
  });
});

describe("a grid's value summary", () => {
  it("gives the finite values' lowest, highest, mean and median, leaving out diverged points", () => {
    expect(summarizeValues([3, 1, Number.NaN, 2, Number.POSITIVE_INFINITY])).toEqual({ min: 1, max: 3, mean: 2, median: 2 });
    expect(summarizeValues(Float32Array.from([4, 1, 2, 10]))).toEqual({ min: 1, max: 10, mean: 4.25, median: 3 });
    expect(summarizeValues([Number.NaN])).toEqual({ min: null, max: null, mean: null, median: null });
    // The default persistence floor follows from the same numbers: 1% of min..min + 3 (median - min), capped at max.
    expect(defaultMinPersistenceOf([4, 1, 2, 10])).toBeCloseTo(0.01 * 6, 12);
    expect(defaultMinPersistenceOf([4, 1, 2, 5])).toBeCloseTo(0.01 * 4, 12);
    expect(defaultMinPersistenceOf([])).toBe(0);
  });
});
