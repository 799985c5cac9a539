/**
 * Upload validation as the API and the validating processes share it: the limits on what is read,
 * the summaries validation produces, and the job and answer that pass between the API's
 * UploadValidator (modules/uploads/validation-process.ts) and the `lossatlas validate-upload`
 * process (validation/process.ts). No TF.js: the API imports it.
 */
import type { StorageLocation } from "../storage/open-store.js";
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from "../engine/pure.js";
import type { UploadErrorCode } from "./upload-rejection.js";

/** What an uploaded zip may hold (the engine's zip reader checks it). */
export type ArchiveLimits = ZipLimits;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = DEFAULT_ZIP_LIMITS;

export interface LayerSummary {
  name: string;
  className: string;
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  /** Every weight, BatchNorm's running statistics included. */
  parameterCount: number;
  /** The weights training changes (PyTorch's `requires_grad`, Keras's trainable weights). */
  trainableCount: number;
  /** BatchNorm's running statistics: state kept with the weights, not parameters (PyTorch's buffers). */
  bufferCount: number;
  /** Forward-pass FLOPs of one sample: twice the multiply-adds of its dense and convolution layers. */
  flopsPerSample: number;
  inputShape: number[];
  outputShape: number[];
  loss: string | null;
  /** What loading changed or assumed: dequantized weights, dtype policies evaluated in float32. */
  notes: string[];
}

/** Limits on what validation reads, beyond the archive's. */
export interface ContentLimits {
  /** Deepest nesting of arrays and objects in model.json. Default 100. */
  maxJsonDepth: number;
  /** Most classes a dataset's labels may name. Default 10000. */
  maxClasses: number;
}

export const DEFAULT_CONTENT_LIMITS: ContentLimits = { maxJsonDepth: 100, maxClasses: 10_000 };

export interface DatasetSummary {
  format: "npy" | "csv";
  rows: number;
  inputShape: number[];
  targetShape: number[];
  classes: number | null;
  classNames: string[] | null;
}

/** What is stored of a validated model: its files, summary, signature and digest. */
export interface StorableModel {
  /**
   * The files to store, under names the server chose: model.json (its manifest rewritten to them)
   * and `weights-0001.bin`, ... in manifest order. The uploaded names are never used as keys.
   */
  files: Map<string, Uint8Array>;
  summary: ModelSummary;
  /** Parameter shapes in order, to check that checkpoints fit their model. */
  signature: string;
  sha256: string;
}

/** What the API asks of the validating process. */
export interface ValidationJob {
  kind: "model" | "dataset" | "checkpoint" | "direction";
  /** The uploaded objects, by the name the uploader gave each (names only guide recognition). */
  files: { name: string; key: string }[];
  /** CSV label column (datasets). */
  label: string | null;
  /** Where the validated files go, e.g. `projects/<p>/models/<m>/`. */
  target: string;
  archive: ArchiveLimits;
  content: ContentLimits;
  storage: StorageLocation;
}

export type ValidationOutcome =
  | { ok: true; kind: "model"; summary: ModelSummary; signature: string; sha256: string; files: string[]; totalBytes: number }
  | { ok: true; kind: "dataset"; summary: DatasetSummary; sha256: string; files: string[]; totalBytes: number }
  | { ok: false; code: UploadErrorCode; message: string; field?: string };
