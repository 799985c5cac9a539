import { describe, expect, it } from "vitest";
import { EngineInputError } from "./errors.js";
import { axisValues, coarseToFine, parseAxis } from "./grid.js";

describe("grid", () => {
  it("parses min:max:count and rejects anything else", () => {
    expect(parseAxis("-1:1:51", "--x")).toEqual({ min: -1, max: 1, count: 51 });
    for (const bad of ["1:-1:5", "-1:1", "a:1:5", "-1:1:0", "-1:1:2.5"]) expect(() => parseAxis(bad, "--x")).toThrow(EngineInputError);
    // A 1D surface's default count stands in for a missing one, never for a bad one.
    expect(parseAxis("-0.5:1.5", "--x", 61)).toEqual({ min: -0.5, max: 1.5, count: 61 });
    expect(parseAxis("-1:1:11", "--x", 51)).toEqual({ min: -1, max: 1, count: 11 });
    for (const bad of ["-1", "-1:1:", "a:1", "-1:1:5:7"]) expect(() => parseAxis(bad, "--x", 51)).toThrow(EngineInputError);
    expect([...axisValues({ min: -1, max: 1, count: 21 })].slice(6, 8)).toEqual([-0.4, -0.3]);
  });

  it("orders points coarse to fine, every point once, the coarse level spanning the corners", () => {
    const { order, levelEnds } = coarseToFine(51, 41);
    expect(new Set(order).size).toBe(51 * 41);
    expect(levelEnds[levelEnds.length - 1]).toBe(51 * 41);
    const coarse = [...order.slice(0, levelEnds[0])];
    expect(coarse.length).toBeLessThan(100);
    for (const corner of [0, 50, 40 * 51, 40 * 51 + 50]) expect(coarse).toContain(corner);
  });
});
