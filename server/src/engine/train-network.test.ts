/**
 * The engine's trainer of ONNX models against PyTorch's own training steps (recorded by
 * scripts/make-onnx-fixtures.py in training.json): the same batches in order, the same optimizer,
 * BatchNorm in training mode with its running statistics, on the WebAssembly backend (whose
 * convolution filter gradients the engine supplies itself). Checkpoints are ONNX files that load
 * back to the same values.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareData } from "./data.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { SurfaceEvaluator } from "./evaluator.js";
import { loadModel } from "./network.js";
import { encodeOnnxModel, loadOnnxModel } from "./onnx/load.js";
import { decodeOnnx, initializersWithAliases, tensorValues } from "./onnx/proto.js";
import { useBackend } from "./testing/setup.js";
import type { CurvePoint, OnnxFiles } from "./train.js";
import { trainNetwork } from "./train-network.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "onnx", "fixtures");
const fixture = (name: string) => path.join(FIXTURES, name);
interface Recorded {
  optimizer: "sgd" | "momentum";
  learningRate: number;
  batchSize: number;
  epochs: number;
  steps: number;
  classes: number;
  evalLoss: number;
  evalAccuracy: number;
  state: Record<string, number[]>;
}
const training = JSON.parse(readFileSync(fixture("training.json"), "utf8")) as { models: Record<string, Recorded> };

/** The initializers of an ONNX file by name (ONNX layout, C order). */
function initializers(bytes: Uint8Array): Map<string, Float64Array> {
  const { inits } = initializersWithAliases(decodeOnnx(bytes, "checkpoint").graph!);
  return new Map([...inits].map(([name, t]) => [name, tensorValues(t, name).values]));
}

/** Largest |a - b| over a tensor, relative to the tensor's own scale (its largest |b|, at least 1). */
function tensorError(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1, ...b.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

beforeAll(async () => {
  await useBackend("wasm");
});

describe("trainNetwork (ONNX models)", () => {
  for (const name of Object.keys(training.models)) {
    it(`${name}: matches PyTorch's parameters and BatchNorm running statistics after its training steps`, async () => {
      const r = training.models[name]!;
      const model = await loadModel(fixture(`train_${name}.onnx`));
      const data = await loadDataset(`${fixture(`train_${name}.x.npy`)},${fixture(`train_${name}.y.npy`)}`);
      const result = await trainNetwork(model, data, null, r.classes, {
        optimizer: r.optimizer, learningRate: r.learningRate, batchSize: r.batchSize, epochs: r.epochs, shuffle: false,
      });
      expect(result.steps).toBe(r.steps);
      const trained = initializers(result.final.onnx);
      const names = Object.keys(r.state);
      expect(names.some((n) => n.endsWith("running_var"))).toBe(true);
      let worst = 0;
      for (const n of names) {
        const error = tensorError(trained.get(n)!, r.state[n]!);
        // Measured: 6e-8 (cnn) and 1.1e-7 (mlp) of the tensor's scale.
        expect(error, n).toBeLessThan(1e-5);
        worst = Math.max(worst, error);
      }
      // The moved parameters moved: the comparison is not one of two starting points.
      const start = initializers(new Uint8Array(readFileSync(fixture(`train_${name}.onnx`))));
      expect(Math.max(...names.map((n) => tensorError(start.get(n)!, r.state[n]!)))).toBeGreaterThan(100 * Math.max(worst, 1e-7));
      // The curve's last point is the eval-mode loss of the result, as PyTorch computes it.
      const last = result.curve.at(-1)!;
      expect(Math.abs(last.trainLoss - r.evalLoss) / r.evalLoss).toBeLessThan(1e-6);
      expect(last.trainAccuracy).toBeCloseTo(r.evalAccuracy, 6);
    });
  }

  it("trains a CNN with BatchNorm on wasm: the loss falls; checkpoints load back bit for bit and evaluate to their curve point", async () => {
    const model = await loadModel(fixture("train_cnn.onnx"));
    const data = await loadDataset(`${fixture("train_cnn.x.npy")},${fixture("train_cnn.y.npy")}`);
    const checkpoints: { step: number; files: OnnxFiles; point: CurvePoint }[] = [];
    let progress = 0;
    const result = await trainNetwork(model, data, data, 3, { optimizer: "momentum", learningRate: 0.05, batchSize: 16, epochs: 12, checkpointEvery: 16, seed: 3 }, {
      onCheckpoint: (step, files, point) => {
        checkpoints.push({ step, files, point });
      },
      onProgress: (done) => {
        progress = done;
      },
    });
    expect(result.steps).toBe(48);
    expect(progress).toBe(48);
    expect(checkpoints.map((c) => c.step)).toEqual([0, 16, 32, 48]);
    expect(result.curve.map((p) => p.step)).toEqual([0, 16, 32, 48]);
    const first = result.curve[0]!;
    const last = result.curve.at(-1)!;
    expect(last.trainLoss).toBeLessThan(0.5 * first.trainLoss);
    expect(last.trainAccuracy).toBeGreaterThan(first.trainAccuracy);
    expect(last.testLoss).toBeCloseTo(last.trainLoss, 6);

    for (const c of [checkpoints[0]!, checkpoints.at(-1)!]) {
      const reloaded = loadOnnxModel(c.files.onnx, `step ${c.step}`);
      expect(reloaded.params.map((p) => p.name)).toEqual(model.params.map((p) => p.name));
      // Written and read again: the same float32 values, bit for bit.
      const again = loadOnnxModel(encodeOnnxModel(reloaded, reloaded.theta));
      again.theta.forEach((t, i) => expect(t).toEqual(reloaded.theta[i]));
      // The engine's evaluator at the checkpoint gives the loss recorded for it.
      const loss = reloaded.trainingLoss!;
      const zero = reloaded.params.map((p) => new Float32Array(p.size));
      const evaluator = SurfaceEvaluator.create(reloaded, prepareData(reloaded, data, loss), loss, { origin: reloaded.theta, dx: zero, dy: null });
      try {
        const values = (await evaluator.evaluate(Float64Array.from([0, 0])))!;
        expect(Math.abs(values.loss[0]! - c.point.trainLoss) / c.point.trainLoss).toBeLessThan(1e-5);
        expect(values.accuracy[0]).toBeCloseTo(c.point.trainAccuracy, 6);
      } finally {
        evaluator.dispose();
      }
    }
    // Step 0 is the starting model itself.
    expect(loadOnnxModel(checkpoints[0]!.files.onnx).theta).toEqual(model.theta);
    // The final checkpoint's running statistics moved from the start.
    const startVar = model.theta[model.params.findIndex((p) => p.name === "bn1.running_var")]!;
    const endModel = loadOnnxModel(result.final.onnx);
    const endVar = endModel.theta[endModel.params.findIndex((p) => p.name === "bn1.running_var")]!;
    expect(endVar).not.toEqual(startVar);
  });

  it("weight decay adds 2 weightDecay w to each kernel's gradient and nothing to the other parameters (one SGD step)", async () => {
    const model = await loadModel(fixture("train_mlp.onnx"));
    const data = await loadDataset(`${fixture("train_mlp.x.npy")},${fixture("train_mlp.y.npy")}`);
    const step = async (weightDecay: number) =>
      loadOnnxModel((await trainNetwork(model, data, null, 4, { learningRate: 0.1, batchSize: 32, epochs: 1, weightDecay, shuffle: false })).final.onnx).theta;
    const plain = await step(0);
    const decayed = await step(0.01);
    model.params.forEach((p, i) => {
      const expected = plain[i]!.map((v, k) => (p.role === "kernel" ? v - 0.1 * 2 * 0.01 * model.theta[i]![k]! : v));
      let worst = 0;
      for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(decayed[i]![k]! - expected[k]!));
      expect(worst, p.name).toBeLessThan(1e-6);
    });
    expect(model.params.filter((p) => p.role === "kernel").map((p) => p.name)).toEqual(["fc1.weight", "fc2.weight"]);
  });

  it("is seeded: the same options give the same final model", async () => {
    const model = await loadModel(fixture("train_mlp.onnx"));
    const data = await loadDataset(`${fixture("train_mlp.x.npy")},${fixture("train_mlp.y.npy")}`);
    const run = () => trainNetwork(model, data, null, 4, { optimizer: "adam", learningRate: 0.01, batchSize: 8, epochs: 2, seed: 5 });
    const a = await run();
    const b = await run();
    expect(loadOnnxModel(a.final.onnx).theta).toEqual(loadOnnxModel(b.final.onnx).theta);
    const shuffledOther = await trainNetwork(model, data, null, 4, { optimizer: "adam", learningRate: 0.01, batchSize: 8, epochs: 2, seed: 6 });
    expect(loadOnnxModel(shuffledOther.final.onnx).theta).not.toEqual(loadOnnxModel(a.final.onnx).theta);
  });

  it("refuses a class count the output does not have and a single-sample BatchNorm1d batch, and stops when cancelled", async () => {
    const model = await loadModel(fixture("train_mlp.onnx"));
    const data = await loadDataset(`${fixture("train_mlp.x.npy")},${fixture("train_mlp.y.npy")}`);
    await expect(trainNetwork(model, data, null, 5)).rejects.toThrow(EngineInputError);
    await expect(trainNetwork(model, data, null, 5)).rejects.toThrow(/one score per class \(5\)/);
    // 32 samples in batches of 31 leave a batch of one sample, which BatchNorm1d cannot normalize.
    await expect(trainNetwork(model, data, null, 4, { batchSize: 31 })).rejects.toThrow(/leaves a batch of one sample/);
    const controller = new AbortController();
    await expect(trainNetwork(model, data, null, 4, { batchSize: 4, epochs: 50 }, {
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 3) controller.abort();
      },
    })).rejects.toThrow(SurfaceCancelledError);
  });
});
