import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MutationPayload } from "../../graphql/payload.js";
import { Checkpoint, Model, ModelDirection } from "../models/model.type.js";
import { Dataset } from "../datasets/dataset.type.js";

export enum UploadKind {
  MODEL = "model",
  DATASET = "dataset",
  CHECKPOINT = "checkpoint",
  DIRECTION = "direction",
}
registerEnumType(UploadKind, { name: "UploadKind" });

@InputType()
export class UploadFileInput {
  @Field(() => String, { description: "File name; folders are dropped (model/model.json becomes model.json)" })
  name!: string;

  @Field(() => Float, { description: "Exact size in bytes" })
  size!: number;

  @Field(() => String, { nullable: true })
  contentType?: string | null;
}

@InputType()
export class RequestUploadInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => UploadKind)
  kind!: UploadKind;

  @Field(() => String, { description: "Name of the model or dataset" })
  name!: string;

  @Field(() => ID, { nullable: true, description: "Checkpoints and directions: the model they belong to" })
  modelId?: string | null;

  @Field(() => Int, { nullable: true, description: "Checkpoints: the training step" })
  step?: number | null;

  @Field(() => String, { nullable: true, description: "CSV datasets: the label column (default the last)" })
  label?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Datasets: images stored channels-last (N, H, W, C); default false, for ONNX models images are (N, C, H, W)" })
  channelsLast?: boolean | null;

  @Field(() => [UploadFileInput], { description: "A model: model.json and its shards, or one zip. A dataset: x.npy and y.npy, or one CSV, or a zip of them" })
  files!: UploadFileInput[];
}

@ObjectType({ description: "Where to PUT one file: send exactly `size` bytes with this content type before `expiresAt`" })
export class UploadTarget {
  @Field(() => String)
  name!: string;

  @Field(() => Float)
  size!: number;

  @Field(() => String)
  url!: string;

  @Field(() => String)
  contentType!: string;
}

@ObjectType()
export class Upload {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => [UploadTarget])
  files!: UploadTarget[];
}

@ObjectType({ implements: MutationPayload })
export class RequestUploadPayload extends MutationPayload {
  @Field(() => Upload, { nullable: true })
  upload!: Upload | null;
}

@ObjectType({ implements: MutationPayload, description: "The validated model, dataset or checkpoint, whichever the upload was" })
export class CompleteUploadPayload extends MutationPayload {
  @Field(() => Model, { nullable: true })
  model!: Model | null;

  @Field(() => Dataset, { nullable: true })
  dataset!: Dataset | null;

  @Field(() => Checkpoint, { nullable: true })
  checkpoint!: Checkpoint | null;

  @Field(() => ModelDirection, { nullable: true })
  direction!: ModelDirection | null;
}

@ObjectType({ implements: MutationPayload })
export class DatasetPayload extends MutationPayload {
  @Field(() => Dataset, { nullable: true })
  dataset!: Dataset | null;
}

@ObjectType({ description: "What the signed-in user stores, against their quota" })
export class StorageUsage {
  @Field(() => Float, { description: "Bytes of uploads, trained models, checkpoints and surfaces' files created by the user" })
  usedBytes!: number;

  @Field(() => Float, { description: "The most the user may store (UPLOAD_QUOTA_BYTES)" })
  quotaBytes!: number;
}
