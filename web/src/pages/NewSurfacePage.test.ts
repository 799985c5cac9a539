import { describe, expect, it } from "vitest";
import { defaultPoints, estimateWork, surfaceCostSentence } from "./NewSurfacePage";
import { formatCount } from "../components/parameter-count";

describe("work estimate", () => {
  it("is grid points times samples, and about two FLOPs per weight per sample", () => {
    expect(estimateWork(121, 150, { parameterCount: 67, flopsPerSample: null })).toEqual({ evaluations: 18150, flops: 2 * 67 * 18150 });
    // A CNN's own count: its convolutions' weights at every output position.
    expect(estimateWork(121, 150, { parameterCount: 263, flopsPerSample: 5700 })).toEqual({ evaluations: 18150, flops: 5700 * 18150 });
    expect(formatCount(18150)).toBe("18.1 k");
    expect(formatCount(2.5e9)).toBe("2.5 G");
  });
});

describe("the server's cost estimate", () => {
  it("states FLOPs per point and in all, and the time once the workers have a measured rate", () => {
    const cost = { samples: 150, flopsPerPoint: 20_100, totalFlops: 81 * 20_100 };
    expect(surfaceCostSentence({ ...cost, estimatedSeconds: null }, 81)).toBe(
      "81 grid points × 150 samples, about 20.1 kFLOP per point (1.6 MFLOP in all); the workers computed nothing lately to estimate the time from.",
    );
    expect(surfaceCostSentence({ ...cost, estimatedSeconds: 0.2 }, 81)).toContain("about 1 s of the workers' time");
    expect(surfaceCostSentence({ ...cost, estimatedSeconds: 7200 }, 81)).toContain("about 2 h 0 min of the workers' time");
    // With a test set, both sets' samples count.
    expect(surfaceCostSentence({ ...cost, samples: 240, testSamples: 90, totalFlops: 81 * 32_160, flopsPerPoint: 32_160 }, 81)).toMatch(/^81 grid points × \(150 training \+ 90 test\) samples, about 32.2 kFLOP per point/);
  });
});

describe("default points", () => {
  it("are 51 for a slice, 61 for an interpolation, 21 a side for a plane and 7 for an eigen-ratio map", () => {
    expect(["LINE", "INTERPOLATION", "PLANE", "PCA", "EIGEN_RATIO"].map((k) => defaultPoints(k as never))).toEqual([51, 61, 21, 21, 7]);
  });
});
