/**
 * Training small models from a zoo, so people can record trajectories and reproduce the paper's
 * comparisons (skip connections, batch size, weight decay) inside the service. Training is
 * seeded: the same architecture, data, options and seed give the same checkpoints on one backend.
 *
 * The recorded curve is measured with TF.js's own predict and cross-entropy, independently of the
 * engine's evaluator, so a checkpoint reloaded by the engine can be checked against it.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { activeBackend } from "./backend.js";
import { type Dataset } from "./data.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { SeededRandom } from "./rng.js";

/** A model of the zoo. */
export type ZooSpec =
  | {
      readonly kind: "mlp";
      /** Hidden layers (default 4) of `width` units (default 32), relu. */
      readonly depth?: number;
      readonly width?: number;
      /** Add the block's input to its output (a residual MLP), as in ResNets; default false. */
      readonly residual?: boolean;
    }
  | {
      readonly kind: "cnn";
      /** Filters of the two 3x3 conv layers; default 8 and 16. */
      readonly channels?: readonly [number, number];
    };

export interface TrainOptions {
  /** sgd, momentum (0.9) or adam; default sgd. */
  readonly optimizer?: "sgd" | "momentum" | "adam";
  /** Default 0.05. */
  readonly learningRate?: number;
  /** Samples per step; default 32. */
  readonly batchSize?: number;
  /** L2 penalty on kernels (weight decay); default 0. */
  readonly weightDecay?: number;
  /** Passes over the training data; default 5. */
  readonly epochs?: number;
  /** Seed of the initial weights and of the shuffling; default 0. */
  readonly seed?: number;
  /** Save a checkpoint every this many steps (and always at the start and the end); default one per epoch. */
  readonly checkpointEvery?: number;
  /** Reshuffle the training data every epoch (seeded); default true. False takes batches in the data's order. */
  readonly shuffle?: boolean;
}

/** One point of the recorded curve: data loss (no penalty) and accuracy, on train and test data. */
export interface CurvePoint {
  readonly step: number;
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
}

/** The curve point of a checkpoint from the measures on train and (when given) test data. */
export function curvePoint(step: number, epoch: number, train: { loss: number; accuracy: number }, test: { loss: number; accuracy: number } | null): CurvePoint {
  return { step, epoch, trainLoss: train.loss, trainAccuracy: train.accuracy, testLoss: test?.loss ?? null, testAccuracy: test?.accuracy ?? null };
}

/** A trained TF.js Layers model: model.json with the training config, and its shard. */
export interface LayersFiles {
  readonly modelJson: string;
  readonly shards: Map<string, Uint8Array>;
}

/** A trained ONNX model: the model's graph with the trained initializers (see train-network.ts). */
export interface OnnxFiles {
  readonly onnx: Uint8Array;
}

/** The files of a trained model by name, as they are stored: model.json and shards, or model.onnx. */
export function trainedFiles(files: LayersFiles | OnnxFiles): Map<string, Uint8Array> {
  if ("onnx" in files) return new Map([["model.onnx", files.onnx]]);
  return new Map([["model.json", new TextEncoder().encode(files.modelJson)], ...files.shards]);
}

export interface TrainCallbacks<F = LayersFiles> {
  /** After every checkpoint, with its files (model.json with the training config and one shard, or an ONNX file). */
  readonly onCheckpoint?: (step: number, files: F, point: CurvePoint) => Promise<void> | void;
  /** Steps done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface TrainResult<F = LayersFiles> {
  readonly curve: CurvePoint[];
  readonly steps: number;
  readonly final: F;
}

const LOSS = "categorical_crossentropy";

/**
 * Builds an uncompiled zoo model for samples of `inputShape` and `classes` classes (softmax out),
 * with seeded initial weights.
 */
export function buildZooModel(spec: ZooSpec, inputShape: readonly number[], classes: number, seed = 0, weightDecay = 0): tfl.LayersModel {
  let n = 0;
  const init = () => tfl.initializers.heNormal({ seed: seed * 1000 + ++n });
  const regularizer = weightDecay > 0 ? tfl.regularizers.l2({ l2: weightDecay }) : undefined;
  // A residual block adds its output to its input, so with He initialisation every block doubles
  // the activations' second moment and a deep skip MLP starts out saturated (without BatchNorm to
  // hold it). Scaling each block's initial variance by 1/depth keeps the sum bounded (about e
  // times the input's at any depth), as Fixup-style initialisations do.
  const residualInit = (depth: number) => tfl.initializers.varianceScaling({ scale: 2 / depth, mode: "fanIn", distribution: "normal", seed: seed * 1000 + ++n });
  const dense = (units: number, activation: "relu" | "softmax" | "linear", kernelInitializer: ReturnType<typeof tfl.initializers.heNormal> = init()) =>
    tfl.layers.dense({ units, activation, kernelInitializer, biasInitializer: "zeros", ...(regularizer ? { kernelRegularizer: regularizer } : {}) });
  const input = tfl.input({ shape: [...inputShape] });
  if (spec.kind === "mlp") {
    const depth = spec.depth ?? 4;
    const width = spec.width ?? 32;
    if (!Number.isInteger(depth) || depth < 1 || depth > 64) throw new EngineInputError("depth must be a whole number from 1 to 64");
    if (!Number.isInteger(width) || width < 1 || width > 4096) throw new EngineInputError("width must be a whole number from 1 to 4096");
    let x = inputShape.length > 1 ? (tfl.layers.flatten().apply(input) as tfl.SymbolicTensor) : input;
    x = dense(width, "relu").apply(x) as tfl.SymbolicTensor;
    for (let i = 1; i < depth; i++) {
      const block = dense(width, "relu", spec.residual ? residualInit(depth) : init()).apply(x) as tfl.SymbolicTensor;
      x = spec.residual ? (tfl.layers.add().apply([x, block]) as tfl.SymbolicTensor) : block;
    }
    return tfl.model({ inputs: input, outputs: dense(classes, "softmax").apply(x) as tfl.SymbolicTensor });
  }
  if (inputShape.length !== 3) throw new EngineInputError(`a CNN needs image samples (height, width, channels); these have shape [${inputShape.join(", ")}]`);
  const [c1, c2] = spec.channels ?? [8, 16];
  const conv = (filters: number) =>
    tfl.layers.conv2d({ filters, kernelSize: 3, activation: "relu", kernelInitializer: init(), ...(regularizer ? { kernelRegularizer: regularizer } : {}) });
  let x = conv(c1).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = conv(c2).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: dense(classes, "softmax").apply(x) as tfl.SymbolicTensor });
}

/** model.json (with the loss in its training config) and its shard, as a TF.js saver writes them. */
export async function modelToFiles(model: tfl.LayersModel): Promise<{ modelJson: string; shards: Map<string, Uint8Array> }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const a = saved!;
  const data = a.weightData;
  const bytes = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
  const modelJson = JSON.stringify({
    format: "layers-model",
    generatedBy: "Loss Atlas training",
    convertedBy: null,
    modelTopology: a.modelTopology,
    trainingConfig: { loss: LOSS, metrics: ["accuracy"], optimizer_config: { class_name: "SGD", config: {} } },
    weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights: a.weightSpecs ?? [] }],
  });
  return { modelJson, shards: new Map([["group1-shard1of1.bin", new Uint8Array(bytes)]]) };
}

function oneHot(data: Dataset, classes: number): Float32Array {
  if (data.targetShape.length !== 0) throw new EngineInputError("training needs integer class labels");
  const y = new Float32Array(data.count * classes);
  for (let i = 0; i < data.count; i++) {
    const label = data.y[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new EngineInputError(`label ${label} is outside 0..${classes - 1}`);
    y[i * classes + label] = 1;
  }
  return y;
}

/** Mean cross-entropy and accuracy of `model` on all of x/y, by TF.js (not the engine's evaluator). */
function measure(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const p = model.predict(x, { batchSize: 2048 }) as tf.Tensor;
    const loss = tf.mean(tfl.metrics.categoricalCrossentropy(y, p)).dataSync()[0]!;
    const accuracy = tf.mean(tfl.metrics.categoricalAccuracy(y, p)).dataSync()[0]!;
    return { loss, accuracy };
  });
}

/** What both trainers take after the model: data, test data, classes, options, callbacks. */
export type TrainArgs<F = LayersFiles> = [train: Dataset, test: Dataset | null, classes: number, options?: TrainOptions, callbacks?: TrainCallbacks<F>];

/**
 * Trains a zoo model on `train` (integer labels), measuring `test` too when given, with a
 * checkpoint at step 0, every `checkpointEvery` steps and at the end. Cancellable.
 */
export async function trainZooModel(
  spec: ZooSpec,
  train: Dataset,
  test: Dataset | null,
  classes: number,
  options: TrainOptions = {},
  callbacks: TrainCallbacks = {},
): Promise<TrainResult> {
  if (spec.kind === "cnn" && activeBackend() === "wasm") throw new EngineInputError(NO_CONV_GRADIENT);
  return trainLayersModel(buildZooModel(spec, train.sampleShape, classes, options.seed ?? 0, options.weightDecay ?? 0), train, test, classes, options, callbacks);
}

const NO_CONV_GRADIENT =
  "the WebAssembly backend has no gradient for Conv2D filters, so convolutional models train only on workers with TensorFlow (tfjs-node or tfjs-node-gpu)";
const CONV_LAYERS = new Set(["Conv1D", "Conv2D", "Conv3D", "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose"]);

/**
 * Checks that a model someone uploaded can be trained here as a classifier of `classes` classes on
 * samples of `sampleShape`: one input of that shape, one output ending in a softmax over the
 * classes (the loss is categorical cross-entropy), and no convolutions on the WebAssembly backend.
 * Throws EngineInputError with the reason.
 */
export function checkTrainable(model: tfl.LayersModel, sampleShape: readonly number[], classes: number): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new EngineInputError(`the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; training needs one of each`);
  }
  const input = model.inputs[0]!.shape.slice(1);
  if (input.length !== sampleShape.length || input.some((d, i) => d !== null && d !== sampleShape[i])) {
    throw new EngineInputError(`the model takes samples of shape [${input.map((d) => d ?? "any").join(", ")}], the data has [${sampleShape.join(", ")}]`);
  }
  const output = model.outputs[0]!.shape;
  if (output.length !== 2 || output[1] !== classes) {
    throw new EngineInputError(`the model's output has shape [${output.slice(1).map((d) => d ?? "any").join(", ")}]; training needs one probability per class (${classes})`);
  }
  const last = model.layers.at(-1)!;
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  if (last.getClassName() !== "Softmax" && activation !== "softmax") {
    throw new EngineInputError(`the model's last layer ("${last.name}") must apply a softmax over the classes; it applies ${typeof activation === "string" ? activation : "none"}`);
  }
  if (activeBackend() === "wasm" && model.layers.some((layer) => CONV_LAYERS.has(layer.getClassName()))) throw new EngineInputError(NO_CONV_GRADIENT);
}

/**
 * Trains any single-input softmax classifier from its current weights, as `trainZooModel` does
 * for the zoo (used for models people upload uncompiled). Takes ownership of `model` and disposes
 * it. The loss is categorical cross-entropy; the optimizer is the one in `options`.
 */
export async function trainLayersModel(
  model: tfl.LayersModel,
  train: Dataset,
  test: Dataset | null,
  classes: number,
  options: TrainOptions = {},
  callbacks: TrainCallbacks = {},
): Promise<TrainResult> {
  const batchSize = options.batchSize ?? 32;
  const epochs = options.epochs ?? 5;
  const learningRate = options.learningRate ?? 0.05;
  const seed = options.seed ?? 0;
  try {
    checkTrainable(model, train.sampleShape, classes);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > train.count) throw new EngineInputError(`batch size must be from 1 to ${train.count}`);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) throw new EngineInputError("epochs must be from 1 to 1000");
    if (!(learningRate > 0 && learningRate < 10)) throw new EngineInputError("learning rate must be between 0 and 10");
  } catch (error) {
    model.dispose();
    throw error;
  }
  const optimizer =
    options.optimizer === "adam" ? tf.train.adam(learningRate) : options.optimizer === "momentum" ? tf.train.momentum(learningRate, 0.9) : tf.train.sgd(learningRate);
  model.compile({ optimizer, loss: "categoricalCrossentropy" });

  const sample = train.sampleShape.reduce((a, b) => a * b, 1);
  const xTrain = tf.tensor(train.x, [train.count, ...train.sampleShape]);
  const yTrain = tf.tensor(oneHot(train, classes), [train.count, classes]);
  const xTest = test ? tf.tensor(test.x, [test.count, ...test.sampleShape]) : null;
  const yTest = test ? tf.tensor(oneHot(test, classes), [test.count, classes]) : null;
  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  const total = stepsPerEpoch * epochs;
  const every = options.checkpointEvery ?? stepsPerEpoch;
  if (!Number.isInteger(every) || every < 1) throw new EngineInputError("checkpointEvery must be a positive whole number of steps");
  const curve: CurvePoint[] = [];
  const rng = new SeededRandom(seed, 7);
  let step = 0;

  const checkpoint = async (epoch: number) => {
    const point = curvePoint(step, epoch, measure(model, xTrain, yTrain), xTest && yTest ? measure(model, xTest, yTest) : null);
    curve.push(point);
    await callbacks.onCheckpoint?.(step, await modelToFiles(model), point);
  };

  try {
    await checkpoint(0);
    const order = new Int32Array(train.count);
    for (let epoch = 0; epoch < epochs; epoch++) {
      epochOrder(order, rng, options.shuffle ?? true);
      for (let b = 0; b < stepsPerEpoch; b++) {
        if (callbacks.signal?.aborted) throw new SurfaceCancelledError();
        const idx = order.subarray(b * batchSize, Math.min(train.count, (b + 1) * batchSize));
        const xb = new Float32Array(idx.length * sample);
        const yb = new Float32Array(idx.length * classes);
        const yAll = oneHotRows(train, classes);
        idx.forEach((s, k) => {
          xb.set(train.x.subarray(s * sample, (s + 1) * sample), k * sample);
          yb.set(yAll.subarray(s * classes, (s + 1) * classes), k * classes);
        });
        const xt = tf.tensor(xb, [idx.length, ...train.sampleShape]);
        const yt = tf.tensor(yb, [idx.length, classes]);
        await model.trainOnBatch(xt, yt);
        xt.dispose();
        yt.dispose();
        step += 1;
        callbacks.onProgress?.(step, total);
        if (step % every === 0 && step !== total) await checkpoint(epoch + (b + 1) / stepsPerEpoch);
        // Let timers and abort signals run between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (curve.at(-1)?.step !== step) await checkpoint(epochs);
    return { curve, steps: step, final: await modelToFiles(model) };
  } finally {
    xTrain.dispose();
    yTrain.dispose();
    xTest?.dispose();
    yTest?.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * The order of the samples in one epoch: a seeded Fisher-Yates shuffle (the run is reproducible),
 * or the data's own order when `shuffle` is false. Shared by both trainers.
 */
export function epochOrder(order: Int32Array, rng: SeededRandom, shuffle: boolean): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (!shuffle) return;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}

const oneHotCache = new WeakMap<Dataset, Float32Array>();
function oneHotRows(data: Dataset, classes: number): Float32Array {
  let rows = oneHotCache.get(data);
  if (!rows) {
    rows = oneHot(data, classes);
    oneHotCache.set(data, rows);
  }
  return rows;
}
