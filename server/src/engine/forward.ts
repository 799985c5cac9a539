/**
 * The network's forward pass in a form TF.js differentiates, shared by the Hessian (hessian.ts)
 * and the trainer of ONNX models (train-network.ts). The evaluator (evaluator.ts) runs its own
 * forward pass tuned for values alone; this one differs where gradients need it:
 *
 * - Conv2D on backends without a Conv2DBackpropFilter kernel (wasm) carries its own filter
 *   gradient, itself a convolution (conv2dFilterGradient), and so do grouped convolutions;
 * - Dense products use explicit transposes in their gradient (faster on wasm);
 * - piecewise-linear units (relu-like activations, max pooling) can be recorded and frozen at a
 *   point ("gates", for the Hessian's finite differences; see hessian.ts);
 * - BatchNorm can run in training mode: normalized with the batch's own statistics, as
 *   PyTorch's `model.train()` and Keras' `training=True` do, with those statistics handed back so
 *   the caller can update the running ones.
 * - the final softmax or sigmoid is left out when the loss takes logits (batchLossSum fuses it).
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "./errors.js";
import { activationKey, applyActivation, forwardLayer } from "./layers.js";
import { isCategorical, type BatchTargets, type LossSpec, type OutputForm } from "./loss.js";
import type { LoadedModel, Step } from "./model-types.js";

/** How the convolutions' filter gradients were computed, for reports. */
export type ConvGradient = "native" | "as a convolution" | "none";

/**
 * Padding of a Conv2D input as TensorFlow applies it ("same": the total pad split with the
 * smaller half on top/left), for one spatial axis.
 */
function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * dL/dW of y = conv2d(x, W) (NHWC, dilation 1) from dy, written as a convolution so that backends
 * without Conv2DBackpropFilter (wasm) can run it:
 *   dW[p, q, i, o] = sum_{b, r, c} xpad[b, s r + p, s c + q, i] dy[b, r, c, o],
 * i.e. the padded input with batch and channel axes swapped ([in, H, W, batch]) convolved with dy
 * as the filter ([outH, outW, batch, out]) at dilation s (the stride), cut to the kernel's size.
 */
export function conv2dFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, kernelShape: readonly number[], strides: [number, number], pad: "valid" | "same"): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = kernelShape as [number, number];
    let xp = x;
    if (pad === "same") {
      xp = tf.pad(x, [[0, 0], samePadding(x.shape[1], kh, strides[0]), samePadding(x.shape[2], kw, strides[1]), [0, 0]]);
    }
    const input = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
    const filter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const full = tf.conv2d(input, filter, 1, "valid", "NHWC", strides);
    const cut = tf.slice(full, [0, 0, 0, 0], [full.shape[0], kh, kw, full.shape[3]]);
    return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * dL/dx of y = conv2d(x, W) (NHWC, dilation 1) from dy. At stride 1 it is the "full" correlation
 * of dy with W rotated by 180 degrees and its channel axes swapped, written as a plain conv2d with
 * the mirrored padding: the wasm backend's Conv2DBackpropInput took a third of a deep CNN's
 * training step, and this made the step 2.3x faster (ResNet-20-noshort, width 8, 14x14 MNIST).
 * Other strides use TF.js's conv2dTranspose.
 */
export function conv2dInputGradient(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: [number, number, number, number], strides: [number, number], pad: "valid" | "same"): tf.Tensor4D {
  if (strides[0] !== 1 || strides[1] !== 1) return tf.conv2dTranspose(dy, w, xShape, strides, pad);
  return tf.tidy(() => {
    const [kh, kw] = w.shape as [number, number, number, number];
    const [top, bottom] = pad === "same" ? samePadding(xShape[1], kh, 1) : [0, 0];
    const [left, right] = pad === "same" ? samePadding(xShape[2], kw, 1) : [0, 0];
    const rotated = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(dy, rotated, 1, [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]]);
  });
}

/** Conv2D (NHWC, dilation 1) with the filter gradient above and the input gradient of conv2dInputGradient. */
export function conv2dWithOwnGradient(strides: [number, number], pad: "valid" | "same"): (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D {
  // customGrad's declared type takes one rest parameter of tensors and the save function mixed.
  const forward = (x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [
          conv2dInputGradient(dy as tf.Tensor4D, ws, xs.shape, strides, pad),
          conv2dFilterGradient(xs, dy as tf.Tensor4D, ws.shape, strides, pad),
        ];
      },
    };
  };
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
}

/**
 * x W with a gradient whose products use explicit transposes: the wasm backend's matMul with a
 * transposed operand (what TF.js's own MatMul gradient asks for) ran about 10x slower than a
 * transpose followed by a plain matMul, measured on a 1000 x 784 by 784 x 128 product.
 */
const matMulWithTransposes = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** A Dense layer's pre-activation output x W + b (x of any rank, the last axis contracted). */
export function denseLinear(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  const inner = x.shape[x.rank - 1]!;
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inner]) as tf.Tensor2D);
  let y: tf.Tensor = matMulWithTransposes(x2, kernel as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
}

function pairOf(value: unknown): [number, number] {
  if (Array.isArray(value)) return [Number(value[0] ?? 1), Number(value[1] ?? value[0] ?? 1)];
  if (typeof value === "number") return [value, value];
  return [1, 1];
}

/**
 * Sum over a batch of the per-sample loss, in a form whose gradient TF.js computes (the same loss
 * as loss.ts's perSampleLoss, which is written for exact values, not for derivatives).
 * Cross-entropy from logits: sum_c y_c (logsumexp(z) - z_c).
 */
export function batchLossSum(output: tf.Tensor, form: OutputForm, loss: LossSpec, t: BatchTargets): tf.Scalar {
  const batch = output.shape[0]!;
  const z = tf.reshape(output, [batch, -1]);
  const y = tf.reshape(t.y, [batch, -1]);
  if (isCategorical(loss)) {
    if (form === "softmax-logits" || loss.fromLogits) {
      const lse = tf.logSumExp(z, 1, true);
      return tf.sum(tf.mul(y, tf.sub(lse, z))) as tf.Scalar;
    }
    const p = tf.clipByValue(tf.div(z, tf.sum(z, 1, true)), 1e-7, 1 - 1e-7);
    return tf.neg(tf.sum(tf.mul(y, tf.log(p)))) as tf.Scalar;
  }
  if (loss.name === "binary_crossentropy") {
    const perElement = form === "sigmoid-logits" || loss.fromLogits
      ? tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.softplus(tf.neg(tf.abs(z))))
      : (() => {
          const p = tf.clipByValue(z, 1e-7, 1 - 1e-7);
          return tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
        })();
    return tf.sum(tf.mean(perElement, 1));
  }
  const values = form === "softmax-logits" ? tf.softmax(z) : form === "sigmoid-logits" ? tf.sigmoid(z) : z;
  const diff = tf.sub(values, y);
  return tf.sum(tf.mean(loss.name === "mse" ? tf.square(diff) : tf.abs(diff), 1));
}

/**
 * Piecewise-linear units frozen at the origin: for each step, the slope and offset of every unit
 * there (out = slope * z + offset), so that the gradients at theta +- eps v differentiate the
 * same smooth piece of the network as at theta. Without this, a relu (or a max-pooling window)
 * that flips between the two points adds its jump / (2 eps) to H v, which does not shrink with
 * eps; with it, H v is the Hessian of the piece theta lies in (what reverse-over-reverse
 * autodiff, as in PyTorch and PyHessian, computes for relu networks).
 */
export type Gates = Map<number, [tf.Tensor, tf.Tensor]>;

/** Slope of a piecewise-linear activation at z, or null for smooth (and unknown) ones. */
function activationSlope(name: unknown, z: tf.Tensor): tf.Tensor | null {
  switch (activationKey(name)) {
    case "relu": return tf.cast(tf.greater(z, 0), "float32");
    case "relu6": return tf.cast(tf.logicalAnd(tf.greater(z, 0), tf.less(z, 6)), "float32");
    case "hardsigmoid": return tf.mul(tf.cast(tf.logicalAnd(tf.greater(z, -2.5), tf.less(z, 2.5)), "float32"), 0.2);
    default: return null;
  }
}

function gate(z: tf.Tensor, y: tf.Tensor, slope: tf.Tensor | null, key: number, gates: Gates | null, record: Gates | null): tf.Tensor {
  if (gates?.has(key)) {
    const [s, offset] = gates.get(key)!;
    return tf.add(tf.mul(z, s), offset);
  }
  if (record && slope) record.set(key, [slope, tf.sub(y, tf.mul(slope, z))]);
  return y;
}

function piecewise(z: tf.Tensor, activation: unknown, key: number, gates: Gates | null, record: Gates | null): tf.Tensor {
  if (gates?.has(key)) return gate(z, z, null, key, gates, null);
  const y = applyActivation(z, activation);
  return record ? gate(z, y, activationSlope(activation, z), key, null, record) : y;
}

/** The ReLU layer (negative slope, max value, threshold 0) and LeakyReLU, gated. */
function piecewiseLayer(step: Step, z: tf.Tensor, key: number, gates: Gates | null, record: Gates | null): tf.Tensor {
  if (gates?.has(key)) return gate(z, z, null, key, gates, null);
  const y = forwardLayer(step.className, step.config, [z], {});
  if (!record) return y;
  const negative = step.className === "LeakyReLU" ? Number(step.config.alpha ?? 0.3) : Number(step.config.negativeSlope ?? 0);
  const max = step.className === "ReLU" && typeof step.config.maxValue === "number" ? step.config.maxValue : Infinity;
  const positive = Number.isFinite(max) ? tf.cast(tf.logicalAnd(tf.greater(z, 0), tf.less(z, max)), "float32") : tf.cast(tf.greater(z, 0), "float32");
  const slope = tf.add(positive, tf.mul(tf.cast(tf.lessEqual(z, 0), "float32"), negative));
  return gate(z, y, slope, key, null, record);
}

/**
 * Max pooling with its winners frozen: each window's output is the mean of the inputs that were
 * its maximum at the origin (one, except for ties). Non-overlapping windows without padding
 * (stride = pool size, "valid", the usual case) and global max pooling; other poolings are plain.
 */
function maxPoolGated(step: Step, x: tf.Tensor, key: number, gates: Gates | null, record: Gates | null): tf.Tensor {
  if (step.className === "GlobalMaxPooling2D") {
    if (gates?.has(key)) return tf.sum(tf.mul(x, gates.get(key)![0]), [1, 2]);
    const y = tf.max(x, [1, 2]);
    if (record) {
      const winners = tf.cast(tf.equal(x, tf.max(x, [1, 2], true)), "float32");
      record.set(key, [tf.div(winners, tf.sum(winners, [1, 2], true)), tf.zeros([1])]);
    }
    return y;
  }
  const size = pairOf(step.config.poolSize ?? 2);
  const strides = step.config.strides == null ? size : pairOf(step.config.strides);
  const tiled = strides[0] === size[0] && strides[1] === size[1] && (step.config.padding ?? "valid") === "valid";
  if (!tiled) return forwardLayer(step.className, step.config, [x], {});
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const oh = Math.floor(h / size[0]);
  const ow = Math.floor(w / size[1]);
  const windows = tf.reshape(tf.slice(x, [0, 0, 0, 0], [b, oh * size[0], ow * size[1], c]), [b, oh, size[0], ow, size[1], c]);
  if (gates?.has(key)) return tf.sum(tf.mul(windows, gates.get(key)![0]), [2, 4]);
  const y = tf.maxPool(x as tf.Tensor4D, size, strides, "valid");
  if (record) {
    const winners = tf.cast(tf.equal(windows, tf.reshape(y, [b, oh, 1, ow, 1, c])), "float32");
    record.set(key, [tf.div(winners, tf.sum(winners, [2, 4], true)), tf.zeros([1])]);
  }
  return y;
}

/** One BatchNorm step's statistics of a batch in training mode, per channel. */
export interface BatchStatistics {
  /** The batch mean, [channels]. */
  readonly mean: tf.Tensor1D;
  /** The unbiased batch variance (divided by n - 1, as PyTorch's running_var update uses), [channels]. */
  readonly variance: tf.Tensor1D;
  /** The step's momentum m as ONNX defines it: running = m running + (1 - m) batch (default 0.9). */
  readonly momentum: number;
}

export interface ForwardOptions {
  /** How the output reaches the loss: for "softmax-logits" and "sigmoid-logits" the final activation is left out. */
  readonly form: OutputForm;
  /** Conv2D (and grouped convolutions) with the filter gradient written as a convolution. */
  readonly ownConv: boolean;
  /** Piecewise-linear units follow these patterns instead of their own (see Gates). */
  readonly gates?: Gates | null;
  /** Piecewise-linear units store their pattern here. */
  readonly record?: Gates | null;
  /**
   * BatchNorm in training mode: each BatchNorm step normalizes with the batch's mean and biased
   * variance, and stores the batch mean and unbiased variance here (kept tensors, keyed by the
   * step's output value; the caller disposes them). Absent: BatchNorm uses the running statistics.
   */
  readonly batchStatistics?: Map<number, BatchStatistics>;
}

/** True when the backend has no Conv2D filter gradient of its own and the engine must supply one. */
export function needsOwnConvGradient(model: LoadedModel, backend = tf.getBackend()): boolean {
  const hasConv = model.steps.some((s) => (s.className === "Conv2D" || s.className === "GroupedConv2D") && Object.keys(s.params).length > 0);
  return hasConv && tf.getKernel("Conv2DBackpropFilter", backend) === undefined;
}

/**
 * BatchNorm with the batch's statistics (training mode): y = gamma (x - mu_B) / sqrt(sigma2_B + eps) + beta,
 * mu_B and sigma2_B (biased) over every axis but the channel axis (Ioffe & Szegedy 2015, Algorithm 1).
 * Written out in elementary ops so that TF.js differentiates through the statistics too.
 */
function batchNormTraining(step: Step, x: tf.Tensor, w: Record<string, tf.Tensor>, out: Map<number, BatchStatistics>): tf.Tensor {
  const rank = x.rank;
  const axis = Number(step.config.axis ?? -1);
  const a = axis < 0 ? rank + axis : axis;
  const reduce = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== a);
  const shape = Array.from({ length: rank }, (_, i) => (i === a ? x.shape[a]! : 1));
  const n = reduce.reduce((p, i) => p * x.shape[i]!, 1);
  if (n < 2) throw new EngineInputError(`layer "${step.name}": BatchNorm in training mode needs more than one value per channel in a batch (this batch has ${x.shape[0]} sample${x.shape[0] === 1 ? "" : "s"}); choose a batch size that leaves no batch of one sample`);
  const { mean, variance } = tf.moments(x, reduce, true);
  const fit = (t: tf.Tensor) => tf.reshape(t, shape);
  const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, Number(step.config.epsilon ?? 1e-3))));
  let y = w.gamma ? tf.mul(xhat, fit(w.gamma)) : xhat;
  if (w.beta) y = tf.add(y, fit(w.beta));
  out.set(step.output, {
    mean: tf.keep(tf.reshape(mean, [-1])) as tf.Tensor1D,
    variance: tf.keep(tf.mul(tf.reshape(variance, [-1]), n / (n - 1))) as tf.Tensor1D,
    momentum: Number(step.config.momentum ?? 0.9),
  });
  return y;
}

/** A grouped convolution ("valid", strides, dilation 1) with each group's filter gradient as a convolution. */
function groupedConvOwnGradient(step: Step, x: tf.Tensor, w: Record<string, tf.Tensor>): tf.Tensor {
  const groups = Number(step.config.groups);
  const xs = tf.split(x as tf.Tensor4D, groups, 3);
  const ks = tf.split(w.kernel as tf.Tensor4D, groups, 3);
  const conv = conv2dWithOwnGradient(pairOf(step.config.strides), "valid");
  const y = tf.concat(xs.map((xg, g) => conv(xg as tf.Tensor4D, ks[g] as tf.Tensor4D)), 3);
  return w.bias ? tf.add(y, w.bias) : y;
}

/**
 * The network's output on a batch `x` with the given weights (one tensor per model.params entry),
 * in the form `options.form` asks for. Tensors it creates are the caller's to tidy.
 */
export function differentiableForward(model: LoadedModel, x: tf.Tensor, weights: readonly tf.Tensor[], options: ForwardOptions): tf.Tensor {
  const gates = options.gates ?? null;
  const record = options.record ?? null;
  const values = new Map<number, tf.Tensor>([[model.inputValue, x]]);
  for (const step of model.steps) {
    if (step.output === model.inputValue) continue;
    const w: Record<string, tf.Tensor> = Object.fromEntries(Object.entries(step.params).map(([key, i]) => [key, weights[i]!]));
    const inputs = step.inputs.map((v) => values.get(v)!);
    // The final softmax/sigmoid is part of the loss (see batchLossSum), as in the evaluator.
    const final = step.output === model.outputValue && options.form !== "values";
    let out: tf.Tensor;
    const key = step.output;
    switch (step.className) {
      case "Dense":
      case "Conv2D":
      case "DepthwiseConv2D": {
        let z: tf.Tensor;
        if (options.ownConv && step.className === "Conv2D") {
          const conv = conv2dWithOwnGradient(pairOf(step.config.strides), step.config.padding === "same" ? "same" : "valid");
          const y = conv(inputs[0] as tf.Tensor4D, w.kernel as tf.Tensor4D);
          z = w.bias ? tf.add(y, w.bias) : y;
        } else if (step.className === "Dense") {
          z = denseLinear(inputs[0]!, w.kernel!, w.bias);
        } else {
          z = forwardLayer(step.className, step.config, inputs, w, "linear");
        }
        out = piecewise(z, final ? "linear" : step.config.activation, key, gates, record);
        break;
      }
      case "GroupedConv2D":
        out = options.ownConv ? groupedConvOwnGradient(step, inputs[0]!, w) : forwardLayer(step.className, step.config, inputs, w);
        break;
      case "BatchNormalization":
        out = options.batchStatistics ? batchNormTraining(step, inputs[0]!, w, options.batchStatistics) : forwardLayer(step.className, step.config, inputs, w);
        break;
      case "Activation":
        out = piecewise(inputs[0]!, step.config.activation, key, gates, record);
        break;
      case "ReLU":
      case "LeakyReLU":
        out = piecewiseLayer(step, inputs[0]!, key, gates, record);
        break;
      case "MaxPooling2D":
      case "GlobalMaxPooling2D":
        out = maxPoolGated(step, inputs[0]!, key, gates, record);
        break;
      default:
        out = forwardLayer(step.className, step.config, inputs, w, final ? "linear" : undefined);
    }
    values.set(step.output, out);
  }
  return values.get(model.outputValue)!;
}

/**
 * Layers whose gradient the backend cannot compute: refused up front, with the reason.
 * `purpose` ends the message: what cannot be done ("the Hessian cannot be taken").
 */
export function checkDifferentiable(step: Step, backend: string, purpose = "the Hessian cannot be taken", remedy = "compute curvature with --backend cpu"): void {
  if ((step.className === "Conv2D" || step.className === "GroupedConv2D") && Object.keys(step.params).length > 0) {
    const d = pairOf(step.config.dilationRate);
    if (d[0] !== 1 || d[1] !== 1) throw new EngineInputError(`layer "${step.name}": TF.js has no gradient for dilated convolutions, so ${purpose}`);
  }
  if (step.className === "DepthwiseConv2D" && tf.getKernel("DepthwiseConv2dNativeBackpropFilter", backend) === undefined) {
    throw new EngineInputError(`layer "${step.name}": the ${backend} backend has no gradient for DepthwiseConv2D; ${remedy}`);
  }
}
