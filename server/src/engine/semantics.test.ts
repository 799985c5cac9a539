/**
 * The authors' semantics (net_plotter.py) where they differ from a plain reading: frozen layers
 * move unless asked not to, a depthwise kernel's filters are its (input channel, multiplier)
 * slices, and planes beyond the models of an interpolation never make a variance negative.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { filterAxes, randomDirection } from "./directions.js";
import { modelFromArtifacts, predict } from "./network.js";
import { computeSurface } from "./surface.js";
import { artifactsOf, buildCnnBn, buildMlp, randomDataset } from "./testing/builders.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

function sliceNorm(values: Float32Array, stride: number, j: number): number {
  let s = 0;
  for (let k = j; k < values.length; k += stride) s += values[k]! * values[k]!;
  return Math.sqrt(s);
}

describe("the authors' semantics", () => {
  it("moves the weights of layers marked trainable: false, unless asked to keep them still, and records what moved", async () => {
    const source = buildMlp([4, 6, 5, 3], 2);
    source.layers[0]!.trainable = false;
    const model = await modelFromArtifacts(await artifactsOf(source, "sparse_categorical_crossentropy"));
    const frozen = model.params.filter((p) => p.frozen).map((p) => p.name);
    expect(frozen).toEqual(["dense_Dense1/kernel", "dense_Dense1/bias"]);
    const moving = randomDirection(model, { seed: 1 });
    expect(moving[0]!.some((v) => v !== 0)).toBe(true);
    expect(sliceNorm(moving[0]!, 6, 2)).toBeCloseTo(sliceNorm(model.theta[0]!, 6, 2), 5);
    const still = randomDirection(model, { seed: 1, frozen: "still" });
    expect(still[0]!.every((v) => v === 0)).toBe(true);
    // The other layers' directions do not depend on the option.
    expect(still[2]).toEqual(moving[2]);

    const data = randomDataset(30, [4], 3, 2);
    const byDefault = await computeSurface(model, data, { x: { min: -1, max: 1, count: 3 }, directions: { seed: 1 } });
    const kept = await computeSurface(model, data, { x: { min: -1, max: 1, count: 3 }, directions: { seed: 1, frozen: "still" } });
    expect(byDefault.movedTensors).toEqual(["dense_Dense1/kernel", "dense_Dense2/kernel", "dense_Dense3/kernel"]);
    expect(kept.movedTensors).toEqual(["dense_Dense2/kernel", "dense_Dense3/kernel"]);
    expect(byDefault.loss[0]).not.toBe(kept.loss[0]);
    expect(byDefault.directionMetadata.x.frozen).toBe("move");
  });

  it("never moves BatchNorm's moving statistics with a random direction", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildCnnBn(), "sparse_categorical_crossentropy"));
    const d = randomDirection(model, { seed: 2, ignore: "none" });
    const state = model.params.map((p, i) => [p, d[i]!] as const).filter(([p]) => p.state);
    expect(state.map(([p]) => p.key)).toEqual(["moving_mean", "moving_variance"]);
    for (const [, v] of state) expect(v.every((x) => x === 0)).toBe(true);
  });

  it("normalizes each (input channel, multiplier) slice of a DepthwiseConv2D kernel as a filter", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildCnnBn(), "sparse_categorical_crossentropy"));
    const i = model.params.findIndex((p) => p.key === "depthwise_kernel");
    const p = model.params[i]!;
    expect(p.shape).toEqual([2, 2, 4, 2]);
    expect(filterAxes(p)).toBe(2);
    const d = randomDirection(model, { seed: 3 })[i]!;
    // 4 channels x multiplier 2 = 8 filters of 2x2 taps each, at stride 8 in C order.
    for (let j = 0; j < 8; j++) {
      const want = sliceNorm(model.theta[i]!, 8, j);
      expect(Math.abs(sliceNorm(d, 8, j) - want) / want).toBeLessThan(1e-6);
    }
  });

  it("clamps a BatchNorm variance at 0 beyond the models of an interpolation, and says so", async () => {
    const artifacts = await artifactsOf(buildCnnBn(), "sparse_categorical_crossentropy");
    const a = await modelFromArtifacts(artifacts);
    const v = a.params.findIndex((p) => p.key === "moving_variance");
    // Model B: the same weights with a tenth of the variance; at t = 2 the line gives -0.8 vA.
    const b = { ...a, theta: a.theta.map((t, i) => (i === v ? Float32Array.from(t, (x) => x / 10) : t)) };
    const data = randomDataset(40, [8, 8, 2], 3, 5);
    const s = await computeSurface(a, data, { x: { min: -1, max: 2, count: 4 }, modelB: b });
    expect(s.notes.join("\n")).toMatch(/BatchNorm moving variance would be negative on part of the grid in batch_normalization_BatchNormalization\d+; it is clamped at 0/);
    expect([...s.loss].every(Number.isFinite)).toBe(true);
    // At t = 2 the model is A with its variance clamped at 0: TF.js Layers' predict on those weights.
    const layers = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData: artifacts.weightData }));
    const clamped = a.theta.map((t, i) => (i === v ? new Float32Array(t.length) : t));
    layers.setWeights(layers.weights.map((w) => tf.tensor(clamped[a.params.findIndex((p) => p.name === w.originalName)]!, w.shape as number[])));
    const x = tf.tensor(data.x, [40, 8, 8, 2]);
    const probs = (layers.predict(x) as tf.Tensor).dataSync();
    let loss = 0;
    for (let n = 0; n < 40; n++) loss -= Math.log(probs[n * 3 + data.y[n]!]!);
    expect(maxRelativeError([s.loss[3]!], [loss / 40])).toBeLessThan(1e-5);
    // The engine's own forward pass agrees too.
    const ours = predict(a, x, clamped).dataSync();
    expect(maxRelativeError(ours, probs, 1e-3)).toBeLessThan(1e-4);
    // Inside [0, 1] nothing is clamped: no note.
    const inside = await computeSurface(a, data, { x: { min: 0, max: 1, count: 3 }, modelB: b });
    expect(inside.notes).toEqual([]);
    x.dispose();
    layers.dispose();
  });
});
