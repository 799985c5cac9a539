/**
 * Inference-mode forward passes of the Keras layers the engine supports, written against TF.js
 * ops with the weights passed in (so the engine can hand each grid point its own theta + a*dx +
 * b*dy without touching any model variables).
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "./errors.js";

/** Layer classes whose forward pass is implemented below. */
export const SUPPORTED_LAYERS = [
  "InputLayer", "Dense", "Conv2D", "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D",
  "GlobalAveragePooling2D", "GlobalMaxPooling2D", "BatchNormalization", "Dropout", "SpatialDropout2D",
  "GaussianNoise", "GaussianDropout", "AlphaDropout", "Flatten", "Reshape", "Add", "Subtract", "Multiply",
  "Average", "Maximum", "Minimum", "Concatenate", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
  "ZeroPadding2D",
] as const;

/** Layers whose output is linear in their weights (for a fixed input): the first-layer trick. */
export const LINEAR_IN_WEIGHTS = new Set(["Dense", "Conv2D", "DepthwiseConv2D"]);

/** Layer weights by their short name ("kernel", "bias", "gamma", "moving_mean", ...). */
export type LayerWeights = Readonly<Record<string, tf.Tensor | undefined>>;

type Config = Readonly<Record<string, unknown>>;

/** Normalizes Keras/TF.js spellings: "hard_sigmoid" and "hardSigmoid" are the same activation. */
export function activationKey(name: unknown): string {
  return typeof name === "string" ? name.toLowerCase().replace(/_/g, "") : "linear";
}

const ACTIVATIONS = new Set(["linear", "relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softmax", "softplus",
  "softsign", "swish", "mish", "gelu", "gelunew", "hardsigmoid", "exponential"]);

/** Throws EngineInputError for an activation the engine cannot evaluate. */
export function checkActivation(name: unknown, layer: string): void {
  if (!ACTIVATIONS.has(activationKey(name))) {
    throw new EngineInputError(`layer "${layer}" uses activation "${String(name)}", which the engine does not support`);
  }
}

/** Applies a Keras activation by name (softmax over the last axis, as Keras does). */
export function applyActivation(x: tf.Tensor, name: unknown): tf.Tensor {
  switch (activationKey(name)) {
    case "linear": return x;
    case "relu": return tf.relu(x);
    case "relu6": return tf.relu6(x);
    case "elu": return tf.elu(x);
    case "selu": return tf.selu(x);
    case "sigmoid": return tf.sigmoid(x);
    case "tanh": return tf.tanh(x);
    case "softmax": return tf.softmax(x);
    case "softplus": return tf.softplus(x);
    case "softsign": return tf.div(x, tf.add(tf.abs(x), 1));
    case "swish": return tf.mul(x, tf.sigmoid(x));
    case "mish": return tf.mul(x, tf.tanh(tf.softplus(x)));
    case "gelu": // exact form: x * Phi(x), via erf
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case "gelunew": // tanh approximation
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
    case "hardsigmoid": return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case "exponential": return tf.exp(x);
    default: throw new EngineInputError(`unsupported activation "${String(name)}"`);
  }
}

// Activations TF.js can fuse into matMul/conv2d, saving a pass over the output.
const FUSABLE: Record<string, tf.fused.Activation> = { linear: "linear", relu: "relu", relu6: "relu6", elu: "elu", sigmoid: "sigmoid" };

function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0] ?? fallback), Number(value[1] ?? value[0] ?? fallback)];
  if (typeof value === "number") return [value, value];
  return [fallback, fallback];
}

function padding(config: Config): "valid" | "same" {
  const p = config.padding ?? "valid";
  if (p !== "valid" && p !== "same") throw new EngineInputError(`padding "${String(p)}" is not supported`);
  return p;
}

function channelsLast(config: Config, layer: string): void {
  const f = config.dataFormat ?? config.data_format;
  if (f !== undefined && f !== null && f !== "channelsLast" && f !== "channels_last") {
    throw new EngineInputError(`layer "${layer}" uses data format "${String(f)}"; only channels-last is supported`);
  }
}

/**
 * The pre-activation output of a Dense/Conv2D/DepthwiseConv2D layer, or the activated one when
 * `activation` is given and fusable. x: [B, ...in]; returns [B, ...out].
 */
export function linearLayer(className: string, config: Config, x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: unknown = "linear"): tf.Tensor {
  const key = activationKey(activation);
  const fused = FUSABLE[key];
  let out: tf.Tensor;
  if (className === "Dense") {
    const inner = x.shape[x.rank - 1]!;
    const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inner]) as tf.Tensor2D;
    const y = fused !== undefined
      ? tf.fused.matMul({ a: x2, b: kernel as tf.Tensor2D, ...(bias ? { bias } : {}), activation: fused })
      : (bias ? tf.add(tf.matMul(x2, kernel as tf.Tensor2D), bias) : tf.matMul(x2, kernel as tf.Tensor2D));
    out = x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
  } else if (className === "Conv2D") {
    const args = {
      x: x as tf.Tensor4D,
      filter: kernel as tf.Tensor4D,
      strides: pair(config.strides, 1),
      pad: padding(config),
      dataFormat: "NHWC" as const,
      dilations: pair(config.dilationRate, 1),
    };
    out = fused !== undefined
      ? tf.fused.conv2d({ ...args, ...(bias ? { bias } : {}), activation: fused })
      : (bias ? tf.add(tf.conv2d(args.x, args.filter, args.strides, args.pad, "NHWC", args.dilations), bias) : tf.conv2d(args.x, args.filter, args.strides, args.pad, "NHWC", args.dilations));
  } else if (className === "DepthwiseConv2D") {
    const y = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, pair(config.strides, 1), padding(config), "NHWC", pair(config.dilationRate, 1));
    return applyActivation(bias ? tf.add(y, bias) : y, activation);
  } else {
    throw new EngineInputError(`layer class ${className} is not linear in its weights`);
  }
  return fused !== undefined ? out : applyActivation(out, activation);
}

/** Checks a layer's configuration once, when the model is loaded. */
export function checkLayer(className: string, config: Config, name: string): void {
  if (!(SUPPORTED_LAYERS as readonly string[]).includes(className)) {
    throw new EngineInputError(
      `layer "${name}" of class ${className} is not supported by the engine (supported: ${SUPPORTED_LAYERS.join(", ")})`,
    );
  }
  if ("activation" in config) checkActivation(config.activation, name);
  if (className === "Conv2D" || className === "DepthwiseConv2D" || className.endsWith("Pooling2D")) {
    channelsLast(config, name);
    padding(config);
  }
  if (className === "ReLU" && config.maxValue != null && typeof config.maxValue !== "number") {
    throw new EngineInputError(`layer "${name}": ReLU maxValue must be a number`);
  }
}

/** The inference-mode output of one layer. */
export function forwardLayer(className: string, config: Config, inputs: readonly tf.Tensor[], w: LayerWeights, activationOverride?: string): tf.Tensor {
  const x = inputs[0]!;
  const activation = activationOverride ?? config.activation;
  switch (className) {
    case "InputLayer":
    case "Dropout":
    case "SpatialDropout2D":
    case "GaussianNoise":
    case "GaussianDropout":
    case "AlphaDropout":
      return x; // noise and dropout are off at inference
    case "Dense":
    case "Conv2D":
      return linearLayer(className, config, x, w.kernel!, w.bias, activation);
    case "DepthwiseConv2D":
      return linearLayer(className, config, x, w.depthwise_kernel!, w.bias, activation);
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const size = pair(config.poolSize, 2);
      const strides = config.strides == null ? size : pair(config.strides, 1);
      return className === "MaxPooling2D"
        ? tf.maxPool(x as tf.Tensor4D, size, strides, padding(config))
        : tf.avgPool(x as tf.Tensor4D, size, strides, padding(config));
    }
    // A pooling window over the whole image: on wasm 3-5x faster than mean/max over axes 1 and 2,
    // which transpose the activations first (same values to float32 rounding).
    case "GlobalAveragePooling2D":
      return tf.reshape(wholeImageAvgPool(x), [x.shape[0]!, x.shape[3]!]);
    case "GlobalMaxPooling2D":
      return tf.reshape(tf.maxPool(x as tf.Tensor4D, [x.shape[1]!, x.shape[2]!], 1, "valid"), [x.shape[0]!, x.shape[3]!]);
    case "BatchNormalization": {
      // Inference uses the moving statistics: gamma * (x - mean) / sqrt(var + eps) + beta.
      const axis = Number(config.axis ?? -1);
      const rank = x.rank;
      const a = axis < 0 ? rank + axis : axis;
      const shape = Array.from({ length: rank }, (_, i) => (i === a ? x.shape[a]! : 1));
      const fit = (t: tf.Tensor | undefined) => (t === undefined ? undefined : a === rank - 1 ? t : tf.reshape(t, shape));
      return tf.batchNorm(x, fit(w.moving_mean)!, fit(w.moving_variance)!, fit(w.beta), fit(w.gamma), Number(config.epsilon ?? 1e-3));
    }
    case "Flatten":
      return tf.reshape(x, [x.shape[0]!, -1]);
    case "Reshape":
      return tf.reshape(x, [x.shape[0]!, ...(config.targetShape as number[])]);
    case "Add":
      return inputs.length === 1 ? x : tf.addN(inputs as tf.Tensor[]);
    case "Subtract":
      return tf.sub(x, inputs[1]!);
    case "Multiply":
      return inputs.slice(1).reduce((acc, t) => tf.mul(acc, t), x);
    case "Average":
      return tf.div(tf.addN(inputs as tf.Tensor[]), inputs.length);
    case "Maximum":
      return inputs.slice(1).reduce((acc, t) => tf.maximum(acc, t), x);
    case "Minimum":
      return inputs.slice(1).reduce((acc, t) => tf.minimum(acc, t), x);
    case "Concatenate":
      return tf.concat(inputs as tf.Tensor[], Number(config.axis ?? -1));
    case "Activation":
      return applyActivation(x, activation);
    case "Softmax":
      return activationOverride === "linear" ? x : tf.softmax(x, Number(config.axis ?? -1));
    case "ReLU": {
      const max = config.maxValue;
      const slope = Number(config.negativeSlope ?? 0);
      let y = slope === 0 ? tf.relu(x) : tf.leakyRelu(x, slope);
      if (typeof max === "number") y = tf.minimum(y, max);
      return y;
    }
    case "LeakyReLU":
      return tf.leakyRelu(x, Number(config.alpha ?? 0.3));
    case "ELU":
      return Number(config.alpha ?? 1) === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(Number(config.alpha), tf.expm1(x)));
    case "ZeroPadding2D": {
      const p = config.padding;
      let rows: [number, number] = [1, 1];
      let cols: [number, number] = [1, 1];
      if (typeof p === "number") rows = cols = [p, p];
      else if (Array.isArray(p)) {
        const [r, c] = p as unknown[];
        rows = Array.isArray(r) ? [Number(r[0]), Number(r[1])] : [Number(r), Number(r)];
        cols = Array.isArray(c) ? [Number(c[0]), Number(c[1])] : [Number(c), Number(c)];
      }
      return tf.pad(x, [[0, 0], rows, cols, [0, 0]]);
    }
    default:
      if ((GRAPH_STEPS as readonly string[]).includes(className)) return forwardGraphStep(className, config, inputs, w);
      throw new EngineInputError(`layer class ${className} is not supported by the engine`);
  }
}

/**
 * Multiply-adds x 2 of one sample through a layer, from its input and output shapes (per sample);
 * other layers count as free. Used for the benchmark's effective FLOP/s.
 */
export function layerFlops(className: string, inShape: readonly number[], outShape: readonly number[], kernelShape: readonly number[] | undefined): number {
  const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (kernelShape === undefined) return 0;
  if (className === "Dense") return 2 * prod(inShape) * kernelShape[1]!;
  if (className === "Conv2D") return 2 * prod(kernelShape.slice(0, 3)) * prod(outShape);
  if (className === "DepthwiseConv2D") return 2 * kernelShape[0]! * kernelShape[1]! * prod(outShape);
  return 0;
}

/**
 * Steps that are not Keras layers, for graphs translated from other formats (ONNX): grouped
 * convolution, axis permutation, constant padding, means over axes, clipping, erf, log-softmax,
 * division, arithmetic with a constant, and a bias added after a weight-only matmul. Their
 * configs are written by the translator, already in the engine's channels-last layout.
 */
export const GRAPH_STEPS = ["GroupedConv2D", "Permute", "Pad", "Mean", "Clip", "Erf", "LogSoftmax", "Divide", "ConstantOp", "BiasAdd"] as const;

/** The mean over H and W of NHWC activations, kept as [N, 1, 1, C]: one avgPool window over the image. */
function wholeImageAvgPool(x: tf.Tensor): tf.Tensor4D {
  return tf.avgPool(x as tf.Tensor4D, [x.shape[1]!, x.shape[2]!], 1, "valid");
}

function forwardGraphStep(className: string, config: Config, inputs: readonly tf.Tensor[], w: LayerWeights): tf.Tensor {
  const x = inputs[0]!;
  switch (className) {
    case "GroupedConv2D": {
      // kernel [kh, kw, in / groups, out]; group g reads input channels [g*in/g, (g+1)*in/g) and
      // writes output channels [g*out/g, (g+1)*out/g).
      const groups = Number(config.groups);
      const kernel = w.kernel!;
      const xs = tf.split(x as tf.Tensor4D, groups, 3);
      const ks = tf.split(kernel as tf.Tensor4D, groups, 3);
      const strides = pair(config.strides, 1);
      const dilations = pair(config.dilationRate, 1);
      const parts = xs.map((xg, g) => tf.conv2d(xg as tf.Tensor4D, ks[g] as tf.Tensor4D, strides, "valid", "NHWC", dilations));
      const y = tf.concat(parts, 3);
      return w.bias ? tf.add(y, w.bias) : y;
    }
    case "Permute":
      return tf.transpose(x, config.perm as number[]);
    case "Pad":
      return tf.pad(x, config.paddings as [number, number][], Number(config.value ?? 0));
    case "Mean": {
      // The spatial mean of NHWC activations (ONNX's GlobalAveragePool, ReduceMean over H and W) as
      // one pooling window, as GlobalAveragePooling2D above: tf.mean over axes 1 and 2 transposes first.
      const axes = config.axes as number[];
      const keepDims = config.keepDims === true;
      if (x.rank === 4 && axes.length === 2 && axes.includes(1) && axes.includes(2)) {
        const pooled = wholeImageAvgPool(x);
        return keepDims ? pooled : tf.reshape(pooled, [x.shape[0]!, x.shape[3]!]);
      }
      return tf.mean(x, axes, keepDims);
    }
    case "Clip":
      return tf.clipByValue(x, Number(config.min ?? -Infinity), Number(config.max ?? Infinity));
    case "Erf":
      return tf.erf(x);
    case "LogSoftmax":
      return tf.logSoftmax(x, Number(config.axis ?? -1));
    case "Divide":
      return tf.div(x, inputs[1]!);
    case "ConstantOp": {
      const c = tf.tensor(config.values as number[], config.shape as number[], "float32");
      const [a, b] = config.constantFirst === true ? [c, x] : [x, c];
      switch (config.op) {
        case "add": return tf.add(a, b);
        case "sub": return tf.sub(a, b);
        case "mul": return tf.mul(a, b);
        case "div": return tf.div(a, b);
        case "pow": return tf.pow(a, b);
        default: throw new EngineInputError(`unknown constant operation "${String(config.op)}"`);
      }
    }
    case "BiasAdd":
      return tf.add(x, w.bias!);
    default:
      throw new EngineInputError(`step ${className} is not supported by the engine`);
  }
}
