import { describe, expect, it } from "vitest";
import { axisTitlesOf, directionsOf } from "../pages/SurfacePage";
import { experimentProgress, type PreparingExperiment } from "./InProgress";
import { nextFrame } from "./TrainingSeries";

describe("playing the landscape over training", () => {
  it("steps through the frames that have values, wrapping around", () => {
    const loaded = [true, false, true, true];
    expect(nextFrame(loaded, -1)).toBe(0);
    expect(nextFrame(loaded, 0)).toBe(2);
    expect(nextFrame(loaded, 2)).toBe(3);
    expect(nextFrame(loaded, 3)).toBe(0);
  });

  it("stays put when no frame has values yet", () => {
    expect(nextFrame([false, false], -1)).toBe(-1);
    expect(nextFrame([], -1)).toBe(-1);
  });
});

describe("axis titles", () => {
  it("name PCA axes with their explained variance", () => {
    expect(axisTitlesOf({ kind: "PCA", explainedVariance: [0.6123, 0.2] })).toEqual(["PC1 (61.2%)", "PC2 (20.0%)"]);
    expect(axisTitlesOf({ kind: "PCA", explainedVariance: null })).toEqual(["PC1", "PC2"]);
    expect(axisTitlesOf({ kind: "PLANE", explainedVariance: null })).toEqual(["a", "b"]);
    expect(axisTitlesOf({ kind: "INTERPOLATION", explainedVariance: null })[0]).toBe("t");
  });
});

describe("the header's word on directions", () => {
  it("calls a PCA plane's directions unit principal components, never filter-normalized", () => {
    const pca = directionsOf({ kind: "PCA", explainedVariance: [0.6123, 0.2], params: { norm: "FILTER", ignore: "BIASBN" } });
    expect(pca).toBe("directions: the first two principal components (unit vectors) of the checkpoints over the weights (biases and BatchNorm left out), explaining 61.2% and 20.0% of their variance");
    expect(pca).not.toMatch(/normaliz/);
    expect(directionsOf({ kind: "PLANE", explainedVariance: null, params: { norm: "FILTER", ignore: "BIASBN" } })).toBe("filter normalization");
  });
});

describe("experiment progress", () => {
  const base: PreparingExperiment = { id: "e", name: "Skip", status: "TRAINING", projectId: "p", runs: [], surfaces: [] };

  it("counts training steps over both runs while training", () => {
    const p = experimentProgress({
      ...base,
      runs: [
        { role: "a", status: "RUNNING", stepsDone: 30, stepsTotal: 100 },
        { role: "b", status: "QUEUED", stepsDone: 0, stepsTotal: 100 },
      ],
    });
    expect(p).toMatchObject({ done: 30, total: 200 });
    expect(p.words).toContain("30 of 200 steps");
  });

  it("says when no worker has started yet", () => {
    expect(experimentProgress({ ...base, runs: [{ role: "a", status: "QUEUED", stepsDone: 0, stepsTotal: null }] }).words).toMatch(/waiting/);
  });

  it("counts surface points once computing", () => {
    const p = experimentProgress({
      ...base,
      status: "COMPUTING",
      surfaces: [
        { status: "READY", pointsDone: 121, pointsTotal: 121 },
        { status: "RUNNING", pointsDone: 21, pointsTotal: 121 },
      ],
    });
    expect(p).toEqual({ done: 142, total: 242, words: "computing surfaces: 142 of 242 points" });
  });
});
