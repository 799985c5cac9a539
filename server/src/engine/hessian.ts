/**
 * Curvature of the loss: the Hessian H of L(theta) (the mean loss over the dataset, or a seeded
 * subset) with respect to the parameters a direction moves (directions.ts `directionCovers`: under
 * `ignore: "biasbn"`, every kernel; BatchNorm moving statistics never). Li et al. (2018, section 6)
 * map |lambda_min / lambda_max| over a plane to show where a landscape is convex; PyHessian (Yao
 * et al., 2020) adds the top eigenvalues, the trace and the eigenvalue density as measures of
 * sharpness. All of them need only Hessian-vector products H v, never H itself.
 *
 * How H v is computed: differences of exact gradients. With the central difference
 *   D(h) = (g(theta + h v) - g(theta - h v)) / (2 h) = H v + c h^2 + O(h^4),
 * Richardson extrapolation (the default; HVP_SCHEMES) cancels the h^2 term:
 *   H v = (4 D(h/2) - D(h)) / 3 + O(h^4),
 * four gradients per product, and ||R - D(h/2)||, the truncation error of the half-step difference,
 * estimates R's error from above (reported with every result, relative to the Hessian's scale, as
 * errorEstimate). g is TF.js's reverse-mode gradient of the loss. Not the gradient of (g . v) (double
 * backprop): TF.js 4.22 records second derivatives incompletely. Gradients that reuse an op's
 * saved output (Exp, Softmax, Sigmoid, Tanh) lose that dependence when differentiated again, so
 * nested tf.grad of a cross-entropy silently returns a wrong H v, and MaxPoolGrad and
 * Conv2DBackpropFilter have no gradient at all. Piecewise-linear units (relu-like activations,
 * max pooling) are frozen at theta for all gradients (see Gates), so a unit that flips between
 * theta - h v and theta + h v adds no spurious jump; the result is the Hessian of the smooth
 * piece theta lies in, as autodiff frameworks report it. For a quadratic loss the difference is
 * exact up to float32 rounding. The step is h = `step` x ||theta|| over the moved parameters
 * (DEFAULT_STEPS: 5e-3 under Richardson). A single central difference at 1e-2, the old default,
 * was 1-2% low on the top eigenvalues of a small CNN (the c h^2 term); a much smaller step trades
 * that for the float32 rounding of the gradients, about 1e-7 ||g|| / h, which grows as h shrinks.
 * hessian.test.ts checks H v, eigenvalues and traces against exact Hessians and against float64
 * PyTorch (fixtures/hessian, made by scripts/make-hessian-fixtures.py).
 *
 * Convolutions on the WebAssembly backend: it has no Conv2DBackpropFilter kernel, so the engine's
 * Conv2D carries its own filter gradient there, itself a convolution (see forward.ts,
 * conv2dFilterGradient, where the differentiable forward pass lives).
 *
 * Precision: each batch's gradient difference is read back and summed over batches in float64;
 * the Lanczos vectors, dot products and the tridiagonal eigenproblem are float64 on the host.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreparedData } from "./data.js";
import { directionCovers } from "./directions.js";
import { type FrozenMode, type IgnoreMode, IGNORE_MODES, FROZEN_MODES } from "./options.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { batchLossSum, checkDifferentiable, type ConvGradient, differentiableForward, type Gates, needsOwnConvGradient } from "./forward.js";
import { isCategorical, type BatchTargets, type LossSpec, type OutputForm } from "./loss.js";
import type { LoadedModel } from "./network.js";
import { MAP_LANCZOS_STEPS, MAP_TOLERANCE } from "./options.js";
import { SeededRandom } from "./rng.js";

export { conv2dFilterGradient, type ConvGradient } from "./forward.js";

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

/** Lets timers, heartbeats and abort signals run between HVPs (each is a blocking backend call). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** <a, b> in float64. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix with diagonal `alpha` and
 * off-diagonal `beta` (beta[i] couples i and i + 1), by the implicit QL algorithm with Wilkinson
 * shifts. Returns the eigenvalues ascending and, for each, the eigenvector's first and last
 * components (what Lanczos needs: quadrature weights and residuals).
 */
export function tridiagonalEigen(alpha: readonly number[], beta: readonly number[]): { values: number[]; first: number[]; last: number[] } {
  const n = alpha.length;
  const d = Float64Array.from(alpha);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = beta[i]!;
  // z[k * n + i]: component k of eigenvector i.
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (iterations++ > 100) throw new Error("tridiagonal eigenproblem did not converge");
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        for (let k = 0; k < n; k++) {
          const zi = z[k * n + i]!;
          const zi1 = z[k * n + i + 1]!;
          z[k * n + i + 1] = s * zi + c * zi1;
          z[k * n + i] = c * zi - s * zi1;
        }
      }
      if (underflow) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  return {
    values: order.map((i) => d[i]!),
    first: order.map((i) => z[i]!),
    last: order.map((i) => z[(n - 1) * n + i]!),
  };
}

/** What a Lanczos run leaves: the tridiagonal T (alpha, beta) and the HVPs it took. */
export interface LanczosRun {
  readonly alpha: number[];
  readonly beta: number[];
  /** Ritz values (eigenvalues of T), ascending; their residual bounds |beta_m z_m|. */
  readonly ritz: number[];
  readonly residuals: number[];
  /** The first components of T's eigenvectors, squared: the quadrature weights (sum to 1). */
  readonly weights: number[];
  /**
   * True when the run stopped because the wanted Ritz values met `tolerance` (or the Krylov space
   * closed); false when it ran out of steps first, or had no tolerance to meet.
   */
  readonly converged: boolean;
}

export interface LanczosOptions {
  /** Most Lanczos steps (HVPs); capped at the dimension. */
  readonly maxSteps: number;
  /** Start vector: Gaussian ("gaussian", default) or Rademacher, from `seed` (default 0). */
  readonly start?: "gaussian" | "rademacher";
  readonly seed?: number;
  /** Stream of the seeded generator (different runs of one seed). */
  readonly stream?: number;
  /**
   * Stop early once the wanted Ritz values (the `top` largest and the smallest) have residual
   * bounds below `tolerance` x the largest |Ritz value|; checked every `checkEvery` steps (default
   * 5) from step `minSteps` (default 5) on. Default: run all steps.
   */
  readonly tolerance?: number;
  /** Instead of `tolerance`'s rule: whether a run (checked as `tolerance` is) has converged. */
  readonly accept?: (run: LanczosRun) => boolean;
  readonly checkEvery?: number;
  readonly minSteps?: number;
  readonly top?: number;
  /** After each HVP. */
  readonly onStep?: () => void | Promise<void>;
  readonly shouldStop?: () => boolean;
}

/**
 * The Lanczos process on H with full reorthogonalization (twice, classical Gram-Schmidt against
 * every earlier vector, in float64), so the Ritz values stay free of spurious copies. The extreme
 * Ritz values converge to the extreme eigenvalues first, lambda_max and lambda_min alike, which is
 * why one run gives both (at least as fast as a shifted power iteration for lambda_min).
 */
export async function lanczos(op: { readonly dimension: number; hvp(v: Float64Array, shouldStop?: () => boolean): Float64Array }, options: LanczosOptions): Promise<LanczosRun> {
  const n = op.dimension;
  const steps = Math.max(1, Math.min(options.maxSteps, n));
  const rng = new SeededRandom(options.seed ?? 0, 100 + (options.stream ?? 0));
  let q: Float64Array = new Float64Array(n);
  for (let k = 0; k < n; k++) q[k] = options.start === "rademacher" ? (rng.nextInt(2) === 0 ? -1 : 1) : rng.nextGaussian();
  scale(q, 1 / Math.sqrt(dot(q, q)));
  const basis: Float64Array[] = [q];
  const alpha: number[] = [];
  const beta: number[] = [];
  const top = options.top ?? 1;
  const checkEvery = options.checkEvery ?? 5;
  const minSteps = options.minSteps ?? 5;
  const checks = options.tolerance !== undefined || options.accept !== undefined;
  const meets = (run: LanczosRun) => {
    if (run.ritz.length === 0) return false;
    if (options.accept) return options.accept(run);
    if (options.tolerance === undefined) return false;
    const scaleOf = Math.max(...run.ritz.map(Math.abs), 1e-300);
    const wanted = [0, ...run.ritz.map((_, i) => i).slice(-top)];
    return wanted.every((i) => run.residuals[i]! <= options.tolerance! * scaleOf);
  };
  let result = finish(alpha, beta);
  for (let j = 0; j < steps; j++) {
    const w = op.hvp(q, options.shouldStop);
    await options.onStep?.();
    await yieldToEvents();
    const a = dot(q, w);
    alpha.push(a);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) axpy(w, -dot(b, w), b);
    }
    const bnorm = Math.sqrt(dot(w, w));
    const closed = bnorm <= 1e-10 * Math.max(Math.abs(a), ...beta.map(Math.abs), 1e-300);
    const last = j === steps - 1;
    if (closed || last || (checks && j + 1 >= minSteps && (j + 1) % checkEvery === 0)) {
      // The residual bound of a Ritz pair is |beta_m z_m|, with beta_m the norm of the next
      // Lanczos vector (0 only when the Krylov space closed).
      result = finish(alpha, beta, closed ? 0 : bnorm);
      if (closed) return { ...result, converged: true };
      if (meets(result)) return { ...result, converged: true };
      if (last) break;
    }
    beta.push(bnorm);
    q = scale(w, 1 / bnorm);
    basis.push(q);
  }
  return result;
}

function finish(alpha: number[], beta: number[], next = 0): LanczosRun {
  if (alpha.length === 0) return { alpha, beta, ritz: [], residuals: [], weights: [], converged: false };
  const { values, first, last } = tridiagonalEigen(alpha, beta);
  return { alpha: [...alpha], beta: [...beta], ritz: values, residuals: last.map((z) => Math.abs(next * z)), weights: first.map((z) => z * z), converged: false };
}

function scale(v: Float64Array, s: number): Float64Array {
  for (let k = 0; k < v.length; k++) v[k] = v[k]! * s;
  return v;
}

function axpy(y: Float64Array, a: number, x: Float64Array): void {
  for (let k = 0; k < y.length; k++) y[k] = y[k]! + a * x[k]!;
}

/** The k largest eigenvalues (descending), lambda_min, and how sure they are. */
export interface Eigenvalues {
  /** The `k` largest eigenvalues, descending. */
  readonly top: number[];
  /** Residual bound ||H y - theta y|| of each (|beta_m z_m|). */
  readonly topResiduals: number[];
  readonly lambdaMin: number;
  readonly lambdaMinResidual: number;
  /** Lanczos steps taken (one HVP each). */
  readonly steps: number;
  /** Whether every reported value met the tolerance before the step cap. */
  readonly converged: boolean;
}

/**
 * Most Lanczos steps for the top-k eigenvalues and lambda_min: max(100, 4 k). Lanczos stops as
 * soon as they converge; lambda_min of an MLP with BatchNorm took 65 steps (the small negative end
 * of a spectrum converges last), so the old cap of 40 left it 3e-3 off.
 */
export function eigenMaxSteps(topK: number): number {
  return Math.max(100, 4 * topK);
}

/** Top-k eigenvalues and lambda_min from one seeded Lanczos run, stopped when they converge. */
export async function extremeEigenvalues(op: HessianOperator, k = 5, options: { seed?: number; maxSteps?: number; tolerance?: number; onStep?: () => void; shouldStop?: () => boolean } = {}): Promise<Eigenvalues> {
  const top = Math.max(1, Math.min(k, op.dimension));
  const run = await lanczos(op, {
    maxSteps: options.maxSteps ?? eigenMaxSteps(top),
    seed: options.seed ?? 0,
    tolerance: options.tolerance ?? 1e-4,
    top,
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
  });
  const m = run.ritz.length;
  const order = run.ritz.map((_, i) => i).reverse().slice(0, top);
  return {
    top: order.map((i) => run.ritz[i]!),
    topResiduals: order.map((i) => run.residuals[i]!),
    lambdaMin: run.ritz[0]!,
    lambdaMinResidual: run.residuals[0]!,
    steps: m,
    converged: run.converged,
  };
}

/** tr(H) estimated by Hutchinson's method. */
export interface TraceEstimate {
  readonly trace: number;
  /** Standard error of the mean over probes (0 when exact). */
  readonly standardError: number;
  readonly probes: number;
  /** True when every basis vector was probed (dimension <= probes): the trace is exact. */
  readonly exact: boolean;
}

/**
 * Hutchinson's estimator: tr(H) = E[z^T H z] for Rademacher z, averaged over `probes` seeded
 * probes (default 30), with the standard error s / sqrt(probes). When the dimension is at most
 * `probes`, the basis vectors are probed instead and the trace is exact.
 */
export async function hutchinsonTrace(op: HessianOperator, options: { probes?: number; seed?: number; onStep?: () => void; shouldStop?: () => boolean } = {}): Promise<TraceEstimate> {
  const probes = options.probes ?? 30;
  if (!Number.isInteger(probes) || probes < 2) throw new EngineInputError("the trace needs at least 2 probes");
  const n = op.dimension;
  if (n <= probes) {
    let trace = 0;
    const e = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      e.fill(0);
      e[k] = 1;
      trace += op.hvp(e, options.shouldStop)[k]!;
      options.onStep?.();
      await yieldToEvents();
    }
    return { trace, standardError: 0, probes: n, exact: true };
  }
  const rng = new SeededRandom(options.seed ?? 0, 200);
  const samples: number[] = [];
  const z = new Float64Array(n);
  for (let p = 0; p < probes; p++) {
    for (let k = 0; k < n; k++) z[k] = rng.nextInt(2) === 0 ? -1 : 1;
    samples.push(dot(z, op.hvp(z, options.shouldStop)));
    options.onStep?.();
    await yieldToEvents();
  }
  const mean = samples.reduce((a, b) => a + b, 0) / probes;
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (probes - 1);
  return { trace: mean, standardError: Math.sqrt(variance / probes), probes, exact: false };
}

/** The eigenvalue density by stochastic Lanczos quadrature, and a smoothed curve of it. */
export interface EigenDensity {
  /** Quadrature nodes (Ritz values of every run) and weights (sum to 1 over all runs). */
  readonly nodes: number[];
  readonly weights: number[];
  /** The density smoothed with a Gaussian of width `sigma`, at `x` (integrates to about 1). */
  readonly x: number[];
  readonly density: number[];
  readonly sigma: number;
  readonly runs: number;
  readonly steps: number;
}

/**
 * Stochastic Lanczos quadrature (Ghorbani et al. 2019; PyHessian): for each of `runs` seeded
 * Rademacher start vectors, `steps` Lanczos steps give T = V Theta V^T, and the spectral density
 * phi(t) is approximated by (1/runs) sum_i v_{1i}^2 delta(t - theta_i). The curve convolves it with
 * a Gaussian of width sigma = 1% of the nodes' range (default) on `points` points (default 200).
 */
export async function eigenDensity(op: HessianOperator, options: { runs?: number; steps?: number; seed?: number; points?: number; sigma?: number; onStep?: () => void; shouldStop?: () => boolean } = {}): Promise<EigenDensity> {
  const runs = options.runs ?? 3;
  const steps = Math.min(options.steps ?? 30, op.dimension);
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let r = 0; r < runs; r++) {
    const run = await lanczos(op, {
      maxSteps: steps,
      start: "rademacher",
      seed: options.seed ?? 0,
      stream: 1 + r,
      ...(options.onStep ? { onStep: options.onStep } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    });
    run.ritz.forEach((t, i) => {
      nodes.push(t);
      weights.push(run.weights[i]! / runs);
    });
  }
  const lo = Math.min(...nodes);
  const hi = Math.max(...nodes);
  const range = hi - lo || Math.max(Math.abs(hi), 1);
  const sigma = options.sigma ?? range / 100;
  const points = options.points ?? 200;
  const x: number[] = [];
  const density: number[] = [];
  const from = lo - 5 * sigma;
  const to = hi + 5 * sigma;
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
  for (let p = 0; p < points; p++) {
    const t = from + ((to - from) * p) / (points - 1);
    let s = 0;
    for (let i = 0; i < nodes.length; i++) s += weights[i]! * Math.exp(-0.5 * ((t - nodes[i]!) / sigma) ** 2);
    x.push(t);
    density.push(s * norm);
  }
  return { nodes, weights, x, density, sigma, runs, steps };
}

/** Everything `modelCurvature` measures. */
export interface ModelCurvature {
  readonly dimension: number;
  readonly samples: number;
  readonly eigenvalues: Eigenvalues;
  readonly trace: TraceEstimate | null;
  readonly density: EigenDensity | null;
  readonly hvps: number;
  readonly seconds: number;
  readonly hvpsPerSecond: number;
  /** Gradients taken (two per HVP under "central", four under "richardson"). */
  readonly gradients: number;
  readonly method: string;
  readonly scheme: HvpScheme;
  /** The relative step h / ||theta||. */
  readonly step: number;
  /**
   * Error estimate of the HVPs relative to the Hessian's largest eigenvalue
   * (HessianOperator.errorEstimate), an upper estimate; null under "central".
   */
  readonly errorEstimate: number | null;
  readonly convGradient: ConvGradient;
  readonly backend: string;
  readonly ignore: IgnoreMode;
  readonly seed: number;
}

export interface ModelCurvatureOptions extends HessianOptions {
  /** Largest eigenvalues to find; default 5. */
  readonly topK?: number;
  /** Hutchinson probes, or 0 for no trace; default 30. */
  readonly traceProbes?: number;
  /** SLQ runs, or 0 for no density; default 3 (of `densitySteps`, default 30, steps each). */
  readonly densityRuns?: number;
  readonly densitySteps?: number;
  /** Most Lanczos steps for the eigenvalues; default eigenMaxSteps(topK), max(100, 4 topK). */
  readonly maxSteps?: number;
  /** Seed of every random vector; default 0. */
  readonly seed?: number;
}

/** HVPs `modelCurvature` will take at most with these options (the eigenvalues may stop early). */
export function plannedHvps(dimension: number, options: ModelCurvatureOptions = {}): number {
  const topK = options.topK ?? 5;
  const eig = Math.min(options.maxSteps ?? eigenMaxSteps(topK), dimension);
  const probes = options.traceProbes ?? 30;
  const trace = probes === 0 ? 0 : Math.min(probes, dimension);
  const density = (options.densityRuns ?? 3) * Math.min(options.densitySteps ?? 30, dimension);
  return eig + trace + density;
}

/** The curvature of the loss at the model: top-k eigenvalues, lambda_min, trace and density. */
export async function modelCurvature(
  model: LoadedModel,
  data: PreparedData,
  loss: LossSpec,
  options: ModelCurvatureOptions = {},
  callbacks: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ModelCurvature> {
  const started = performance.now();
  const op = HessianOperator.create(model, data, loss, options);
  try {
    const seed = options.seed ?? 0;
    let total = plannedHvps(op.dimension, options);
    const onStep = () => callbacks.onProgress?.(op.hvps, total);
    const shouldStop = () => callbacks.signal?.aborted === true;
    const eigenvalues = await extremeEigenvalues(op, options.topK ?? 5, { seed, ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}), onStep, shouldStop });
    // Early convergence lowers the total the progress counts towards.
    total -= Math.min(options.maxSteps ?? eigenMaxSteps(options.topK ?? 5), op.dimension) - eigenvalues.steps;
    const probes = options.traceProbes ?? 30;
    const trace = probes > 0 ? await hutchinsonTrace(op, { probes, seed, onStep, shouldStop }) : null;
    const runs = options.densityRuns ?? 3;
    const density = runs > 0 ? await eigenDensity(op, { runs, steps: options.densitySteps ?? 30, seed, onStep, shouldStop }) : null;
    const seconds = (performance.now() - started) / 1000;
    return {
      dimension: op.dimension,
      samples: data.count,
      eigenvalues,
      trace,
      density,
      hvps: op.hvps,
      seconds,
      hvpsPerSecond: op.hvps / seconds,
      gradients: op.gradients,
      method: HVP_METHODS[op.scheme],
      scheme: op.scheme,
      step: op.step,
      errorEstimate: op.errorEstimate,
      convGradient: op.convGradient,
      backend: tf.getBackend(),
      ignore: options.ignore ?? "biasbn",
      seed,
    };
  } finally {
    op.dispose();
  }
}

/** lambda_max, lambda_min and |lambda_min / lambda_max| at points of a plane. */
export interface EigenRatioValues {
  readonly lambdaMax: Float64Array;
  readonly lambdaMin: Float64Array;
  readonly ratio: Float64Array;
  /** Lanczos steps (HVPs) each point took. */
  readonly steps: Float64Array;
  /** 1 where both extreme Ritz values met the tolerance within the cap, 0 where the cap came first. */
  readonly converged: Uint8Array;
  readonly hvps: number;
}

export { MAP_LANCZOS_STEPS, MAP_TOLERANCE };

/** Below this |lambda_min| / |lambda_max|, lambda_min's tolerance is absolute (see mapPointConverged). */
const MAP_RATIO_FLOOR = 1e-2;

/**
 * When a map point's Lanczos run may stop: the residual bounds r = |beta_m z_m| of the extreme Ritz
 * values satisfy r_max <= tol |lambda_max| and r_min <= tol max(|lambda_min|, 1e-2 |lambda_max|).
 * A Ritz value lies within its residual of an eigenvalue, so each is then within tol of its own
 * size, and the ratio within about 2 tol relative (2e-2 at the default). A tolerance relative to
 * |lambda_max| alone would not do: at ratios of 0.02-0.1, as the paper's maps have, an error of
 * 1e-2 |lambda_max| in lambda_min is 10-50% of it, the very bias fixed steps had.
 */
export function mapPointConverged(tolerance: number): (run: LanczosRun) => boolean {
  return (run) => {
    const m = run.ritz.length;
    const hi = Math.abs(run.ritz[m - 1]!);
    const lo = Math.abs(run.ritz[0]!);
    return run.residuals[m - 1]! <= tolerance * hi && run.residuals[0]! <= tolerance * Math.max(lo, MAP_RATIO_FLOOR * hi);
  };
}

/** Steps every map point takes before its convergence is checked (guards against a lucky early residual). */
const MAP_MIN_STEPS = 6;

/**
 * The paper's Figure 7 quantities at points (a, b) of the plane origin + a dx + b dy: the extreme
 * eigenvalues of the full Hessian there (a Lanczos run from the same seeded start vector at every
 * point, so a point's value does not depend on who computes it) and |lambda_min / lambda_max|.
 * Each point runs until both extreme Ritz values meet `tolerance` (relative to |lambda_max|), up to
 * `steps`; a point that reaches the cap first is marked unconverged. With `tolerance: null` every
 * point takes exactly `steps` steps (how maps were computed before per-point convergence).
 */
export class EigenRatioEvaluator {
  private constructor(
    private readonly op: HessianOperator,
    private readonly plane: { origin: readonly Float32Array[]; dx: readonly Float32Array[]; dy: readonly Float32Array[] | null },
    private readonly steps: number,
    private readonly tolerance: number | null,
    private readonly seed: number,
  ) {}

  static create(
    model: LoadedModel,
    data: PreparedData,
    loss: LossSpec,
    plane: { origin: readonly Float32Array[]; dx: readonly Float32Array[]; dy: readonly Float32Array[] | null },
    options: HessianOptions & { steps?: number; tolerance?: number | null; seed?: number } = {},
  ): EigenRatioEvaluator {
    const steps = options.steps ?? MAP_LANCZOS_STEPS;
    if (!Number.isInteger(steps) || steps < 2 || steps > 200) throw new EngineInputError("Lanczos steps per point must be from 2 to 200");
    const tolerance = options.tolerance === undefined ? MAP_TOLERANCE : options.tolerance;
    if (tolerance !== null && !(tolerance > 0 && tolerance < 1)) throw new EngineInputError("the eigen-ratio tolerance must be between 0 and 1");
    return new EigenRatioEvaluator(HessianOperator.create(model, data, loss, options, plane.origin), plane, steps, tolerance, options.seed ?? 0);
  }

  /** Most Lanczos steps per point. */
  get maxSteps(): number {
    return this.steps;
  }

  /** Residual tolerance relative to |lambda_max|, or null for a fixed number of steps. */
  get pointTolerance(): number | null {
    return this.tolerance;
  }

  /** The HVP operator's relative error estimate so far (HessianOperator.errorEstimate). */
  get errorEstimate(): number | null {
    return this.op.errorEstimate;
  }

  get dimension(): number {
    return this.op.dimension;
  }

  get convGradient(): ConvGradient {
    return this.op.convGradient;
  }

  /** Values at each (a, b) of `points`; `onPoint` after each; throws SurfaceCancelledError when `shouldStop`. */
  async evaluate(points: Float64Array, onPoint?: (done: number) => void, shouldStop?: () => boolean): Promise<EigenRatioValues> {
    const count = points.length / 2;
    const lambdaMax = new Float64Array(count);
    const lambdaMin = new Float64Array(count);
    const ratio = new Float64Array(count);
    const steps = new Float64Array(count);
    const converged = new Uint8Array(count);
    const before = this.op.hvps;
    for (let p = 0; p < count; p++) {
      const a = points[2 * p]!;
      const b = points[2 * p + 1]!;
      const { origin, dx, dy } = this.plane;
      this.op.setOrigin(origin.map((w, i) => {
        const out = new Float32Array(w.length);
        const x = dx[i]!;
        const y = dy?.[i];
        for (let k = 0; k < w.length; k++) out[k] = w[k]! + a * x[k]! + (y ? b * y[k]! : 0);
        return out;
      }));
      const run = await lanczos(this.op, {
        maxSteps: this.steps,
        seed: this.seed,
        ...(this.tolerance === null ? {} : { accept: mapPointConverged(this.tolerance), checkEvery: 1, minSteps: MAP_MIN_STEPS }),
        ...(shouldStop ? { shouldStop } : {}),
      });
      const hi = run.ritz[run.ritz.length - 1]!;
      const lo = run.ritz[0]!;
      lambdaMax[p] = hi;
      lambdaMin[p] = lo;
      ratio[p] = hi === 0 ? 0 : Math.abs(lo / hi);
      steps[p] = run.ritz.length;
      // Fixed-step maps (tolerance null) claim nothing about convergence unless the space closed.
      converged[p] = run.converged ? 1 : 0;
      onPoint?.(p + 1);
    }
    return { lambdaMax, lambdaMin, ratio, steps, converged, hvps: this.op.hvps - before };
  }

  dispose(): void {
    this.op.dispose();
  }
}
