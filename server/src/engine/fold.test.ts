import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareData } from "./data.js";
import { randomDirection } from "./directions.js";
import { SurfaceEvaluator } from "./evaluator.js";
import { parseLoss } from "./loss.js";
import { modelFromArtifacts, setLayersWeights, toLayersModel } from "./network.js";
import { artifactsOf, buildCnnBn, buildImageCnn, randomDataset } from "./testing/builders.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const points = Float64Array.from([0, 0, 0.5, -0.25, -0.75, 0.6, 1, 1]);

describe("BatchNorm folded into the convolution before it", () => {
  it("folds conv-BN-ReLU and gives the unfolded surface and TF.js Layers' own losses to 1e-5 relative", async () => {
    const artifacts = await artifactsOf(buildImageCnn(4, 6, 2), "sparse_categorical_crossentropy");
    const model = await modelFromArtifacts(artifacts);
    const data = randomDataset(48, [32, 32, 3], 10, 5);
    const loss = parseLoss("sparse_categorical_crossentropy");
    const prepared = prepareData(model, data, loss);
    // ignore "none": gamma, beta and the biases move too, so the fold is rebuilt per point.
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 3, ignore: "none" }, 0), dy: randomDirection(model, { seed: 3, ignore: "none" }, 1) };
    const folded = SurfaceEvaluator.create(model, prepared, loss, plane, { batchSize: 20 });
    const plain = SurfaceEvaluator.create(model, prepared, loss, plane, { batchSize: 20, foldBatchNorm: false });
    try {
      expect(folded.foldedLayers).toHaveLength(2);
      for (const name of folded.foldedLayers) expect(name).toMatch(/^conv2d_Conv2D\d+\+batch_normalization_BatchNormalization\d+\+activation_Activation\d+$/);
      expect(plain.foldedLayers).toEqual([]);
      const a = (await folded.evaluate(points))!;
      const b = (await plain.evaluate(points))!;
      expect(maxRelativeError(a.loss, b.loss)).toBeLessThan(1e-5);
      expect([...a.accuracy]).toEqual([...b.accuracy]);
      // TF.js Layers' own forward pass of the same weights, loss in float64 from its probabilities.
      const layers = await toLayersModel(artifacts);
      const x = tf.tensor(data.x, [data.count, 32, 32, 3]);
      const expected = new Float64Array(points.length / 2);
      for (let p = 0; p < expected.length; p++) {
        const [pa, pb] = [points[2 * p]!, points[2 * p + 1]!];
        setLayersWeights(layers, model, model.theta.map((t, i) => Float32Array.from(t, (v, k) => v + pa * plane.dx[i]![k]! + pb * plane.dy[i]![k]!)));
        const probs = tf.tidy(() => (layers.predict(x) as tf.Tensor).dataSync());
        for (let n = 0; n < data.count; n++) expected[p] = expected[p]! - Math.log(probs[n * 10 + data.y[n]!]!) / data.count;
      }
      x.dispose();
      layers.dispose();
      expect(maxRelativeError(a.loss, expected)).toBeLessThan(1e-5);
    } finally {
      folded.dispose();
      plain.dispose();
    }
  });

  it("folds an interpolation whose moving statistics move, clamping a variance as the unfolded pass does", async () => {
    const a = await modelFromArtifacts(await artifactsOf(buildCnnBn(1), "sparse_categorical_crossentropy"));
    const b = await modelFromArtifacts(await artifactsOf(buildCnnBn(2), "sparse_categorical_crossentropy"));
    const data = randomDataset(30, [8, 8, 2], 3, 6);
    const loss = parseLoss("sparse_categorical_crossentropy");
    const dx = b.theta.map((t, i) => Float32Array.from(t, (v, k) => v - a.theta[i]![k]!));
    const plane = { origin: a.theta, dx, dy: null };
    // t beyond [0, 1] makes (1 - t) vA + t vB negative for some variances.
    const line = Float64Array.from([-3, 0, -0.5, 0, 0, 0, 0.3, 0, 1, 0, 4, 0]);
    const folded = SurfaceEvaluator.create(a, prepareData(a, data, loss), loss, plane);
    const plain = SurfaceEvaluator.create(a, prepareData(a, data, loss), loss, plane, { foldBatchNorm: false });
    try {
      expect(folded.foldedLayers).toHaveLength(1);
      const f = (await folded.evaluate(line))!;
      const p = (await plain.evaluate(line))!;
      expect(maxRelativeError(f.loss, p.loss)).toBeLessThan(1e-5);
      expect([...f.accuracy]).toEqual([...p.accuracy]);
    } finally {
      folded.dispose();
      plain.dispose();
    }
  });

  it("folds Dense-BN but leaves a final sigmoid to the binary cross-entropy", async () => {
    const init = (k: number) => tfl.initializers.glorotNormal({ seed: 40 + k });
    const net = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [5], units: 6, activation: "tanh", kernelInitializer: init(1) }),
        tfl.layers.dense({ units: 1, kernelInitializer: init(2) }),
        tfl.layers.batchNormalization({
          movingMeanInitializer: tfl.initializers.constant({ value: 0.3 }),
          movingVarianceInitializer: tfl.initializers.constant({ value: 2 }),
          gammaInitializer: tfl.initializers.constant({ value: 1.5 }),
          betaInitializer: tfl.initializers.constant({ value: -0.2 }),
        }),
        tfl.layers.activation({ activation: "sigmoid" }),
      ],
    });
    const model = await modelFromArtifacts(await artifactsOf(net, "binary_crossentropy"));
    const data = randomDataset(40, [5], 2, 8);
    const loss = parseLoss("binary_crossentropy");
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 1 }, 0), dy: randomDirection(model, { seed: 1 }, 1) };
    const folded = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, plane);
    const plain = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, plane, { foldBatchNorm: false });
    try {
      expect(folded.foldedLayers).toHaveLength(1);
      expect(folded.foldedLayers[0]).toMatch(/^dense_Dense\d+\+batch_normalization_BatchNormalization\d+$/);
      const f = (await folded.evaluate(points))!;
      const p = (await plain.evaluate(points))!;
      expect(maxRelativeError(f.loss, p.loss)).toBeLessThan(1e-5);
      expect([...f.accuracy]).toEqual([...p.accuracy]);
    } finally {
      folded.dispose();
      plain.dispose();
    }
  });
});
