import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { CURVATURE_STATUSES, type CurvatureState } from "../../domain/curvature-params.js";
import { enumOf } from "../../graphql/enums.js";
import { MutationPayload } from "../../graphql/payload.js";

export const CurvatureStatus = enumOf(CURVATURE_STATUSES);
export type CurvatureStatus = CurvatureState;
registerEnumType(CurvatureStatus, { name: "CurvatureStatus" });

@ObjectType({ description: "The eigenvalue density of the Hessian (stochastic Lanczos quadrature), smoothed with a Gaussian of width sigma" })
export class EigenDensityCurve {
  @Field(() => [Float], { description: "Eigenvalues at which the density is given" })
  x!: number[];

  @Field(() => [Float], { description: "Density at each x (integrates to about 1)" })
  density!: number[];

  @Field(() => Float)
  sigma!: number;

  @Field(() => [Float], { description: "Quadrature nodes: Ritz values of every run" })
  nodes!: number[];

  @Field(() => [Float], { description: "Quadrature weights of the nodes (sum to 1)" })
  weights!: number[];
}

@ObjectType({ description: "Curvature of the loss at a model: the Hessian over a dataset's seeded subset, from Hessian-vector products" })
export class ModelCurvature {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => CurvatureStatus)
  status!: CurvatureStatus;

  @Field(() => Int, { description: "Samples the loss is averaged over" })
  samples!: number;

  @Field(() => Int, { description: "Hessian-vector products done so far" })
  hvpsDone!: number;

  @Field(() => Int, { description: "Hessian-vector products planned (the eigenvalues may converge early)" })
  hvpsPlanned!: number;

  @Field(() => Float, { nullable: true, description: "Parameters the Hessian is taken over (biases and BatchNorm excluded under ignore biasbn)" })
  dimension!: number | null;

  @Field(() => [Float], { description: "Largest eigenvalues, descending" })
  topEigenvalues!: number[];

  @Field(() => Float, { nullable: true, description: "Smallest eigenvalue (negative: the model is not at a minimum along some direction)" })
  lambdaMin!: number | null;

  @Field(() => Float, { nullable: true, description: "|lambda_min / lambda_max| (Li et al. 2018, section 6)" })
  eigenRatio!: number | null;

  @Field(() => Float, { nullable: true, description: "Trace of the Hessian (Hutchinson estimate, or exact for small models)" })
  trace!: number | null;

  @Field(() => Float, { nullable: true, description: "Standard error of the trace estimate" })
  traceStandardError!: number | null;

  @Field(() => EigenDensityCurve, { nullable: true })
  density!: EigenDensityCurve | null;

  @Field(() => String, { nullable: true, description: "How Hessian-vector products were computed" })
  method!: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Error estimate of the Hessian-vector products relative to the largest eigenvalue (an upper estimate: the truncation error of the half-step central difference that Richardson extrapolation improves on; an eigenvalue is off by at most about this times lambda_max); null for results computed before it was recorded or with a single central difference",
  })
  hvpErrorEstimate!: number | null;

  @Field(() => Float, { nullable: true, description: "Finite-difference step, relative to the norm of the parameters in the Hessian" })
  hvpStep!: number | null;

  @Field(() => Boolean, { nullable: true, description: "Whether Lanczos met its tolerance for every eigenvalue reported before its step cap; null for results computed before it was recorded" })
  eigenvaluesConverged!: boolean | null;

  @Field(() => String, { nullable: true, description: "Backend that ran, and how convolution filter gradients were computed" })
  backend!: string | null;

  @Field(() => Float, { nullable: true, description: "Seconds of computation" })
  seconds!: number | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@InputType()
export class ComputeCurvatureInput {
  @Field(() => ID)
  modelId!: string;

  @Field(() => ID, { description: "A dataset of the model's project" })
  datasetId!: string;

  @Field(() => Int, { nullable: true, description: "Seeded random subset of this many samples, 1-10,000 (default 1,000)" })
  samples?: number | null;

  @Field(() => Int, { nullable: true, description: "Largest eigenvalues to find, 1-20 (default 5)" })
  topK?: number | null;

  @Field(() => Int, { nullable: true, description: "Hutchinson probes for the trace, 0-200 (default 30; 0: no trace)" })
  traceProbes?: number | null;

  @Field(() => Int, { nullable: true, description: "Lanczos runs for the density, 0-10 (default 3; 0: no density)" })
  densityRuns?: number | null;

  @Field(() => Int, { nullable: true, description: "Seed of the random vectors and the subset (default 0)" })
  seed?: number | null;
}

@ObjectType({ implements: MutationPayload })
export class ModelCurvaturePayload extends MutationPayload {
  @Field(() => ModelCurvature, { nullable: true })
  curvature!: ModelCurvature | null;
}
