/**
 * Training over the engine's own network (a LoadedModel), for models the engine reads but TF.js
 * Layers cannot build: ONNX models, as `torch.onnx.export` writes them. The contract is the one of
 * `trainLayersModel` (train.ts): the same options, optimizers, seeded shuffle, checkpoints (at step
 * 0, every `checkpointEvery` steps and at the end), recorded curve, progress and cancellation. A
 * checkpoint is an ONNX file of the same graph whose initializers hold the trained values, so it
 * goes straight back into `loadOnnxModel`, `pca` and `surface`.
 *
 * What is trained is exactly `model.params` that are not state: what PyTorch's
 * `model.parameters()` holds (weights, biases, BatchNorm's gamma and beta). The loss is the mean
 * cross-entropy over the batch, in the form the model's output is defined in (see batchLossSum):
 * a final softmax is fused into the loss (log-softmax of the logits); logits and log-probabilities
 * (nn.CrossEntropyLoss, nn.NLLLoss after log_softmax) take the log-softmax of the output.
 *
 * BatchNorm trains as in PyTorch's `model.train()`: each batch is normalized with its own mean and
 * biased variance, gradients flow through those statistics, and after each step the running
 * statistics move by the node's momentum m (ONNX's: running = m running + (1 - m) batch, with the
 * unbiased batch variance, which is PyTorch's update; PyTorch's momentum 0.1 is exported as
 * m = 0.9). Checkpoints hold the running statistics, and the curve is measured with them (eval
 * mode). Dropout is not part of the engine's graph (an eval-mode export carries it as an
 * identity), so training runs without dropout.
 *
 * Convolutions train on the WebAssembly backend too: it has no Conv2DBackpropFilter kernel, and
 * the shared forward pass (forward.ts) supplies the filter gradient as a convolution.
 */
import * as tf from "@tensorflow/tfjs-core";
import { type Dataset, prepareData, type PreparedData } from "./data.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { batchLossSum, type BatchStatistics, checkDifferentiable, differentiableForward, needsOwnConvGradient } from "./forward.js";
import { type BatchTargets, type LossSpec, type OutputForm, perSampleLoss } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { encodeOnnxModel, loadOnnxModel } from "./onnx/load.js";
import { SeededRandom } from "./rng.js";
import { type CurvePoint, curvePoint, epochOrder, type OnnxFiles, type TrainArgs, type TrainCallbacks, type TrainOptions, type TrainResult } from "./train.js";
import { resnetImageShape, resnetName } from "./options.js";
import { type ResnetSpec, resnetInit, resnetOnnx } from "./zoo-resnet.js";

/** Samples per forward pass when the curve is measured. */
const MEASURE_BATCH = 1024;

/** How the model's output reaches the loss, and the loss: the model's own classifier loss. */
export function classifierLoss(model: LoadedModel, classes: number): { loss: LossSpec; form: OutputForm } {
  const out = model.outputShape;
  if (out.length !== 1 || out[0] !== classes) {
    throw new EngineInputError(`the model's output has shape [${out.join(", ")}]; training needs one score per class (${classes})`);
  }
  if (model.outputActivation === "sigmoid") throw new EngineInputError("the model ends in a sigmoid; training needs a classifier whose output is class scores (logits, log-probabilities or a softmax)");
  const fromLogits = model.outputActivation !== "softmax";
  return { loss: { name: "sparse_categorical_crossentropy", fromLogits }, form: fromLogits ? "values" : "softmax-logits" };
}

/** The one-hot targets and classes of samples `idx` of prepared data, on the backend. */
export function batchOf(data: PreparedData, idx: ArrayLike<number>): { x: tf.Tensor; targets: BatchTargets } {
  const per = data.x.length / data.count;
  const width = data.targetWidth;
  const xb = new Float32Array(idx.length * per);
  const yb = new Float32Array(idx.length * width);
  const cb = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const s = idx[k]!;
    xb.set(data.x.subarray(s * per, (s + 1) * per), k * per);
    yb.set(data.y.subarray(s * width, (s + 1) * width), k * width);
    cb[k] = data.classes![s]!;
  }
  return {
    x: tf.tensor(xb, [idx.length, ...data.inputShape], "float32"),
    targets: { y: tf.tensor2d(yb, [idx.length, width], "float32"), classes: tf.tensor1d(cb, "int32"), rowSums: null, oneHot: true },
  };
}

export function disposeBatch(b: { x: tf.Tensor; targets: BatchTargets }): void {
  b.x.dispose();
  b.targets.y.dispose();
  b.targets.classes?.dispose();
}

/**
 * Trains `model` (its current theta is the start) on `train` (integer labels), measuring `test`
 * too when given. Checkpoints and the final model are ONNX files of the model's graph; the model
 * must be an ONNX model. Throws EngineInputError for models or options it cannot train, and
 * SurfaceCancelledError when `callbacks.signal` aborts.
 */
export async function trainNetwork(
  model: LoadedModel,
  train: Dataset,
  test: Dataset | null,
  classes: number,
  options: TrainOptions = {},
  callbacks: TrainCallbacks<OnnxFiles> = {},
): Promise<TrainResult<OnnxFiles>> {
  const batchSize = options.batchSize ?? 32;
  const epochs = options.epochs ?? 5;
  const learningRate = options.learningRate ?? 0.05;
  const weightDecay = options.weightDecay ?? 0;
  const seed = options.seed ?? 0;
  if (model.onnx === undefined) throw new EngineInputError("the engine's own trainer writes ONNX checkpoints and trains ONNX models; TF.js Layers models train with trainLayersModel");
  const { loss, form } = classifierLoss(model, classes);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > train.count) throw new EngineInputError(`batch size must be from 1 to ${train.count}`);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) throw new EngineInputError("epochs must be from 1 to 1000");
  if (!(learningRate > 0 && learningRate < 10)) throw new EngineInputError("learning rate must be between 0 and 10");
  if (!(weightDecay >= 0 && weightDecay < 1)) throw new EngineInputError("weight decay must be from 0 to 1");
  const backend = tf.getBackend();
  for (const step of model.steps) checkDifferentiable(step, backend, "the model cannot be trained", "train it on a worker with TensorFlow (tfjs-node) or the cpu backend");
  const hasBatchNorm = model.steps.some((s) => s.className === "BatchNormalization");
  // BatchNorm of vectors (axis 1: BatchNorm1d) has one value per channel and sample, so a batch of
  // one sample has no variance to normalize with (PyTorch refuses it too); images have H x W values.
  const vectorBatchNorm = model.steps.some((s) => s.className === "BatchNormalization" && Number(s.config.axis) === 1);
  if (vectorBatchNorm && (batchSize === 1 || train.count % batchSize === 1)) {
    throw new EngineInputError(`BatchNorm trains with the statistics of each batch, and a batch of ${batchSize} with ${train.count} samples leaves a batch of one sample; choose another batch size`);
  }
  const trainData = prepareData(model, train, loss);
  const testData = test ? prepareData(model, test, loss) : null;
  const ownConv = needsOwnConvGradient(model, backend);

  // Parameters are variables the optimizer moves; BatchNorm's running statistics are variables
  // the trainer updates itself.
  const variables = model.params.map((p, i) => tf.tidy(() => tf.variable(tf.tensor(model.theta[i]!, p.shape as number[], "float32"), p.trainable && !p.state)));
  const trained = variables.filter((_, i) => model.params[i]!.trainable && !model.params[i]!.state);
  const kernels = variables.filter((_, i) => model.params[i]!.role === "kernel" && model.params[i]!.trainable);
  const runningOf = new Map<number, { mean: tf.Variable; variance: tf.Variable }>();
  for (const step of model.steps) {
    if (step.className !== "BatchNormalization") continue;
    const mean = step.params.moving_mean;
    const variance = step.params.moving_variance;
    if (mean !== undefined && variance !== undefined) runningOf.set(step.output, { mean: variables[mean]!, variance: variables[variance]! });
  }
  const optimizer =
    options.optimizer === "adam" ? tf.train.adam(learningRate) : options.optimizer === "momentum" ? tf.train.momentum(learningRate, 0.9) : tf.train.sgd(learningRate);

  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  const total = stepsPerEpoch * epochs;
  const every = options.checkpointEvery ?? stepsPerEpoch;
  if (!Number.isInteger(every) || every < 1) throw new EngineInputError("checkpointEvery must be a positive whole number of steps");
  const curve: CurvePoint[] = [];
  const rng = new SeededRandom(seed, 7);
  let step = 0;

  /** Mean cross-entropy and accuracy over all of `data`, in eval mode (running statistics), summed in float64. */
  const measure = (data: PreparedData): { loss: number; accuracy: number } => {
    let lossSum = 0;
    let right = 0;
    for (let start = 0; start < data.count; start += MEASURE_BATCH) {
      const idx = Array.from({ length: Math.min(MEASURE_BATCH, data.count - start) }, (_, k) => start + k);
      const batch = batchOf(data, idx);
      try {
        const rows = tf.tidy(() => perSampleLoss(differentiableForward(model, batch.x, variables, { form, ownConv: false }), form, loss, batch.targets));
        const values = rows.dataSync();
        rows.dispose();
        for (let k = 0; k < idx.length; k++) {
          lossSum += values[k]!;
          right += values[idx.length + k]!;
        }
      } finally {
        disposeBatch(batch);
      }
    }
    return { loss: lossSum / data.count, accuracy: right / data.count };
  };

  const files = (): OnnxFiles => ({ onnx: encodeOnnxModel(model, variables.map((v) => v.dataSync() as Float32Array), { type: "checkpoint", step }) });

  const checkpoint = async (epoch: number) => {
    const point = curvePoint(step, epoch, measure(trainData), testData ? measure(testData) : null);
    curve.push(point);
    await callbacks.onCheckpoint?.(step, files(), point);
  };

  try {
    await checkpoint(0);
    const order = new Int32Array(train.count);
    for (let epoch = 0; epoch < epochs; epoch++) {
      epochOrder(order, rng, options.shuffle ?? true);
      for (let b = 0; b < stepsPerEpoch; b++) {
        if (callbacks.signal?.aborted) throw new SurfaceCancelledError();
        const idx = order.subarray(b * batchSize, Math.min(train.count, (b + 1) * batchSize));
        const batch = batchOf(trainData, idx);
        const statistics = new Map<number, BatchStatistics>();
        try {
          const cost = optimizer.minimize(() => {
            const out = differentiableForward(model, batch.x, variables, { form, ownConv, ...(hasBatchNorm ? { batchStatistics: statistics } : {}) });
            let value = tf.div(batchLossSum(out, form, loss, batch.targets), idx.length) as tf.Scalar;
            // Keras' l2 regularizer on every kernel: weightDecay * sum(w^2) added to the loss.
            if (weightDecay > 0) for (const k of kernels) value = tf.add(value, tf.mul(tf.sum(tf.square(k)), weightDecay)) as tf.Scalar;
            return value;
          }, true, trained);
          const lossValue = cost?.dataSync()[0];
          cost?.dispose();
          if (lossValue !== undefined && !Number.isFinite(lossValue)) {
            throw new EngineInputError(`the loss became ${lossValue} at step ${step + 1}; lower the learning rate`);
          }
          // PyTorch's running-statistics update (see the file's comment).
          tf.tidy(() => {
            for (const [output, s] of statistics) {
              const running = runningOf.get(output);
              if (!running) continue;
              running.mean.assign(tf.add(tf.mul(running.mean, s.momentum), tf.mul(s.mean, 1 - s.momentum)));
              running.variance.assign(tf.add(tf.mul(running.variance, s.momentum), tf.mul(s.variance, 1 - s.momentum)));
            }
          });
        } finally {
          for (const s of statistics.values()) {
            s.mean.dispose();
            s.variance.dispose();
          }
          disposeBatch(batch);
        }
        step += 1;
        callbacks.onProgress?.(step, total);
        if (step % every === 0 && step !== total) await checkpoint(epoch + (b + 1) / stepsPerEpoch);
        // Let timers and abort signals run between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (curve.at(-1)?.step !== step) await checkpoint(epochs);
    return { curve, steps: step, final: files() };
  } finally {
    for (const v of variables) v.dispose();
    optimizer.dispose();
  }
}

/** The images of `data` as the zoo's ResNets read them, [channels, height, width] (see resnetImageShape). */
export function zooImageShape(data: Dataset): [number, number, number] {
  const shape = resnetImageShape(data.sampleShape, data.channelsLast === true);
  if (!shape) throw new EngineInputError(`a ResNet needs image samples (height, width, channels); the data's samples have shape [${data.sampleShape.join(", ")}]`);
  return shape;
}

/**
 * Builds a zoo ResNet (or its plain twin, see zoo-resnet.ts) for `train`'s images and `classes`
 * classes from `options.seed`, and trains it with the engine's own trainer: the checkpoints and
 * the final model are ONNX files, as for an uploaded PyTorch model.
 */
export async function trainZooResnet(spec: ResnetSpec, ...[train, test, classes, options = {}, callbacks = {}]: TrainArgs<OnnxFiles>): Promise<TrainResult<OnnxFiles>> {
  const shape = zooImageShape(train);
  const bytes = resnetOnnx(spec, shape, classes, resnetInit(options.seed ?? 0), resnetName(spec));
  // One channel: the images are the same bytes either way; say so, so the model's NCHW reading is kept.
  const asStored = (data: Dataset): Dataset => (data.sampleShape[2] === 1 || data.channelsLast === true ? { ...data, channelsLast: true } : data);
  return trainNetwork(loadOnnxModel(bytes, resnetName(spec)), asStored(train), test ? asStored(test) : null, classes, options, callbacks);
}
