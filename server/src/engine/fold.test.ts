import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareData, type Dataset } from "./data.js";
import { randomDirection, type Direction } from "./directions.js";
import { chooseTrickLayers, SurfaceEvaluator } from "./evaluator.js";
import { parseLoss } from "./loss.js";
import type { LayersArtifacts } from "./model-types.js";
import { modelFromArtifacts, setLayersWeights, toLayersModel, type LoadedModel } from "./network.js";
import { artifactsOf, buildCnnBn, buildImageCnn, randomDataset } from "./testing/builders.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const points = Float64Array.from([0, 0, 0.5, -0.25, -0.75, 0.6, 1, 1]);

/** TF.js Layers' own forward pass at each of `points`, mean cross-entropy in float64 from its probabilities. */
async function layersLosses(artifacts: LayersArtifacts, model: LoadedModel, data: Dataset, plane: { dx: Direction; dy: Direction }): Promise<Float64Array> {
  const layers = await toLayersModel(artifacts);
  const x = tf.tensor(data.x, [data.count, ...data.sampleShape]);
  const classes = model.outputShape[model.outputShape.length - 1]!;
  const expected = new Float64Array(points.length / 2);
  for (let p = 0; p < expected.length; p++) {
    const [pa, pb] = [points[2 * p]!, points[2 * p + 1]!];
    setLayersWeights(layers, model, model.theta.map((t, i) => Float32Array.from(t, (v, k) => v + pa * plane.dx[i]![k]! + pb * plane.dy[i]![k]!)));
    const probs = tf.tidy(() => (layers.predict(x) as tf.Tensor).dataSync());
    for (let n = 0; n < data.count; n++) expected[p] = expected[p]! - Math.log(probs[n * classes + data.y[n]!]!) / data.count;
  }
  x.dispose();
  layers.dispose();
  return expected;
}

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
      expect(maxRelativeError(a.loss, await layersLosses(artifacts, model, data, plane))).toBeLessThan(1e-5);
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

describe("the first-layer trick with the BatchNorm, activation and max pooling after it", () => {
  const loss = parseLoss("sparse_categorical_crossentropy");

  it("folds a still BatchNorm into the products and pools before the ReLU, to 1e-5 of the direct way and of TF.js Layers", async () => {
    const artifacts = await artifactsOf(buildImageCnn(4, 6, 2), loss.name);
    const model = await modelFromArtifacts(artifacts);
    const data = randomDataset(48, [32, 32, 3], 10, 5);
    const prepared = prepareData(model, data, loss);
    // "biasbn" (the default): biases and BatchNorm weights stay, so the first BatchNorm is affine and fixed.
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 4 }, 0), dy: randomDirection(model, { seed: 4 }, 1) };
    const conv1 = model.steps.find((s) => s.className === "Conv2D")!.name;
    expect(chooseTrickLayers(model, plane.dx, plane.dy)).toEqual([conv1]);
    const evaluators = {
      tricked: SurfaceEvaluator.create(model, prepared, loss, plane),
      severalBatches: SurfaceEvaluator.create(model, prepared, loss, plane, { batchSize: 20 }),
      direct: SurfaceEvaluator.create(model, prepared, loss, plane, { firstLayerTrick: "never" }),
      unfolded: SurfaceEvaluator.create(model, prepared, loss, plane, { firstLayerTrick: "always", foldBatchNorm: false }),
    };
    try {
      expect(evaluators.tricked.trickLayers).toEqual([conv1]);
      expect(evaluators.tricked.trickGroupLayers).toHaveLength(1);
      expect(evaluators.tricked.trickGroupLayers[0]).toMatch(/^conv2d_Conv2D\d+\+batch_normalization_BatchNormalization\d+\+activation_Activation\d+\+max_pooling2d_MaxPooling2D\d+$/);
      // The second convolution is still folded with its BatchNorm and ReLU.
      expect(evaluators.tricked.foldedLayers).toHaveLength(1);
      expect(evaluators.unfolded.trickGroupLayers).toEqual([]);
      const tricked = (await evaluators.tricked.evaluate(points))!;
      for (const e of [evaluators.severalBatches, evaluators.direct, evaluators.unfolded]) {
        const other = (await e.evaluate(points))!;
        expect(maxRelativeError(tricked.loss, other.loss)).toBeLessThan(1e-5);
        expect([...other.accuracy]).toEqual([...tricked.accuracy]);
      }
      expect(maxRelativeError(tricked.loss, await layersLosses(artifacts, model, data, plane))).toBeLessThan(1e-5);
    } finally {
      for (const e of Object.values(evaluators)) e.dispose();
    }
  });

  it("leaves a BatchNorm whose weights move to the direct way, which folds it per point", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildImageCnn(4, 6, 2), loss.name));
    const data = randomDataset(24, [32, 32, 3], 10, 6);
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 5, ignore: "none" }, 0), dy: randomDirection(model, { seed: 5, ignore: "none" }, 1) };
    expect(chooseTrickLayers(model, plane.dx, plane.dy)).toEqual([]);
    // Forced, the trick applies the moving BatchNorm to the activations, and still agrees.
    const forced = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, plane, { firstLayerTrick: "always" });
    const direct = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, plane);
    try {
      expect(forced.trickGroupLayers).toEqual([]);
      expect(maxRelativeError((await forced.evaluate(points))!.loss, (await direct.evaluate(points))!.loss)).toBeLessThan(1e-5);
    } finally {
      forced.dispose();
      direct.dispose();
    }
  });

  it("pools before a convolution's own activation and before a tanh, with max and global max pooling", async () => {
    const init = (k: number) => tfl.initializers.glorotNormal({ seed: 70 + k });
    const nets = [
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [9, 9, 2], filters: 5, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(1), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.1, seed: 9 }) }),
          // Odd 9x9 with "same" padding: the last window is cut by the border.
          tfl.layers.maxPooling2d({ poolSize: 2, padding: "same" }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(2) }),
        ],
      }),
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [9, 9, 2], filters: 5, kernelSize: 3, kernelInitializer: init(3) }),
          tfl.layers.batchNormalization({ movingVarianceInitializer: tfl.initializers.constant({ value: 0.7 }), betaInitializer: tfl.initializers.constant({ value: 0.1 }) }),
          tfl.layers.activation({ activation: "tanh" }),
          tfl.layers.globalMaxPooling2d({}),
          tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(4) }),
        ],
      }),
    ];
    const data = randomDataset(30, [9, 9, 2], 3, 7);
    for (const [n, net] of nets.entries()) {
      const artifacts = await artifactsOf(net, loss.name);
      const model = await modelFromArtifacts(artifacts);
      const plane = { origin: model.theta, dx: randomDirection(model, { seed: n }, 0), dy: randomDirection(model, { seed: n }, 1) };
      const tricked = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, plane, { firstLayerTrick: "always" });
      const direct = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, plane, { firstLayerTrick: "never" });
      try {
        expect(tricked.trickGroupLayers).toHaveLength(1);
        expect(tricked.trickGroupLayers[0]).toMatch(n === 0 ? /^conv2d_Conv2D\d+\+max_pooling2d_MaxPooling2D\d+$/ : /\+activation_Activation\d+\+global_max_pooling2d_GlobalMaxPooling2D\d+$/);
        const t = (await tricked.evaluate(points))!;
        expect(maxRelativeError(t.loss, (await direct.evaluate(points))!.loss)).toBeLessThan(1e-5);
        expect(maxRelativeError(t.loss, await layersLosses(artifacts, model, data, plane))).toBeLessThan(1e-5);
      } finally {
        tricked.dispose();
        direct.dispose();
      }
    }
  });

  it("shrinks the batches so that the products fit their byte budget, with the same losses", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildImageCnn(4, 6, 2), loss.name));
    const data = randomDataset(50, [32, 32, 3], 10, 8);
    const prepared = prepareData(model, data, loss);
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 6 }, 0), dy: randomDirection(model, { seed: 6 }, 1) };
    // Three 32x32x4 products: 49,152 bytes a sample; 500,000 bytes hold 10 samples.
    const small = SurfaceEvaluator.create(model, prepared, loss, plane, { trickBytes: 500_000 });
    const whole = SurfaceEvaluator.create(model, prepared, loss, plane);
    const explicit = SurfaceEvaluator.create(model, prepared, loss, plane, { trickBytes: 500_000, batchSize: 25 });
    const direct = SurfaceEvaluator.create(model, prepared, loss, plane, { trickBytes: 500_000, firstLayerTrick: "never" });
    try {
      expect(small.samplesPerBatch).toBe(10);
      expect(whole.samplesPerBatch).toBe(50);
      expect(explicit.samplesPerBatch).toBe(25);
      expect(direct.samplesPerBatch).toBe(50);
      const s = (await small.evaluate(points))!.loss;
      expect(maxRelativeError(s, (await whole.evaluate(points))!.loss)).toBeLessThan(1e-6);
      // Switching the trick off goes back to whole batches.
      small.setTrickLayers([]);
      expect(small.samplesPerBatch).toBe(50);
      expect(maxRelativeError(s, (await small.evaluate(points))!.loss)).toBeLessThan(1e-5);
    } finally {
      for (const e of [small, whole, explicit, direct]) e.dispose();
    }
  });
});
