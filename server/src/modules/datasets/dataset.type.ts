import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/pagination.js";

export enum BuiltinDataset {
  IRIS = "iris",
  MNIST = "mnist",
}
registerEnumType(BuiltinDataset, { name: "BuiltinDataset", description: "Datasets shipped with Loss Atlas" });

@ObjectType({ description: "Evaluation data: an uploaded NPY pair or CSV, or a built-in set" })
export class Dataset {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "npy, csv or builtin" })
  format!: string;

  @Field(() => Int)
  rows!: number;

  @Field(() => [Int], { description: "Shape of one sample" })
  inputShape!: number[];

  @Field(() => [Int], { description: "Shape of one target; [] for integer class labels" })
  targetShape!: number[];

  @Field(() => Int, { nullable: true, description: "Number of classes, for labelled data" })
  classes!: number | null;

  @Field(() => [String], { nullable: true })
  classNames!: string[] | null;

  @Field(() => Float)
  totalBytes!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => Boolean, { description: "Images are stored channels-last (N, H, W, C); otherwise ONNX models read them as (N, C, H, W)" })
  channelsLast!: boolean;
}

export const DatasetConnection = Connection(Dataset, "Dataset");
