/**
 * The worker's side of a model's curvature: load the model and the dataset's seeded subset, run
 * the engine's modelCurvature (hessian.ts), record progress in HVPs as it goes and the result at
 * the end. Idempotent: a re-run after a worker died starts over and records one result.
 */
import { initBackend } from "../engine/backend.js";
import { prepareData } from "../engine/data.js";
import { modelCurvature } from "../engine/hessian.js";
import { resolveLoss } from "../engine/surface.js";
import { curvatureOptionsSchema } from "../domain/curvature-params.js";
import { loadStoredDataset, loadStoredModel } from "./artifacts.js";
import { times } from "./job-state.js";
import type { ComputeDeps } from "./surface-jobs.js";

/** Least time between two progress writes, in ms. */
const PROGRESS_EVERY_MS = 1000;

export async function failCurvature(deps: Pick<ComputeDeps, "pool">, curvatureId: string, code: string, message: string): Promise<void> {
  await deps.pool.query(
    `UPDATE model_curvatures SET status = 'failed', error_code = $2, error_message = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
    [curvatureId, code, message.slice(0, 1000)],
  );
}

export async function runModelCurvature(deps: ComputeDeps, curvatureId: string): Promise<void> {
  const row = (await deps.pool.query<{ model_id: string; dataset_id: string; options: unknown; status: string }>(
    `SELECT model_id, dataset_id, options, status FROM model_curvatures WHERE id = $1`,
    [curvatureId],
  )).rows[0];
  if (!row || (row.status !== "queued" && row.status !== "running")) return;
  // Counted before the work, so a start whose worker died counts (one that reports an error gives it back).
  const starts = (await deps.pool.query<{ attempts: number }>(`UPDATE model_curvatures SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, [curvatureId])).rows[0]!.attempts;
  if (starts - 1 >= (deps.attempts ?? 3)) {
    await failCurvature(deps, curvatureId, "INTERNAL_SERVER_ERROR", `A worker died computing this curvature ${times(starts - 1)}; the model may need more memory than a worker has`);
    return;
  }
  const options = curvatureOptionsSchema.parse(row.options);
  const model = (await deps.pool.query<{ storage_prefix: string; files: string[] }>(`SELECT storage_prefix, files FROM models WHERE id = $1`, [row.model_id])).rows[0];
  const dataset = (await deps.pool.query<{ format: "npy" | "csv" | "builtin"; storage_prefix: string | null; files: string[]; label: string | null; rows: number }>(
    `SELECT format, storage_prefix, files, label, rows FROM datasets WHERE id = $1`,
    [row.dataset_id],
  )).rows[0];
  if (!model || !dataset) return;
  await initBackend(deps.backend);
  await deps.pool.query(`UPDATE model_curvatures SET status = 'running', hvps_done = 0 WHERE id = $1`, [curvatureId]);
  const loaded = await loadStoredModel(deps.store, model.storage_prefix, model.files, "the model");
  const samples = Math.min(options.samples, dataset.rows);
  const data = await loadStoredDataset(deps.store, { format: dataset.format, storagePrefix: dataset.storage_prefix, files: dataset.files, label: dataset.label }, samples === dataset.rows ? null : samples, options.sampleSeed);
  const loss = resolveLoss(loaded, undefined);
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const result = await modelCurvature(loaded, prepareData(loaded, data, loss), loss, {
    topK: options.topK, traceProbes: options.traceProbes, densityRuns: options.densityRuns, densitySteps: options.densitySteps,
    ignore: options.ignore, seed: options.seed,
  }, {
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS && done < total) return;
      last = now;
      pending = pending.then(() => deps.pool.query(`UPDATE model_curvatures SET hvps_done = $2, hvps_planned = $3 WHERE id = $1 AND status = 'running'`, [curvatureId, done, total])).catch(() => undefined);
    },
  });
  await pending;
  await deps.pool.query(
    `UPDATE model_curvatures SET status = 'ready', result = $2, hvps_done = $3, hvps_planned = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [curvatureId, JSON.stringify({ ...result, loss: loss.name }), result.hvps],
  );
  deps.log.info({ curvatureId, hvps: result.hvps, seconds: Number(result.seconds.toFixed(1)) }, "model curvature ready");
}
