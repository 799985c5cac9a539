/**
 * Where the stored inputs of a computation are: models, their checkpoints and uploaded directions,
 * and datasets (rows of `models`, `checkpoints`, `model_directions`, `datasets`).
 */
import type { Db } from "../../db/transaction.js";

/** Files stored under one prefix (model.json and its shards, or model.onnx). */
export interface StoredFiles {
  storage_prefix: string;
  files: string[];
}

export async function modelFiles(db: Db, modelId: string): Promise<StoredFiles | undefined> {
  return (await db.query<StoredFiles>(`SELECT storage_prefix, files FROM models WHERE id = $1`, [modelId])).rows[0];
}

/** Deletes a model row (its checkpoints go with it). */
export async function deleteModel(db: Db, modelId: string): Promise<void> {
  await db.query(`DELETE FROM models WHERE id = $1`, [modelId]);
}

export async function checkpointFiles(db: Db, modelId: string, step: number): Promise<StoredFiles | undefined> {
  return (await db.query<StoredFiles>(`SELECT storage_prefix, files FROM checkpoints WHERE model_id = $1 AND step = $2`, [modelId, step])).rows[0];
}

/** Every checkpoint of a model with its files, in step order. */
export async function checkpointsOf(db: Db, modelId: string): Promise<(StoredFiles & { step: number })[]> {
  return (await db.query<StoredFiles & { step: number }>(`SELECT step, storage_prefix, files FROM checkpoints WHERE model_id = $1 ORDER BY step`, [modelId])).rows;
}

/** The first `limit` checkpoint steps of a model, in order. */
export async function checkpointSteps(db: Db, modelId: string, limit: number): Promise<number[]> {
  return (await db.query<{ step: number }>(`SELECT step FROM checkpoints WHERE model_id = $1 ORDER BY step LIMIT $2`, [modelId, limit])).rows.map((r) => r.step);
}

/** Records a checkpoint of a model (once per step). */
export async function recordCheckpoint(db: Db, modelId: string, checkpoint: { step: number; prefix: string; files: string[]; bytes: number }): Promise<void> {
  await db.query(
    `INSERT INTO checkpoints (model_id, step, storage_prefix, files, total_bytes, sha256) VALUES ($1, $2, $3, $4, $5, '') ON CONFLICT (model_id, step) DO NOTHING`,
    [modelId, checkpoint.step, checkpoint.prefix, JSON.stringify(checkpoint.files), checkpoint.bytes],
  );
}

/** A direction uploaded for a model. */
export async function uploadedDirectionFiles(db: Db, directionId: string): Promise<StoredFiles | undefined> {
  return (await db.query<StoredFiles>(`SELECT storage_prefix, files FROM model_directions WHERE id = $1`, [directionId])).rows[0];
}

/** A dataset as the computations read it. */
export interface DatasetRow {
  format: "npy" | "csv" | "builtin";
  storage_prefix: string | null;
  files: string[];
  label: string | null;
  /** Classes of integer labels; null for other labels. */
  classes: number | null;
  /** Images stored (N, H, W, C) for a model that reads them channels-first. */
  channels_last: boolean;
  rows: number;
}

export async function loadDatasetRow(db: Db, datasetId: string): Promise<DatasetRow | undefined> {
  return (await db.query<DatasetRow>(`SELECT format, storage_prefix, files, label, classes, channels_last, rows FROM datasets WHERE id = $1`, [datasetId])).rows[0];
}
