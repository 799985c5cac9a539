/**
 * Deleting a model, dataset or training run removes rows beyond its own through the database's
 * cascades (the surfaces computed on it, the runs trained on it). Their objects are not rows, so
 * these helpers collect the storage prefixes of everything a delete takes with it, to remove them
 * after the rows are gone. Nothing of a deleted object is left in the store.
 */
import type { Pool } from "../../db/pool.js";
import type { ObjectStore } from "../../storage/object-store.js";

/** Prefixes of the surfaces, curves and training runs that go with a model or a dataset. */
export async function dependentPrefixes(pool: Pool, of: { modelId: string } | { datasetId: string }): Promise<{ surfaces: string[]; curves: string[]; runs: string[] }> {
  const prefixes = async (sql: string, id: string) => (await pool.query<{ storage_prefix: string }>(sql, [id])).rows.map((r) => r.storage_prefix);
  if ("modelId" in of) {
    return {
      surfaces: await prefixes(`SELECT storage_prefix FROM surfaces WHERE model_id = $1 OR model_b_id = $1`, of.modelId),
      curves: await prefixes(`SELECT storage_prefix FROM curves WHERE model_a_id = $1 OR model_b_id = $1`, of.modelId),
      runs: [],
    };
  }
  return {
    surfaces: await prefixes(`SELECT storage_prefix FROM surfaces WHERE dataset_id = $1 OR test_dataset_id = $1`, of.datasetId),
    // A test dataset is only unset on a curve (ON DELETE SET NULL): the curve and its bends stay.
    curves: await prefixes(`SELECT storage_prefix FROM curves WHERE dataset_id = $1`, of.datasetId),
    runs: await prefixes(`SELECT storage_prefix FROM training_runs WHERE dataset_id = $1`, of.datasetId),
  };
}

/**
 * Removes the files of deleted training runs, and the checkpoint rows that pointed into them (the
 * trained model stays, without a trajectory whose files are gone).
 */
export async function deleteRunObjects(pool: Pool, store: ObjectStore, prefixes: readonly string[]): Promise<void> {
  for (const prefix of prefixes) {
    await pool.query(`DELETE FROM checkpoints WHERE starts_with(storage_prefix, $1)`, [prefix]);
    await store.deletePrefix(prefix);
  }
}

export async function deletePrefixes(store: ObjectStore, prefixes: readonly string[]): Promise<void> {
  for (const prefix of prefixes) await store.deletePrefix(prefix);
}

/** Where every object of a project lives: its models, datasets, surfaces, curves and training runs. */
export const projectPrefix = (projectId: string): string => `projects/${projectId}/`;
