/**
 * Builders of small TF.js models and datasets in code, for tests and the benchmark: no binary
 * fixtures to keep in sync. Weights come from seeded initializers, so every build is identical.
 */
import fs from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { Dataset } from "../data.js";
import { type LayersArtifacts } from "../model-io.js";
import { SeededRandom } from "../rng.js";

/** The artifacts of an in-memory TF.js model, with `loss` written as its training config. */
export async function artifactsOf(model: tfl.LayersModel, loss?: unknown): Promise<LayersArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  const a = saved!;
  const data = a.weightData;
  const weightData = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
  return {
    modelTopology: a.modelTopology as Record<string, unknown>,
    weightSpecs: a.weightSpecs ?? [],
    weightData,
    ...(loss === undefined ? {} : { trainingConfig: { loss, metrics: ["accuracy"], optimizer_config: { class_name: "SGD", config: {} } } }),
  };
}

/** model.json text (with the training config) and the one shard, as a saver would write them. */
export function modelFiles(artifacts: LayersArtifacts): { modelJson: string; shards: Map<string, Uint8Array> } {
  const modelJson = JSON.stringify({
    format: "layers-model",
    generatedBy: "test builder",
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
    weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights: artifacts.weightSpecs }],
  });
  return { modelJson, shards: new Map([["group1-shard1of1.bin", new Uint8Array(artifacts.weightData)]]) };
}

/** Writes the model as a folder with model.json + one shard; returns the folder. */
export async function writeModelFolder(folder: string, artifacts: LayersArtifacts): Promise<string> {
  const { modelJson, shards } = modelFiles(artifacts);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, "model.json"), modelJson);
  for (const [name, bytes] of shards) await fs.writeFile(path.join(folder, name), bytes);
  return folder;
}

/** A Dense MLP: sizes [in, h1, ..., out]; relu hidden layers and `outActivation` (default softmax). */
export function buildMlp(sizes: readonly number[], seed = 1, outActivation: string = "softmax"): tfl.LayersModel {
  const model = tfl.sequential();
  for (let i = 1; i < sizes.length; i++) {
    model.add(tfl.layers.dense({
      units: sizes[i]!,
      activation: (i === sizes.length - 1 ? outActivation : "relu") as "relu",
      kernelInitializer: tfl.initializers.glorotNormal({ seed: seed * 100 + i }),
      biasInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.1, seed: seed * 100 + 50 + i }),
      ...(i === 1 ? { inputShape: [sizes[0]!] } : {}),
    }));
  }
  return model;
}

/** A small CNN on 28x28x1: conv(3x3, c1) - maxpool - conv(3x3, c2) - maxpool - flatten - dense(10). */
export function buildCnn(c1 = 8, c2 = 16, seed = 1): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: c1, kernelSize: 3, activation: "relu", kernelInitializer: init(1) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: c2, kernelSize: 3, activation: "relu", kernelInitializer: init(2) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(3) }),
    ],
  });
}

/** A sequential CNN with BatchNormalization (non-trivial statistics) on 8x8x2 inputs, 3 classes. */
export function buildCnnBn(seed = 1): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, kernelInitializer: init(1), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.1, seed: seed + 3 }) }),
      tfl.layers.batchNormalization({
        movingMeanInitializer: tfl.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed + 7 }),
        movingVarianceInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed + 8 }),
        gammaInitializer: tfl.initializers.randomUniform({ minval: 0.8, maxval: 1.2, seed: seed + 9 }),
        betaInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 10 }),
      }),
      tfl.layers.activation({ activation: "relu" }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, depthwiseInitializer: init(4) }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(2) }),
    ],
  });
}

/** An MLP with BatchNorm for 4 features and 3 classes: dense(6) - BatchNorm - ReLU - dense(3, softmax). */
export function buildMlpBn(seed = 1): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [4], units: 6, kernelInitializer: tfl.initializers.glorotNormal({ seed: seed * 100 + 1 }) }),
      tfl.layers.batchNormalization({ movingVarianceInitializer: tfl.initializers.constant({ value: 2 }) }),
      tfl.layers.activation({ activation: "relu" }),
      tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tfl.initializers.glorotNormal({ seed: seed * 100 + 2 }) }),
    ],
  });
}

/**
 * A functional model whose output is a nested Sequential (ending in softmax), after a nested
 * functional model: 4 inputs, 3 classes.
 */
export function buildNestedOutput(seed = 1): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  const innerInput = tfl.input({ shape: [4] });
  const innerHidden = tfl.layers.dense({ units: 5, activation: "tanh", kernelInitializer: init(1) }).apply(innerInput) as tfl.SymbolicTensor;
  const functional = tfl.model({ inputs: innerInput, outputs: innerHidden });
  const head = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, activation: "softmax", inputShape: [5], kernelInitializer: init(2) })] });
  const input = tfl.input({ shape: [4] });
  const out = head.apply(functional.apply(input)) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/**
 * A functional model with a Dense layer applied twice (shared weights) and a Sequential used as a
 * layer (a nested model), 4 inputs, 3 classes.
 */
export function buildNestedShared(seed = 1): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  const inner = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 6, activation: "relu", inputShape: [4], kernelInitializer: init(1), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.1, seed: seed + 1 }) }),
      tfl.layers.dense({ units: 3, kernelInitializer: init(2) }),
    ],
  });
  const input = tfl.input({ shape: [4] });
  const shared = tfl.layers.dense({ units: 4, activation: "tanh", kernelInitializer: init(3), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.1, seed: seed + 2 }) });
  const once = shared.apply(input) as tfl.SymbolicTensor;
  const twice = shared.apply(once) as tfl.SymbolicTensor;
  const logits = inner.apply(twice) as tfl.SymbolicTensor;
  const out = tfl.layers.activation({ activation: "softmax" }).apply(logits) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/**
 * A functional model with a residual block, BatchNormalization (non-trivial statistics),
 * Dropout, a conv layer with "same" padding, average pooling and global pooling.
 */
export function buildResidualCnn(seed = 1): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  const input = tfl.input({ shape: [8, 8, 2] });
  const c1 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(1) }).apply(input) as tfl.SymbolicTensor;
  const bn = tfl.layers.batchNormalization({
    movingMeanInitializer: tfl.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed + 7 }),
    movingVarianceInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed + 8 }),
    gammaInitializer: tfl.initializers.randomUniform({ minval: 0.8, maxval: 1.2, seed: seed + 9 }),
    betaInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 10 }),
  }).apply(c1) as tfl.SymbolicTensor;
  const c2 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", kernelInitializer: init(2) }).apply(bn) as tfl.SymbolicTensor;
  const add = tfl.layers.add().apply([c1, c2]) as tfl.SymbolicTensor;
  const act = tfl.layers.activation({ activation: "relu" }).apply(add) as tfl.SymbolicTensor;
  const pool = tfl.layers.averagePooling2d({ poolSize: 2 }).apply(act) as tfl.SymbolicTensor;
  const drop = tfl.layers.dropout({ rate: 0.5 }).apply(pool) as tfl.SymbolicTensor;
  const gap = tfl.layers.globalAveragePooling2d({}).apply(drop) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(pool) as tfl.SymbolicTensor;
  const both = tfl.layers.concatenate().apply([gap, flat]) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(3) }).apply(both) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Gaussian features and uniform integer labels in [0, classes), seeded. */
export function randomDataset(count: number, sampleShape: readonly number[], classes: number, seed = 3): Dataset {
  const rng = new SeededRandom(seed, 11);
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(count * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) y[i] = rng.nextInt(classes);
  return { name: "random", count, x, sampleShape, y, targetShape: [] };
}

/**
 * The benchmark's image CNN on 32x32x3: conv(3x3 same, c1) - BatchNorm - ReLU - maxpool 2 -
 * conv(3x3 same, c2) - BatchNorm - ReLU - global average pooling - dense(10, softmax). Biased
 * convolutions and BatchNorm with non-trivial statistics, so a folded BatchNorm is exercised.
 */
export function buildImageCnn(c1 = 16, c2 = 32, seed = 1): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  const bias = (k: number) => tfl.initializers.randomNormal({ stddev: 0.1, seed: seed * 100 + 50 + k });
  const bn = (k: number) => tfl.layers.batchNormalization({
    movingMeanInitializer: tfl.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed * 100 + 60 + k }),
    movingVarianceInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed * 100 + 70 + k }),
    gammaInitializer: tfl.initializers.randomUniform({ minval: 0.8, maxval: 1.2, seed: seed * 100 + 80 + k }),
    betaInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed * 100 + 90 + k }),
  });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: c1, kernelSize: 3, padding: "same", kernelInitializer: init(1), biasInitializer: bias(1) }),
      bn(1),
      tfl.layers.activation({ activation: "relu" }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: c2, kernelSize: 3, padding: "same", kernelInitializer: init(2), biasInitializer: bias(2) }),
      bn(2),
      tfl.layers.activation({ activation: "relu" }),
      tfl.layers.globalAveragePooling2d({}),
      tfl.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(3) }),
    ],
  });
}
