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
 *
 * Files: hvp.ts (the operator H v), lanczos.ts (the iteration and host algebra), spectrum.ts
 * (eigenvalues, trace, density), eigen-ratio.ts (maps over a plane); this file measures a model.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreparedData } from "./data.js";
import type { IgnoreMode } from "./options.js";
import type { ConvGradient } from "./forward.js";
import type { LossSpec } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { type HessianOptions, type HvpScheme, HVP_METHODS, HessianOperator } from "./hvp.js";
import { type Eigenvalues, eigenMaxSteps, extremeEigenvalues, type TraceEstimate, hutchinsonTrace, type EigenDensity, eigenDensity } from "./spectrum.js";

export { conv2dFilterGradient, type ConvGradient } from "./forward.js";
export { type HessianOptions, HVP_SCHEMES, type HvpScheme, DEFAULT_STEPS, HVP_METHODS, HessianOperator } from "./hvp.js";
export { dot, tridiagonalEigen, type LanczosRun, type LanczosOptions, lanczos } from "./lanczos.js";
export { type Eigenvalues, eigenMaxSteps, extremeEigenvalues, type TraceEstimate, hutchinsonTrace, type EigenDensity, eigenDensity } from "./spectrum.js";
export { type EigenRatioValues, mapPointConverged, EigenRatioEvaluator } from "./eigen-ratio.js";
export { MAP_LANCZOS_STEPS, MAP_TOLERANCE } from "./options.js";

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
