/**
 * Which steps the surface evaluator runs together, decided from the model's steps and the plane
 * alone: the layers that use the first-layer trick (chooseTrickLayers), the steps a tricked
 * layer takes with it (TrickGroup), and the Dense/Conv2D layers folded with the BatchNorm and
 * activation after them into one fused op per point (FoldedGroup), with the BatchNorm arithmetic
 * both use. See evaluator.ts for why each saves time.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Direction } from "./directions.js";
import { activationKey, LINEAR_IN_WEIGHTS } from "./layers.js";
import type { LoadedModel, Step } from "./model-types.js";

/**
 * A Dense/Conv2D layer evaluated together with the BatchNormalization that follows it and/or the
 * activation after that, as one fused op per point. At inference BatchNorm is affine per output
 * channel, y = s * (x - mean) + beta with s = gamma / sqrt(var + eps), so
 * BN(conv(x, W) + c) = conv(x, W * s) + (c - mean) * s + beta: the fold is a few ops on the
 * weights, where BatchNorm on the activations is a pass over the layer's whole output.
 */
export interface FoldedGroup {
  readonly linear: Step;
  readonly batchNorm: Step | null;
  /** The activation the fused op applies: the linear layer's own, or that of a following Activation/ReLU layer. */
  readonly activation: string;
  /** The value the group produces (that of its last step). */
  readonly output: number;
}

/**
 * A layer using the first-layer trick, evaluated together with the steps after it:
 * - a BatchNormalization whose weights do not move on the plane is folded into the three products
 *   once per batch (s * (XW + c - mean) + beta, s * XDx, s * XDy), not applied to the activations
 *   at every point;
 * - an activation (the layer's own, or an Activation/ReLU layer after it) is applied to z =
 *   (XW + b*XDy) + a*XDx;
 * - a max pooling after a non-decreasing activation f is taken first, since max(f(z)) = f(max(z))
 *   exactly (padded positions are ignored by the pooling): f then runs over the pooled output, a
 *   quarter of the layer's for 2x2 windows.
 */
export interface TrickGroup {
  readonly linear: Step;
  readonly batchNorm: Step | null;
  readonly activation: string;
  readonly pool: Step | null;
  /** The steps after `linear` evaluated with it, in order. */
  readonly inside: readonly Step[];
  /** The value the group produces (that of its last step). */
  readonly output: number;
}

/** Activations that are non-decreasing element-wise, so that they commute with a max pooling. */
const NON_DECREASING_ACTIVATIONS = new Set(["linear", "relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softplus", "softsign", "hardsigmoid", "exponential"]);

/** Activations a fused matMul/conv2d applies itself. */
export const FUSED_ACTIVATIONS = new Set(["linear", "relu", "relu6", "elu", "sigmoid"]);

export function isZero(values: Float32Array | undefined): boolean {
  if (values === undefined) return true;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

/**
 * Multiply-adds per output element at and above which "auto" uses the first-layer trick. The
 * trick costs two element-wise passes over the layer's output per point (a multiply and an add);
 * the direct way `macs` multiply-adds per output element in a matmul or convolution. Measured on
 * wasm (one process, each op alone): a Dense layer of 16 inputs costs as much as the two passes
 * over its output, one of 32 inputs twice as much; a 3x3 convolution of 2 or 3 input channels
 * (18 or 27) 1.4-1.9x as much, 1.5-1.7x with the max pooling that usually follows (see
 * TrickGroup); one of 1 input channel (9) about the same, 1.6x with the pooling, but over whole
 * surfaces with two processes, where the element-wise passes of both compete for memory, the
 * benchmark's MNIST CNN (3x3x1 = 9, then pooling) was as fast either way. The benchmark's MLP (784
 * inputs) is far above.
 */
export const TRICK_MIN_MACS = 16;

/** Multiply-adds per output element of a Dense/Conv2D/DepthwiseConv2D step. */
function macsPerOutput(model: LoadedModel, step: Step): number {
  const kernelIndex = Object.entries(step.params).find(([k]) => k.endsWith("kernel"))?.[1];
  if (kernelIndex === undefined) return 0;
  const kernel = model.params[kernelIndex]!.shape;
  if (step.className === "Dense") return kernel[0]!;
  if (step.className === "Conv2D") return kernel[0]! * kernel[1]! * kernel[2]!;
  return kernel[0]! * kernel[1]!;
}

/** The steps, split into those fixed by the plane (computed once per batch) and those that move. */
export function splitSteps(model: LoadedModel, moves: (param: number) => boolean): { constant: Step[]; moving: Step[]; trickable: Set<number> } {
  const constantValues = new Set<number>([model.inputValue]);
  const constant: Step[] = [];
  const moving: Step[] = [];
  const trickable = new Set<number>();
  for (const step of model.steps) {
    if (step.output === model.inputValue) continue;
    const stepMoves = Object.values(step.params).some(moves);
    const fixedInput = step.inputs.every((v) => constantValues.has(v));
    if (fixedInput && !stepMoves) {
      constantValues.add(step.output);
      constant.push(step);
    } else {
      moving.push(step);
      if (fixedInput && LINEAR_IN_WEIGHTS.has(step.className) && Object.keys(step.params).some((k) => k.endsWith("kernel"))) trickable.add(step.output);
    }
  }
  return { constant, moving, trickable };
}

/**
 * Which layers of `model` use the first-layer trick on the plane spanned by dx and dy: the moving
 * Dense/Conv layers whose input does not move, filtered by `mode` ("auto": at least
 * TRICK_MIN_MACS multiply-adds per output element, and no BatchNormalization with moving weights
 * reading the output: the direct way folds such a BatchNorm into the layer's weights at each
 * point, while the trick could only apply it to the activations). Decided from shapes alone, so
 * every process reaches the same answer; a surface stores it so re-runs keep it even if the rule
 * changes.
 */
export function chooseTrickLayers(model: LoadedModel, dx: Direction, dy: Direction | null, mode: "auto" | "always" | "never" = "auto"): string[] {
  if (mode === "never") return [];
  const moves = (i: number) => !isZero(dx[i]) || !isZero(dy?.[i]);
  const { moving, trickable } = splitSteps(model, moves);
  const movingBatchNormReads = (value: number) =>
    model.steps.some((s) => s.className === "BatchNormalization" && s.inputs.includes(value) && Object.values(s.params).some(moves));
  const names: string[] = [];
  for (const step of moving) {
    if (!trickable.has(step.output)) continue;
    if (mode === "always" || (macsPerOutput(model, step) >= TRICK_MIN_MACS && !movingBatchNormReads(step.output))) {
      if (!names.includes(step.name)) names.push(step.name);
    }
  }
  return names;
}

/** The activation an Activation layer or a plain ReLU layer applies; null for any other layer. */
function plainActivation(step: Step): string | null {
  if (step.className === "Activation") return activationKey(step.config.activation);
  const plainRelu = step.config.maxValue == null && Number(step.config.negativeSlope ?? 0) === 0 && Number(step.config.threshold ?? 0) === 0;
  return step.className === "ReLU" && plainRelu ? "relu" : null;
}

/**
 * The one step reading `value`, when that step reads nothing else and the value is not the model's
 * output; null otherwise. (A reader of a moving value moves too.)
 */
function onlyReaderOf(model: LoadedModel, value: number): Step | null {
  if (value === model.outputValue) return null;
  const readers = model.steps.filter((s) => s.inputs.includes(value));
  return readers.length === 1 && readers[0]!.inputs.length === 1 ? readers[0]! : null;
}

/**
 * The steps a layer using the first-layer trick takes with it (see TrickGroup), or null for none:
 * a BatchNorm over its channels whose weights do not move (`moves`, and `foldBatchNorm`), the
 * activation after it, a max pooling after a non-decreasing activation. Each must be the only
 * reader of the value before it, which must not be the model's output (its activation is left to
 * the loss).
 */
function trickGroupOf(model: LoadedModel, step: Step, moves: (param: number) => boolean, foldBatchNorm: boolean): TrickGroup | null {
  const still = (bn: Step) => foldBatchNorm && !Object.values(bn.params).some(moves);
  const { batchNorm, activation, inside } = stepsAfter(model, step, still, () => true);
  const last = () => inside[inside.length - 1]?.output ?? step.output;
  const next = NON_DECREASING_ACTIVATIONS.has(activation) ? onlyReaderOf(model, last()) : null;
  const pool = next?.className === "MaxPooling2D" || next?.className === "GlobalMaxPooling2D" ? next : null;
  if (pool !== null) inside.push(pool);
  return inside.length === 0 ? null : { linear: step, batchNorm, activation, pool, inside, output: last() };
}

/**
 * What a linear step's output runs through before the next layer: for a step without an activation
 * of its own, the BatchNorm over its channels (when `takeBatchNorm` accepts it) and then an
 * Activation/ReLU layer (when `takeActivation` accepts its activation), each the only reader of the
 * value before it; `inside` lists the steps taken, `activation` is the one applied last.
 */
function stepsAfter(model: LoadedModel, step: Step, takeBatchNorm: (bn: Step) => boolean, takeActivation: (activation: string) => boolean): { batchNorm: Step | null; activation: string; inside: Step[] } {
  const inside: Step[] = [];
  let activation = activationKey(step.config.activation);
  let batchNorm: Step | null = null;
  if (activation !== "linear") return { batchNorm, activation, inside };
  const next = onlyReaderOf(model, step.output);
  if (next?.className === "BatchNormalization" && normalizesLastAxis(next, step) && takeBatchNorm(next)) inside.push(batchNorm = next);
  const after = onlyReaderOf(model, inside[inside.length - 1]?.output ?? step.output);
  // The model's final activation is left to the loss (see activationOf), so it is not taken.
  const act = after === null || after.output === model.outputValue ? null : plainActivation(after);
  if (act !== null && takeActivation(act)) {
    activation = act;
    inside.push(after!);
  }
  return { batchNorm, activation, inside };
}

/** Inference BatchNorm is s * (x - mean) + beta per channel: its scale s = gamma / sqrt(var + eps). */
export function batchNormScale(step: Step, w: Record<string, tf.Tensor>): tf.Tensor {
  const inv = tf.rsqrt(tf.add(w.moving_variance!, Number(step.config.epsilon ?? 1e-3)));
  return w.gamma ? tf.mul(w.gamma, inv) : inv;
}

/** s * (x - mean) + beta, x broadcast over its last axis; x undefined stands for zero. */
export function batchNormOf(x: tf.Tensor | undefined, w: Record<string, tf.Tensor>, scale: tf.Tensor): tf.Tensor {
  const centred = x ? tf.sub(x, w.moving_mean!) : tf.neg(w.moving_mean!);
  return w.beta ? tf.add(tf.mul(centred, scale), w.beta) : tf.mul(centred, scale);
}

/** True when a BatchNormalization step normalizes the last (channel) axis of a Dense/Conv2D output. */
function normalizesLastAxis(batchNorm: Step, linear: Step): boolean {
  const axis = Number(batchNorm.config.axis ?? -1);
  // A Dense output may have any rank, so only -1 is known to be its last axis there.
  return axis === -1 || (linear.className === "Conv2D" && axis === 3);
}

/**
 * Finds the moving Dense/Conv2D layers (those not using the first-layer trick) whose output
 * feeds only a BatchNormalization over the channel axis and/or only an activation the fused
 * op can apply, and folds them (see FoldedGroup); and groups each tricked layer with the steps
 * after it it can take (see TrickGroup). Folds are off with `foldBatchNorm` false.
 */
export function planGroups(
  model: LoadedModel, movingSteps: readonly Step[], tricked: ReadonlySet<number>, moves: (param: number) => boolean, foldBatchNorm: boolean,
): { folds: Map<number, FoldedGroup>; trickGroups: Map<number, TrickGroup>; absorbed: Set<number> } {
  const folds = new Map<number, FoldedGroup>();
  const trickGroups = new Map<number, TrickGroup>();
  /** Output values of steps evaluated inside a folded or trick group. */
  const absorbed = new Set<number>();
  for (const step of movingSteps) {
    if (!tricked.has(step.output)) continue;
    const group = trickGroupOf(model, step, moves, foldBatchNorm);
    if (group === null) continue;
    trickGroups.set(step.output, group);
    for (const s of group.inside) absorbed.add(s.output);
  }
  if (!foldBatchNorm) return { folds, trickGroups, absorbed };
  for (const step of movingSteps) {
    if (tricked.has(step.output) || absorbed.has(step.output)) continue;
    if ((step.className !== "Conv2D" && step.className !== "Dense") || step.params.kernel === undefined) continue;
    const { batchNorm, activation, inside } = stepsAfter(model, step, () => true, (act) => FUSED_ACTIVATIONS.has(act));
    if (inside.length === 0 || !FUSED_ACTIVATIONS.has(activation)) continue;
    folds.set(step.output, { linear: step, batchNorm, activation, output: inside[inside.length - 1]!.output });
    for (const s of inside) absorbed.add(s.output);
  }
  return { folds, trickGroups, absorbed };
}
