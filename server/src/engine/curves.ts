/**
 * Mode connectivity (Garipov, Izmailov, Podoprikhin, Vetrov, Wilson 2018, "Loss Surfaces, Mode
 * Connectivity, and Fast Ensembling of DNNs"): a curve phi(t) between two trained models A and B of
 * one architecture, whose bends are trained so that the loss stays low all along it, and the loss
 * and accuracy along that curve and along the straight line A -> B.
 *
 * Training minimises E_{t ~ U[0,1]} [ L(phi(t)) ] (eq. 5) as the reference's train.py does: one t
 * per mini-batch, drawn from a seeded stream; the endpoints stay fixed and only the bends move.
 * TF.js differentiates through phi, so the gradient reaching bend j is c_j(t) times the gradient of
 * the loss at phi(t). Weight decay is the reference's `l2_regularizer`: 0.5 wd ||phi(t)||^2 added to
 * the batch loss, whose gradient reaches only the bends since the endpoints are fixed. The learning
 * rate is constant (the reference's schedule is left out).
 *
 * BatchNorm: in training every batch is normalized with its own statistics (train mode), and the
 * running statistics are never interpolated: before a point of a curve or of the line is
 * evaluated, they are recomputed at phi(t) on the training data in train mode, as the cumulative
 * average over one pass of the batch means and unbiased variances (the reference's `update_bn`:
 * reset, then momentum n_b / (n + n_b) per batch). Models without BatchNorm are evaluated as they are.
 */
import * as tf from "@tensorflow/tfjs-core";
import { barrier, curveCoefficients, curveTs, initialBends, pointOnCurve } from "./curve-math.js";
import { type Dataset, prepareData, type PreparedData } from "./data.js";
import { alignModel } from "./directions.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { batchLossSum, type BatchStatistics, checkDifferentiable, differentiableForward, needsOwnConvGradient } from "./forward.js";
import { type LossSpec, type OutputForm, perSampleLoss } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { type CurveKind, type CurveOptimizer, DEFAULT_CURVE_BENDS, DEFAULT_CURVE_KIND, DEFAULT_CURVE_OPTIMIZER, DEFAULT_CURVE_POINTS, MAX_CURVE_BENDS, MAX_CURVE_POINTS, MIN_CURVE_POINTS } from "./options.js";
import { SeededRandom } from "./rng.js";
import { epochOrder } from "./train.js";
import { batchOf, classifierLoss, disposeBatch } from "./train-network.js";

/** Samples per forward pass when a point is evaluated. */
const MEASURE_BATCH = 1024;

/** The two endpoints in model A's parameter order; A's graph computes every point. */
export interface Endpoints {
  readonly model: LoadedModel;
  readonly a: readonly Float32Array[];
  readonly b: readonly Float32Array[];
}

/** A curve: its kind and its bends, each one array per parameter in the model's order. */
export interface Curve {
  readonly kind: CurveKind;
  readonly bends: readonly (readonly Float32Array[])[];
}

export interface CurveTrainOptions {
  /** bezier (default) or polychain. */
  readonly kind?: CurveKind;
  /** Bends between the endpoints, 1 to MAX_CURVE_BENDS; default 1. */
  readonly bends?: number;
  /** sgd, momentum (0.9; default) or adam. */
  readonly optimizer?: CurveOptimizer;
  /** Default 0.05. */
  readonly learningRate?: number;
  /** The reference's l2: 0.5 weightDecay ||phi(t)||^2 added to the loss; default 0. */
  readonly weightDecay?: number;
  /** Samples per step; default 32. */
  readonly batchSize?: number;
  /** Passes over the training data; default 10. */
  readonly epochs?: number;
  /** Seed of the shuffling and of the values of t; default 0. */
  readonly seed?: number;
  /** Save a checkpoint of the bends every this many steps (and at the end); default one per epoch. */
  readonly checkpointEvery?: number;
}

export interface CurveTrainCallbacks {
  /** After every step: steps done, steps in all. */
  onProgress?(step: number, total: number): void;
  /** The bends at a checkpoint, with the mean training loss (at random t, weight decay included) since the last one. */
  onCheckpoint?(step: number, curve: Curve, meanLoss: number): Promise<void> | void;
  signal?: AbortSignal;
}

/** Model B's weights in model A's order, refused (EngineInputError) unless both are one architecture. */
export function curveEndpoints(a: LoadedModel, b: LoadedModel): Endpoints {
  const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  if (!same(a.inputShape, b.inputShape) || !same(a.outputShape, b.outputShape) || a.params.length !== b.params.length) {
    throw new EngineInputError("the two models have different architectures: a curve connects two models of one architecture");
  }
  return { model: a, a: a.theta, b: alignModel(a, b, "model B") };
}

export function isParamOf(model: LoadedModel): boolean[] {
  return model.params.map((p) => !p.state);
}

/** The classifier's loss of the model, as its own trainer uses it. */
export function lossOf(model: LoadedModel): { loss: LossSpec; form: OutputForm } {
  const classes = model.outputShape[0] ?? 0;
  return classifierLoss(model, classes);
}

/** phi(t) as tensors built from A, the bends and B: differentiable with respect to the bends. */
function curveTensors(a: readonly tf.Tensor[], bends: readonly (readonly tf.Tensor[])[], b: readonly tf.Tensor[], c: Float64Array, isParam: readonly boolean[]): tf.Tensor[] {
  const points = [a, ...bends, b];
  return a.map((wa, i) => {
    if (!isParam[i]) return wa;
    const terms = points.flatMap((p, j) => (c[j] === 0 ? [] : [tf.mul(p[i]!, c[j]!)]));
    return terms.length === 1 ? terms[0]! : tf.addN(terms);
  });
}

interface LossContext {
  readonly model: LoadedModel;
  readonly loss: LossSpec;
  readonly form: OutputForm;
  readonly ownConv: boolean;
  readonly hasBatchNorm: boolean;
  readonly isParam: readonly boolean[];
  readonly weightDecay: number;
}

/** Mean batch loss at phi(t) in train mode, plus 0.5 wd ||phi(t)||^2 (the reference's l2). */
function curveBatchLoss(ctx: LossContext, weights: tf.Tensor[], batch: ReturnType<typeof batchOf>, count: number): tf.Scalar {
  const statistics = new Map<number, BatchStatistics>();
  try {
    const out = differentiableForward(ctx.model, batch.x, weights, { form: ctx.form, ownConv: ctx.ownConv, ...(ctx.hasBatchNorm ? { batchStatistics: statistics } : {}) });
    let value = tf.div(batchLossSum(out, ctx.form, ctx.loss, batch.targets), count) as tf.Scalar;
    if (ctx.weightDecay > 0) {
      const squares = weights.filter((_, i) => ctx.isParam[i]).map((w) => tf.sum(tf.square(w)));
      value = tf.add(value, tf.mul(tf.addN(squares), 0.5 * ctx.weightDecay)) as tf.Scalar;
    }
    return value;
  } finally {
    for (const s of statistics.values()) {
      s.mean.dispose();
      s.variance.dispose();
    }
  }
}

function contextOf(model: LoadedModel, weightDecay: number, purpose: string): LossContext {
  const { loss, form } = lossOf(model);
  const backend = tf.getBackend();
  for (const step of model.steps) checkDifferentiable(step, backend, purpose, "run it with TensorFlow (tfjs-node) or the cpu backend");
  return { model, loss, form, ownConv: needsOwnConvGradient(model, backend), hasBatchNorm: model.steps.some((s) => s.className === "BatchNormalization"), isParam: isParamOf(model), weightDecay };
}

/**
 * The training objective at one t on all of `data` (one batch, train mode) and its gradient with
 * respect to every bend: what one step of trainCurve differentiates, for tests.
 */
export function curveLossAndGradients(endpoints: Endpoints, curve: Curve, t: number, data: Dataset, weightDecay = 0): { loss: number; gradients: Float32Array[][] } {
  const { model } = endpoints;
  const ctx = contextOf(model, weightDecay, "the curve's gradient cannot be taken");
  const prepared = prepareData(model, data, ctx.loss);
  const batch = batchOf(prepared, Array.from({ length: prepared.count }, (_, i) => i));
  const shape = (i: number) => model.params[i]!.shape as number[];
  const a = endpoints.a.map((w, i) => tf.tensor(w, shape(i), "float32"));
  const b = endpoints.b.map((w, i) => tf.tensor(w, shape(i), "float32"));
  const flat = curve.bends.flatMap((bend) => bend.map((w, i) => tf.tensor(w, shape(i), "float32")));
  const n = model.params.length;
  try {
    const c = curveCoefficients(curve.kind, curve.bends.length, t);
    const f = (...bendTensors: tf.Tensor[]) => {
      const bends = curve.bends.map((_, j) => bendTensors.slice(j * n, (j + 1) * n));
      return curveBatchLoss(ctx, curveTensors(a, bends, b, c, ctx.isParam), batch, prepared.count);
    };
    const { value, grads } = tf.valueAndGrads(f)(flat);
    const loss = value.dataSync()[0]!;
    const gradients = curve.bends.map((_, j) => grads.slice(j * n, (j + 1) * n).map((g) => g.dataSync() as Float32Array));
    value.dispose();
    for (const g of grads) g.dispose();
    return { loss, gradients };
  } finally {
    disposeBatch(batch);
    for (const x of [...a, ...b, ...flat]) x.dispose();
  }
}

/**
 * Trains the bends of a curve from A to B on `train` (integer labels), starting from the straight
 * line (bend j at j / k of the segment). Throws EngineInputError for options or models it cannot
 * train, SurfaceCancelledError when `callbacks.signal` aborts.
 */
export async function trainCurve(endpoints: Endpoints, train: Dataset, options: CurveTrainOptions = {}, callbacks: CurveTrainCallbacks = {}): Promise<{ curve: Curve; steps: number }> {
  const { model } = endpoints;
  const kind = options.kind ?? DEFAULT_CURVE_KIND;
  const bendCount = options.bends ?? DEFAULT_CURVE_BENDS;
  const batchSize = options.batchSize ?? 32;
  const epochs = options.epochs ?? 10;
  const learningRate = options.learningRate ?? 0.05;
  const weightDecay = options.weightDecay ?? 0;
  if (!Number.isInteger(bendCount) || bendCount < 1 || bendCount > MAX_CURVE_BENDS) throw new EngineInputError(`bends must be from 1 to ${MAX_CURVE_BENDS}`);
  if (!Number.isInteger(batchSize) || batchSize < 2 || batchSize > train.count) throw new EngineInputError(`batch size must be from 2 to ${train.count}`);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) throw new EngineInputError("epochs must be from 1 to 1000");
  if (!(learningRate > 0 && learningRate < 10)) throw new EngineInputError("learning rate must be between 0 and 10");
  if (!(weightDecay >= 0 && weightDecay < 1)) throw new EngineInputError("weight decay must be from 0 to 1");
  const ctx = contextOf(model, weightDecay, "the curve cannot be trained");
  const data = prepareData(model, train, ctx.loss);
  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  // A last batch of one sample has no variance for a BatchNorm of vectors; it joins the one before.
  const lastAlone = ctx.hasBatchNorm && train.count % batchSize === 1;
  const steps = lastAlone ? stepsPerEpoch - 1 : stepsPerEpoch;
  const total = steps * epochs;
  const every = options.checkpointEvery ?? steps;
  if (!Number.isInteger(every) || every < 1) throw new EngineInputError("checkpointEvery must be a positive whole number of steps");

  const shape = (i: number) => model.params[i]!.shape as number[];
  const trained = model.params.map((p) => !p.state && p.trainable);
  const a = endpoints.a.map((w, i) => tf.tensor(w, shape(i), "float32"));
  const b = endpoints.b.map((w, i) => tf.tensor(w, shape(i), "float32"));
  const bends = initialBends(endpoints.a, endpoints.b, bendCount, ctx.isParam).map((bend) => bend.map((w, i) => tf.variable(tf.tensor(w, shape(i), "float32"), trained[i])));
  const variables = bends.flatMap((bend) => bend.filter((_, i) => trained[i]));
  const optimizer = options.optimizer === "adam" ? tf.train.adam(learningRate) : (options.optimizer ?? DEFAULT_CURVE_OPTIMIZER) === "momentum" ? tf.train.momentum(learningRate, 0.9) : tf.train.sgd(learningRate);
  const orderRng = new SeededRandom(options.seed ?? 0, 7);
  const tRng = new SeededRandom(options.seed ?? 0, 13);
  const snapshot = (): Curve => ({ kind, bends: bends.map((bend) => bend.map((v) => new Float32Array(v.dataSync() as Float32Array))) });
  let step = 0;
  let lossSum = 0;
  let lossSteps = 0;
  const checkpoint = async () => {
    await callbacks.onCheckpoint?.(step, snapshot(), lossSum / Math.max(1, lossSteps));
    lossSum = 0;
    lossSteps = 0;
  };
  try {
    const order = new Int32Array(train.count);
    for (let epoch = 0; epoch < epochs; epoch++) {
      epochOrder(order, orderRng, true);
      for (let s = 0; s < steps; s++) {
        if (callbacks.signal?.aborted) throw new SurfaceCancelledError();
        const end = s === steps - 1 ? train.count : (s + 1) * batchSize;
        const idx = order.subarray(s * batchSize, end);
        const batch = batchOf(data, idx);
        const c = curveCoefficients(kind, bendCount, tRng.nextFloat());
        try {
          const cost = optimizer.minimize(() => curveBatchLoss(ctx, curveTensors(a, bends, b, c, ctx.isParam), batch, idx.length), true, variables);
          const value = cost?.dataSync()[0] ?? Number.NaN;
          cost?.dispose();
          if (!Number.isFinite(value)) throw new EngineInputError(`the curve's loss became ${value} at step ${step + 1}; lower the learning rate`);
          lossSum += value;
          lossSteps += 1;
        } finally {
          disposeBatch(batch);
        }
        step += 1;
        callbacks.onProgress?.(step, total);
        if (step % every === 0 && step !== total) await checkpoint();
        // Let timers and abort signals run between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await checkpoint();
    return { curve: snapshot(), steps: step };
  } finally {
    for (const x of [...a, ...b, ...bends.flat()]) x.dispose();
    optimizer.dispose();
  }
}

/**
 * BatchNorm's running statistics at `weights`, recomputed on `data` in train mode (the reference's
 * update_bn): per BatchNorm layer, the average over batches of the batch mean and of the unbiased
 * batch variance, weighted by the batches' sizes. Batches are `batchSize` samples in the data's
 * order (sizes evened out so none has a single sample). Returns `weights` with those statistics in
 * place of the running mean and variance; a model without BatchNorm gets `weights` back.
 */
export function recomputeBatchNorm(model: LoadedModel, weights: readonly Float32Array[], data: PreparedData, form: OutputForm, batchSize = 128): Float32Array[] {
  const layers = model.steps.filter((s) => s.className === "BatchNormalization" && s.params.moving_mean !== undefined && s.params.moving_variance !== undefined);
  if (layers.length === 0) return [...weights];
  const sums = new Map(layers.map((s) => [s.output, { mean: new Float64Array(weights[s.params.moving_mean!]!.length), variance: new Float64Array(weights[s.params.moving_variance!]!.length) }]));
  const tensors = weights.map((w, i) => tf.tensor(w, model.params[i]!.shape as number[], "float32"));
  const batches = Math.max(1, Math.floor(data.count / Math.max(2, batchSize)));
  try {
    for (let k = 0; k < batches; k++) {
      const start = Math.floor((k * data.count) / batches);
      const end = Math.floor(((k + 1) * data.count) / batches);
      const batch = batchOf(data, Array.from({ length: end - start }, (_, i) => start + i));
      const statistics = new Map<number, BatchStatistics>();
      try {
        tf.tidy(() => {
          differentiableForward(model, batch.x, tensors, { form, ownConv: false, batchStatistics: statistics });
        });
        for (const [output, s] of statistics) {
          const sum = sums.get(output);
          if (!sum) continue;
          const mean = s.mean.dataSync();
          const variance = s.variance.dataSync();
          for (let c = 0; c < mean.length; c++) {
            sum.mean[c]! += (mean[c]! * (end - start)) / data.count;
            sum.variance[c]! += (variance[c]! * (end - start)) / data.count;
          }
        }
      } finally {
        for (const s of statistics.values()) {
          s.mean.dispose();
          s.variance.dispose();
        }
        disposeBatch(batch);
      }
    }
  } finally {
    for (const t of tensors) t.dispose();
  }
  const out = [...weights];
  for (const s of layers) {
    const sum = sums.get(s.output)!;
    out[s.params.moving_mean!] = Float32Array.from(sum.mean);
    out[s.params.moving_variance!] = Float32Array.from(sum.variance);
  }
  return out;
}

/** Mean loss and accuracy over all of `data` in eval mode (running statistics), summed in float64. */
export function measureAt(model: LoadedModel, weights: readonly Float32Array[], data: PreparedData, loss: LossSpec, form: OutputForm): { loss: number; accuracy: number } {
  const tensors = weights.map((w, i) => tf.tensor(w, model.params[i]!.shape as number[], "float32"));
  let lossSum = 0;
  let right = 0;
  try {
    for (let start = 0; start < data.count; start += MEASURE_BATCH) {
      const idx = Array.from({ length: Math.min(MEASURE_BATCH, data.count - start) }, (_, k) => start + k);
      const batch = batchOf(data, idx);
      try {
        const rows = tf.tidy(() => perSampleLoss(differentiableForward(model, batch.x, tensors, { form, ownConv: false }), form, loss, batch.targets));
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
  } finally {
    for (const t of tensors) t.dispose();
  }
  return { loss: lossSum / data.count, accuracy: right / data.count };
}

/** Loss and accuracy at each t of a path, on one data set. */
export interface PathValues {
  readonly loss: number[];
  readonly accuracy: number[];
}

/** Barrier heights of one path (curve-math.ts's `barrier`); accuracy's is the drop below the endpoints' mean. */
export interface PathBarriers {
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
}

export interface CurveEvaluation {
  readonly t: number[];
  readonly curve: { readonly train: PathValues; readonly test: PathValues | null };
  readonly line: { readonly train: PathValues; readonly test: PathValues | null };
  readonly barriers: { readonly curve: PathBarriers; readonly line: PathBarriers };
  /** True when the model has BatchNorm, whose statistics were recomputed at every point on the training data. */
  readonly batchNormRecomputed: boolean;
}

export interface CurveEvaluationOptions {
  /** Values of t, evenly spaced with 0 and 1; default 61. */
  readonly points?: number;
  /** Batch size of the BatchNorm recomputation; default 128. */
  readonly batchSize?: number;
}

function barriersOf(train: PathValues, test: PathValues | null): PathBarriers {
  return {
    trainLoss: barrier(train.loss),
    trainAccuracy: barrier(train.accuracy, true),
    testLoss: test ? barrier(test.loss) : null,
    testAccuracy: test ? barrier(test.accuracy, true) : null,
  };
}

/**
 * Loss and accuracy at `points` values of t along the curve and along the straight line A -> B, on
 * `train` and (when given) `test`, with their barriers. Each point's BatchNorm statistics are
 * recomputed on `train` first. `onProgress(done, total)` after each point (2 x points in all).
 */
export async function evaluateCurve(
  endpoints: Endpoints,
  curve: Curve,
  train: Dataset,
  test: Dataset | null,
  options: CurveEvaluationOptions = {},
  callbacks: { onProgress?(done: number, total: number): void; signal?: AbortSignal } = {},
): Promise<CurveEvaluation> {
  const points = options.points ?? DEFAULT_CURVE_POINTS;
  if (!Number.isInteger(points) || points < MIN_CURVE_POINTS || points > MAX_CURVE_POINTS) throw new EngineInputError(`points must be from ${MIN_CURVE_POINTS} to ${MAX_CURVE_POINTS}`);
  const { model } = endpoints;
  const { loss, form } = lossOf(model);
  const isParam = isParamOf(model);
  const trainData = prepareData(model, train, loss);
  const testData = test ? prepareData(model, test, loss) : null;
  const ts = curveTs(points);
  let done = 0;
  const path = async (weightsAt: (t: number) => Float32Array[]) => {
    const trainValues: PathValues = { loss: [], accuracy: [] };
    const testValues: PathValues | null = testData ? { loss: [], accuracy: [] } : null;
    for (const t of ts) {
      if (callbacks.signal?.aborted) throw new SurfaceCancelledError();
      const weights = recomputeBatchNorm(model, weightsAt(t), trainData, form, options.batchSize);
      const r = measureAt(model, weights, trainData, loss, form);
      trainValues.loss.push(r.loss);
      trainValues.accuracy.push(r.accuracy);
      if (testData && testValues) {
        const e = measureAt(model, weights, testData, loss, form);
        testValues.loss.push(e.loss);
        testValues.accuracy.push(e.accuracy);
      }
      callbacks.onProgress?.(++done, 2 * points);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { train: trainValues, test: testValues };
  };
  const curveValues = await path((t) => pointOnCurve(endpoints.a, curve.bends, endpoints.b, curveCoefficients(curve.kind, curve.bends.length, t), isParam));
  const lineValues = await path((t) => pointOnCurve(endpoints.a, [], endpoints.b, [1 - t, t], isParam));
  return {
    t: ts,
    curve: curveValues,
    line: lineValues,
    barriers: { curve: barriersOf(curveValues.train, curveValues.test), line: barriersOf(lineValues.train, lineValues.test) },
    batchNormRecomputed: model.steps.some((s) => s.className === "BatchNormalization"),
  };
}
