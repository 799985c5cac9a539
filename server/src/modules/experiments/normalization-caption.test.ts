import { describe, expect, it } from "vitest";
import { normalizationCaption, pairCaption } from "./normalization-caption.js";

const side = (role: string, testError: number | null, widthNone: number | null, widthFilter: number | null) => ({ role, testError, widthNone, widthFilter });

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

  it("marks a basin that fills the whole slice, and waits for every pair's widths", () => {
    const full = pairCaption({ title: "p", sides: [side("a", null, 2, 2), side("b", 0.1, 0.4, 0.3)] }, 2)!;
    expect(full).toContain("without normalization ≥ 2 (the whole slice) (a) and 0.4 (b)");
    expect(full).toContain("test error a not measured");
    expect(full).toContain("Without a test error for both sides, sharpness cannot be checked");
    expect(normalizationCaption([{ title: "p", sides: [side("a", 0.1, 1, 1), side("b", 0.1, null, 1)] }], 2)).toBeNull();
    expect(normalizationCaption([{ title: "p", sides: [side("a", 0.1, 1, 1), side("b", 0.1, 1, 1)] }], 2)).toMatch(/^Measured \(basin width: .*\): p: test error/);
  });
});
