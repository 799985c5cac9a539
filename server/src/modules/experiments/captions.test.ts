import { describe, expect, it } from "vitest";
import { connectivityCaption, measuredCaption } from "./captions.js";

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

  it("reports each side's measured mean |lambda_min/lambda_max| when the sides have eigen-ratio maps", () => {
    const caption = measuredCaption("skip", [
      { role: "without skip connections", nonConvexity: 0.03, basinWidth: 0.8, lossMin: 0.12, meanEigenRatio: 0.42 },
      { role: "with skip connections", nonConvexity: 0.03, basinWidth: 0.8, lossMin: 0.12, meanEigenRatio: 0.05 },
    ])!;
    expect(caption).toContain("Eigen-ratio maps (the Hessian's mean |λmin/λmax| over the plane, 0 where it is convex): without skip connections: 0.42; with skip connections: 0.05");
    expect(caption).toContain(`so "without skip connections" is the less convex by its Hessian, as the paper's Figure 7 shows`);
    const none = measuredCaption("skip", [
      { role: "a", nonConvexity: 0.03, basinWidth: 0.8, lossMin: 0.12 },
      { role: "b", nonConvexity: 0.03, basinWidth: 0.8, lossMin: 0.12 },
    ])!;
    expect(none).not.toContain("Eigen-ratio");
  });

  it("waits for every side's numbers, and reports a trajectory's explained variance", () => {
    expect(measuredCaption("batch", [{ role: "batch 16", nonConvexity: null, basinWidth: 1, lossMin: 0 }])).toBeNull();
    const path = [
      { step: 0, offPlane: 1.1, fromFinal: 6.4 },
      { step: 100, offPlane: 1.2, fromFinal: 3 },
      { step: 200, offPlane: 0.8, fromFinal: 1 },
      { step: 300, offPlane: 0, fromFinal: 0 },
    ];
    expect(measuredCaption("trajectory", [{ role: "run", nonConvexity: 0, basinWidth: 1, lossMin: 0, explainedVariance: [0.7, 0.2], path }])).toBe(
      "Measured: PC1 and PC2 explain 70% and 20% of the checkpoints' variation (90% together), so the plane holds most of the path, as the paper reports. " +
        "No checkpoint lies farther off the plane than 18.7% of the path's extent (step 100: 1.2 off it, against 6.4 from the start to the final model). " +
        "Near the end, where the steps are short, what is left of the path lies mostly off the plane: 80% of the way from step 200 to the final model (1).",
    );
    // A path that stays near its plane to the end: no second sentence.
    const near = measuredCaption("trajectory", [{ role: "run", nonConvexity: 0, basinWidth: 1, lossMin: 0, explainedVariance: [0.7, 0.2], path: path.map((p) => ({ ...p, offPlane: p.offPlane / 4 })) }])!;
    expect(near).toContain("No checkpoint lies farther off the plane than 4.69% of the path's extent");
    expect(near).not.toContain("Near the end");
    // Paths stored without their distances from the final model: the variance alone.
    expect(measuredCaption("trajectory", [{ role: "run", nonConvexity: 0, basinWidth: 1, lossMin: 0, explainedVariance: [0.7, 0.2], path: null }])).toMatch(/as the paper reports\.$/);
  });

  it("summarises a landscape over training by its plane and its first and last frames, and notes an under-trained side", () => {
    const frame = (lossMin: number, basinWidth: number) => ({ role: "training run", nonConvexity: 0, basinWidth, lossMin });
    const over = measuredCaption("over-training", [frame(0.66, 0.98), frame(2.5, 1.8), frame(1.4, 1.5), frame(0.66, 0.98)])!;
    expect(over).toContain("the trained network's plane: non-convexity 0, basin width 0.98, lowest loss 0.66.");
    expect(over).toContain("Over its 3 checkpoints the lowest loss on the plane goes from 2.5 to 0.66 and the basin width from 1.8 to 0.98.");
    const batch = measuredCaption("batch", [
      { role: "batch 16", nonConvexity: 0.0002, basinWidth: 0.81, lossMin: 0.7 },
      { role: "batch 256", nonConvexity: 0.00004, basinWidth: 2, lossMin: 1.8 },
    ])!;
    expect(batch).toContain(`The basin of "batch 256" is the wider (2 against 0.81), the opposite of what is said of small batches.`);
    expect(batch).toContain(`"batch 256" ended at a higher loss (1.8 against 0.7): it trained less far`);
  });

  it("depth: states the trend without and with shortcuts, and whether the paper's effect appears at the deepest depth", () => {
    const side = (role: string, nonConvexity: number, minima: number, lossMin = 0.01) => ({ role, nonConvexity, basinWidth: 1, lossMin, minima });
    const shown = measuredCaption("depth", [side("ResNet-8-noshort", 0.07, 1), side("ResNet-8", 0.12, 1), side("ResNet-32-noshort", 0.71, 10, 0.15), side("ResNet-32", 0.17, 1)])!;
    expect(shown).toContain("ResNet-32-noshort: non-convexity 0.71, basin width 1, lowest loss 0.15, 10 significant local minima");
    expect(shown).toContain("Without shortcuts the non-convexity goes from 0.07 (ResNet-8-noshort) to 0.71 (ResNet-32-noshort); with them from 0.12 to 0.17.");
    expect(shown).toContain("the plane without shortcuts is the more non-convex (0.71 against 0.17), with 10 significant local minima against one, as the paper's Figure 5 shows");
    expect(shown).toContain("ResNet-32-noshort ended at a higher loss (0.15 against 0.01)");
    const smooth = measuredCaption("depth", [side("ResNet-8-noshort", 0.4, 3), side("ResNet-8", 0.12, 1), side("ResNet-14-noshort", 0.6, 1), side("ResNet-14", 0.2, 1)])!;
    expect(smooth).toContain("but it has no more significant local minima than its twin: the paper's chaotic surface does not appear at these depths");
    const alike = measuredCaption("depth", [side("ResNet-8-noshort", 0.1, 1), side("ResNet-8", 0.1, 1)])!;
    expect(alike).toContain("about equally non-convex (0.1 without shortcuts, 0.1 with): the paper's effect of depth does not appear");
    expect(alike).not.toContain("Figure 5 shows");
    // The deepest pair's eigen-ratio maps, when it has them.
    const mapped = (plain: number, residual: number) =>
      measuredCaption("depth", [side("ResNet-8-noshort", 0.1, 1), side("ResNet-8", 0.1, 1), { ...side("ResNet-32-noshort", 0.5, 3), meanEigenRatio: plain }, { ...side("ResNet-32", 0.1, 1), meanEigenRatio: residual }])!;
    expect(mapped(0.42, 0.12)).toContain("Eigen-ratio maps of the deepest pair (the Hessian's mean |λmin/λmax| over the plane, 0 where it is convex): ResNet-32-noshort: 0.42; ResNet-32: 0.12, so without shortcuts the deepest network is the less convex by its Hessian, as the paper's Figure 7 shows.");
    expect(mapped(0.12, 0.13)).toContain("ResNet-32-noshort: 0.12; ResNet-32: 0.13, about the same.");
    expect(mapped(0.05, 0.3)).toContain("the opposite of the paper's Figure 7");
    expect(shown).not.toContain("Eigen-ratio");
  });

  it("width: says whether the widest planes are the smoother on each side", () => {
    const side = (role: string, nonConvexity: number) => ({ role, nonConvexity, basinWidth: 1, lossMin: 0.01, minima: 1 });
    const both = measuredCaption("width", [side("ResNet-20-noshort (width 4)", 0.48), side("ResNet-20 (width 4)", 0.2), side("ResNet-20-noshort (width 16)", 0.2), side("ResNet-20 (width 16)", 0.1)])!;
    expect(both).toContain("Without shortcuts the non-convexity goes from 0.48 (ResNet-20-noshort (width 4)) to 0.2 (ResNet-20-noshort (width 16)); with them from 0.2 to 0.1.");
    expect(both).toContain("clearly the less non-convex on both sides, as the paper's Figure 6 shows");
    const part = measuredCaption("width", [side("a", 0.48), side("b", 0.2), side("c", 0.2), side("d", 0.19)])!;
    expect(part).toContain("Only without shortcuts is the widest network's plane clearly the less non-convex");
    const none = measuredCaption("width", [side("a", 0.3), side("b", 0.2), side("c", 0.28), side("d", 0.21)])!;
    expect(none).toContain("the paper's Figure 6 effect does not appear at these widths");
  });

  it("connectivity: states both barriers and whether the curve's is clearly lower, from the numbers alone", () => {
    const barriers = (trainLoss: number, trainAccuracy: number, test?: [number, number]) => ({ trainLoss, trainAccuracy, testLoss: test?.[0] ?? null, testAccuracy: test?.[1] ?? null });
    // The README's MNIST run: 0.499 along the line, 0.040 along the curve.
    const lower = connectivityCaption(barriers(0.499, 0.188), barriers(0.04, 0.009));
    expect(lower).toBe(
      "Measured on the training data: along the straight line from A to B the loss barrier is 0.5 and accuracy falls by 19 points; along the trained curve the loss barrier is 0.04 and accuracy falls by 0.9 points. The curve's barrier is clearly lower than the line's (0.04 against 0.5): a simple curve connects the two minima through low loss, as Garipov et al. (2018) find.",
    );
    const withTest = connectivityCaption(barriers(0.5, 0.2, [0.6, 0.25]), barriers(0.05, 0.01, [0.1, 0.03]));
    expect(withTest).toContain("On the test data: along the line the loss barrier is 0.6 and accuracy falls by 25 points; along the curve the loss barrier is 0.1 and accuracy falls by 3 points.");
    // Lower, but not by half: no claim of the paper's result.
    expect(connectivityCaption(barriers(0.5, 0.2), barriers(0.3, 0.1))).toContain("The curve's barrier is not clearly lower than the line's (0.3 against 0.5, not below half of it)");
    // Both tiny: the minima are linearly connected, and the caption says so rather than crediting the curve.
    expect(connectivityCaption(barriers(0.5, 0.2), barriers(0.05, 0.01), { members: 11, trainAccuracy: 0.9734, trainAccuracyA: 0.961, trainAccuracyB: 0.9587 })).toContain(
      "The ensemble of 11 models along the curve (their softmax outputs averaged) is 97.3% accurate on the training data, against 96.1% for A and 95.9% for B.",
    );
    const flat = connectivityCaption(barriers(0.01, 0.002), barriers(0.001, 0));
    expect(flat).toContain("already linearly connected");
    expect(flat).not.toContain("clearly lower than the line's (");
  });
});
