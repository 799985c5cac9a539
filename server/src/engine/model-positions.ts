/**
 * A surface that names models (an interpolation from A to B, a plane through A, B and C) draws
 * them at their coordinates: t = 0 is labelled "A" and t = 1 "B". That label is a claim a reader
 * concludes from (the barrier between two minima is read off against the endpoints), so it is
 * checked, not assumed: the surface's value at each model's coordinates must equal the loss and
 * accuracy of that model evaluated on its own. A mismatch means the plane is not the one it says
 * it is (a direction that lost part of the state, say), and the surface fails with the numbers.
 */
import type { PreparedData } from "./data.js";
import { type EvaluatorOptions, type Plane, type PointValues, SurfaceEvaluator } from "./evaluator.js";
import type { LossSpec } from "./loss.js";
import type { LoadedModel } from "./model-types.js";

/** A model whose own state (weights and running statistics) lies on the plane at (x, y). */
export interface ModelAnchor {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly theta: readonly Float32Array[];
}

/** One model's value on the surface and on its own. */
export interface ModelCheck {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** Mean loss and accuracy of the surface's network at (x, y). */
  readonly loss: number;
  readonly accuracy: number;
  /** The same of the model alone. */
  readonly ownLoss: number;
  readonly ownAccuracy: number;
}

/**
 * Largest relative difference of the two losses taken as equal: both are float32 forward passes
 * of weights that differ by the rounding of origin + t * (theta_B - theta_A) (an ulp or so per
 * weight), measured at 1e-7 to 1e-6 on the engine's models; a plane that lost a tensor's move
 * misses by orders of magnitude more.
 */
export const MODEL_LOSS_TOLERANCE = 1e-4;

/** The network at (x, y) and the model alone agree: loss within the tolerance, accuracy within one sample. */
export function agrees(check: ModelCheck, samples: number): boolean {
  const lossOk = Math.abs(check.loss - check.ownLoss) <= MODEL_LOSS_TOLERANCE * Math.abs(check.ownLoss) + 1e-7;
  const bothNaN = Number.isNaN(check.accuracy) && Number.isNaN(check.ownAccuracy);
  const accuracyOk = bothNaN || Math.abs(check.accuracy - check.ownAccuracy) <= 1 / Math.max(1, samples) + 1e-12;
  return lossOk && accuracyOk;
}

/** Thrown when a model's point on a surface is not that model; the message gives both values. */
export class ModelPositionError extends Error {
  constructor(readonly checks: readonly ModelCheck[]) {
    const wrong = checks.map((c) => `${c.name} at (${c.x.toPrecision(4)}, ${c.y.toPrecision(4)}): the surface gives loss ${c.loss.toPrecision(6)} and accuracy ${c.accuracy.toPrecision(4)}, the model alone ${c.ownLoss.toPrecision(6)} and ${c.ownAccuracy.toPrecision(4)}`);
    super(`the surface does not pass through the models it names (${wrong.join("; ")}); it was not kept`);
    this.name = "ModelPositionError";
  }
}

/**
 * Evaluates every anchor on the plane (with `evaluatePlane`, the surface's own evaluator, or a new
 * one) and alone, and returns both; throws ModelPositionError when any pair disagrees.
 */
export async function checkModelPositions(
  model: LoadedModel,
  data: PreparedData,
  loss: LossSpec,
  plane: Plane,
  anchors: readonly ModelAnchor[],
  options: EvaluatorOptions = {},
  evaluatePlane?: (points: Float64Array) => Promise<PointValues | null>,
): Promise<ModelCheck[]> {
  if (anchors.length === 0) return [];
  const points = Float64Array.from(anchors.flatMap((a) => [a.x, a.y]));
  let onPlane: PointValues | null;
  if (evaluatePlane) {
    onPlane = await evaluatePlane(points);
  } else {
    const evaluator = SurfaceEvaluator.create(model, data, loss, plane, options);
    try {
      onPlane = await evaluator.evaluate(points);
    } finally {
      evaluator.dispose();
    }
  }
  if (onPlane === null) throw new Error("the evaluation of the models' positions stopped before its end");
  const checks: ModelCheck[] = [];
  for (const [k, anchor] of anchors.entries()) {
    const zero = anchor.theta.map((t) => new Float32Array(t.length));
    const alone = SurfaceEvaluator.create(model, data, loss, { origin: anchor.theta, dx: zero, dy: null }, { ...options, trickLayers: [] });
    try {
      const own = await alone.evaluate(Float64Array.from([0, 0]));
      if (own === null) throw new Error("the evaluation of a model alone stopped before its end");
      checks.push({ name: anchor.name, x: anchor.x, y: anchor.y, loss: onPlane.loss[k]!, accuracy: onPlane.accuracy[k]!, ownLoss: own.loss[0]!, ownAccuracy: own.accuracy[0]! });
    } finally {
      alone.dispose();
    }
  }
  const wrong = checks.filter((c) => !agrees(c, data.count));
  if (wrong.length > 0) throw new ModelPositionError(wrong);
  return checks;
}
