/**
 * The engine's description of a model, as plain data: parameters, the layer graph as steps, and
 * the files a model comes from. Every reader (TF.js Layers, ONNX) produces these and every
 * evaluator consumes them, so they live here, below both: this module imports no engine code but
 * a type, and nothing in the engine imports back up through it.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { LossSpec } from "./loss.js";

/** model.json and its shards, already in memory; shard keys are the manifest's relative paths. */
export interface ModelFiles {
  readonly modelJson: Uint8Array | string;
  readonly shards: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
}

/**
 * Where a model (or a direction) comes from: a path (a folder holding model.json, a model.json
 * file, or a .zip), the bytes of a zip, or model.json plus shards in memory.
 */
export type ModelSource = string | Uint8Array | ModelFiles;

/** The parts of a TF.js Layers model the engine uses; weight bytes are one contiguous buffer. */
export interface LayersArtifacts {
  readonly modelTopology: Record<string, unknown>;
  readonly weightSpecs: tf.io.WeightsManifestEntry[];
  readonly weightData: ArrayBuffer;
  readonly trainingConfig?: unknown;
  readonly userDefinedMetadata?: Record<string, unknown>;
  /** What reading changed or assumed (dequantized weights, Keras 3 forms rewritten), for the summary. */
  readonly notes?: readonly string[];
  /** An ONNX model's file (then the Layers fields are empty): the engine translates it at load. */
  readonly onnx?: Uint8Array;
}

/** How a parameter takes part in direction normalization. */
export type ParamRole = "kernel" | "bias" | "batchnorm" | "other";

export interface Param {
  /** The weight's name in model.json, e.g. "dense_Dense1/kernel". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly layerName: string;
  /** Short name inside its layer: "kernel", "bias", "gamma", "moving_mean", ... */
  readonly key: string;
  readonly role: ParamRole;
  /** False for BatchNorm's moving statistics and for the weights of layers marked `trainable: false`. */
  readonly trainable: boolean;
  /** BatchNorm's moving mean and variance: state, not parameters, never moved by a direction. */
  readonly state: boolean;
  /** A weight of a layer marked `trainable: false` (frozen in training); moved unless asked not to. */
  readonly frozen: boolean;
}

/** One application of a layer: a node of the layer graph. Values are numbered from 0. */
export interface Step {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Parameter index of each of the layer's weights, by short name. */
  readonly params: Readonly<Record<string, number>>;
  readonly inputs: readonly number[];
  readonly output: number;
}

export interface LoadedModel {
  readonly params: readonly Param[];
  /** theta: the model's weights, one host array per parameter. */
  readonly theta: readonly Float32Array[];
  readonly steps: readonly Step[];
  readonly inputValue: number;
  readonly outputValue: number;
  /** Shape of one input sample, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Shape of one output, e.g. [10]. */
  readonly outputShape: readonly number[];
  /** The final activation, when softmax or sigmoid: the engine fuses it into the loss. */
  readonly outputActivation: "softmax" | "sigmoid" | null;
  /** The loss from the model's training config, or null. */
  readonly trainingLoss: LossSpec | null;
  /** Forward-pass FLOPs of one sample (2 x multiply-adds of Dense and conv layers). */
  readonly flopsPerSample: number;
  /** The files it came from, for saving directions with the same topology and for workers. */
  readonly artifacts: LayersArtifacts;
  /** What loading changed or assumed, for the model's summary (dequantized weights, dtype policies). */
  readonly notes: readonly string[];
  /** Set for models read from ONNX: how parameters map to initializers, and the input's own layout. */
  readonly onnx?: OnnxModelInfo;
}

/** What an ONNX model keeps of its file beyond the engine's steps. */
export interface OnnxModelInfo {
  /** Per parameter: the initializer's dims and the reshape + permutation into the engine's layout. */
  readonly layouts: readonly OnnxParamLayout[];
  /** The graph's shape of one input sample ([C, H, W] for images). */
  readonly inputShape: readonly number[];
  /** True when the graph reads images NCHW (the engine stores them NHWC: data is transposed once). */
  readonly channelsFirstInput: boolean;
  readonly producer: string;
  readonly opset: number;
  /** False when the graph has no BatchNormalization node. */
  readonly batchNormalization: boolean;
}

/** How one parameter's engine array comes from its ONNX initializer: reshape to viewDims, then permute. */
export interface OnnxParamLayout {
  readonly onnxDims: readonly number[];
  readonly viewDims: readonly number[];
  readonly perm: readonly number[];
}
