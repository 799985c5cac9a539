import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareData } from "./data.js";
import { randomDirection } from "./directions.js";
import { SurfaceEvaluator } from "./evaluator.js";
import { parseLoss } from "./loss.js";
import { modelFromArtifacts } from "./network.js";
import { SplitEvaluator } from "./split-evaluator.js";
import { artifactsOf, buildCnn, buildMlp, randomDataset } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("SplitEvaluator", () => {
  const loss = parseLoss("sparse_categorical_crossentropy");

  /** Values of an evaluator alone on one set, as a surface computed on that set alone has them. */
  async function alone(model: Parameters<typeof SurfaceEvaluator.create>[0], data: Parameters<typeof SurfaceEvaluator.create>[1], plane: Parameters<typeof SurfaceEvaluator.create>[3], points: Float64Array, trickLayers: string[]) {
    const evaluator = SurfaceEvaluator.create(model, data, loss, plane, { trickLayers });
    try {
      return (await evaluator.evaluate(points))!;
    } finally {
      evaluator.dispose();
    }
  }

  it("gives each set's loss and accuracy exactly as an evaluation of that set alone, on a plane", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([6, 8, 3], 1), loss.name));
    const train = prepareData(model, randomDataset(40, [6], 3, 3), loss);
    const test = prepareData(model, randomDataset(25, [6], 3, 9), loss);
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 2 }, 0), dy: randomDirection(model, { seed: 2 }, 1) };
    const points = new Float64Array([0, 0, 0.5, -0.25, -1, 1, 0.75, 0.75]);
    const before = tf.memory().numTensors;
    const split = SplitEvaluator.create(model, train, test, loss, plane, { firstLayerTrick: "always" });
    // The trick is decided once and used for both sets.
    expect(split.trickLayers.length).toBeGreaterThan(0);
    expect(split.test!.trickLayers).toEqual(split.trickLayers);
    const values = (await split.evaluate(points))!;
    split.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const trainAlone = await alone(model, train, plane, points, split.trickLayers);
    const testAlone = await alone(model, test, plane, points, split.trickLayers);
    expect(Array.from(values.loss)).toEqual(Array.from(trainAlone.loss));
    expect(Array.from(values.accuracy)).toEqual(Array.from(trainAlone.accuracy));
    expect(Array.from(values.test!.loss)).toEqual(Array.from(testAlone.loss));
    expect(Array.from(values.test!.accuracy)).toEqual(Array.from(testAlone.accuracy));
    // Two different sets: the test values are not the training values again.
    expect(Array.from(values.test!.loss)).not.toEqual(Array.from(values.loss));
  });

  it("does the same along a line of a CNN, with several batches, and without a test set", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildCnn(4, 8, 1), loss.name));
    const sampleShape = [28, 28, 1];
    const train = prepareData(model, randomDataset(30, sampleShape, 10, 4), loss);
    const test = prepareData(model, randomDataset(17, sampleShape, 10, 5), loss);
    const plane = { origin: model.theta, dx: randomDirection(model, { seed: 5 }, 0), dy: null };
    const points = new Float64Array([-1, 0, -0.5, 0, 0, 0, 0.5, 0, 1, 0]);
    const options = { batchSize: 8 };
    const split = SplitEvaluator.create(model, train, test, loss, plane, options);
    const values = (await split.evaluate(points))!;
    const trickLayers = split.trickLayers;
    split.dispose();
    const evaluate = async (data: typeof train) => {
      const e = SurfaceEvaluator.create(model, data, loss, plane, { ...options, trickLayers });
      const v = (await e.evaluate(points))!;
      e.dispose();
      return v;
    };
    const [trainAlone, testAlone] = [await evaluate(train), await evaluate(test)];
    expect(Array.from(values.loss)).toEqual(Array.from(trainAlone.loss));
    expect(Array.from(values.test!.loss)).toEqual(Array.from(testAlone.loss));
    expect(Array.from(values.test!.accuracy)).toEqual(Array.from(testAlone.accuracy));

    const single = SplitEvaluator.create(model, train, null, loss, plane, options);
    const only = (await single.evaluate(points))!;
    single.dispose();
    expect(only.test).toBeNull();
    expect(Array.from(only.loss)).toEqual(Array.from(trainAlone.loss));
  });
});
