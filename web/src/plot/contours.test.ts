import { describe, expect, it } from "vitest";
import { evenLevels, isoSegments } from "./contours";

/** Grid of f(i, j) on nx x ny points. */
const grid = (nx: number, ny: number, f: (i: number, j: number) => number) => Float32Array.from({ length: nx * ny }, (_, k) => f(k % nx, Math.floor(k / nx)));

describe("isoSegments (marching squares)", () => {
  it("traces a circle on a paraboloid: every segment end lies on the level set", () => {
    const n = 21;
    const c = (n - 1) / 2;
    const values = grid(n, n, (i, j) => (i - c) ** 2 + (j - c) ** 2);
    const segments = isoSegments(values, n, n, 25);
    expect(segments.length / 4).toBeGreaterThan(20);
    for (let q = 0; q < segments.length; q += 2) {
      const r = Math.hypot(segments[q]! - c, segments[q + 1]! - c);
      // Linear interpolation between grid points of r^2: within a fraction of a cell of radius 5.
      expect(Math.abs(r - 5)).toBeLessThan(0.1);
    }
  });

  it("puts a straight iso-line of a ramp exactly where the ramp crosses the level", () => {
    const values = grid(5, 3, (i) => i);
    const s = isoSegments(values, 5, 3, 2.5);
    expect(s.length).toBe(2 * 4);
    for (let q = 0; q < s.length; q += 2) expect(s[q]).toBeCloseTo(2.5);
  });

  it("skips cells with missing values and levels outside the data", () => {
    const values = grid(3, 3, (i, j) => i + j);
    values[4] = Number.NaN;
    expect(isoSegments(values, 3, 3, 2).length).toBe(0);
    expect(isoSegments(grid(3, 3, () => 1), 3, 3, 5).length).toBe(0);
  });

  it("resolves saddle cells into two segments", () => {
    const values = Float32Array.from([1, 0, 0, 1]);
    expect(isoSegments(values, 2, 2, 0.5).length).toBe(8);
  });
});

describe("evenLevels", () => {
  it("spaces levels strictly inside the range", () => {
    expect(evenLevels(0, 4, 3)).toEqual([1, 2, 3]);
    expect(evenLevels(1, 1, 3)).toEqual([]);
  });
});
