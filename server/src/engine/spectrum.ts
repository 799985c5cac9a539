/**
 * Measures of the Hessian's spectrum from Hessian-vector products alone (PyHessian, Yao et al.
 * 2020): the top-k eigenvalues and lambda_min (Lanczos), the trace (Hutchinson) and the eigenvalue
 * density (stochastic Lanczos quadrature).
 */
import { EngineInputError } from "./errors.js";
import { SeededRandom } from "./rng.js";
import type { HessianOperator } from "./hvp.js";
import { dot, lanczos, yieldToEvents } from "./lanczos.js";

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
