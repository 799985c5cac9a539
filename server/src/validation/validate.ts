/**
 * Validation of uploads by content, with the engine's own readers: what passes here is exactly
 * what a worker can load. Files arrive as a map of name -> bytes (a zip is opened safely first).
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { activeBackend, type Dataset, EngineInputError, initBackend, loadDataset, type LoadedModel, looksLikeOnnx, modelFromArtifacts, onnxArtifacts, readLayersArtifacts } from "../engine/index.js";
import { extractZip } from "./archive.js";
import { UploadRejection } from "../domain/upload-rejection.js";
import { type ArchiveLimits, type ContentLimits, DEFAULT_ARCHIVE_LIMITS, DEFAULT_CONTENT_LIMITS, type DatasetSummary, type StorableModel } from "../domain/upload-validation.js";
import { describeSniffed, sniff } from "./sniff.js";

/** A validated model, loaded: what is stored, and the network itself. */
export interface ValidatedModel extends StorableModel {
  model: LoadedModel;
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
 * Refuses JSON nested deeper than `max` before parsing it: a deep document costs the parser
 * stack and time out of all proportion to its size. One pass over the bytes, strings skipped.
 */
export function assertJsonDepth(bytes: Uint8Array, max: number, label: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw new UploadRejection("INVALID_MODEL", `${label} nests arrays and objects more than ${max} levels deep`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** The first parameter value that is NaN or infinite, named for the user. */
function firstNonFinite(model: LoadedModel): string | undefined {
  for (let p = 0; p < model.params.length; p++) {
    const values = model.theta[p]!;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) return `the weight ${model.params[p]!.name} holds ${values[i]} at index ${i}`;
    }
  }
  return undefined;
}

/**
 * Checks a TF.js Layers model: model.json parses, its layers are supported, its shards match
 * the manifest's sizes, shapes and dtypes, and every weight is a finite number.
 */
export async function validateModel(
  uploaded: Map<string, Uint8Array>,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
  content: ContentLimits = DEFAULT_CONTENT_LIMITS,
): Promise<ValidatedModel> {
  const files = await unpack(uploaded, limits);
  const onnxPaths = [...files.keys()].filter((name) => name.toLowerCase().endsWith(".onnx"));
  const jsonPaths = [...files.keys()].filter((name) => path.posix.basename(name) === "model.json");
  if (onnxPaths.length > 0 && jsonPaths.length === 0) return validateOnnxModel(files, onnxPaths);
  if (jsonPaths.length === 0) throw new UploadRejection("INVALID_MODEL", "No model.json among the uploaded files");
  if (jsonPaths.length > 1) throw new UploadRejection("INVALID_MODEL", `More than one model.json: ${jsonPaths.join(", ")}`);
  const jsonPath = jsonPaths[0]!;
  const modelJson = files.get(jsonPath)!;
  const type = sniff(modelJson);
  if (type !== "json") throw new UploadRejection("WRONG_FILE_TYPE", `model.json is ${describeSniffed(type)}, not JSON`);
  assertJsonDepth(modelJson, content.maxJsonDepth, "model.json");

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

  const bad = firstNonFinite(model);
  if (bad) throw new UploadRejection("INVALID_MODEL", `Weights must be finite numbers; ${bad}`);

  // Keep model.json and the shards its manifest names, renamed by the server; anything else in the
  // upload is dropped. The manifest is rewritten to the new names, so stored paths never come
  // from the uploader (a path like ../../other/model could otherwise name another object).
  const manifest = JSON.parse(new TextDecoder().decode(modelJson)) as { weightsManifest?: { paths?: string[] }[] };
  const stored: [string, Uint8Array][] = [];
  for (const group of manifest.weightsManifest ?? []) {
    group.paths = (group.paths ?? []).map((shardPath) => {
      const normalized = path.posix.normalize(String(shardPath));
      const bytes = shards.get(normalized) ?? shards.get(path.posix.basename(normalized));
      // readLayersArtifacts found every shard already; a miss here would be a bug, not bad input.
      if (!bytes) throw new UploadRejection("INVALID_MODEL", "A weight shard named in the manifest is missing");
      const name = `weights-${String(stored.length + 1).padStart(4, "0")}.bin`;
      stored.push([name, bytes]);
      return name;
    });
  }
  const kept = new Map<string, Uint8Array>([["model.json", new TextEncoder().encode(JSON.stringify(manifest))], ...stored]);

  return describeValidated(kept, model);
}

/** An ONNX model: one .onnx file, read by the engine's ONNX translator; stored as model.onnx. */
async function validateOnnxModel(files: Map<string, Uint8Array>, onnxPaths: string[]): Promise<ValidatedModel> {
  if (onnxPaths.length > 1) throw new UploadRejection("INVALID_MODEL", `More than one .onnx file: ${onnxPaths.join(", ")}`);
  const bytes = files.get(onnxPaths[0]!)!;
  const type = sniff(bytes);
  if (type !== "binary" && type !== "text") throw new UploadRejection("WRONG_FILE_TYPE", `${path.posix.basename(onnxPaths[0]!)} is ${describeSniffed(type)}, not an ONNX model`);
  if (!looksLikeOnnx(bytes)) throw new UploadRejection("WRONG_FILE_TYPE", `${path.posix.basename(onnxPaths[0]!)} is not an ONNX model (an ONNX file is a protobuf ModelProto)`);
  let model: LoadedModel;
  try {
    backendReady ??= activeBackend() ? Promise.resolve() : initBackend("cpu");
    await backendReady;
    model = await modelFromArtifacts(onnxArtifacts(bytes), "model");
  } catch (error) {
    if (error instanceof EngineInputError) throw new UploadRejection("INVALID_MODEL", error.message);
    throw error;
  }
  const bad = firstNonFinite(model);
  if (bad) throw new UploadRejection("INVALID_MODEL", `Weights must be finite numbers; ${bad}`);
  return describeValidated(new Map([[ONNX_MODEL_FILE, bytes]]), model);
}

/** The stored name of an uploaded ONNX model. */
export const ONNX_MODEL_FILE = "model.onnx";

function describeValidated(kept: Map<string, Uint8Array>, model: LoadedModel): ValidatedModel {
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
      trainableCount: model.params.reduce((sum, p) => sum + (p.trainable && !p.state ? p.size : 0), 0),
      bufferCount: model.params.reduce((sum, p) => sum + (p.state ? p.size : 0), 0),
      flopsPerSample: model.flopsPerSample,
      // An ONNX model's input as its graph (and the data) has it: [C, H, W] for images.
      inputShape: [...(model.onnx?.inputShape ?? model.inputShape)],
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
  content: ContentLimits = DEFAULT_CONTENT_LIMITS,
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
  const width = data.sampleShape.reduce((a, b) => a * b, 1);
  if (width === 0) throw new UploadRejection("INVALID_DATASET", `Samples have shape [${data.sampleShape.join(", ")}]: no features`);
  for (let i = 0; i < data.x.length; i++) {
    if (!Number.isFinite(data.x[i]!)) {
      throw new UploadRejection("INVALID_DATASET", `Features must be finite numbers; row ${Math.floor(i / width)} holds ${data.x[i]}`);
    }
  }
  for (let i = 0; i < data.y.length; i++) {
    if (!Number.isFinite(data.y[i]!)) throw new UploadRejection("INVALID_DATASET", `Targets must be finite numbers; value ${i} is ${data.y[i]}`);
  }
  let classes: number | null = null;
  if (data.targetShape.length === 0) {
    let max = -1;
    for (let i = 0; i < data.y.length; i++) {
      const value = data.y[i]!;
      if (!Number.isInteger(value) || value < 0) {
        throw new UploadRejection("INVALID_DATASET", `Labels must be whole numbers from 0; row ${i} holds ${value}`);
      }
      if (value >= content.maxClasses) {
        throw new UploadRejection("INVALID_DATASET", `Labels name at most ${content.maxClasses} classes (0 to ${content.maxClasses - 1}); row ${i} holds ${value}`);
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
