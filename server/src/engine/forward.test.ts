/**
 * The shared differentiable forward pass: the filter gradients the engine supplies itself (for
 * backends without Conv2DBackpropFilter) equal TF.js's own, for plain and grouped convolutions,
 * in inference and in BatchNorm's training mode. Run on the cpu backend, which has both.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareData } from "./data.js";
import { batchLossSum, type BatchStatistics, differentiableForward } from "./forward.js";
import { loadModel } from "./network.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "onnx", "fixtures");

beforeAll(async () => {
  await useBackend("cpu");
});

describe("differentiableForward", () => {
  for (const training of [false, true]) {
    it(`gives the same gradients with its own conv filter gradients as with TF.js's (dwsep: Conv2D and grouped convolutions${training ? ", BatchNorm in training mode" : ""})`, async () => {
      const model = await loadModel(path.join(FIXTURES, "dwsep.onnx"));
      expect(model.steps.map((s) => s.className)).toEqual(expect.arrayContaining(["Conv2D", "GroupedConv2D", "BatchNormalization"]));
      const loss = model.trainingLoss!;
      const data = prepareData(model, await loadDataset(`${path.join(FIXTURES, "dwsep.x.npy")},${path.join(FIXTURES, "dwsep.y.npy")}`), loss);
      const x = tf.tensor(data.x, [data.count, ...data.inputShape]);
      const targets = { y: tf.tensor2d(data.y, [data.count, data.targetWidth]), classes: null, rowSums: null, oneHot: true };
      const weights = model.params.map((p, i) => tf.tensor(model.theta[i]!, p.shape as number[]));
      const moved = model.params.flatMap((p, i) => (p.state ? [] : [i]));
      const gradients = (ownConv: boolean): Float32Array[] => {
        const statistics = new Map<number, BatchStatistics>();
        const f = (...xs: tf.Tensor[]) => {
          const all = weights.slice();
          moved.forEach((i, k) => (all[i] = xs[k]!));
          const out = differentiableForward(model, x, all, { form: "values", ownConv, ...(training ? { batchStatistics: statistics } : {}) });
          return batchLossSum(out, "values", loss, targets);
        };
        const grads = tf.grads(f)(moved.map((i) => weights[i]!));
        const values = grads.map((g) => g.dataSync() as Float32Array);
        grads.forEach((g) => g.dispose());
        for (const s of statistics.values()) {
          s.mean.dispose();
          s.variance.dispose();
        }
        expect(statistics.size).toBe(training ? 2 : 0);
        return values;
      };
      const own = gradients(true);
      const native = gradients(false);
      const kernels = moved.map((i, k) => [model.params[i]!, k] as const).filter(([p]) => p.key === "kernel");
      expect(kernels.length).toBeGreaterThanOrEqual(3);
      for (const [p, k] of kernels) {
        expect(Math.max(...native[k]!.map(Math.abs)), p.name).toBeGreaterThan(0);
        expect(maxRelativeError(own[k]!, native[k]!, 1e-3), p.name).toBeLessThan(1e-4);
      }
      x.dispose();
      targets.y.dispose();
      weights.forEach((w) => w.dispose());
    });
  }
});
