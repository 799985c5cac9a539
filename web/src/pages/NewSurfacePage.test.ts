import { describe, expect, it } from "vitest";
import { defaultPoints, estimateWork, formatCount } from "./NewSurfacePage";

describe("work estimate", () => {
  it("is grid points times samples, and about two FLOPs per weight per sample", () => {
    expect(estimateWork(121, 150, 67)).toEqual({ evaluations: 18150, flops: 2 * 67 * 18150 });
    expect(formatCount(18150)).toBe("18.1 k");
    expect(formatCount(2.5e9)).toBe("2.5 G");
  });
});

describe("default points", () => {
  it("are 51 for a slice, 61 for an interpolation, 21 a side for a plane and 7 for an eigen-ratio map", () => {
    expect(["LINE", "INTERPOLATION", "PLANE", "PCA", "EIGEN_RATIO"].map((k) => defaultPoints(k as never))).toEqual([51, 61, 21, 21, 7]);
  });
});
