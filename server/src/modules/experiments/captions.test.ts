import { describe, expect, it } from "vitest";
import { measuredCaption } from "./captions.js";

describe("measured captions", () => {
  it("says what the numbers show, and that the sides are alike when they are", () => {
    const alike = measuredCaption("skip", [
      { role: "without skip connections", nonConvexity: 0.031, basinWidth: 0.8, lossMin: 0.12 },
      { role: "with skip connections", nonConvexity: 0.029, basinWidth: 0.85, lossMin: 0.1 },
    ])!;
    expect(alike).toContain("without skip connections: non-convexity 0.031, basin width 0.8");
    expect(alike).toContain("about equally non-convex here, so at this depth the skip connections make no visible difference");
    expect(alike).toContain("about equally wide");
    const apart = measuredCaption("skip", [
      { role: "without skip connections", nonConvexity: 0.3, basinWidth: 0.4, lossMin: 0.2 },
      { role: "with skip connections", nonConvexity: 0.05, basinWidth: 0.9, lossMin: 0.1 },
    ])!;
    expect(apart).toContain(`"without skip connections" is the more non-convex (0.3 against 0.05), as the paper reports`);
    expect(apart).toContain(`basin of "with skip connections" is the wider (0.9 against 0.4)`);
  });

  it("waits for every side's numbers, and reports a trajectory's explained variance", () => {
    expect(measuredCaption("batch", [{ role: "batch 16", nonConvexity: null, basinWidth: 1, lossMin: 0 }])).toBeNull();
    expect(measuredCaption("trajectory", [{ role: "run", nonConvexity: 0, basinWidth: 1, lossMin: 0, explainedVariance: [0.7, 0.2], worstOffPlane: 0.3 }])).toBe(
      "Measured: PC1 and PC2 explain 70% and 20% of the checkpoints' variation (90% together), so the plane holds most of the path, as the paper reports. The checkpoint farthest off the plane has 30% of its distance from the final model outside it.",
    );
  });
});
