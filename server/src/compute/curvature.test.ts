import { describe, expect, it } from "vitest";
import { nonConvexity } from "./curvature.js";

function grid(n: number, f: (x: number, y: number) => number): { values: Float64Array; step: number } {
  const step = 2 / (n - 1);
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = f(-1 + i * step, -1 + j * step);
  return { values, step };
}

describe("nonConvexity", () => {
  it("is 0 on a convex bowl, even an elongated and rotated one", () => {
    const bowl = grid(21, (x, y) => 3 * (x + y) ** 2 + 0.5 * (x - y) ** 2 + 1);
    expect(nonConvexity(bowl.values, 21, 21, bowl.step, bowl.step)).toBe(0);
  });

  it("is 1 on a symmetric saddle and |lambda_min/lambda_max| on an asymmetric one", () => {
    const saddle = grid(21, (x, y) => x * x - y * y);
    expect(nonConvexity(saddle.values, 21, 21, saddle.step, saddle.step)).toBeCloseTo(1, 10);
    const weak = grid(21, (x, y) => 4 * x * x - y * y);
    // Hessian diag(8, -2): |lambda_min / lambda_max| = 2/8 everywhere.
    expect(nonConvexity(weak.values, 21, 21, weak.step, weak.step)).toBeCloseTo(0.25, 10);
  });

  it("counts the concave share of a 1D curve", () => {
    const xs = Array.from({ length: 101 }, (_, i) => -Math.PI + (2 * Math.PI * i) / 100);
    const cosine = xs.map((x) => Math.cos(x));
    // cos is concave on (-pi/2, pi/2): half of the interior points.
    expect(nonConvexity(cosine, 101, 1, xs[1]! - xs[0]!, 1)).toBeCloseTo(0.5, 1);
  });

  it("has nothing to say without an interior", () => {
    expect(nonConvexity([1, 2], 2, 1, 1, 1)).toBeNull();
  });
});
