import { describe, expect, it } from "vitest";
import { betterTested, normalizationCaption, pairCaption, testErrorResolution } from "./normalization-caption.js";

const side = (role: string, testError: number | null, widthNone: number | null, widthFilter: number | null, testRows: number | null = null) => ({ role, testError, testRows, widthNone, widthFilter });

describe("the caption of what filter normalization fixes", () => {
  it("states each side's test error and slice widths, and that the flatter normalized minimum generalizes better when it does", () => {
    const caption = pairCaption({ title: "Small vs large batch", sides: [side("batch 8", 0.04, 0.5, 1.2), side("batch 128", 0.1, 0.9, 0.6)] }, 2)!;
    expect(caption).toContain("Small vs large batch: test error batch 8 4%, batch 128 10%;");
    expect(caption).toContain("basin width of the slice without normalization 0.5 (batch 8) and 0.9 (batch 128), with filter normalization 1.2 and 0.6.");
    expect(caption).toContain(`Without normalization the flatter-looking minimum is "batch 128", which has the higher test error: the comparison misleads, as the paper warns.`);
    expect(caption).toContain(`With filter normalization the flatter minimum is "batch 8", the one with the lower test error, as the paper shows.`);
  });

  it("says plainly when the effect does not appear", () => {
    const reversed = pairCaption({ title: "p", sides: [side("a", 0.04, 1, 0.5), side("b", 0.2, 1, 1.5)] }, 2)!;
    expect(reversed).toContain(`Without normalization the two minima look about equally wide.`);
    expect(reversed).toContain(`With filter normalization the flatter minimum is "b", which has the higher test error: the paper's effect does not appear here.`);
    expect(reversed).not.toContain("as the paper shows");
    const alike = pairCaption({ title: "p", sides: [side("a", 0.04, 1, 1), side("b", 0.2, 1, 1.1)] }, 2)!;
    expect(alike).toContain(`With filter normalization both minima are about equally wide, so sharpness does not tell apart "a", the lower test error, from the other: the paper's effect does not appear here.`);
    const sameError = pairCaption({ title: "p", sides: [side("a", 0.04, 1, 2), side("b", 0.045, 1, 0.5)] }, 2)!;
    expect(sameError).toContain("The two test errors are about the same (within 1%)");
    expect(sameError).not.toMatch(/flatter minimum/);
  });

  it("calls two test errors different only when the held-out rows can tell them apart", () => {
    // Two-proportion z-test at 95%: at 10% error on 1,000 rows, 1.96 * sqrt(0.1 * 0.9 * 2 / 1000) = 2.63 points.
    expect(testErrorResolution(0.1, 0.1, 1000)).toBeCloseTo(0.026295, 5);
    expect(testErrorResolution(0.1, 0.1, 100_000)).toBe(0.01);
    expect(testErrorResolution(0.1, 0.1, null)).toBe(0.01);
    expect(betterTested(0.09, 0.11, 1000)).toBeNull();
    expect(betterTested(0.09, 0.12, 1000)).toBe(0);
    expect(betterTested(0.09, 0.11)).toBe(0);
    // The demo's measured errors: 10.2% and 9.2% on 1,000 rows are within what those rows resolve.
    const demo = pairCaption({ title: "Small vs large batch", sides: [side("batch 32", 0.102, 0.24, 0.8, 1000), side("batch 512", 0.092, 0.16, 0.64, 1000)] }, 2)!;
    expect(demo).toContain("The two test errors are about the same (1% apart; 1,000 held-out rows tell apart only differences of 2.59% or more, at 95%)");
    expect(demo).not.toMatch(/flatter minimum/);
    // 4% against 10% on 1,000 rows is a real difference: the pair is judged.
    const clear = pairCaption({ title: "p", sides: [side("a", 0.04, 0.5, 1.2, 1000), side("b", 0.1, 0.9, 0.6, 1000)] }, 2)!;
    expect(clear).toContain(`With filter normalization the flatter minimum is "a", the one with the lower test error, as the paper shows.`);
  });

  it("marks a basin that fills the whole slice, and waits for every pair's widths", () => {
    const full = pairCaption({ title: "p", sides: [side("a", null, 2, 2), side("b", 0.1, 0.4, 0.3)] }, 2)!;
    expect(full).toContain("without normalization ≥ 2 (the whole slice) (a) and 0.4 (b)");
    expect(full).toContain("test error a not measured");
    expect(full).toContain("Without a test error for both sides, sharpness cannot be checked");
    expect(normalizationCaption([{ title: "p", sides: [side("a", 0.1, 1, 1), side("b", 0.1, null, 1)] }], 2)).toBeNull();
    expect(normalizationCaption([{ title: "p", sides: [side("a", 0.1, 1, 1), side("b", 0.1, 1, 1)] }], 2)).toMatch(/^Measured \(basin width: .*\): p: test error/);
  });
});
