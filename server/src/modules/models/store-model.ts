/** Storing a validated model: its files under the project's prefix, then its row with the summary. */
import type { Pool } from "../../db/pool.js";
import type { ObjectStore } from "../../storage/object-store.js";
import type { ValidatedModel } from "../uploads/validate.js";

export async function storeModel(
  pool: Pool,
  store: ObjectStore,
  parts: { projectId: string; createdBy: string | null; name: string; model: ValidatedModel },
): Promise<string> {
  const { projectId, createdBy, name, model } = parts;
  const modelId = (await pool.query<{ id: string }>(`SELECT gen_random_uuid() AS id`)).rows[0]!.id;
  const prefix = `projects/${projectId}/models/${modelId}/`;
  let total = 0;
  for (const [file, bytes] of model.files) {
    await store.put(`${prefix}${file}`, bytes, file.endsWith(".json") ? "application/json" : "application/octet-stream");
    total += bytes.length;
  }
  const { summary } = model;
  await pool.query(
    `INSERT INTO models (id, project_id, created_by, name, layers, parameter_count, input_shape, output_shape, loss, storage_prefix, files, total_bytes, sha256, signature, notes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      modelId,
      projectId,
      createdBy,
      name,
      JSON.stringify(summary.layers),
      summary.parameterCount,
      JSON.stringify(summary.inputShape),
      JSON.stringify(summary.outputShape),
      summary.loss,
      prefix,
      JSON.stringify([...model.files.keys()]),
      total,
      model.sha256,
      model.signature,
      JSON.stringify(summary.notes),
    ],
  );
  return modelId;
}
