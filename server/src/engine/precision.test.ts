/**
 * Losses near a minimum keep their digits: deliberately over-confident models whose mean loss is
 * about 1e-6 over 10,000 samples, against a float64 forward pass written here, for every loss the
 * engine evaluates from a classifier (sparse and categorical cross-entropy after softmax and from
 * logits, binary cross-entropy after sigmoid and from logits) and for MSE. And accuracy decides
 * ties as the frameworks' argmax does.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "./data.js";
import type { LossSpec } from "./loss.js";
import { type LoadedModel, modelFromArtifacts } from "./network.js";
import { SeededRandom } from "./rng.js";
import { computeSurface } from "./surface.js";
import { artifactsOf, buildCnnBn, buildMlp, randomDataset } from "./testing/builders.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const SAMPLES = 10_000;
const INPUTS = 6;
const HIDDEN = 12;

/** Dense(HIDDEN, relu) - Dense(out) in float64: the pre-activation outputs of one sample. */
function logits(theta: readonly Float64Array[], x: Float32Array, n: number, out: number): number[] {
  const [w1, b1, w2, b2] = theta as [Float64Array, Float64Array, Float64Array, Float64Array];
  const h = new Float64Array(HIDDEN);
  for (let j = 0; j < HIDDEN; j++) {
    let s = b1[j]!;
    for (let i = 0; i < INPUTS; i++) s += x[n * INPUTS + i]! * w1[i * HIDDEN + j]!;
    h[j] = Math.max(0, s);
  }
  return Array.from({ length: out }, (_, j) => {
    let s = b2[j]!;
    for (let i = 0; i < HIDDEN; i++) s += h[i]! * w2[i * out + j]!;
    return s;
  });
}

/** -log softmax(z)_y in float64, as log(1 + sum_{c != y} exp(z_c - z_y)) when y is the largest. */
function crossEntropy(z: readonly number[], y: number): number {
  const m = Math.max(...z);
  let s = 0;
  let first = -1;
  for (let c = 0; c < z.length; c++) {
    if (first < 0 && z[c] === m) first = c;
    else s += Math.exp(z[c]! - m);
  }
  return m - z[y]! + Math.log1p(s);
}

/** log(1 + exp(-|z|)) + max(z, 0) - z*y: binary cross-entropy of sigmoid(z), in float64. */
function binaryCrossEntropy(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Random Gaussian inputs, and the model's theta as float64. */
function inputs(count: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed, 2);
  return Float32Array.from({ length: count * INPUTS }, () => rng.nextGaussian());
}

/** The model with its last layer's kernel and bias multiplied by k: more confident as k grows. */
function scaled(model: LoadedModel, k: number): LoadedModel {
  const theta = model.theta.map((t, i) => (i >= 2 ? Float32Array.from(t, (v) => v * k) : Float32Array.from(t)));
  return { ...model, theta };
}

/** The k for which `meanLoss(k)` is `target` (it falls as k grows), by bisection on log k. */
function solveScale(meanLoss: (k: number) => number, target: number): number {
  let lo = 0;
  let hi = 12;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (meanLoss(Math.exp(mid)) > target) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * An over-confident classifier: labels are the model's own predictions on the 10,000 inputs
 * (of 20,000 drawn) with the clearest margins, and the last layer is scaled until the mean loss
 * is 1e-6.
 */
async function overConfident(out: number, outActivation: string, loss: LossSpec, lossOf: (z: number[], label: number) => number, labelOf: (z: number[]) => number, marginOf: (z: number[]) => number): Promise<{ model: LoadedModel; data: Dataset }> {
  const base = await modelFromArtifacts(await artifactsOf(buildMlp([INPUTS, HIDDEN, out], 7, outActivation)));
  const theta = base.theta.map((t) => Float64Array.from(t));
  const pool = inputs(2 * SAMPLES, 5);
  const ranked = Array.from({ length: 2 * SAMPLES }, (_, n) => ({ n, z: logits(theta, pool, n, out) }))
    .map((s) => ({ ...s, margin: marginOf(s.z) }))
    .sort((a, b) => b.margin - a.margin)
    .slice(0, SAMPLES);
  const x = new Float32Array(SAMPLES * INPUTS);
  ranked.forEach((s, i) => x.set(pool.subarray(s.n * INPUTS, (s.n + 1) * INPUTS), i * INPUTS));
  const labels = ranked.map((s) => labelOf(s.z));
  const meanLoss = (k: number) => ranked.reduce((acc, s, i) => acc + lossOf(s.z.map((v) => v * k), labels[i]!), 0) / SAMPLES;
  // The hidden layer is not scaled, so the logits at scale k are k times those above.
  const k = solveScale(meanLoss, 1e-6);
  const model = { ...scaled(base, k), trainingLoss: loss };
  const y = Float32Array.from(labels);
  return { model, data: { name: "over-confident", count: SAMPLES, x, sampleShape: [INPUTS], y, targetShape: [] } };
}

/** The float64 mean loss of `model` moved to theta + a*dx, for each a. */
function reference(model: LoadedModel, dx: readonly Float32Array[], data: Dataset, xs: Float64Array, out: number, lossOf: (z: number[], n: number) => number): Float64Array {
  return Float64Array.from(xs, (a) => {
    const theta = model.theta.map((t, p) => Float64Array.from(t, (v, k) => v + a * dx[p]![k]!));
    let s = 0;
    for (let n = 0; n < data.count; n++) s += lossOf(logits(theta, data.x, n, out), n);
    return s / data.count;
  });
}

const AXIS = { min: -0.004, max: 0.004, count: 5 };
const BOUND = 1e-3;

describe("losses near a minimum", () => {
  const argmax = (z: number[]) => z.indexOf(Math.max(...z));
  const margin = (z: number[]) => {
    const sorted = [...z].sort((a, b) => b - a);
    return sorted[0]! - sorted[1]!;
  };

  for (const fromLogits of [false, true]) {
    it(`sparse categorical cross-entropy ${fromLogits ? "from logits" : "after softmax"} at mean loss 1e-6`, async () => {
      const loss: LossSpec = { name: "sparse_categorical_crossentropy", fromLogits };
      const { model, data } = await overConfident(5, fromLogits ? "linear" : "softmax", loss, crossEntropy, argmax, margin);
      const s = await computeSurface(model, data, { x: AXIS, directions: { seed: 2 }, batchSize: 3000 });
      const expected = reference(model, s.dx, data, s.xs, 5, (z, n) => crossEntropy(z, data.y[n]!));
      expect(expected[2]).toBeGreaterThan(0.5e-6);
      expect(expected[2]).toBeLessThan(2e-6);
      expect(maxRelativeError(s.loss, expected)).toBeLessThan(BOUND);
      expect([...s.accuracy].every((a) => a > 0.999)).toBe(true);
    });
  }

  it("categorical cross-entropy with one-hot targets at mean loss 1e-6", async () => {
    const loss: LossSpec = { name: "categorical_crossentropy", fromLogits: false };
    const { model, data } = await overConfident(5, "softmax", loss, crossEntropy, argmax, margin);
    const oneHot = new Float32Array(SAMPLES * 5);
    data.y.forEach((label, n) => { oneHot[n * 5 + label] = 1; });
    const categorical: Dataset = { ...data, y: oneHot, targetShape: [5] };
    const s = await computeSurface(model, categorical, { x: AXIS, directions: { seed: 4 } });
    const expected = reference(model, s.dx, data, s.xs, 5, (z, n) => crossEntropy(z, data.y[n]!));
    expect(maxRelativeError(s.loss, expected)).toBeLessThan(BOUND);
  });

  for (const fromLogits of [false, true]) {
    it(`binary cross-entropy ${fromLogits ? "from logits" : "after sigmoid"} at mean loss 1e-6`, async () => {
      const loss: LossSpec = { name: "binary_crossentropy", fromLogits };
      const bce = (z: number[], y: number) => binaryCrossEntropy(z[0]!, y);
      const { model, data } = await overConfident(1, fromLogits ? "linear" : "sigmoid", loss, bce, (z) => (z[0]! > 0 ? 1 : 0), (z) => Math.abs(z[0]!));
      const s = await computeSurface(model, data, { x: AXIS, directions: { seed: 6 }, batchSize: 4096 });
      const expected = reference(model, s.dx, data, s.xs, 1, (z, n) => bce(z, data.y[n]!));
      expect(expected[2]).toBeGreaterThan(0.5e-6);
      expect(maxRelativeError(s.loss, expected)).toBeLessThan(BOUND);
    });
  }

  it("mean squared error at mean loss 1e-6", async () => {
    const model = { ...(await modelFromArtifacts(await artifactsOf(buildMlp([INPUTS, HIDDEN, 2], 3, "linear")))), trainingLoss: { name: "mse", fromLogits: false } as LossSpec };
    const x = inputs(SAMPLES, 8);
    const theta = model.theta.map((t) => Float64Array.from(t));
    const rng = new SeededRandom(9, 4);
    // Targets: the model's own outputs plus noise of standard deviation 1e-3, so the MSE is ~1e-6.
    const y = new Float32Array(SAMPLES * 2);
    for (let n = 0; n < SAMPLES; n++) logits(theta, x, n, 2).forEach((v, j) => { y[n * 2 + j] = v + 1e-3 * rng.nextGaussian(); });
    const data: Dataset = { name: "near-fit", count: SAMPLES, x, sampleShape: [INPUTS], y, targetShape: [2] };
    const s = await computeSurface(model, data, { x: { min: -2e-4, max: 2e-4, count: 5 }, directions: { seed: 1 } });
    const expected = reference(model, s.dx, data, s.xs, 2, (z, n) => ((z[0]! - y[n * 2]!) ** 2 + (z[1]! - y[n * 2 + 1]!) ** 2) / 2);
    expect(expected[2]).toBeGreaterThan(0.5e-6);
    expect(expected[2]).toBeLessThan(2e-6);
    expect(maxRelativeError(s.loss, expected)).toBeLessThan(BOUND);
  });
});

describe("accuracy where outputs tie", () => {
  it("takes the first index of the maximum, as argmax does, for constant outputs", async () => {
    const base = await modelFromArtifacts(await artifactsOf(buildMlp([INPUTS, 4], 1, "softmax")));
    // Every output is exactly zero: all classes tie for every sample.
    const model: LoadedModel = { ...base, theta: base.theta.map((t) => new Float32Array(t.length)), trainingLoss: { name: "sparse_categorical_crossentropy", fromLogits: false } };
    const rng = new SeededRandom(3, 5);
    const y = Float32Array.from({ length: 400 }, () => rng.nextInt(4));
    const data: Dataset = { name: "ties", count: 400, x: inputs(400, 4), sampleShape: [INPUTS], y, targetShape: [] };
    const s = await computeSurface(model, data, { x: { min: -1, max: 1, count: 3 } });
    const share = y.filter((label) => label === 0).length / 400;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.5);
    for (let i = 0; i < 3; i++) {
      expect(s.accuracy[i]).toBe(share);
      expect(s.loss[i]).toBeCloseTo(Math.log(4), 6);
    }
  });

  it("reports the frameworks' accuracy where a BatchNorm CNN's plane zeroes every 1-D parameter", async () => {
    // With ignore "none" a 1-D parameter's direction is the parameter itself, so at b = -1 every
    // BatchNorm gamma and beta and every bias is zero: all logits are 0 and tie.
    const model = await modelFromArtifacts(await artifactsOf(buildCnnBn(3), "sparse_categorical_crossentropy"));
    const data = randomDataset(300, [8, 8, 2], 3, 12);
    const s = await computeSurface(model, data, { x: { min: 0, max: 0, count: 1 }, y: { min: -1, max: -1, count: 1 }, directions: { ignore: "none", seed: 1 } });
    const share = data.y.filter((label) => label === 0).length / 300;
    expect(s.accuracy[0]).toBe(share);
    expect(s.loss[0]).toBeCloseTo(Math.log(3), 6);
  });

  it("predicts class 0 for a sigmoid output of exactly 0.5", async () => {
    const base = await modelFromArtifacts(await artifactsOf(buildMlp([INPUTS, 1], 1, "sigmoid")));
    const model: LoadedModel = { ...base, theta: base.theta.map((t) => new Float32Array(t.length)), trainingLoss: { name: "binary_crossentropy", fromLogits: false } };
    const y = Float32Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const data: Dataset = { name: "ties", count: 200, x: inputs(200, 6), sampleShape: [INPUTS], y, targetShape: [] };
    const s = await computeSurface(model, data, { x: { min: 0, max: 0, count: 1 } });
    expect(s.accuracy[0]).toBe(0.2);
  });
});
