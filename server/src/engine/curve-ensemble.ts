/**
 * Ensembling along a curve (Garipov et al. 2018, section 5): the models phi(t_k) at K evenly spaced
 * values of t, both ends included, predict together by the mean of their softmax outputs. Because
 * the curve stays in low loss while its models differ, the ensemble can beat each endpoint; its
 * accuracy is stated beside A's and B's (the members at t = 0 and t = 1). Each member's BatchNorm
 * statistics are recomputed on the training data first, as for every point of a curve.
 */
import * as tf from "@tensorflow/tfjs-core";
import { curveCoefficients, curveTs, pointOnCurve } from "./curve-math.js";
import { type Curve, type Endpoints, isParamOf, lossOf, recomputeBatchNorm } from "./curves.js";
import { type Dataset, prepareData, type PreparedData } from "./data.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { differentiableForward } from "./forward.js";
import type { OutputForm } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { DEFAULT_CURVE_ENSEMBLE, MAX_CURVE_ENSEMBLE } from "./options.js";
import { batchOf, disposeBatch } from "./train-network.js";

/** Samples per forward pass. */
const PREDICT_BATCH = 1024;

/** Accuracy (0-1) of the ensemble and of each endpoint on one data set. */
export interface EnsembleAccuracy {
  readonly ensemble: number;
  readonly a: number;
  readonly b: number;
}

export interface CurveEnsemble {
  /** The members' values of t. */
  readonly t: number[];
  readonly train: EnsembleAccuracy;
  readonly test: EnsembleAccuracy | null;
}

/** Class probabilities of every sample of `data` at `weights`, as count rows of `classes`. */
function probabilities(model: LoadedModel, weights: readonly Float32Array[], data: PreparedData, form: OutputForm): Float32Array {
  const tensors = weights.map((w, i) => tf.tensor(w, model.params[i]!.shape as number[], "float32"));
  const out = new Float32Array(data.count * data.targetWidth);
  try {
    for (let start = 0; start < data.count; start += PREDICT_BATCH) {
      const idx = Array.from({ length: Math.min(PREDICT_BATCH, data.count - start) }, (_, k) => start + k);
      const batch = batchOf(data, idx);
      try {
        // The classifier's scores before its softmax (logits, or log-probabilities): softmax gives the probabilities.
        const p = tf.tidy(() => tf.softmax(tf.reshape(differentiableForward(model, batch.x, tensors, { form, ownConv: false }), [idx.length, -1]) as tf.Tensor2D));
        out.set(p.dataSync(), start * data.targetWidth);
        p.dispose();
      } finally {
        disposeBatch(batch);
      }
    }
  } finally {
    for (const t of tensors) t.dispose();
  }
  return out;
}

/** Share of samples whose highest score is their class. */
function accuracyOf(scores: ArrayLike<number>, data: PreparedData): number {
  const width = data.targetWidth;
  let right = 0;
  for (let s = 0; s < data.count; s++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (scores[s * width + c]! > scores[s * width + best]!) best = c;
    if (best === data.classes![s]) right++;
  }
  return right / data.count;
}

/**
 * The ensemble of `members` models along the curve (default 11), on `train` and, when given, `test`.
 * The model is a classifier (the curve's own loss, curves.ts's lossOf, refuses others); null for data
 * without class labels.
 */
export async function ensembleAlongCurve(
  endpoints: Endpoints,
  curve: Curve,
  train: Dataset,
  test: Dataset | null,
  options: { members?: number; batchSize?: number } = {},
  callbacks: { signal?: AbortSignal } = {},
): Promise<CurveEnsemble | null> {
  const members = options.members ?? DEFAULT_CURVE_ENSEMBLE;
  if (!Number.isInteger(members) || members < 2 || members > MAX_CURVE_ENSEMBLE) throw new EngineInputError(`an ensemble along a curve has 2 to ${MAX_CURVE_ENSEMBLE} members`);
  const { model } = endpoints;
  const { loss, form } = lossOf(model);
  const isParam = isParamOf(model);
  const sets = [prepareData(model, train, loss), ...(test ? [prepareData(model, test, loss)] : [])];
  if (sets.some((d) => !d.classes)) return null;
  const sums = sets.map((d) => new Float64Array(d.count * d.targetWidth));
  const ends = sets.map(() => ({ a: 0, b: 0 }));
  const ts = curveTs(members);
  for (const [k, t] of ts.entries()) {
    if (callbacks.signal?.aborted) throw new SurfaceCancelledError();
    const weights = recomputeBatchNorm(model, pointOnCurve(endpoints.a, curve.bends, endpoints.b, curveCoefficients(curve.kind, curve.bends.length, t), isParam), sets[0]!, form, options.batchSize);
    for (const [i, data] of sets.entries()) {
      const p = probabilities(model, weights, data, form);
      const sum = sums[i]!;
      for (let j = 0; j < p.length; j++) sum[j]! += p[j]!;
      if (k === 0) ends[i]!.a = accuracyOf(p, data);
      if (k === ts.length - 1) ends[i]!.b = accuracyOf(p, data);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const result = sets.map((data, i) => ({ ensemble: accuracyOf(sums[i]!, data), ...ends[i]! }));
  return { t: ts, train: result[0]!, test: result[1] ?? null };
}
