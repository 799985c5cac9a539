/**
 * Hessian-vector products H v of the mean loss, by differences of exact gradients (central, or
 * Richardson-extrapolated: see hessian.ts for the scheme, its error estimate and why not double
 * backprop). HessianOperator holds the data and weights on the backend for many products.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreparedData } from "./data.js";
import { directionCovers } from "./directions.js";
import { type FrozenMode, type IgnoreMode, IGNORE_MODES, FROZEN_MODES } from "./options.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { batchLossSum, checkDifferentiable, type ConvGradient, differentiableForward, type Gates, needsOwnConvGradient } from "./forward.js";
import { isCategorical, type BatchTargets, type LossSpec, type OutputForm } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { dot } from "./lanczos.js";

export interface HessianOptions {
  /** Biases and BatchNorm parameters out of the Hessian ("biasbn", default) or in ("none"), as for directions. */
  readonly ignore?: IgnoreMode;
  /** Weights of layers marked `trainable: false` in ("move", default) or out ("still"). */
  readonly frozen?: FrozenMode;
  /** Samples per gradient batch; default 2,000. */
  readonly batchSize?: number;
  /**
   * Finite-difference step h relative to ||theta|| over the moved parameters (for experts);
   * default DEFAULT_STEPS[scheme]: 5e-3 under "richardson", 1e-2 under "central".
   */
  readonly step?: number;
  /** How each H v is formed from gradients (see HVP_SCHEMES); default "richardson". */
  readonly scheme?: HvpScheme;
}

/**
 * How H v is formed from exact gradients g, with D(h) = (g(theta + h v) - g(theta - h v)) / (2 h):
 * - "richardson" (default): Richardson extrapolation of two central differences,
 *   H v = (4 D(h/2) - D(h)) / 3 + O(h^4), four gradients per product; ||R - D(h/2)|| gives the
 *   error estimate (see HessianOperator.errorEstimate).
 * - "central": one central difference, D(h) = H v + O(h^2), two gradients per product (the
 *   scheme before Richardson became the default; at its step of 1e-2 the float64 fixtures'
 *   eigenvalues came out 1e-3 to 5e-2 off).
 */
export const HVP_SCHEMES = ["richardson", "central"] as const;
export type HvpScheme = (typeof HVP_SCHEMES)[number];

/**
 * Default step per scheme, chosen by measurement against float64 PyTorch double backprop
 * (server/src/engine/README.md, "Curvature"): Richardson from h = 5e-3 ||theta|| keeps the
 * top-5 eigenvalues and lambda_min within 7e-5 on an MLP with BatchNorm and a CNN. From 1e-2 the
 * CNN's lambda_min was 1e-3 off (the O(h^4) term); from 2e-3 the fixtures gained little (3e-5)
 * while float32 rounding of the gradients, about 1e-7 ||g|| / h, grew enough to break the
 * symmetry u.Hv = v.Hu of an untrained CNN far from any minimum. The central difference keeps
 * its old default.
 */
export const DEFAULT_STEPS: Record<HvpScheme, number> = { richardson: 5e-3, central: 1e-2 };

/** What `method` says for each scheme (stored with every curvature result). */
export const HVP_METHODS: Record<HvpScheme, string> = {
  richardson: "Richardson-extrapolated central differences of exact gradients",
  central: "central differences of exact gradients",
};

interface Batch {
  readonly x: tf.Tensor;
  readonly targets: BatchTargets;
  readonly count: number;
}

/**
 * The Hessian of the mean loss at a point theta, as an operator v -> H v on the flat vector of
 * the moved parameters (in the model's parameter order, each tensor in C order). Holds data and
 * weights on the backend; dispose() frees them.
 */
export class HessianOperator {
  /** Number of parameters the Hessian is taken over (its size is dimension x dimension). */
  readonly dimension: number;
  /** Indices (into model.params) of the parameters in the Hessian, in order. */
  readonly paramIndices: readonly number[];
  /** How convolution filter gradients are computed on this backend. */
  readonly convGradient: ConvGradient;
  /** Hessian-vector products computed so far. */
  hvps = 0;
  /** Gradients taken for them (two per product, four under "richardson"). */
  gradients = 0;
  /** How each product is formed. */
  readonly scheme: HvpScheme;
  /**
   * Under "richardson", the largest ||R - D(h/2)|| / ||v|| and the largest ||R|| / ||v|| of any
   * product so far (see errorEstimate).
   */
  private largestError = 0;
  private largestNorm = 0;
  private readonly offsets: number[];
  private readonly batches: Batch[];
  private readonly form: OutputForm;
  private readonly inHessian: boolean[];
  private readonly ownConv: boolean;
  private weights: tf.Tensor[];
  private gates: (Gates | undefined)[] = [];
  private thetaNorm = 0;
  private readonly stepScale: number;

  private constructor(
    private readonly model: LoadedModel,
    data: PreparedData,
    private readonly loss: LossSpec,
    origin: readonly Float32Array[],
    options: HessianOptions,
  ) {
    const ignore = options.ignore ?? "biasbn";
    const frozen = options.frozen ?? "move";
    if (!IGNORE_MODES.includes(ignore)) throw new EngineInputError(`unknown --ignore "${ignore}" (choose one of ${IGNORE_MODES.join(", ")})`);
    if (!FROZEN_MODES.includes(frozen)) throw new EngineInputError(`unknown --frozen "${frozen}" (choose one of ${FROZEN_MODES.join(", ")})`);
    this.scheme = options.scheme ?? "richardson";
    if (!HVP_SCHEMES.includes(this.scheme)) throw new EngineInputError(`unknown HVP scheme "${String(this.scheme)}" (choose one of ${HVP_SCHEMES.join(", ")})`);
    this.stepScale = options.step ?? DEFAULT_STEPS[this.scheme];
    if (!(this.stepScale > 0 && this.stepScale < 1)) throw new EngineInputError("the finite-difference step must be between 0 and 1");
    this.inHessian = model.params.map((p) => directionCovers(p, ignore, frozen));
    this.paramIndices = model.params.flatMap((_, i) => (this.inHessian[i] ? [i] : []));
    this.offsets = [];
    let size = 0;
    for (const i of this.paramIndices) {
      this.offsets.push(size);
      size += model.params[i]!.size;
    }
    this.dimension = size;
    if (size === 0) throw new EngineInputError(`the model has no parameters to take the Hessian over (with --ignore ${ignore}, biases and BatchNorm parameters are left out)`);
    const backend = tf.getBackend();
    const hasConv = model.steps.some((s) => (s.className === "Conv2D" || s.className === "GroupedConv2D") && Object.keys(s.params).length > 0);
    this.ownConv = needsOwnConvGradient(model, backend);
    this.convGradient = !hasConv ? "none" : this.ownConv ? "as a convolution" : "native";
    for (const step of model.steps) checkDifferentiable(step, backend);
    const categorical = isCategorical(loss) && !loss.fromLogits && model.outputActivation === "softmax";
    const binary = loss.name === "binary_crossentropy" && !loss.fromLogits && model.outputActivation === "sigmoid";
    this.form = categorical ? "softmax-logits" : binary ? "sigmoid-logits" : "values";
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 2000, data.count));
    const per = data.x.length / data.count;
    this.batches = [];
    for (let start = 0; start < data.count; start += batchSize) {
      const n = Math.min(batchSize, data.count - start);
      const x = tf.tensor(data.x.subarray(start * per, (start + n) * per), [n, ...data.inputShape], "float32");
      const y = tf.tensor2d(data.y.subarray(start * data.targetWidth, (start + n) * data.targetWidth), [n, data.targetWidth], "float32");
      const rowSums = data.rowSums ? tf.tensor1d(data.rowSums.subarray(start, start + n), "float32") : null;
      this.batches.push({ x, targets: { y, classes: null, rowSums, oneHot: data.oneHot }, count: n });
    }
    this.count = data.count;
    this.weights = [];
    this.setOrigin(origin);
  }

  private readonly count: number;

  /** Uploads model and data to the active backend; the Hessian is taken at `origin` (default theta). */
  static create(model: LoadedModel, data: PreparedData, loss: LossSpec, options: HessianOptions = {}, origin: readonly Float32Array[] = model.theta): HessianOperator {
    return new HessianOperator(model, data, loss, origin, options);
  }

  /** Moves the point the Hessian is taken at (for maps over a plane). */
  setOrigin(origin: readonly Float32Array[]): void {
    this.clearGates();
    for (const t of this.weights) t.dispose();
    this.weights = this.model.params.map((p, i) => tf.tensor(origin[i]!, p.shape as number[], "float32"));
    let s = 0;
    for (const i of this.paramIndices) for (const v of origin[i]!) s += v * v;
    this.thetaNorm = Math.sqrt(s);
  }

  /** The relative step in use (see HessianOptions.step). */
  get step(): number {
    return this.stepScale;
  }

  /** The finite-difference step eps for a unit vector (step x ||theta||, at least step). */
  get epsilon(): number {
    return this.stepScale * Math.max(this.thetaNorm, 1);
  }

  /**
   * The network's output on a batch with the given weights. With `record`, the pattern of every
   * piecewise-linear unit (relu-like activations, max pooling) at these weights is stored in it;
   * with `gates`, those units follow the stored pattern instead of their own (see gatedForward).
   */
  private forward(batch: Batch, weights: readonly tf.Tensor[], gates: Gates | null, record: Gates | null): tf.Tensor {
    return differentiableForward(this.model, batch.x, weights, { form: this.form, ownConv: this.ownConv, gates, record });
  }

  /** The gates of a batch at the current origin (cached until the origin moves). */
  private gatesOf(index: number): Gates {
    let gates = this.gates[index];
    if (gates === undefined) {
      const recorded: Gates = new Map();
      tf.tidy(() => {
        this.forward(this.batches[index]!, this.weights, null, recorded);
        for (const pair of recorded.values()) pair.forEach((t) => tf.keep(t));
      });
      gates = recorded;
      this.gates[index] = gates;
    }
    return gates;
  }

  private clearGates(): void {
    for (const g of this.gates) if (g) for (const pair of g.values()) pair.forEach((t) => t.dispose());
    this.gates = [];
  }

  /**
   * Sum over batches, in float64, of the flat gradient (of the summed loss) at origin + s_k v for
   * each (s_k, c_k) in `terms`, combined as sum_k c_k g(origin + s_k v), or at the origin when v is null.
   */
  private combinedGradient(v: Float64Array | null, terms: readonly (readonly [number, number])[], shouldStop?: () => boolean): Float64Array {
    const out = new Float64Array(this.dimension);
    const vTensors = v === null ? null : this.paramIndices.map((i, k) => {
      const p = this.model.params[i]!;
      return tf.tensor(Float32Array.from(v.subarray(this.offsets[k]!, this.offsets[k]! + p.size)), p.shape as number[], "float32");
    });
    try {
      for (const [index, batch] of this.batches.entries()) {
        if (shouldStop?.()) throw new SurfaceCancelledError();
        const gates = this.gatesOf(index);
        const flat = tf.tidy(() => {
          let sum: tf.Tensor | null = null;
          for (const [s, c] of terms) {
            const moved = this.paramIndices.map((i, k) => (vTensors === null || s === 0 ? this.weights[i]! : tf.add(this.weights[i]!, tf.mul(vTensors[k]!, s))));
            const f = (...xs: tf.Tensor[]) => {
              const all = this.weights.slice();
              this.paramIndices.forEach((i, k) => (all[i] = xs[k]!));
              return batchLossSum(this.forward(batch, all, gates, null), this.form, this.loss, batch.targets);
            };
            const grads = tf.grads(f)(moved);
            const g = tf.concat(grads.map((t) => tf.reshape(t, [-1])));
            sum = sum === null ? tf.mul(g, c) : tf.add(sum, tf.mul(g, c));
          }
          return sum!;
        });
        const values = flat.dataSync() as Float32Array;
        flat.dispose();
        for (let k = 0; k < values.length; k++) out[k] = out[k]! + values[k]!;
      }
    } finally {
      vTensors?.forEach((t) => t.dispose());
    }
    return out;
  }

  /** The gradient of the mean loss at the origin, flat, float64. */
  gradient(): Float64Array {
    const g = this.combinedGradient(null, [[0, 1]]);
    for (let k = 0; k < g.length; k++) g[k] = g[k]! / this.count;
    return g;
  }

  /**
   * H v from differences of exact gradients (see the file's comment and HVP_SCHEMES); v need not
   * be a unit vector (the step is scaled by its norm). Throws SurfaceCancelledError when `shouldStop`.
   */
  hvp(v: Float64Array, shouldStop?: () => boolean): Float64Array {
    if (v.length !== this.dimension) throw new Error(`vector of length ${v.length} for a Hessian of dimension ${this.dimension}`);
    const norm = Math.sqrt(dot(v, v));
    const out = new Float64Array(this.dimension);
    if (norm === 0) return out;
    const eps = this.epsilon / norm;
    // D(h) = sum_k (g(+h) - g(-h)) / (2 h N): the central difference of the mean loss's gradient.
    const wide = this.combinedGradient(v, [[eps, 1], [-eps, -1]], shouldStop);
    this.gradients += 2;
    const wideScale = 1 / (2 * eps * this.count);
    if (this.scheme === "central") {
      for (let k = 0; k < wide.length; k++) out[k] = wide[k]! * wideScale;
      this.hvps++;
      return out;
    }
    const narrow = this.combinedGradient(v, [[eps / 2, 1], [-eps / 2, -1]], shouldStop);
    this.gradients += 2;
    const narrowScale = 1 / (eps * this.count);
    // Richardson: D(h) = Hv + c h^2 + O(h^4), so (4 D(h/2) - D(h)) / 3 = Hv + O(h^4).
    let diff = 0;
    let size = 0;
    for (let k = 0; k < out.length; k++) {
      const half = narrow[k]! * narrowScale;
      const r = (4 * half - wide[k]! * wideScale) / 3;
      out[k] = r;
      diff += (r - half) ** 2;
      size += r * r;
    }
    this.largestError = Math.max(this.largestError, Math.sqrt(diff) / norm);
    this.largestNorm = Math.max(this.largestNorm, Math.sqrt(size) / norm);
    this.hvps++;
    return out;
  }

  /**
   * The run's error estimate for its products, relative to the Hessian's scale: under "richardson",
   * the largest ||R - D(h/2)|| / ||v|| over the products so far, over the largest ||R|| / ||v||
   * (about |lambda| of the largest eigenvalue met). ||R - D(h/2)|| is the truncation error of the
   * better of the two central differences, so (the extrapolation removing its h^2 term) an upper
   * estimate of R's error. An eigenvalue is off by at most about that much times the largest, so
   * small eigenvalues are the least sure in relative terms. Relative to each product's own
   * ||R|| it would not do: a probe in a nearly flat direction has a tiny ||H v|| and made it 0.3 on
   * a small MLP whose eigenvalues were right. Null under "central", which has no estimate.
   */
  get errorEstimate(): number | null {
    if (this.scheme === "central") return null;
    return this.largestNorm === 0 ? 0 : this.largestError / this.largestNorm;
  }

  /** Frees the tensors on the backend. */
  dispose(): void {
    this.clearGates();
    for (const t of this.weights) t.dispose();
    this.weights = [];
    for (const b of this.batches) {
      b.x.dispose();
      b.targets.y.dispose();
      b.targets.rowSums?.dispose();
    }
    this.batches.length = 0;
  }
}
