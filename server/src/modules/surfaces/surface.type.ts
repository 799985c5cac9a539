import { ArgsType, Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";
import { ProjectRole } from "../projects/project.type.js";
import { CURVATURE_METRICS, LOSS_METRICS, SURFACE_KINDS, type SurfaceKind, type SurfaceMetric } from "../../domain/surface-params.js";
import { SurfaceParamsInput } from "./surface-params.type.js";
import { enumOf } from "../../graphql/enums.js";

export const SurfaceKindEnum = enumOf(SURFACE_KINDS);
export type SurfaceKindEnum = SurfaceKind;
registerEnumType(SurfaceKindEnum, {
  name: "SurfaceKind",
  description:
    "plane: 2D random filter-normalized directions; line: 1D slice; interpolation: from model to model B; pca: plane of a training trajectory; eigen-ratio: the Hessian's lambda_max, lambda_min and |lambda_min/lambda_max| over a plane (Li et al. 2018, section 6)",
});

export enum SurfaceStatus {
  QUEUED = "queued",
  RUNNING = "running",
  READY = "ready",
  FAILED = "failed",
  CANCELLED = "cancelled",
}
registerEnumType(SurfaceStatus, { name: "SurfaceStatus" });

export const Metric = enumOf([...LOSS_METRICS, ...CURVATURE_METRICS]);
export type Metric = SurfaceMetric;
registerEnumType(Metric, {
  name: "Metric",
  description:
    "loss and accuracy: of loss surfaces (on the training data); testLoss and testAccuracy: of loss surfaces with a test set, on the test data; lambdaMax, lambdaMin and ratio (|lambda_min/lambda_max|): of eigen-ratio maps, with lanczosSteps (the Lanczos steps each point took) and converged (1 where both extreme eigenvalues met the tolerance, 0 where the point reached the step cap first; null for maps made before convergence was recorded)",
});

export enum CriticalKind {
  MINIMUM = "minimum",
  SADDLE = "saddle",
  MAXIMUM = "maximum",
}
registerEnumType(CriticalKind, { name: "CriticalKind" });

@InputType()
export class CreateSurfaceInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => SurfaceKindEnum)
  kind!: SurfaceKindEnum;

  @Field(() => ID)
  modelId!: string;

  @Field(() => ID, { nullable: true, description: "Interpolations: the model to interpolate to" })
  modelBId?: string | null;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "Loss surfaces: a held-out test set of the same project (same sample shape and classes as the training data) evaluated at every point beside it, as testLoss and testAccuracy",
  })
  testDatasetId?: string | null;

  @Field(() => SurfaceParamsInput)
  params!: SurfaceParamsInput;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@ObjectType()
export class ValueStats {
  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;

  @Field(() => Float, { nullable: true })
  mean!: number | null;

  @Field(() => Float, { nullable: true, description: "Null for surfaces made before it was recorded" })
  median?: number | null;
}

@ObjectType()
export class SurfaceStatistics {
  @Field(() => ValueStats, { description: "All null for eigen-ratio maps" })
  loss!: ValueStats;

  @Field(() => ValueStats, { description: "All null for eigen-ratio maps" })
  accuracy!: ValueStats;

  @Field(() => ValueStats, { nullable: true, description: "Surfaces with a test set: the test set's loss over the grid (null otherwise)" })
  testLoss!: ValueStats | null;

  @Field(() => ValueStats, { nullable: true, description: "Surfaces with a test set: the test set's accuracy over the grid (null otherwise)" })
  testAccuracy!: ValueStats | null;

  @Field(() => ValueStats, { nullable: true, description: "Eigen-ratio maps: the Hessian's largest eigenvalue over the grid" })
  lambdaMax!: ValueStats | null;

  @Field(() => ValueStats, { nullable: true, description: "Eigen-ratio maps: the Hessian's smallest eigenvalue over the grid" })
  lambdaMin!: ValueStats | null;

  @Field(() => ValueStats, { nullable: true, description: "Eigen-ratio maps: |lambda_min / lambda_max| over the grid (mean: the paper's measure of how far from convex)" })
  ratio!: ValueStats | null;

  @Field(() => Int, { nullable: true, description: "Eigen-ratio maps: points that reached the Lanczos step cap before converging (null for maps made before convergence was recorded)" })
  unconvergedPoints!: number | null;

  @Field(() => ValueStats, { nullable: true, description: "Eigen-ratio maps: Lanczos steps per point over the grid (null for maps made before they were recorded)" })
  lanczosSteps!: ValueStats | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Mean over interior grid points of |lambda_min / lambda_max| of the surface's 2x2 finite-difference Hessian where lambda_min < 0, else 0 (1D: the concave share): 0 for a convex bowl, 1 for a saddle everywhere",
  })
  nonConvexity!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Width of the basin around the lowest grid point: the diameter of a disc of the area (1D: the length) where the loss is within 1.0 of its minimum, connected to it, in coordinate units",
  })
  basinWidth!: number | null;
}

@ObjectType({ description: "How deep and wide a minimum's basin is" })
export class Basin {
  @Field(() => Float, { description: "Loss level bounding the basin" })
  threshold!: number;

  @Field(() => Int, { description: "Grid cells below the threshold connected to the minimum" })
  cells!: number;

  @Field(() => Float, { description: "Their area in coordinate units (a length for 1D)" })
  area!: number;

  @Field(() => Float, { description: "Lowest level at which the basin spills over (its lowest saddle)" })
  spillValue!: number;

  @Field(() => Float, { description: "spillValue minus the minimum's value" })
  depth!: number;

  @Field(() => String, { description: "saddle (toward a lower minimum) or boundary (out of the grid)" })
  escape!: string;
}

@ObjectType({ description: "A minimum, saddle or maximum found on the computed grid" })
export class CriticalPoint {
  @Field(() => CriticalKind)
  kind!: CriticalKind;

  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;

  @Field(() => Int, { description: "Column index in the grid" })
  i!: number;

  @Field(() => Int, { description: "Row index in the grid" })
  j!: number;

  @Field(() => Float, { description: "Loss there" })
  value!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Topological persistence in loss units: for a minimum, the height above it of the lowest pass to a lower basin or the grid's edge; for a maximum, the depth below it of the highest pass to a higher peak or the edge; for a saddle, the persistence of the minimum or maximum that ends at it (0 if none). Null on surfaces computed before persistence was measured",
  })
  persistence?: number | null;

  @Field(() => Basin, { nullable: true, description: "The most persistent minima only" })
  basin?: Basin | null;
}

@ObjectType({ description: "A checkpoint's position on a PCA plane: the optimizer's path" })
export class PathPoint {
  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;

  @Field(() => Float, { description: "Distance of the checkpoint from the plane, in weight space over the tensors the PCA covers (paths lie off their PCA plane)" })
  distance!: number;

  @Field(() => Float, {
    nullable: true,
    description: "The checkpoint's distance from the final model over the same tensors: distance^2 + x^2 + y^2 = fromFinal^2; null on planes made before it was recorded",
  })
  fromFinal!: number | null;

  @Field(() => Float, { description: "distance / fromFinal: the share of the checkpoint's distance from the final model that lies off the plane" })
  offPlaneFraction!: number;
}

@ObjectType({ description: "Where a model lies in the surface's coordinates (interpolations)" })
export class ModelPosition {
  @Field(() => String)
  name!: string;

  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;

  @Field(() => String, {
    nullable: true,
    description: "Set when the network at this point is not the model itself: it holds the model's weights with this model's BatchNorm running statistics (runningStats hold-a or hold-b)",
  })
  runningStatsOf!: string | null;

  @Field(() => Float, { nullable: true, description: "The surface's loss at this point, as checked when the surface was prepared; null when not checked (runningStatsOf set, or an older surface)" })
  loss!: number | null;

  @Field(() => Float, { nullable: true, description: "The model's own loss on the same samples; equal to loss (the surface was failed otherwise)" })
  ownLoss!: number | null;

  @Field(() => Float, { nullable: true, description: "The surface's accuracy at this point, as checked" })
  accuracy!: number | null;

  @Field(() => Float, { nullable: true, description: "The model's own accuracy on the same samples" })
  ownAccuracy!: number | null;
}

@ObjectType({ description: "Where a queued or running surface stands among the work of every user" })
export class SurfaceQueuePlace {
  @Field(() => Int, { description: "1 for the surface being computed first; each owner's work takes turns with the others'" })
  position!: number;

  @Field(() => Int, { description: "Other surfaces with work waiting ahead of this one's" })
  surfacesAhead!: number;

  @Field(() => Int, { nullable: true, description: "About how many seconds until it is computed, at the workers' speed of the last ten minutes; null before any was measured, and while it waits for a kind of worker that is not running" })
  estimatedSeconds!: number | null;

  @Field(() => String, { nullable: true, description: "What it waits for besides its turn, e.g. a GPU worker when it asked for a GPU and none is running; null when nothing" })
  waitingFor!: string | null;
}

@ObjectType({ description: "A computed grid of loss and accuracy around a model" })
export class Surface {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => SurfaceKindEnum)
  kind!: SurfaceKindEnum;

  @Field(() => SurfaceStatus)
  status!: SurfaceStatus;

  @Field(() => ProjectRole, { description: "The caller's role on the surface's project" })
  myRole!: ProjectRole;

  @Field(() => ID)
  modelId!: string;

  @Field(() => ID, { nullable: true })
  modelBId!: string | null;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ID, { nullable: true, description: "The held-out test set evaluated beside the training data (null without one)" })
  testDatasetId!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => Int)
  pointsDone!: number;

  @Field(() => Int)
  pointsTotal!: number;

  @Field(() => String, { nullable: true, description: "Why it failed" })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => String, { nullable: true, description: "Backend of the worker that prepared it" })
  backend!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;
}

export const SurfaceConnection = Connection(Surface, "Surface");

@InputType()
export class GalleryFilterInput {
  @Field(() => ID, { nullable: true })
  projectId?: string | null;

  @Field(() => ID, { nullable: true })
  modelId?: string | null;

  @Field(() => SurfaceKindEnum, { nullable: true })
  kind?: SurfaceKindEnum | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => SurfaceStatus, { nullable: true })
  status?: SurfaceStatus | null;

  @Field(() => String, { nullable: true, description: "Words in the surface's name" })
  search?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Include the frames of landscapes over training (default false: they play in the viewer of the surface they share directions with)",
  })
  frames?: boolean | null;
}

@ArgsType()
export class GalleryArgs extends PageArgs {
  @Field(() => GalleryFilterInput, { nullable: true })
  filter?: GalleryFilterInput | null;
}

@ObjectType({ description: "Surfaces side by side on one shared value range" })
export class Comparison {
  @Field(() => [Surface])
  surfaces!: Surface[];

  @Field(() => Metric)
  metric!: Metric;

  @Field(() => Float, { nullable: true, description: "Smallest value over all the surfaces" })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: "Largest value over all the surfaces" })
  max!: number | null;

  @Field(() => Boolean, { description: "True when all surfaces share one grid, so a difference view is meaningful" })
  sameGrid!: boolean;
}

@ObjectType({ implements: MutationPayload })
export class SurfacePayload extends MutationPayload {
  @Field(() => Surface, { nullable: true })
  surface!: Surface | null;
}

@ObjectType({ description: "A surface's progress: sent at every finished tile and every change of status" })
export class SurfaceProgress {
  @Field(() => ID)
  surfaceId!: string;

  @Field(() => SurfaceStatus)
  status!: SurfaceStatus;

  @Field(() => Int)
  pointsDone!: number;

  @Field(() => Int)
  pointsTotal!: number;

  @Field(() => [Int], { description: "Flat grid indices (j * nx + i) of the values in this event" })
  indices!: number[];

  @Field(() => [Float], { nullable: "items", description: "Loss at those indices (the first event carries everything computed so far)" })
  loss!: (number | null)[];

  @Field(() => [Float], { nullable: "items" })
  accuracy!: (number | null)[];

  @Field(() => [Float], { nullable: "items", description: "Surfaces with a test set: the test set's loss at those indices (empty otherwise)" })
  testLoss!: (number | null)[];

  @Field(() => [Float], { nullable: "items", description: "Surfaces with a test set: the test set's accuracy at those indices (empty otherwise)" })
  testAccuracy!: (number | null)[];

  @Field(() => [Float], { nullable: "items", description: "Eigen-ratio maps: lambda_max at those indices (empty for loss surfaces, whose loss and accuracy are empty here)" })
  lambdaMax!: (number | null)[];

  @Field(() => [Float], { nullable: "items" })
  lambdaMin!: (number | null)[];

  @Field(() => [Float], { nullable: "items", description: "|lambda_min / lambda_max|" })
  ratio!: (number | null)[];

  @Field(() => [Float], { nullable: "items", description: "Eigen-ratio maps: Lanczos steps each point took" })
  lanczosSteps!: (number | null)[];

  @Field(() => [Float], { nullable: "items", description: "Eigen-ratio maps: 1 where the point converged, 0 where it reached the step cap first" })
  converged!: (number | null)[];

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;
}

@ObjectType({ implements: MutationPayload })
export class SurfaceSeriesPayload extends MutationPayload {
  @Field(() => [Surface], { nullable: true, description: "In checkpoint order" })
  surfaces!: Surface[] | null;
}

@ObjectType({ description: "What an eigen-ratio map would cost, stated before it is started" })
export class EigenRatioCost {
  @Field(() => Int, { description: "Most Hessian-vector products: points x the Lanczos step cap (a point stops earlier once it converges); each is four gradients over the samples" })
  hvps!: number;

  @Field(() => Int, { nullable: true, description: "Hessian-vector products to expect: points x the mean steps per point of this model's last eigen-ratio map that recorded them; null before one did" })
  expectedHvps!: number | null;

  @Field(() => Int, { description: "Samples each gradient runs over" })
  samples!: number;

  @Field(() => Float, { nullable: true, description: "About how many seconds one worker takes for expectedHvps (else for hvps, at most), at the speed measured on this model; null before any was measured" })
  estimatedSeconds!: number | null;

  @Field(() => String, { nullable: true, description: "Which measurement the estimate comes from" })
  basis!: string | null;
}

@ObjectType({ description: "What a surface's grid points would cost, stated before it is started (forward passes: planes, slices, interpolations, PCA planes)" })
export class SurfaceCost {
  @Field(() => Int, { description: "Samples each point evaluates: the subset asked for, at most the dataset's rows (with a test set, those of both sets)" })
  samples!: number;

  @Field(() => Int, { description: "Of those, the test set's (0 without one)" })
  testSamples!: number;

  @Field(() => Float, { description: "FLOPs of one grid point: the model's forward FLOPs per sample (Model.flopsPerSample; 2 x its parameters for models stored before it was counted) x the samples" })
  flopsPerPoint!: number;

  @Field(() => Float, { description: "FLOPs of all the points asked for" })
  totalFlops!: number;

  @Field(() => Float, { nullable: true, description: "Seconds one point should take at the FLOP rate the workers reached in the last ten minutes; null when they computed nothing" })
  secondsPerPoint!: number | null;

  @Field(() => Float, { nullable: true, description: "Seconds of the workers' time for all the points at that rate, besides the wait for its turn; null without a rate" })
  estimatedSeconds!: number | null;
}
