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
import { batchLossSum, type BatchStatistics, conv2dInputGradient, differentiableForward } from "./forward.js";
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

describe("conv2dInputGradient", () => {
  /** dx[b, h, w, i] = sum over (r, c, p, q, o) with s r + p - top = h and s c + q - left = w of W[p, q, i, o] dy[b, r, c, o], in float64. */
  function inputGradient64(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: [number, number, number, number], stride: number, top: number, left: number): Float64Array {
    const [B, H, W, Ci] = xShape;
    const [, OH, OW, Co] = dy.shape;
    const [kh, kw] = w.shape;
    const dv = dy.dataSync();
    const wv = w.dataSync();
    const out = new Float64Array(B * H * W * Ci);
    for (let b = 0; b < B; b++) for (let r = 0; r < OH; r++) for (let c = 0; c < OW; c++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const h = stride * r + p - top;
      const x = stride * c + q - left;
      if (h < 0 || h >= H || x < 0 || x >= W) continue;
      for (let i = 0; i < Ci; i++) for (let o = 0; o < Co; o++) out[((b * H + h) * W + x) * Ci + i]! += wv[((p * kw + q) * Ci + i) * Co + o]! * dv[((b * OH + r) * OW + c) * Co + o]!;
    }
    return out;
  }

  it.each([[1, "same", 3], [1, "valid", 3], [1, "same", 2], [1, "same", 1], [2, "same", 3], [2, "valid", 3]] as const)(
    "is the input gradient of conv2d (stride %i, %s, kernel %i)",
    (stride, pad, k) => {
      const xShape: [number, number, number, number] = [2, 7, 6, 3];
      const w = tf.randomNormal([k, k, 3, 4], 0, 1, "float32", 2) as tf.Tensor4D;
      const y = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, w, stride, pad);
      const dy = tf.randomNormal(y.shape, 0, 1, "float32", 3) as tf.Tensor4D;
      const got = conv2dInputGradient(dy, w, xShape, [stride, stride], pad);
      expect(got.shape).toEqual(xShape);
      // TF's "same": total padding max((out - 1) s + k - size, 0), the smaller half before.
      const before = (size: number) => Math.floor(Math.max((Math.ceil(size / stride) - 1) * stride + k - size, 0) / 2);
      const want = inputGradient64(dy, w, xShape, stride, pad === "same" ? before(7) : 0, pad === "same" ? before(6) : 0);
      const values = got.dataSync();
      for (let i = 0; i < want.length; i++) expect(Math.abs(values[i]! - want[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[i]!)));
      tf.dispose([w, y, dy, got]);
    },
  );
});

