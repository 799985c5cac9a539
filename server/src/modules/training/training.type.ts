import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";

export enum ArchitectureKind {
  MLP = "mlp",
  CNN = "cnn",
  RESNET = "resnet",
  UPLOADED = "uploaded",
}
registerEnumType(ArchitectureKind, {
  name: "ArchitectureKind",
  description: "mlp, cnn and resnet: zoo models built from scratch; uploaded: a model of the project trained from its own weights",
});

export enum Optimizer {
  SGD = "sgd",
  MOMENTUM = "momentum",
  ADAM = "adam",
}
registerEnumType(Optimizer, { name: "Optimizer", description: "sgd, momentum (0.9) or adam" });

export enum TrainingStatus {
  QUEUED = "queued",
  RUNNING = "running",
  READY = "ready",
  FAILED = "failed",
  CANCELLED = "cancelled",
}
registerEnumType(TrainingStatus, { name: "TrainingStatus" });

@InputType()
@ObjectType("Architecture")
export class ArchitectureInput {
  @Field(() => ArchitectureKind)
  kind!: ArchitectureKind;

  @Field(() => Int, { nullable: true, description: "MLP: hidden layers, 1-32 (default 4)" })
  depth?: number | null;

  @Field(() => Int, { nullable: true, description: "MLP: units per hidden layer, 1-1024 (default 32). RESNET: channels of the first stage, 1-64 (default 16; the later stages have 2x and 4x)" })
  width?: number | null;

  @Field(() => Boolean, { nullable: true, description: "MLP: skip connections around each hidden layer (default false). RESNET: shortcuts (default true); false is the plain twin (\"ResNet-56-noshort\")" })
  residual?: boolean | null;

  @Field(() => Int, { nullable: true, description: "RESNET: basic blocks per stage, 1-18 (default 3); depth 6 x blocks + 2 (3, 9, 18: ResNet-20, 56, 110)" })
  blocks?: number | null;

  @Field(() => Int, { nullable: true, description: "RESNET: average-pool the images by this factor first, 1-4 (default 1; 2 makes MNIST 14x14)" })
  downsample?: number | null;

  @Field(() => [Int], { nullable: true, description: "CNN: filters of its two conv layers (default [8, 16]). CNNs train only on TensorFlow workers" })
  channels?: number[] | null;

  @Field(() => ID, {
    nullable: true,
    description: "UPLOADED: the project's model to train from its weights; its input fits the data and its last layer is a softmax over the classes",
  })
  modelId?: string | null;
}

@InputType()
@ObjectType("TrainingOptions")
export class TrainingOptionsInput {
  @Field(() => Optimizer, { nullable: true })
  optimizer?: Optimizer | null;

  @Field(() => Float, { nullable: true, description: "Default 0.05" })
  learningRate?: number | null;

  @Field(() => Int, { nullable: true, description: "Default 32" })
  batchSize?: number | null;

  @Field(() => Float, { nullable: true, description: "L2 penalty on kernels; default 0" })
  weightDecay?: number | null;

  @Field(() => Int, { nullable: true, description: "Default 5" })
  epochs?: number | null;

  @Field(() => Int, { nullable: true, description: "Default 0" })
  seed?: number | null;

  @Field(() => Int, { nullable: true, description: "Steps between checkpoints; default one per epoch" })
  checkpointEvery?: number | null;

  @Field(() => Int, { nullable: true, description: "Train on a random subset of this many samples" })
  samples?: number | null;

  @Field(() => Int, { nullable: true, description: "Without a test dataset: measure the test curve on this many rows of the training dataset held out of its training rows; default none" })
  holdOut?: number | null;
}

@InputType()
export class StartTrainingInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ID, { nullable: true, description: "Data to measure test loss on" })
  testDatasetId?: string | null;

  @Field(() => ArchitectureInput)
  architecture!: ArchitectureInput;

  @Field(() => TrainingOptionsInput, { nullable: true })
  options?: TrainingOptionsInput | null;
}

@ObjectType({ description: "Loss and accuracy measured at a checkpoint" })
export class CurvePoint {
  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  epoch!: number;

  @Field(() => Float)
  trainLoss!: number;

  @Field(() => Float)
  trainAccuracy!: number;

  @Field(() => Float, { nullable: true })
  testLoss!: number | null;

  @Field(() => Float, { nullable: true })
  testAccuracy!: number | null;
}

@ObjectType({ description: "A zoo model trained by a worker; its checkpoints become the resulting model's" })
export class TrainingRun {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ID, { nullable: true })
  testDatasetId!: string | null;

  @Field(() => ArchitectureInput)
  architecture!: ArchitectureInput;

  @Field(() => TrainingOptionsInput)
  options!: TrainingOptionsInput;

  @Field(() => TrainingStatus)
  status!: TrainingStatus;

  @Field(() => Int)
  stepsDone!: number;

  @Field(() => Int, { nullable: true })
  stepsTotal!: number | null;

  @Field(() => [CurvePoint], { description: "One point per checkpoint so far" })
  curve!: CurvePoint[];

  @Field(() => String, { nullable: true, description: "Its side of an experiment, e.g. \"with skip connections\"" })
  role!: string | null;

  @Field(() => ID, { nullable: true, description: "The trained model, once ready" })
  modelId!: string | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;
}

export const TrainingRunConnection = Connection(TrainingRun, "TrainingRun");

@ObjectType({ implements: MutationPayload })
export class TrainingRunPayload extends MutationPayload {
  @Field(() => TrainingRun, { nullable: true })
  run!: TrainingRun | null;
}
