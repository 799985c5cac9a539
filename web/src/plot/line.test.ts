import { describe, expect, it } from "vitest";
import type { SurfaceGrid } from "./grid";
import { lineValueAt } from "./line-layers";

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
