/**
 * Registers TF.js's chained tensor methods (t.flatten(), t.reshape(...), ...). TF.js Layers calls
 * some while it builds a loaded model (the Orthogonal initializer calls rMat.flatten()), but the
 * core package's Node build does not register them, and its ESM registration module cannot be
 * imported by Node (extensionless imports). Each method is the op of the same name applied to
 * `this`, as in tfjs-core's src/public/chained_ops.
 */
import * as tf from "@tensorflow/tfjs-core";

// Ops whose chained form is op(this, ...args).
const DIRECT = [
  "abs", "acos", "acosh", "add", "all", "any", "argMax", "argMin", "asin", "asinh", "atan", "atan2", "atanh", "avgPool",
  "batchToSpaceND", "batchNorm", "broadcastTo", "cast", "ceil", "clipByValue", "conv1d", "conv2d", "conv2dTranspose",
  "cos", "cosh", "cumprod", "cumsum", "depthToSpace", "depthwiseConv2d", "dilation2d", "div", "divNoNan", "dot", "elu",
  "equal", "erf", "euclideanNorm", "exp", "expandDims", "expm1", "fft", "floor", "floorDiv", "gather", "greater",
  "greaterEqual", "ifft", "irfft", "isFinite", "isInf", "isNaN", "leakyRelu", "less", "lessEqual",
  "localResponseNormalization", "log", "log1p", "logSigmoid", "logSoftmax", "logSumExp", "logicalAnd", "logicalNot",
  "logicalOr", "logicalXor", "matMul", "max", "maxPool", "maximum", "mean", "min", "minimum", "mirrorPad", "mod", "mul",
  "neg", "norm", "notEqual", "oneHot", "onesLike", "pad", "pool", "pow", "prelu", "prod", "reciprocal", "relu", "relu6",
  "reshape", "resizeBilinear", "resizeNearestNeighbor", "reverse", "rfft", "round", "rsqrt", "selu", "separableConv2d",
  "sigmoid", "sign", "sin", "sinh", "slice", "softmax", "softplus", "spaceToBatchND", "split", "sqrt", "square",
  "squaredDifference", "squeeze", "step", "stridedSlice", "sub", "sum", "tan", "tanh", "tile", "topk", "transpose",
  "unique", "unsortedSegmentSum", "unstack", "zerosLike",
] as const;

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;

/** Adds the methods missing from tf.Tensor.prototype; safe to call more than once. */
export function registerChainedOps(): void {
  // The prototype is extended dynamically, exactly as tfjs-core's own chained_ops modules do.
  const proto = tf.Tensor.prototype as unknown as Record<string, Method | undefined>;
  const ops = tf as unknown as Record<string, (...args: unknown[]) => unknown>;
  const define = (name: string, method: Method) => {
    if (typeof proto[name] !== "function") proto[name] = method;
  };
  for (const name of DIRECT) {
    const op = ops[name];
    if (typeof op === "function") define(name, function (...args) { return op(this, ...args); });
  }
  define("flatten", function () { return tf.reshape(this, [this.size]); });
  define("asScalar", function () { return tf.reshape(this, []); });
  define("as1D", function () { return tf.reshape(this, [this.size]); });
  define("as2D", function (...a) { return tf.reshape(this, a as number[]); });
  define("as3D", function (...a) { return tf.reshape(this, a as number[]); });
  define("as4D", function (...a) { return tf.reshape(this, a as number[]); });
  define("as5D", function (...a) { return tf.reshape(this, a as number[]); });
  define("asType", function (dtype) { return tf.cast(this, dtype as tf.DataType); });
  define("toFloat", function () { return tf.cast(this, "float32"); });
  define("toInt", function () { return tf.cast(this, "int32"); });
  define("toBool", function () { return tf.cast(this, "bool"); });
  define("reshapeAs", function (x) { return tf.reshape(this, (x as tf.Tensor).shape); });
  define("where", function (condition, x) { return tf.where(condition as tf.Tensor, this, x as tf.Tensor); });
  define("stack", function (x, axis) { return tf.stack(x instanceof tf.Tensor ? [this, x] : [this, ...(x as tf.Tensor[])], axis as number); });
  define("concat", function (x, axis) { return tf.concat(x instanceof tf.Tensor ? [this, x] : [this, ...(x as tf.Tensor[])], axis as number); });
}

registerChainedOps();
