/**
 * Validation of uploads by content, with the engine's own readers: what passes here is exactly
 * what a worker can load. Files arrive as a map of name -> bytes (a zip is opened safely first).
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { activeBackend, initBackend } from "../../engine/backend.js";
import { type Dataset, loadDataset } from "../../engine/data.js";
import { EngineInputError } from "../../engine/errors.js";
import { readLayersArtifacts } from "../../engine/model-io.js";
import { type LoadedModel, modelFromArtifacts } from "../../engine/network.js";
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, extractZip } from "./archive.js";
import { UploadRejection } from "./rejection.js";
import { describeSniffed, sniff } from "./sniff.js";

export interface LayerSummary {
  name: string;
  className: string;
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  parameterCount: number;
  inputShape: number[];
  outputShape: number[];
  loss: string | null;
  /** What loading changed or assumed: dequantized weights, dtype policies evaluated in float32. */
  notes: string[];
}

export interface ValidatedModel {
  /** The files to store: model.json and the shards its manifest names, by relative path. */
  files: Map<string, Uint8Array>;
  summary: ModelSummary;
  /** Parameter shapes in order, to check that checkpoints fit their model. */
  signature: string;
  sha256: string;
  model: LoadedModel;
}

export interface DatasetSummary {
  format: "npy" | "csv";
  rows: number;
  inputShape: number[];
  targetShape: number[];
  classes: number | null;
  classNames: string[] | null;
}

export interface ValidatedDataset {
  files: Map<string, Uint8Array>;
  summary: DatasetSummary;
  sha256: string;
}

/** Opens a single uploaded zip (safely), or passes loose files through. */
async function unpack(files: Map<string, Uint8Array>, limits: ArchiveLimits): Promise<Map<string, Uint8Array>> {
  if (files.size !== 1) return files;
  const [name, bytes] = [...files][0]!;
  const type = sniff(bytes);
  if (type === "zip") return extractZip(bytes, limits);
  if (name.toLowerCase().endsWith(".zip")) {
    throw new UploadRejection("WRONG_FILE_TYPE", `${name} is ${describeSniffed(type)}, not a zip archive`);
  }
  return files;
}

function sha256Of(files: Map<string, Uint8Array>): string {
  const hash = createHash("sha256");
  for (const name of [...files.keys()].sort()) {
    hash.update(name);
    hash.update(files.get(name)!);
  }
  return hash.digest("hex");
}

let backendReady: Promise<unknown> | undefined;

/**
 * Checks a TF.js Layers model: model.json parses, its layers are supported, and its shards match
 * the manifest's sizes, shapes and dtypes.
 */
export async function validateModel(uploaded: Map<string, Uint8Array>, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ValidatedModel> {
  const files = await unpack(uploaded, limits);
  const jsonPaths = [...files.keys()].filter((name) => path.posix.basename(name) === "model.json");
  if (jsonPaths.length === 0) throw new UploadRejection("INVALID_MODEL", "No model.json among the uploaded files");
  if (jsonPaths.length > 1) throw new UploadRejection("INVALID_MODEL", `More than one model.json: ${jsonPaths.join(", ")}`);
  const jsonPath = jsonPaths[0]!;
  const modelJson = files.get(jsonPath)!;
  const type = sniff(modelJson);
  if (type !== "json") throw new UploadRejection("WRONG_FILE_TYPE", `model.json is ${describeSniffed(type)}, not JSON`);

  // Shards are named relative to model.json.
  const base = path.posix.dirname(jsonPath);
  const shards = new Map<string, Uint8Array>();
  for (const [name, bytes] of files) {
    if (name === jsonPath) continue;
    shards.set(base === "." ? name : path.posix.relative(base, name), bytes);
  }

  let model: LoadedModel;
  try {
    const artifacts = await readLayersArtifacts({ modelJson, shards }, "model");
    // Reading a model needs a TF.js backend: the one running (a worker's), else the plain cpu one.
    backendReady ??= activeBackend() ? Promise.resolve() : initBackend("cpu");
    await backendReady;
    model = await modelFromArtifacts(artifacts, "model");
  } catch (error) {
    if (error instanceof EngineInputError) throw new UploadRejection("INVALID_MODEL", error.message);
    throw error;
  }

  // Keep model.json and the shards the manifest names; anything else in the upload is dropped.
  const manifest = JSON.parse(new TextDecoder().decode(modelJson)) as { weightsManifest?: { paths?: string[] }[] };
  const kept = new Map<string, Uint8Array>([["model.json", modelJson]]);
  for (const group of manifest.weightsManifest ?? []) {
    for (const shardPath of group.paths ?? []) {
      const normalized = path.posix.normalize(shardPath);
      const bytes = shards.get(normalized) ?? shards.get(path.posix.basename(normalized));
      if (bytes) kept.set(normalized, bytes);
    }
  }

  const perLayer = new Map<string, number>();
  for (const param of model.params) perLayer.set(param.layerName, (perLayer.get(param.layerName) ?? 0) + param.size);
  // The input layer only names the input shape, which the summary gives on its own.
  // A shared layer is applied at several steps but listed once.
  const listed = new Set<string>();
  const layers = model.steps
    .filter((step) => step.className !== "InputLayer" && !listed.has(step.name) && listed.add(step.name))
    .map((step) => ({ name: step.name, className: step.className, params: perLayer.get(step.name) ?? 0 }));
  return {
    files: kept,
    model,
    sha256: sha256Of(kept),
    // Shapes in weight order: checkpoints of one run match it even when a framework renamed layers.
    signature: model.params.map((p) => p.shape.join("x")).join(";"),
    summary: {
      layers,
      parameterCount: model.params.reduce((sum, p) => sum + p.size, 0),
      inputShape: [...model.inputShape],
      outputShape: [...model.outputShape],
      loss: model.trainingLoss ? model.trainingLoss.name : null,
      notes: [...model.notes],
    },
  };
}

/**
 * Checks a dataset: an NPY pair (x.npy, y.npy) or one CSV with a header; numbers only, no NaN or
 * Inf, consistent rows. `label` names the CSV's label column (default the last).
 */
export async function validateDataset(
  uploaded: Map<string, Uint8Array>,
  label?: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ValidatedDataset> {
  const files = await unpack(uploaded, limits);
  const byBase = new Map([...files].map(([name, bytes]) => [path.posix.basename(name).toLowerCase(), { name, bytes }]));
  let data: Dataset;
  let format: "npy" | "csv";
  let kept: Map<string, Uint8Array>;
  try {
    const x = byBase.get("x.npy");
    const y = byBase.get("y.npy");
    const csvs = [...files].filter(([name]) => name.toLowerCase().endsWith(".csv"));
    if (x && y) {
      for (const [role, file] of [
        ["x.npy", x],
        ["y.npy", y],
      ] as const) {
        const type = sniff(file.bytes);
        if (type !== "npy") throw new UploadRejection("WRONG_FILE_TYPE", `${role} is ${describeSniffed(type)}, not a NumPy .npy array`);
      }
      data = await loadDataset({ xNpy: x.bytes, yNpy: y.bytes, name: "data" });
      format = "npy";
      kept = new Map([
        ["x.npy", x.bytes],
        ["y.npy", y.bytes],
      ]);
    } else if (csvs.length === 1) {
      const [name, bytes] = csvs[0]!;
      const type = sniff(bytes);
      if (type !== "text") throw new UploadRejection("WRONG_FILE_TYPE", `${path.posix.basename(name)} is ${describeSniffed(type)}, not CSV text`);
      data = await loadDataset({ csv: bytes, name: path.posix.basename(name) }, { label });
      format = "csv";
      kept = new Map([["data.csv", bytes]]);
    } else if (x || y) {
      throw new UploadRejection("INVALID_DATASET", "An NPY dataset needs both x.npy (features) and y.npy (labels or targets)");
    } else {
      throw new UploadRejection("INVALID_DATASET", "Upload either x.npy and y.npy, or one .csv file with a header row");
    }
  } catch (error) {
    if (error instanceof EngineInputError) throw new UploadRejection("INVALID_DATASET", error.message);
    throw error;
  }
  if (data.count === 0) throw new UploadRejection("INVALID_DATASET", "The dataset has no rows");
  let classes: number | null = null;
  if (data.targetShape.length === 0) {
    let max = -1;
    for (const value of data.y) {
      if (!Number.isInteger(value) || value < 0) {
        throw new UploadRejection("INVALID_DATASET", `Labels must be whole numbers from 0; found ${value}`);
      }
      if (value > max) max = value;
    }
    classes = data.classNames ? data.classNames.length : max + 1;
  }
  return {
    files: kept,
    sha256: sha256Of(kept),
    summary: {
      format,
      rows: data.count,
      inputShape: [...data.sampleShape],
      targetShape: [...data.targetShape],
      classes,
      classNames: data.classNames ? [...data.classNames] : null,
    },
  };
}
