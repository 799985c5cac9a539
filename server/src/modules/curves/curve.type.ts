import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { CURVE_PHASES, CURVE_STATUSES, type CurvePhase as Phase, type CurveStatus as Status } from "../../domain/curve-params.js";
import { CURVE_KINDS, CURVE_OPTIMIZERS, type CurveKind as Kind, type CurveOptimizer as OptimizerName } from "../../engine/pure.js";
import { enumOf } from "../../graphql/enums.js";
import { boundedListComplexity, pageComplexity } from "../../graphql/complexity.js";
import { Connection } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";

export const CurveKind = enumOf(CURVE_KINDS);
export type CurveKind = Kind;
registerEnumType(CurveKind, { name: "CurveKind", description: "BEZIER: a Bezier curve of degree bends + 1; POLYCHAIN: a polygonal chain through the bends" });

export const CurveOptimizer = enumOf(CURVE_OPTIMIZERS);
export type CurveOptimizer = OptimizerName;
registerEnumType(CurveOptimizer, { name: "CurveOptimizer", description: "sgd, momentum (0.9) or adam" });

export const CurveStatus = enumOf(CURVE_STATUSES);
export type CurveStatus = Status;
registerEnumType(CurveStatus, { name: "CurveStatus" });

export const CurvePhase = enumOf(CURVE_PHASES);
export type CurvePhase = Phase;
registerEnumType(CurvePhase, { name: "CurvePhase", description: "What a running curve is doing: training its bends, then evaluating the curve and the line" });

@InputType()
@ObjectType("CurveOptions")
export class CurveOptionsInput {
  @Field(() => CurveKind, { nullable: true, description: "Default BEZIER" })
  kind?: CurveKind | null;

  @Field(() => Int, { nullable: true, description: "Trained bends between the endpoints, 1-5 (default 1: (1-t)^2 A + 2t(1-t) theta + t^2 B)" })
  bends?: number | null;

  @Field(() => Int, { nullable: true, description: "Passes over the training data, 1-200 (default 10); one t ~ U[0, 1] per mini-batch" })
  epochs?: number | null;

  @Field(() => CurveOptimizer, { nullable: true, description: "Default MOMENTUM" })
  optimizer?: CurveOptimizer | null;

  @Field(() => Float, { nullable: true, description: "Default 0.05" })
  learningRate?: number | null;

  @Field(() => Float, { nullable: true, description: "0.5 weightDecay ||phi(t)||^2 added to the loss, felt by the bends only; default 0" })
  weightDecay?: number | null;

  @Field(() => Int, { nullable: true, description: "Samples per step; default 32" })
  batchSize?: number | null;

  @Field(() => Int, { nullable: true, description: "Seed of the shuffles, the values of t and the subset; default 0" })
  seed?: number | null;

  @Field(() => Int, { nullable: true, description: "Values of t evaluated along the curve and the line, 2-401 (default 61)" })
  points?: number | null;

  @Field(() => Int, { nullable: true, description: "Models sampled evenly along the curve, ends included, whose averaged softmax outputs make its ensemble: 0 (none) or 2-101 (default 11)" })
  ensemble?: number | null;

  @Field(() => Int, { nullable: true, description: "Train and evaluate on a seeded random subset of this many training samples (default all)" })
  samples?: number | null;
}

@InputType()
export class ConnectModelsInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => String, { nullable: true, description: "Default: the two models' names" })
  name?: string | null;

  @Field(() => ID, { description: "The curve's start, t = 0" })
  modelAId!: string;

  @Field(() => ID, { description: "The curve's end, t = 1: another model of the same architecture" })
  modelBId!: string;

  @Field(() => ID, { description: "Training data (integer class labels): the bends are trained on it and BatchNorm's statistics recomputed on it" })
  datasetId!: string;

  @Field(() => ID, { nullable: true, description: "Data to measure test loss and accuracy along the paths" })
  testDatasetId?: string | null;

  @Field(() => CurveOptionsInput, { nullable: true })
  options?: CurveOptionsInput | null;
}

@ObjectType({ description: "A stored checkpoint of the bends, with the mean training loss (at random t) since the one before" })
export class CurveCheckpoint {
  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  meanLoss!: number;
}

@ObjectType({ description: "Loss and accuracy at each value of t along one path" })
export class PathValues {
  @Field(() => [Float], { description: "Mean cross-entropy on the training data" })
  trainLoss!: number[];

  @Field(() => [Float], { description: "Accuracy on the training data, 0-1" })
  trainAccuracy!: number[];

  @Field(() => [Float], { nullable: true, description: "On the test data, when the curve has one" })
  testLoss!: number[] | null;

  @Field(() => [Float], { nullable: true })
  testAccuracy!: number[] | null;
}

@ObjectType({ description: "Barrier heights of a path: the highest loss along it minus the mean of its two ends' (of accuracy: the ends' mean minus the lowest)" })
export class PathBarriers {
  @Field(() => Float)
  trainLoss!: number;

  @Field(() => Float)
  trainAccuracy!: number;

  @Field(() => Float, { nullable: true })
  testLoss!: number | null;

  @Field(() => Float, { nullable: true })
  testAccuracy!: number | null;
}

@ObjectType({ description: "A point in the plane through A, B and the bend: A at (0, 0), B at (1, 0)" })
export class PlanePoint {
  @Field(() => Float, { nullable: true, description: "The curve's parameter, for points of a path" })
  t!: number | null;

  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;

  @Field(() => String, { nullable: true, description: "For the models: model A, model B or theta (the bend)" })
  name!: string | null;
}

@ObjectType({
  description:
    "Loss and accuracy over the plane through A, B and the curve's bend (dx = B - A, dy the part of theta - A orthogonal to it, scaled to |B - A|: the reference's orthonormal basis divided by |B - A|), with the curve and the line in it. Curves with one bend only; with BatchNorm, every point's statistics are recomputed on the training data",
})
export class CurvePlaneValues {
  @Field(() => [Float])
  xs!: number[];

  @Field(() => [Float])
  ys!: number[];

  @Field(() => [[Float]], { description: "Rows along y: loss[j][i] is at (xs[i], ys[j])" })
  loss!: number[][];

  @Field(() => [[Float]])
  accuracy!: number[][];

  @Field(() => [PlanePoint])
  models!: PlanePoint[];

  @Field(() => [PlanePoint])
  curve!: PlanePoint[];

  @Field(() => [PlanePoint])
  line!: PlanePoint[];

  @Field(() => Float, { description: "Largest distance of a curve point from the plane, relative to its distance from A (0 up to rounding)" })
  offPlane!: number;
}

@ObjectType({ description: "The ensemble of models sampled evenly along the curve (ends included), predicting by the mean of their softmax outputs (Garipov et al. 2018, section 5), against each end alone; accuracies 0-1" })
export class CurveEnsemble {
  @Field(() => Int, { description: "Models in the ensemble" })
  members!: number;

  @Field(() => [Float], { description: "Their values of t" })
  t!: number[];

  @Field(() => Float, { description: "The ensemble's accuracy on the training data" })
  trainAccuracy!: number;

  @Field(() => Float, { description: "Model A's (t = 0)" })
  trainAccuracyA!: number;

  @Field(() => Float, { description: "Model B's (t = 1)" })
  trainAccuracyB!: number;

  @Field(() => Float, { nullable: true, description: "On the test data, when the curve has one" })
  testAccuracy!: number | null;

  @Field(() => Float, { nullable: true })
  testAccuracyA!: number | null;

  @Field(() => Float, { nullable: true })
  testAccuracyB!: number | null;
}

@ObjectType({ description: "A curve's evaluation: loss and accuracy along the trained curve and the straight line A -> B at the same values of t" })
export class CurveValues {
  @Field(() => [Float], { description: "Values of t, 0 to 1" })
  t!: number[];

  @Field(() => PathValues)
  curve!: PathValues;

  @Field(() => PathValues)
  line!: PathValues;

  @Field(() => PathBarriers)
  curveBarriers!: PathBarriers;

  @Field(() => PathBarriers)
  lineBarriers!: PathBarriers;

  @Field(() => CurvePlaneValues, { nullable: true, description: "The plane through A, B and the bend, when the curve has one bend" })
  plane!: CurvePlaneValues | null;

  @Field(() => CurveEnsemble, { nullable: true, description: "The ensemble along the curve, unless the curve was asked for none (options.ensemble 0)" })
  ensemble!: CurveEnsemble | null;

  @Field(() => Boolean, { description: "True when the models have BatchNorm: its running statistics were recomputed on the training data at every point (never interpolated)" })
  batchNormRecomputed!: boolean;
}

@ObjectType({ description: "A low-loss curve between two models of one architecture (mode connectivity), trained by a worker" })
export class Curve {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  modelAId!: string;

  @Field(() => ID)
  modelBId!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ID, { nullable: true })
  testDatasetId!: string | null;

  @Field(() => CurveOptionsInput)
  options!: CurveOptionsInput;

  @Field(() => CurveStatus)
  status!: CurveStatus;

  @Field(() => CurvePhase, { nullable: true })
  phase!: CurvePhase | null;

  @Field(() => Int)
  stepsDone!: number;

  @Field(() => Int, { nullable: true })
  stepsTotal!: number | null;

  @Field(() => Int, { description: "Points evaluated, of 2 x points (the curve, then the line)" })
  pointsDone!: number;

  @Field(() => Int, { nullable: true })
  pointsTotal!: number | null;

  @Field(() => [CurveCheckpoint], { complexity: boundedListComplexity(100), description: "One per stored checkpoint so far (at most 100)" })
  checkpoints!: CurveCheckpoint[];

  @Field(() => CurveValues, { nullable: true, complexity: 50, description: "Once ready" })
  values!: CurveValues | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;
}

export const CurveConnection = Connection(Curve, "Curve");
export const curvesComplexity = pageComplexity;

@ObjectType({ implements: MutationPayload })
export class CurvePayload extends MutationPayload {
  @Field(() => Curve, { nullable: true })
  curve!: Curve | null;
}
