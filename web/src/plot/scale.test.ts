import { describe, expect, it } from "vitest";
import { colourAt } from "./colormap";
import { autoCap, axisTicks, CAP_FACTOR, chooseScale, formatValue, logTicks, makeScale, niceTicks, tickFormat, valueStats } from "./scale";

describe("value scales", () => {
  it("maps linearly and by log10", () => {
    const lin = makeScale("linear", 1, 3);
    expect(lin.normalize(2)).toBeCloseTo(0.5);
    const log = makeScale("log", 0.01, 100);
    expect(log.normalize(1)).toBeCloseTo(0.5);
    expect(log.normalize(Number.NaN)).toBeNaN();
    expect(log.ticks(5).map((t) => Number(t.toPrecision(3)))).toEqual([0.01, 0.1, 1, 10, 100]);
  });

  it("picks round ticks", () => {
    expect(niceTicks(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0, 7, 4)).toEqual([0, 2.5, 5]);
  });

  it("formats values shortly", () => {
    expect(formatValue(1.23456)).toBe("1.23");
    expect(formatValue(0.00001234)).toBe("1.23e-5");
    expect(formatValue(null)).toBe("–");
  });
});

describe("colour maps", () => {
  it("runs from the first stop to the last, clamped", () => {
    expect(colourAt("viridis", 0)).toEqual([68, 1, 84]);
    expect(colourAt("viridis", 1)).toEqual([253, 231, 37]);
    expect(colourAt("viridis", 7)).toEqual([253, 231, 37]);
    expect(colourAt("greys", 0.5)).toEqual([133, 133, 133]);
  });
});

describe("default scales that show the basin", () => {
  it("caps a surface that shoots up far from its minimum, and a bowl at most at its corners", () => {
    // A quadratic bowl on [-1, 1]^2 (0 to 2): its median rise is about a third of its range.
    const bowl = Float32Array.from({ length: 41 * 41 }, (_, k) => ((k % 41) / 20 - 1) ** 2 + (Math.floor(k / 41) / 20 - 1) ** 2);
    expect(autoCap([valueStats(bowl)!]) ?? 2).toBeGreaterThan(1.9);
    // An exponential wall: 0.5 at the centre, 367 in a corner.
    const wall = Float32Array.from({ length: 41 * 41 }, (_, k) => 0.5 * Math.exp(4.67 * Math.hypot((k % 41) / 20 - 1, Math.floor(k / 41) / 20 - 1)));
    const stats = valueStats(wall)!;
    expect(stats.max).toBeGreaterThan(300);
    const cap = autoCap([stats])!;
    expect(cap).toBeCloseTo(stats.min + CAP_FACTOR * (stats.median - stats.min), 6);
    expect(cap).toBeLessThan(stats.max / 5);
    const choice = chooseScale("linear", [stats], { min: null, max: null, capped: true });
    expect([choice.scale.min, choice.scale.max, choice.cap, choice.dataMax]).toEqual([stats.min, cap, cap, stats.max]);
    // Manual bounds and "Full range" win over the cap.
    expect(chooseScale("linear", [stats], { min: null, max: 50, capped: true }).scale.max).toBe(50);
    expect(chooseScale("log", [stats], { min: null, max: null, capped: false }).scale.max).toBe(stats.max);
  });

  it("shares one cap over panels so the smoothest keeps its detail", () => {
    const smooth = { min: 0.5, median: 1.5, max: 3.4 };
    const rough = { min: 0.6, median: 40, max: 367 };
    // The highest minimum plus 3 times the smallest median rise: 0.6 + 3 x 1.
    expect(autoCap([smooth, rough])).toBeCloseTo(3.6, 12);
    // Over the union's own top it would cut nothing.
    expect(autoCap([smooth])).toBeNull();
  });

  it("gives value axes 4 to 6 round ticks", () => {
    for (const [min, max] of [[1.3, 19.5], [0.949, 8.98], [0.949, 7.06], [0, 1], [0.12, 0.37], [2, 367]] as const) {
      const ticks = axisTicks(makeScale("linear", min, max));
      expect(ticks.length).toBeGreaterThanOrEqual(4);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(ticks.every((t) => t >= min && t <= max)).toBe(true);
    }
    expect(axisTicks(makeScale("linear", 1.3, 19.5))).toEqual([4, 8, 12, 16]);
  });
});

describe("tick labels", () => {
  it("show as many decimals as the ticks need", () => {
    expect([3.225, 3.25, 3.275, 3.3].map(tickFormat([3.225, 3.25, 3.275, 3.3]))).toEqual(["3.225", "3.25", "3.275", "3.3"]);
    expect([-1, -0.5, 0, 0.5, 1].map(tickFormat([-1, -0.5, 0, 0.5, 1]))).toEqual(["-1", "-0.5", "0", "0.5", "1"]);
    expect([0, 100, 200].map(tickFormat([0, 100, 200]))).toEqual(["0", "100", "200"]);
  });
});

describe("log axes", () => {
  it("tick at round values: decades, then 1-2-5, else the span's own round ticks", () => {
    expect(logTicks(0.01, 100)).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(logTicks(0.3, 40)).toEqual([0.5, 1, 2, 5, 10, 20]);
    // A span inside one decade: round linear ticks, never "1.70181184".
    const narrow = axisTicks(makeScale("log", 1.32142159, 1.9312861));
    expect(narrow.length).toBeGreaterThanOrEqual(3);
    for (const t of narrow) expect(Number(t.toPrecision(2))).toBe(t);
    expect(narrow.map(tickFormat(narrow))).toEqual(["1.4", "1.5", "1.6", "1.7", "1.8", "1.9"]);
  });
});
