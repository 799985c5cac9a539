/**
 * A surface over a training set and a held-out test set at once (Li et al. 2018, Figure 2: the
 * loss and accuracy of both sets along an interpolation between two minima). Each grid point is
 * evaluated on both sets with the same plane and the same first-layer trick, so each set's values
 * are exactly those of a surface computed on that set alone.
 */
import type { PreparedData } from "./data.js";
import { SurfaceEvaluator } from "./evaluator.js";
import type { EvaluatorOptions, Plane, PointValues } from "./evaluator-types.js";
import type { LossSpec } from "./loss.js";
import type { LoadedModel } from "./model-types.js";

/** The training set's loss and accuracy per point, with the test set's (null without one). */
export interface SplitValues extends PointValues {
  readonly test: PointValues | null;
}

export class SplitEvaluator {
  private constructor(
    readonly train: SurfaceEvaluator,
    readonly test: SurfaceEvaluator | null,
  ) {}

  /**
   * Uploads the model, both sets and the plane; `test` null evaluates the training set alone.
   * The first-layer trick's layers are chosen once (from the training evaluator, or given in
   * `options.trickLayers`) and used for both sets: the choice depends on the shapes only.
   */
  static create(model: LoadedModel, train: PreparedData, test: PreparedData | null, loss: LossSpec, plane: Plane, options: EvaluatorOptions = {}): SplitEvaluator {
    const trainEvaluator = SurfaceEvaluator.create(model, train, loss, plane, options);
    if (test === null) return new SplitEvaluator(trainEvaluator, null);
    try {
      return new SplitEvaluator(trainEvaluator, SurfaceEvaluator.create(model, test, loss, plane, { ...options, trickLayers: trainEvaluator.trickLayers }));
    } catch (error) {
      trainEvaluator.dispose();
      throw error;
    }
  }

  /** Names of the layers that use the first-layer trick (the same for both sets). */
  get trickLayers(): string[] {
    return this.train.trickLayers;
  }

  /**
   * Loss and accuracy of both sets at each (a, b) of `points` (see SurfaceEvaluator.evaluate);
   * null when `shouldStop` stopped either evaluation.
   */
  async evaluate(points: Float64Array, shouldStop?: () => boolean): Promise<SplitValues | null> {
    const train = await this.train.evaluate(points, shouldStop);
    if (!train) return null;
    if (!this.test) return { ...train, test: null };
    const test = await this.test.evaluate(points, shouldStop);
    return test ? { ...train, test } : null;
  }

  /** Frees both evaluators' tensors. */
  dispose(): void {
    this.train.dispose();
    this.test?.dispose();
  }
}
