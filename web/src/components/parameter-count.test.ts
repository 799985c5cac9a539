import { describe, expect, it } from "vitest";
import { forwardFlopsWords, parameterWords } from "./parameter-count";

describe("parameterWords", () => {
  it("counts trainable parameters, frozen weights and buffers apart", () => {
    expect(parameterWords({ parameterCount: 499, trainableCount: 483, bufferCount: 16 })).toBe("483 trainable parameters · 16 buffers (BatchNorm running statistics)");
    expect(parameterWords({ parameterCount: 67, trainableCount: 67, bufferCount: 0 })).toBe("67 trainable parameters");
    expect(parameterWords({ parameterCount: 449, trainableCount: 429, bufferCount: 20 }, true)).toBe("429 trainable parameters · 20 buffers");
    expect(parameterWords({ parameterCount: 1600, trainableCount: 1000, bufferCount: 100 })).toBe("1,000 trainable parameters · 500 frozen · 100 buffers (BatchNorm running statistics)");
  });

  it("keeps the total for models stored before the split was counted", () => {
    expect(parameterWords({ parameterCount: 499, trainableCount: null, bufferCount: null })).toBe("499 parameters");
  });

  it("states a forward pass's FLOPs per sample when the model has them", () => {
    expect(forwardFlopsWords({ flopsPerSample: 5700 })).toBe("5.7 kFLOP per sample forward");
    expect(forwardFlopsWords({ flopsPerSample: 13_400_000 })).toBe("13.4 MFLOP per sample forward");
    expect(forwardFlopsWords({ flopsPerSample: null })).toBeNull();
  });
});
