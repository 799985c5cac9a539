/**
 * The Lanczos iteration on a symmetric operator, with full reorthogonalization, and the float64
 * host algebra it runs on (dot products, the tridiagonal eigenproblem). Used for the Hessian's
 * extreme eigenvalues (spectrum.ts) and at every point of eigen-ratio maps (eigen-ratio.ts).
 */
import { SeededRandom } from "./rng.js";

/** Lets timers, heartbeats and abort signals run between HVPs (each is a blocking backend call). */
export function yieldToEvents(): Promise<void> {
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
