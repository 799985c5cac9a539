/**
 * The losses the engine evaluates, named as Keras names them, and their per-batch sums.
 * The loss of a point is the mean over samples of the per-sample loss (Keras' default reduction);
 * accuracy is the fraction of samples classified correctly (null for regression losses).
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "./errors.js";

export type LossName = "sparse_categorical_crossentropy" | "categorical_crossentropy" | "binary_crossentropy" | "mse" | "mae";

/** A loss and whether the model's output is logits (Keras `from_logits`, default false). */
export interface LossSpec {
  readonly name: LossName;
  readonly fromLogits: boolean;
}

export const LOSS_NAMES: readonly LossName[] = [
  "sparse_categorical_crossentropy",
  "categorical_crossentropy",
  "binary_crossentropy",
  "mse",
  "mae",
];

// Keras, tf.keras and TF.js spell the same loss several ways; compare them without case or "_".
const ALIASES: Record<string, LossName> = {
  sparsecategoricalcrossentropy: "sparse_categorical_crossentropy",
  categoricalcrossentropy: "categorical_crossentropy",
  binarycrossentropy: "binary_crossentropy",
  mse: "mse",
  meansquarederror: "mse",
  mae: "mae",
  meanabsoluteerror: "mae",
};

/**
 * Reads a loss as a string ("sparse_categorical_crossentropy", "meanSquaredError", "mse") or as a
 * serialized Keras loss object ({ class_name, config: { from_logits } }); throws EngineInputError
 * for anything else. `fromLogits` overrides what the object says.
 */
export function parseLoss(value: unknown, fromLogits?: boolean): LossSpec {
  let name: unknown = value;
  let logits = false;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    name = v.class_name ?? v.className;
    const config = (v.config ?? {}) as Record<string, unknown>;
    logits = config.from_logits === true || config.fromLogits === true;
  }
  if (typeof name !== "string") throw new EngineInputError(`unknown loss ${JSON.stringify(value)} (supported: ${LOSS_NAMES.join(", ")})`);
  const resolved = ALIASES[name.toLowerCase().replace(/_/g, "")];
  if (resolved === undefined) throw new EngineInputError(`unknown loss "${name}" (supported: ${LOSS_NAMES.join(", ")})`);
  return { name: resolved, fromLogits: fromLogits ?? logits };
}

/** The loss named in a model's training config, or null when it has none. */
export function lossFromTrainingConfig(trainingConfig: unknown): LossSpec | null {
  if (typeof trainingConfig !== "object" || trainingConfig === null) return null;
  let loss = (trainingConfig as Record<string, unknown>).loss;
  // A multi-output config lists one loss per output; the engine evaluates single-output models.
  if (Array.isArray(loss)) loss = loss[0];
  else if (typeof loss === "object" && loss !== null && !("class_name" in loss) && !("className" in loss)) {
    loss = Object.values(loss)[0];
  }
  if (loss === undefined || loss === null) return null;
  return parseLoss(loss);
}

export function isCategorical(loss: LossSpec): boolean {
  return loss.name === "sparse_categorical_crossentropy" || loss.name === "categorical_crossentropy";
}

/** How the network's final output reaches the loss. */
export type OutputForm = "probabilities" | "softmax-logits" | "sigmoid-logits" | "values";

/** The targets of one batch, on the backend. */
export interface BatchTargets {
  /** [B, C] (categorical: one-hot or soft targets), [B, d] (binary), [B, ...out] (regression). */
  readonly y: tf.Tensor;
  /** [B] int32 class of each sample, for categorical accuracy; null otherwise. */
  readonly classes: tf.Tensor1D | null;
  /** [B] sum of each target row (1 for one-hot), for cross-entropy from logits; null otherwise. */
  readonly rowSums: tf.Tensor1D | null;
  /** True when every row of `y` is one-hot (integer class labels). */
  readonly oneHot: boolean;
}

const EPSILON = 1e-7; // Keras' backend epsilon, used to clip probabilities

/**
 * log(1 + s) to float32's relative precision for s >= 0 small or large, on every backend: the
 * wasm backend's log1p is log(1 + s), which for s near 1e-6 keeps only the first digit of s.
 * Goldberg's form: with u = 1 + s rounded, log(u) * s / (u - 1) cancels the rounding of u
 * (u - 1 is exact); where u rounds to 1, log1p(s) = s to float32 precision.
 */
function log1p(s: tf.Tensor): tf.Tensor {
  const u = tf.add(s, 1);
  const rounded = tf.sub(u, 1);
  return tf.where(tf.equal(rounded, 0), s, tf.div(tf.mul(tf.log(u), s), rounded));
}

/**
 * Per-sample loss and correctness of one batch, as a [2, B] tensor: row 0 the loss of each sample,
 * row 1 whether it is classified correctly (1 or 0; for binary outputs the fraction of outputs
 * right; NaN for regression). The caller sums the rows in float64 (see evaluator.ts): a float32
 * sum over thousands of samples would lose the digits of a loss near a minimum.
 *
 * `output` is the final layer's output in the given form: for cross-entropy after softmax or
 * sigmoid the engine passes pre-activation logits, which is what Keras does internally too
 * (log-softmax is exact where log(softmax) would underflow).
 */
export function perSampleLoss(output: tf.Tensor, form: OutputForm, loss: LossSpec, t: BatchTargets): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = output.shape[0]!;
    const flat = tf.reshape(output, [batch, -1]) as tf.Tensor2D;
    const y = tf.reshape(t.y, [batch, -1]) as tf.Tensor2D;
    const d = flat.shape[1]!;
    let perSample: tf.Tensor;
    let correct: tf.Tensor;
    if (isCategorical(loss)) {
      // The predicted class is the first index of the largest output, as argmax in TF.js,
      // Keras and PyTorch: where outputs tie (a constant output at some point of a plane), the
      // frameworks' accuracy is the share of samples labelled with the first tied class.
      const predicted = tf.argMax(flat, 1);
      correct = tf.cast(tf.equal(predicted, t.classes!), "float32");
      if (form === "softmax-logits" || loss.fromLogits) {
        // -sum_c y_c log softmax(z)_c = sum_c y_c (m - z_c) + (sum_c y_c) log(1 + s), with m = max_c z_c
        // and s = sum of exp(z_c - m) over every class but the first maximum. Every term is
        // non-negative and computed to float32's relative precision: near a minimum (the label's
        // logit far above the others) the loss is ~ s, kept to all its digits by log1p, where
        // logsumexp(z) - z_y would subtract two nearly equal numbers.
        const shifted = tf.sub(flat, tf.max(flat, 1, true)); // z_c - m <= 0
        // 1 for every class but the first maximum (oneHot in int32 with on 0 and off 1, then cast:
        // the wasm backend's float32 oneHot writes integer bits).
        const others = tf.cast(tf.oneHot(predicted, d, 0, 1), "float32");
        const s = tf.sum(tf.mul(tf.exp(shifted), others), 1);
        const margin = tf.neg(tf.sum(tf.mul(y, shifted), 1));
        const spread = t.oneHot ? log1p(s) : tf.mul(log1p(s), t.rowSums!);
        perSample = tf.add(margin, spread);
      } else {
        // Keras renormalizes probabilities and clips them before the log.
        const p = tf.clipByValue(tf.div(flat, tf.sum(flat, 1, true)), EPSILON, 1 - EPSILON);
        perSample = tf.neg(tf.sum(tf.mul(y, tf.log(p)), 1));
      }
    } else if (loss.name === "binary_crossentropy") {
      const logitForm = form === "sigmoid-logits" || loss.fromLogits;
      let perElement: tf.Tensor;
      let right: tf.Tensor;
      if (logitForm) {
        // max(z, 0) - z*y + log(1 + exp(-|z|)): the stable form of BCE on sigmoid(z); for y = 1
        // and z >> 0 the first two terms cancel exactly and log1p keeps exp(-z) to full precision.
        perElement = tf.add(tf.sub(tf.relu(flat), tf.mul(flat, y)), log1p(tf.exp(tf.neg(tf.abs(flat)))));
        // sigmoid(z) > 0.5 exactly when z > 0 (Keras' binary accuracy: prediction > 0.5).
        right = tf.equal(tf.greater(flat, 0), tf.greater(y, 0.5));
      } else {
        const p = tf.clipByValue(flat, EPSILON, 1 - EPSILON);
        perElement = tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
        right = tf.equal(tf.greater(flat, 0.5), tf.greater(y, 0.5));
      }
      // Per-sample loss and accuracy are means over the outputs.
      perSample = tf.mean(perElement, 1);
      correct = tf.mean(tf.cast(right, "float32"), 1);
    } else {
      const values = form === "softmax-logits" ? tf.softmax(flat) : form === "sigmoid-logits" ? tf.sigmoid(flat) : flat;
      const diff = tf.sub(values, y);
      perSample = tf.mean(loss.name === "mse" ? tf.square(diff) : tf.abs(diff), 1);
      correct = tf.fill([batch], Number.NaN);
    }
    return tf.stack([perSample, correct]) as tf.Tensor2D;
  });
}
