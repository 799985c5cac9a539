import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/pagination.js";

@ObjectType({ description: "One layer of a model, as read from its model.json" })
export class Layer {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Keras class, e.g. Dense, Conv2D, Add" })
  className!: string;

  @Field(() => Float, { description: "Number of weights (trainable and state) of the layer" })
  params!: number;
}

@ObjectType({ description: "A trained model (TF.js Layers or ONNX), validated at upload" })
export class Model {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "What its files are: tfjs-layers (model.json and weight shards) or onnx (model.onnx)" })
  format!: string;

  @Field(() => [Layer])
  layers!: Layer[];

  @Field(() => Float, { description: "Total number of weights, BatchNorm's running statistics included" })
  parameterCount!: number;

  @Field(() => Float, { nullable: true, description: "The weights training changes (PyTorch's requires_grad, Keras's trainable weights); null for models stored before they were counted" })
  trainableCount!: number | null;

  @Field(() => Float, { nullable: true, description: "BatchNorm's running statistics: state kept with the weights, not parameters (PyTorch's buffers); null for models stored before they were counted" })
  bufferCount!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Forward-pass FLOPs of one sample: twice the multiply-adds of its dense and convolution layers (a convolution applies each weight at every output position); null for models stored before it was counted",
  })
  flopsPerSample!: number | null;

  @Field(() => [Int], { description: "Shape of one input sample, e.g. [28, 28, 1]" })
  inputShape!: number[];

  @Field(() => [Int])
  outputShape!: number[];

  @Field(() => String, { nullable: true, description: "Loss from the model's training config, if any" })
  loss!: string | null;

  @Field(() => Float, { description: "Stored size in bytes" })
  totalBytes!: number;

  @Field(() => String, { description: "SHA-256 over model.json and shards" })
  sha256!: string;

  @Field(() => [String], { description: "What loading the files changed or assumed, e.g. weights quantized to uint8 and dequantized at load" })
  notes!: string[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ description: "The model's weights at one step of its training run" })
export class Checkpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  totalBytes!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ description: "A direction uploaded for a model: an ONNX file of its graph whose parameters hold the direction (PyTorch: a copy of the model holding it, exported the same way)" })
export class ModelDirection {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Float)
  totalBytes!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

export const ModelConnection = Connection(Model, "Model");
export const CheckpointConnection = Connection(Checkpoint, "Checkpoint");

export const ModelDirectionConnection = Connection(ModelDirection, "ModelDirection");
