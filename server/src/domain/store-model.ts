/** Storing a validated model: its files under the project's prefix, then its row with the summary. */
import { randomUUID } from "node:crypto";
import type { Pool } from "../db/pool.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { ModelSummary, StorableModel } from "./upload-validation.js";

/** The row of a model whose files are already stored under `prefix`. */
export interface ModelRecord {
  id: string;
  projectId: string;
  createdBy: string | null;
  name: string;
  prefix: string;
  summary: ModelSummary;
  files: string[];
  totalBytes: number;
  sha256: string;
  signature: string;
}

/** What a model's files are: an ONNX file alone, or a TF.js Layers model (model.json and shards). */
export function modelFormat(files: readonly string[]): "onnx" | "tfjs-layers" {
  return files.includes("model.onnx") && !files.includes("model.json") ? "onnx" : "tfjs-layers";
}

export async function recordModel(pool: Pick<Pool, "query">, record: ModelRecord): Promise<void> {
  const { summary } = record;
  await pool.query(
    `INSERT INTO models (id, project_id, created_by, name, layers, parameter_count, input_shape, output_shape, loss, storage_prefix, files, total_bytes, sha256, signature, notes, format, trainable_count, buffer_count, flops_per_sample)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      record.id,
      record.projectId,
      record.createdBy,
      record.name,
      JSON.stringify(summary.layers),
      summary.parameterCount,
      JSON.stringify(summary.inputShape),
      JSON.stringify(summary.outputShape),
      summary.loss,
      record.prefix,
      JSON.stringify(record.files),
      record.totalBytes,
      record.sha256,
      record.signature,
      JSON.stringify(summary.notes),
      modelFormat(record.files),
      summary.trainableCount,
      summary.bufferCount,
      summary.flopsPerSample,
    ],
  );
}

/** Writes a model validated in this process (a trained one) and records it; its id. */
export async function storeModel(
  /** The pool, or a client inside the caller's transaction. */
  pool: Pick<Pool, "query">,
  store: ObjectStore,
  parts: { projectId: string; createdBy: string | null; name: string; model: StorableModel },
): Promise<string> {
  const { projectId, createdBy, name, model } = parts;
  const id = randomUUID();
  const prefix = `projects/${projectId}/models/${id}/`;
  let totalBytes = 0;
  for (const [file, bytes] of model.files) {
    await store.put(`${prefix}${file}`, bytes, file.endsWith(".json") ? "application/json" : "application/octet-stream");
    totalBytes += bytes.length;
  }
  try {
    await recordModel(pool, {
      id,
      projectId,
      createdBy,
      name,
      prefix,
      summary: model.summary,
      files: [...model.files.keys()],
      totalBytes,
      sha256: model.sha256,
      signature: model.signature,
    });
  } catch (error) {
    await store.deletePrefix(prefix);
    throw error;
  }
  return id;
}
