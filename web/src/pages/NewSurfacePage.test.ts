import { describe, expect, it } from "vitest";
import { estimateWork, formatCount } from "./NewSurfacePage";

describe("work estimate", () => {
  it("is grid points times samples, and about two FLOPs per weight per sample", () => {
    expect(estimateWork(121, 150, 67)).toEqual({ evaluations: 18150, flops: 2 * 67 * 18150 });
    expect(formatCount(18150)).toBe("18.1 k");
    expect(formatCount(2.5e9)).toBe("2.5 G");
  });
});
