/** What a training run is asked to do: a zoo architecture and optimizer settings, parsed by API and worker. */
import { z } from "zod";
import { MAX_RESNET_BLOCKS, MAX_RESNET_DOWNSAMPLE, MAX_RESNET_WIDTH, resnetImageShape, resnetProblem } from "../engine/pure.js";
import { badInput } from "./errors.js";

export const architectureSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("mlp"),
    depth: z.number().int().min(1).max(32).default(4),
    width: z.number().int().min(1).max(1024).default(32),
    residual: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal("cnn"),
    channels: z.tuple([z.number().int().min(1).max(128), z.number().int().min(1).max(128)]).default([8, 16]),
  }),
  /**
   * The CIFAR ResNet family the paper studies (6 x blocks + 2 layers: 3, 9, 18 blocks are
   * ResNet-20, 56, 110) or, without shortcuts, its plain twin; trained on every backend.
   */
  z.object({
    kind: z.literal("resnet"),
    blocks: z.number().int().min(1).max(MAX_RESNET_BLOCKS).default(3),
    width: z.number().int().min(1).max(MAX_RESNET_WIDTH).default(16),
    residual: z.boolean().default(true),
    downsample: z.number().int().min(1).max(MAX_RESNET_DOWNSAMPLE).default(1),
  }),
  /** A model of the project, uploaded uncompiled, trained from its own weights. */
  z.object({
    kind: z.literal("uploaded"),
    modelId: z.string().uuid(),
  }),
]);

export const trainingOptionsSchema = z.object({
  optimizer: z.enum(["sgd", "momentum", "adam"]).default("sgd"),
  learningRate: z.number().gt(0).lt(10).default(0.05),
  batchSize: z.number().int().min(1).max(8192).default(32),
  weightDecay: z.number().min(0).max(1).default(0),
  epochs: z.number().int().min(1).max(200).default(5),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Steps between checkpoints; default one per epoch. */
  checkpointEvery: z.number().int().min(1).nullable().default(null),
  /** Train on a random subset of this many samples (default all). */
  samples: z.number().int().min(2).nullable().default(null),
  /**
   * Without a test dataset: measure the test curve on this many rows of the training dataset that
   * are not among its `samples` training rows (seeded by `seed`); default none.
   */
  holdOut: z.number().int().min(1).nullable().default(null),
});

export type Architecture = z.infer<typeof architectureSchema>;
export type TrainingOptions = z.infer<typeof trainingOptionsSchema>;

/** Most checkpoints one run may write. */
export const MAX_CHECKPOINTS = 200;

/**
 * Refuses a ResNet for a dataset whose samples it cannot read as images, or cannot downsample as
 * asked; the worker builds the network from the same shapes.
 */
export function checkResnetImages(architecture: Extract<Architecture, { kind: "resnet" }>, dataset: { input_shape: number[]; channels_last: boolean }, field = "architecture"): void {
  const shape = resnetImageShape(dataset.input_shape, dataset.channels_last);
  if (!shape) throw badInput(field, `A ResNet needs image samples (height, width, channels); this dataset's samples have shape [${dataset.input_shape.join(", ")}]`);
  const problem = resnetProblem(architecture, shape);
  if (problem) throw badInput(field, `A ResNet ${problem}`);
}
