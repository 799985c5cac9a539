import { Field, Float, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Surface } from "../surfaces/surface.type.js";
import { Connection } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";

export enum ExperimentKindEnum {
  SKIP = "skip",
  BATCH = "batch",
  WEIGHT_DECAY = "weight-decay",
  TRAJECTORY = "trajectory",
  OVER_TRAINING = "over-training",
  DEPTH = "depth",
  WIDTH = "width",
  NORMALIZATION = "normalization",
  CONNECTIVITY = "connectivity",
}
registerEnumType(ExperimentKindEnum, {
  name: "ExperimentKind",
  description: "skip: with vs without skip connections; batch: small vs large batch; weight-decay: with vs without; trajectory: a PCA plane with the optimizer's path; over-training: one plane around every checkpoint of a run, played in order; depth: ResNets of several depths with and without shortcuts (image data); width: one ResNet depth at several widths, with and without shortcuts (image data); normalization: what filter normalization fixes, small vs large batch and without vs with weight decay, slices and planes without and with filter normalization beside the runs' test errors; connectivity: one network trained from two seeds, then the curve that connects the two minima against the straight line",
});

export enum ExperimentSizeEnum {
  SMALL = "small",
  STANDARD = "standard",
  PAPER = "paper",
}
registerEnumType(ExperimentSizeEnum, { name: "ExperimentSize", description: "small: minutes on a laptop; standard: deeper models, finer grids (about 15 minutes for the whole demo on two cores); paper: closer to the paper's scale (deeper and wider networks, 51 x 51 planes; about 7 hours for the whole demo on two cores), for a GPU or time to spare" });

export enum ExperimentStatus {
  TRAINING = "training",
  COMPUTING = "computing",
  READY = "ready",
  FAILED = "failed",
}
registerEnumType(ExperimentStatus, { name: "ExperimentStatus" });

@InputType()
export class StartExperimentInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => ExperimentKindEnum)
  kind!: ExperimentKindEnum;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ExperimentSizeEnum, { nullable: true, description: "Default standard" })
  size?: ExperimentSizeEnum | null;
}

@ObjectType({ description: "A comparison from the paper run as one unit: training runs, then matching surfaces (or, for connectivity, the curve between the two models)" })
export class Experiment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => ExperimentKindEnum)
  kind!: ExperimentKindEnum;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "What to look for when comparing" })
  caption!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  surfaceIds!: string[];
  curveId!: string | null;
  failed!: boolean;
}

export const ExperimentConnection = Connection(Experiment, "Experiment");

@ObjectType({ description: "The most striking comparison to open the gallery on: the pair of planes, one network without shortcuts and its twin with them, whose measured non-convexity differs most" })
export class FeaturedComparison {
  @Field(() => Experiment)
  experiment!: Experiment;

  @Field(() => [Surface], { description: "The pair: without shortcuts first (the more non-convex), then with them" })
  surfaces!: Surface[];

  @Field(() => Float, { description: "Non-convexity of the first plane minus the second's (share of the plane's points, 0 to 1)" })
  contrast!: number;
}

@ObjectType({ implements: MutationPayload })
export class ExperimentPayload extends MutationPayload {
  @Field(() => Experiment, { nullable: true })
  experiment!: Experiment | null;
}
