import { describe, expect, it } from "vitest";
import { describeArchitecture, estimateSteps, parseNumber, trainingInput, type TrainingFormValues } from "./training-form";

const blank: TrainingFormValues = {
  name: "", architecture: "MLP", modelId: "", depth: "", width: "", residual: false, channels1: "", channels2: "",
  blocks: "", resnetWidth: "", downsample: "", shortcuts: true, datasetId: "d1", testDatasetId: "", optimizer: "", learningRate: "", batchSize: "", weightDecay: "",
  epochs: "", checkpointEvery: "", samples: "", seed: "",
};

describe("training form to StartTrainingInput", () => {
  it("builds a ResNet or its plain twin from the ResNet fields only", () => {
    expect(trainingInput("p1", { ...blank, architecture: "RESNET", width: "999", blocks: "9", resnetWidth: "8", downsample: "2", shortcuts: false })).toEqual({
      ok: true,
      input: { projectId: "p1", datasetId: "d1", architecture: { kind: "RESNET", blocks: 9, width: 8, downsample: 2, residual: false }, options: {} },
    });
    expect(trainingInput("p1", { ...blank, architecture: "RESNET", blocks: "19" })).toMatchObject({ ok: false, field: "blocks", message: "Blocks per stage must be at most 18" });
    expect(describeArchitecture({ kind: "RESNET", depth: null, width: 8, residual: false, channels: null, blocks: 9, downsample: 2 })).toBe(
      "ResNet-56-noshort: 9 blocks per stage, 8 channels in the first stage, no shortcuts (the plain twin), images averaged down by 2",
    );
  });

  it("leaves empty fields out so the server's defaults apply", () => {
    expect(trainingInput("p1", blank)).toEqual({
      ok: true,
      input: { projectId: "p1", datasetId: "d1", architecture: { kind: "MLP", residual: false }, options: {} },
    });
  });

  it("converts every field that is filled in", () => {
    const result = trainingInput("p1", {
      ...blank, name: "  small  ", depth: "2", width: "8", residual: true, testDatasetId: "d2", optimizer: "ADAM",
      learningRate: "0.01", batchSize: "16", weightDecay: "0.0005", epochs: "3", checkpointEvery: "2", samples: "100", seed: "7",
    });
    expect(result).toEqual({
      ok: true,
      input: {
        projectId: "p1", datasetId: "d1", testDatasetId: "d2", name: "small",
        architecture: { kind: "MLP", depth: 2, width: 8, residual: true },
        options: { optimizer: "ADAM", learningRate: 0.01, batchSize: 16, weightDecay: 0.0005, epochs: 3, checkpointEvery: 2, samples: 100, seed: 7 },
      },
    });
  });

  it("sends a CNN's two filter counts together, the missing one at its default", () => {
    const result = trainingInput("p1", { ...blank, architecture: "CNN", depth: "999", channels2: "32" });
    expect(result.ok && result.input.architecture).toEqual({ kind: "CNN", channels: [8, 32] });
    expect(trainingInput("p1", { ...blank, architecture: "CNN" })).toMatchObject({ ok: true, input: { architecture: { kind: "CNN" } } });
  });

  it("trains a model of the project from its weights, with no zoo settings", () => {
    expect(trainingInput("p1", { ...blank, architecture: "UPLOADED", modelId: "m1", depth: "99" })).toMatchObject({
      ok: true, input: { architecture: { kind: "UPLOADED", modelId: "m1" } },
    });
    expect(trainingInput("p1", { ...blank, architecture: "UPLOADED" })).toEqual({ ok: false, field: "modelId", message: "Choose the model to train" });
  });

  it("refuses out-of-range numbers in plain words, naming the field", () => {
    expect(trainingInput("p1", { ...blank, depth: "40" })).toEqual({ ok: false, field: "depth", message: "Hidden layers must be at most 32" });
    expect(trainingInput("p1", { ...blank, epochs: "2.5" })).toEqual({ ok: false, field: "epochs", message: "Epochs must be a whole number" });
    expect(trainingInput("p1", { ...blank, learningRate: "0" })).toEqual({ ok: false, field: "learningRate", message: "Learning rate must be above 0" });
    expect(trainingInput("p1", { ...blank, datasetId: "" })).toMatchObject({ ok: false, field: "datasetId" });
    expect(parseNumber("abc", { label: "Seed" })).toBe("Seed must be a number");
    expect(parseNumber(" ", { label: "Seed" })).toBeUndefined();
  });

  it("estimates steps as the server counts them", () => {
    expect(estimateSteps(150, { batchSize: "", epochs: "3", samples: "" })).toBe(15);
    expect(estimateSteps(150, { batchSize: "", epochs: "", samples: "" })).toBe(25);
    expect(estimateSteps(150, { batchSize: "500", epochs: "2", samples: "" })).toBe(2);
    expect(estimateSteps(150, { batchSize: "x", epochs: "", samples: "" })).toBeNull();
  });

  it("describes architectures in words", () => {
    expect(describeArchitecture({ kind: "MLP", depth: 2, width: 8, residual: false, channels: null })).toBe("MLP, 2 hidden layers of 8 units, without skip connections");
    expect(describeArchitecture({ kind: "CNN", depth: null, width: null, residual: null, channels: [8, 16] })).toBe("CNN, two conv layers of 8 and 16 filters");
    expect(describeArchitecture({ kind: "UPLOADED", depth: null, width: null, residual: null, channels: null }, "mlp 4-8-3")).toBe("the project's model “mlp 4-8-3”, trained from its own weights");
  });
});
