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
 * Sum over the batch of the per-sample loss, and the number of correct samples, as a [2] tensor.
 * `output` is the final layer's output in the given form: for cross-entropy after softmax or
 * sigmoid the engine passes pre-activation logits, which is what Keras does internally too
 * (log-softmax is exact where log(softmax) would underflow).
 */
export function lossAndCorrect(output: tf.Tensor, form: OutputForm, loss: LossSpec, t: BatchTargets): tf.Tensor1D {
  return tf.tidy(() => {
    const batch = output.shape[0]!;
    const flat = tf.reshape(output, [batch, -1]);
    const y = tf.reshape(t.y, [batch, -1]);
    const d = flat.shape[1]!;
    let lossSum: tf.Tensor;
    let correct: tf.Tensor;
    if (isCategorical(loss)) {
      const logitForm = form === "softmax-logits" || loss.fromLogits;
      if (logitForm) {
        // -sum_c y_c log softmax(z)_c = sum_c y_c (logsumexp(z) - z_c), with
        // logsumexp(z) = m + log sum_c exp(z_c - m), m = max_c z_c (no overflow far from theta).
        const m = tf.max(flat, 1, true);
        const lse = tf.add(tf.reshape(m, [batch]), tf.log(tf.sum(tf.exp(tf.sub(flat, m)), 1)));
        const zy = tf.sum(tf.mul(y, flat), 1);
        lossSum = tf.sub(t.oneHot ? tf.sum(lse) : tf.sum(tf.mul(lse, t.rowSums!)), tf.sum(zy));
        // With one-hot targets zy is the label's score: correct when it is the largest (ties
        // count as correct, where argMax would pick the first; exact float ties do not occur in practice).
        correct = t.oneHot
          ? tf.sum(tf.cast(tf.greaterEqual(zy, tf.reshape(m, [batch])), "float32"))
          : tf.sum(tf.cast(tf.equal(tf.argMax(flat, 1), t.classes!), "float32"));
      } else {
        // Keras renormalizes probabilities and clips them before the log.
        const p = tf.clipByValue(tf.div(flat, tf.sum(flat, 1, true)), EPSILON, 1 - EPSILON);
        lossSum = tf.neg(tf.sum(tf.mul(y, tf.log(p))));
        correct = tf.sum(tf.cast(tf.equal(tf.argMax(flat, 1), t.classes!), "float32"));
      }
    } else if (loss.name === "binary_crossentropy") {
      const logitForm = form === "sigmoid-logits" || loss.fromLogits;
      let perElement: tf.Tensor;
      if (logitForm) {
        // max(z, 0) - z*y + log(1 + exp(-|z|)): the stable form of BCE on sigmoid(z)
        perElement = tf.add(tf.sub(tf.relu(flat), tf.mul(flat, y)), tf.log1p(tf.exp(tf.neg(tf.abs(flat)))));
        correct = tf.sum(tf.cast(tf.equal(tf.greater(flat, 0), tf.greater(y, 0.5)), "float32"));
      } else {
        const p = tf.clipByValue(flat, EPSILON, 1 - EPSILON);
        perElement = tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
        correct = tf.sum(tf.cast(tf.equal(tf.greater(flat, 0.5), tf.greater(y, 0.5)), "float32"));
      }
      // Per-sample loss and accuracy are means over the outputs.
      lossSum = tf.div(tf.sum(perElement), d);
      correct = tf.div(correct, d);
    } else {
      const values = form === "softmax-logits" ? tf.softmax(flat) : form === "sigmoid-logits" ? tf.sigmoid(flat) : flat;
      const diff = tf.sub(values, y);
      const perElement = loss.name === "mse" ? tf.square(diff) : tf.abs(diff);
      lossSum = tf.div(tf.sum(perElement), d);
      correct = tf.scalar(Number.NaN);
    }
    return tf.stack([lossSum, correct]) as tf.Tensor1D;
  });
}
