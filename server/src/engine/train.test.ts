import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "./data.js";
import { loadModel, toLayersModel } from "./network.js";
import { computeSurface } from "./surface.js";
import { artifactsOf, buildMlp, modelFiles } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";
import { buildZooModel, trainLayersModel, trainZooModel } from "./train.js";

describe("training a zoo model", () => {
  beforeAll(async () => useBackend("wasm"));

  it("records checkpoints whose reloaded loss matches the recorded curve, and learns", async () => {
    const iris = await loadDataset("builtin:iris");
    const checkpoints: { step: number; files: { modelJson: string; shards: Map<string, Uint8Array> } }[] = [];
    const result = await trainZooModel({ kind: "mlp", depth: 2, width: 16 }, iris, null, 3, { epochs: 6, batchSize: 16, learningRate: 0.05, optimizer: "adam", seed: 4, checkpointEvery: 10 }, {
      onCheckpoint: (step, files) => {
        checkpoints.push({ step, files });
      },
    });
    expect(result.steps).toBe(6 * Math.ceil(150 / 16));
    expect(checkpoints.map((c) => c.step)).toEqual(result.curve.map((p) => p.step));
    expect(checkpoints[0]!.step).toBe(0);
    expect(checkpoints.at(-1)!.step).toBe(result.steps);
    expect(result.curve.at(-1)!.trainLoss).toBeLessThan(result.curve[0]!.trainLoss * 0.7);
    expect(result.curve.at(-1)!.trainAccuracy).toBeGreaterThan(0.6);

    // Each checkpoint, reloaded by the engine and evaluated at its own weights (a = 0), gives the
    // loss TF.js recorded during training.
    for (const [i, checkpoint] of checkpoints.entries()) {
      const model = await loadModel(checkpoint.files);
      const surface = await computeSurface(model, iris, { x: { min: 0, max: 1e-9, count: 2 } });
      const recorded = result.curve[i]!;
      expect(Math.abs(surface.loss[0]! - recorded.trainLoss) / recorded.trainLoss).toBeLessThan(1e-4);
      expect(surface.accuracy[0]).toBeCloseTo(recorded.trainAccuracy, 5);
    }
  }, 120_000);

  it("is reproducible with a seed, and different with another", async () => {
    const iris = await loadDataset("builtin:iris");
    const run = (seed: number) => trainZooModel({ kind: "mlp", depth: 2, width: 8, residual: true }, iris, null, 3, { epochs: 2, seed });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(a.curve).toEqual(b.curve);
    expect(a.curve.at(-1)!.trainLoss).not.toBe(c.curve.at(-1)!.trainLoss);
  }, 120_000);

  it("builds residual MLPs with Add layers, and refuses CNN training on wasm with a clear reason", async () => {
    const residual = buildZooModel({ kind: "mlp", depth: 3, width: 8, residual: true }, [4], 3);
    expect(residual.layers.filter((l) => l.getClassName() === "Add")).toHaveLength(2);
    const plain = buildZooModel({ kind: "mlp", depth: 3, width: 8 }, [4], 3);
    expect(plain.layers.filter((l) => l.getClassName() === "Add")).toHaveLength(0);
    const digits = await loadDataset("builtin:mnist", { samples: 64 });
    await expect(trainZooModel({ kind: "cnn" }, digits, null, 10, { epochs: 1 })).rejects.toThrow(/no gradient for Conv2D filters/);
  });

  it("trains an uploaded, uncompiled model from its own weights", async () => {
    const iris = await loadDataset("builtin:iris");
    const artifacts = await artifactsOf(buildMlp([4, 16, 3], 3)); // no training config: uncompiled
    const result = await trainLayersModel(await toLayersModel(artifacts), iris, null, 3, { epochs: 4, batchSize: 16, optimizer: "adam", learningRate: 0.02, seed: 1 });
    expect(result.steps).toBe(4 * Math.ceil(150 / 16));
    expect(result.curve.at(-1)!.trainLoss).toBeLessThan(result.curve[0]!.trainLoss * 0.8);
    // Step 0 is the uploaded weights themselves: the engine's loss of the uploaded model there.
    const uploaded = await loadModel(modelFiles(artifacts));
    const atStart = await computeSurface(uploaded, iris, { x: { min: 0, max: 1e-9, count: 2 }, loss: "sparse_categorical_crossentropy" });
    expect(Math.abs(atStart.loss[0]! - result.curve[0]!.trainLoss) / result.curve[0]!.trainLoss).toBeLessThan(1e-4);
  }, 120_000);

  it("refuses uploaded models that do not fit the data or do not end in a softmax", async () => {
    const iris = await loadDataset("builtin:iris");
    const attempt = async (sizes: number[], out = "softmax") => trainLayersModel(await toLayersModel(await artifactsOf(buildMlp(sizes, 1, out))), iris, null, 3, { epochs: 1 });
    await expect(attempt([5, 8, 3])).rejects.toThrow(/takes samples of shape \[5\], the data has \[4\]/);
    await expect(attempt([4, 8, 2])).rejects.toThrow(/one probability per class \(3\)/);
    await expect(attempt([4, 8, 3], "linear")).rejects.toThrow(/must apply a softmax over the classes; it applies linear/);
  });
});
