/**
 * Interpolations between two models against independent references:
 * - ONNX models exported by PyTorch (Conv-BN-ReLU-MaxPool-Linear, and an MLP without BatchNorm),
 *   against float64 PyTorch along the same line in each of the authors' two ways, --dir_type
 *   states (every entry of the state_dict moves) and weights (running statistics held)
 *   (scripts/make-interpolation-fixtures.py);
 * - TF.js models with BatchNorm, against TF.js Layers' own forward pass of the interpolated weights.
 * Each way round the stored direction (as the service stores and reads it) as well as in memory:
 * the direction the service computes its tiles from must carry the running statistics' move.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareData } from "./data.js";
import { encodeDirection, loadDirection } from "./directions.js";
import { SurfaceEvaluator } from "./evaluator.js";
import { checkModelPositions, ModelPositionError } from "./model-positions.js";
import { loadModel, modelFromArtifacts, type LoadedModel } from "./network.js";
import { RUNNING_STATS } from "./options.js";
import { computeSurface, surfacePlane } from "./surface.js";
import { artifactsOf, buildCnnBn, randomDataset } from "./testing/builders.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "interpolation");
const fixture = (name: string) => path.join(FIXTURES, name);
interface Line { loss: number[]; accuracy: number[]; clampedVariance: number[] }
interface Expected {
  t: number[];
  models: Record<string, { a: { loss: number; accuracy: number }; b: { loss: number; accuracy: number }; states: Line; weights_hold_a: Line; weights_hold_b: Line }>;
}
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as Expected;
const T = expected.t;
const AXIS = { min: T[0]!, max: T[T.length - 1]!, count: T.length };
const REFERENCE = { move: "states", "hold-a": "weights_hold_a", "hold-b": "weights_hold_b" } as const;

beforeAll(async () => {
  await useBackend("wasm");
});

async function pair(name: string) {
  const a = await loadModel(fixture(`${name}.a.onnx`));
  const b = await loadModel(fixture(`${name}.b.onnx`));
  const data = await loadDataset(`${fixture(`${name}.x.npy`)},${fixture(`${name}.y.npy`)}`);
  return { a, b, data };
}

describe("interpolation between two PyTorch models, against float64 PyTorch", () => {
  for (const name of Object.keys(expected.models)) {
    const reference = expected.models[name]!;
    for (const stats of RUNNING_STATS) {
      it(`${name}, running statistics ${stats}: the line equals PyTorch's within 1e-5`, async () => {
        const { a, b, data } = await pair(name);
        const result = await computeSurface(a, data, { x: AXIS, modelB: b, runningStats: stats });
        const line = reference[REFERENCE[stats]];
        expect(maxRelativeError(result.loss, line.loss)).toBeLessThan(1e-5);
        result.accuracy.forEach((v, i) => expect(v).toBeCloseTo(line.accuracy[i]!, 10));
        expect(result.directionMetadata.x.runningStats).toBe(stats);
      });
    }

    it(`${name}: t = 0 is model A and t = 1 model B, each checked against the model alone`, async () => {
      const { a, b, data } = await pair(name);
      const result = await computeSurface(a, data, { x: AXIS, modelB: b });
      const at = (t: number) => result.loss[T.indexOf(t)]!;
      expect(Math.abs(at(0) - reference.a.loss) / reference.a.loss).toBeLessThan(1e-6);
      expect(Math.abs(at(1) - reference.b.loss) / reference.b.loss).toBeLessThan(1e-5);
      expect(result.modelPositions.map((p) => p.name)).toEqual(["A", "B"]);
      expect(result.modelPositions.every((p) => p.runningStatsOf === undefined)).toBe(true);
      expect(result.modelChecks.map((c) => c.name)).toEqual(["A", "B"]);
      for (const [k, own] of [reference.a, reference.b].entries()) {
        const check = result.modelChecks[k]!;
        expect(Math.abs(check.ownLoss - own.loss) / own.loss).toBeLessThan(1e-5);
        expect(Math.abs(check.loss - check.ownLoss) / check.ownLoss).toBeLessThan(1e-6);
        expect(check.accuracy).toBe(own.accuracy);
      }
    });
  }

  it("the running statistics are recorded as moved exactly when they move", async () => {
    const { a, b, data } = await pair("cnn");
    const moving = ["bn.running_mean", "bn.running_var"];
    const states = await computeSurface(a, data, { x: { min: 0, max: 1, count: 2 }, modelB: b });
    expect(states.movedTensors).toEqual(expect.arrayContaining(moving));
    const held = await computeSurface(a, data, { x: { min: 0, max: 1, count: 2 }, modelB: b, runningStats: "hold-a" });
    expect(held.movedTensors.filter((n) => moving.includes(n))).toEqual([]);
    // Held statistics: the end that is not its model is labelled so, and only A is checked.
    expect(held.modelPositions).toEqual([{ name: "A", x: 0, y: 0 }, { name: "B", x: 1, y: 0, runningStatsOf: "A" }]);
    expect(held.modelChecks.map((c) => c.name)).toEqual(["A"]);
    const heldB = await computeSurface(a, data, { x: { min: 0, max: 1, count: 2 }, modelB: b, runningStats: "hold-b" });
    expect(heldB.modelPositions[0]).toEqual({ name: "A", x: 0, y: 0, runningStatsOf: "B" });
    expect(heldB.modelChecks.map((c) => c.name)).toEqual(["B"]);
  });

  it("a stored interpolation direction, read back as the service's tiles read it, still moves the running statistics", async () => {
    const { a, b, data } = await pair("cnn");
    const plane = surfacePlane(a, { x: AXIS, modelB: b });
    const files = encodeDirection(a, plane.dx, plane.metadata.x);
    const stored = await loadDirection({ modelJson: files.modelJson, shards: new Map([["weights.bin", files.weightsBin]]) }, a, "direction x");
    expect(maxRelativeError(stored.flat().flatMap((t) => [...t]), plane.dx.flat().flatMap((t) => [...t]))).toBe(0);
    const prepared = prepareData(a, data, a.trainingLoss!);
    const evaluator = SurfaceEvaluator.create(a, prepared, a.trainingLoss!, { origin: plane.origin, dx: stored, dy: null });
    try {
      const values = await evaluator.evaluate(Float64Array.from(T.flatMap((t) => [t, 0])));
      expect(maxRelativeError(values!.loss, expected.models.cnn!.states.loss)).toBeLessThan(1e-5);
    } finally {
      evaluator.dispose();
    }
  });

  it("a plane whose direction lost the running statistics' move is caught at model B, with both losses", async () => {
    const { a, b, data } = await pair("cnn");
    const plane = surfacePlane(a, { x: AXIS, modelB: b });
    // What the service did before: B - A with the running statistics' part read back as zero.
    const lost = plane.dx.map((d, i) => (a.params[i]!.state ? new Float32Array(d.length) : d));
    const prepared = prepareData(a, data, a.trainingLoss!);
    const check = checkModelPositions(a, prepared, a.trainingLoss!, { origin: plane.origin, dx: lost, dy: null }, plane.anchors);
    await expect(check).rejects.toBeInstanceOf(ModelPositionError);
    await expect(check).rejects.toThrow(/B at \(1\.000, 0\.000\): the surface gives loss [\d.]+ .*the model alone 2\.39606/);
  });
});

/** TF.js Layers' own loss of a model holding `weights` (mean cross-entropy over the dataset, float64 sum). */
async function layersLoss(model: tfl.LayersModel, engine: LoadedModel, weights: readonly Float32Array[], x: tf.Tensor, labels: Float32Array): Promise<number> {
  // Layers lists its weights trainable first; the engine in the saved order: match by name.
  const index = new Map(engine.params.map((p, i) => [p.name, i]));
  model.setWeights(model.weights.map((w) => tf.tensor(weights[index.get(w.originalName)!]!, w.shape as number[])));
  const probabilities = (await (model.predict(x) as tf.Tensor).array()) as number[][];
  let sum = 0;
  probabilities.forEach((row, i) => (sum -= Math.log(row[labels[i]!]!)));
  return sum / probabilities.length;
}

describe("interpolation between two TF.js models with BatchNorm, against TF.js Layers", () => {
  it("moves every state by default, holds the statistics on request, and its ends are the models", async () => {
    const layersA = buildCnnBn(1);
    const layersB = buildCnnBn(2);
    const a: LoadedModel = await modelFromArtifacts(await artifactsOf(layersA, "categoricalCrossentropy"));
    const b: LoadedModel = await modelFromArtifacts(await artifactsOf(layersB, "categoricalCrossentropy"));
    expect(a.params.filter((p) => p.state).length).toBe(2);
    const data = randomDataset(64, [8, 8, 2], 3, 5);
    const data1h = { ...data, y: oneHot(data.y, 3), targetShape: [3] };
    const x = tf.tensor(data.x, [data.count, 8, 8, 2]);
    const ts = [-0.25, 0, 0.5, 1, 1.25];
    for (const stats of RUNNING_STATS) {
      const result = await computeSurface(a, data1h, { x: { min: -0.25, max: 1.25, count: 7 }, modelB: b, runningStats: stats });
      const source = stats === "hold-b" ? b.theta : a.theta;
      const reference: number[] = [];
      for (const t of ts) {
        const weights = a.theta.map((wa, i) => {
          if (a.params[i]!.state && stats !== "move") return source[i]!;
          const wb = b.theta[i]!;
          const out = new Float32Array(wa.length);
          for (let k = 0; k < wa.length; k++) out[k] = Math.max(a.params[i]!.key === "moving_variance" ? 0 : -Infinity, (1 - t) * wa[k]! + t * wb[k]!);
          return out;
        });
        reference.push(await layersLoss(layersA, a, weights, x, data.y));
      }
      const onGrid = ts.map((t) => result.loss[Math.round((t + 0.25) / 0.25)]!);
      expect(maxRelativeError(onGrid, reference)).toBeLessThan(1e-5);
      expect(result.modelChecks.length).toBe(stats === "move" ? 2 : 1);
    }
    x.dispose();
  });
});

function oneHot(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}
