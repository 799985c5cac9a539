/**
 * Loading a surface's inputs from object storage into the engine's in-memory forms: models and
 * directions as model.json + shards, datasets as NPY/CSV bytes or a built-in name.
 */
import { type Dataset, loadDataset, type LoadedModel, loadModel, type ModelFiles } from "../engine/index.js";
import type { ObjectStore } from "../storage/object-store.js";

/** Reads model.json and its shards stored under `prefix`. */
export async function readModelFiles(store: ObjectStore, prefix: string, files: readonly string[]): Promise<ModelFiles> {
  const shards = new Map<string, Uint8Array>();
  let modelJson: Uint8Array | undefined;
  for (const name of files) {
    const bytes = await store.get(`${prefix}${name}`);
    if (!bytes) throw new Error(`stored file ${prefix}${name} is missing`);
    if (name === "model.json") modelJson = bytes;
    else shards.set(name, bytes);
  }
  if (!modelJson) throw new Error(`no model.json under ${prefix}`);
  return { modelJson, shards };
}

export async function loadStoredModel(store: ObjectStore, prefix: string, files: readonly string[], label: string): Promise<LoadedModel> {
  if (files.includes("model.onnx") && !files.includes("model.json")) {
    const bytes = await store.get(`${prefix}model.onnx`);
    if (!bytes) throw new Error(`stored file ${prefix}model.onnx is missing`);
    return loadModel(bytes, label);
  }
  return loadModel(await readModelFiles(store, prefix, files), label);
}

export interface StoredDataset {
  format: "npy" | "csv" | "builtin";
  storagePrefix: string | null;
  files: string[];
  label: string | null;
  /** Images stored (N, H, W, C) for a model that reads them channels-first. */
  channelsLast?: boolean;
}

/** Loads a dataset row's data, cut to `samples` random rows (seeded) when asked. */
export async function loadStoredDataset(store: ObjectStore, dataset: StoredDataset, samples: number | null, sampleSeed: number): Promise<Dataset> {
  const options = { ...(samples === null ? {} : { samples, sampleSeed }), ...(dataset.label ? { label: dataset.label } : {}), ...(dataset.channelsLast ? { channelsLast: true } : {}) };
  if (dataset.format === "builtin") return loadDataset(dataset.files[0]!, options);
  const read = async (name: string) => {
    const bytes = await store.get(`${dataset.storagePrefix}${name}`);
    if (!bytes) throw new Error(`stored file ${dataset.storagePrefix}${name} is missing`);
    return bytes;
  };
  if (dataset.format === "npy") return loadDataset({ xNpy: await read("x.npy"), yNpy: await read("y.npy") }, options);
  return loadDataset({ csv: await read("data.csv") }, options);
}
