import { describe, expect, it } from "vitest";
import { colourAt } from "./colormap";
import { formatValue, makeScale, niceTicks } from "./scale";

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
