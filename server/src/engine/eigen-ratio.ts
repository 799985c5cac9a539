/**
 * Eigen-ratio maps (Li et al. 2018, Figure 7): lambda_max, lambda_min and |lambda_min / lambda_max|
 * of the Hessian at every point of a plane, each point running Lanczos until both extreme values
 * meet the map's tolerance or its step cap.
 */
import type { PreparedData } from "./data.js";
import { EngineInputError } from "./errors.js";
import type { ConvGradient } from "./forward.js";
import type { LossSpec } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { MAP_LANCZOS_STEPS, MAP_TOLERANCE } from "./options.js";
import { type HessianOptions, HessianOperator } from "./hvp.js";
import { type LanczosRun, lanczos } from "./lanczos.js";

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
