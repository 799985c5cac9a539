/**
 * The worker's side of a model's curvature: load the model and the dataset's seeded subset, run
 * the engine's modelCurvature (hessian.ts), record progress in HVPs as it goes and the result at
 * the end. Idempotent: a re-run after a worker died starts over and records one result.
 */
import { initBackend, modelCurvature, prepareData, resolveLoss } from "../engine/index.js";
import { curvatureOptionsSchema } from "../domain/curvature-params.js";
import { loadStoredDataset, loadStoredModel } from "./artifacts.js";
import type { ComputeDeps } from "./deps.js";
import { diedCurvatureMessage } from "./messages.js";
import { loadDatasetRow, modelFiles } from "./sql/artifacts.js";
import {
  countCurvatureStart, loadCurvature, markCurvatureFailed, markCurvatureReady, markCurvatureRunning, reportCurvatureProgress,
} from "./sql/curvatures.js";

/** Least time between two progress writes, in ms. */
const PROGRESS_EVERY_MS = 1000;

export async function failCurvature(deps: Pick<ComputeDeps, "pool">, curvatureId: string, code: string, message: string): Promise<void> {
  await markCurvatureFailed(deps.pool, curvatureId, code, message);
}

export async function runModelCurvature(deps: ComputeDeps, curvatureId: string): Promise<void> {
  const row = await loadCurvature(deps.pool, curvatureId);
  if (!row || (row.status !== "queued" && row.status !== "running")) return;
  // Counted before the work, so a start whose worker died counts (one that reports an error gives it back).
  const starts = await countCurvatureStart(deps.pool, curvatureId);
  if (starts - 1 >= (deps.attempts ?? 3)) {
    await failCurvature(deps, curvatureId, "INTERNAL_SERVER_ERROR", diedCurvatureMessage(starts - 1));
    return;
  }
  const options = curvatureOptionsSchema.parse(row.options);
  const model = await modelFiles(deps.pool, row.model_id);
  const dataset = await loadDatasetRow(deps.pool, row.dataset_id);
  if (!model || !dataset) return;
  await initBackend(deps.backend);
  await markCurvatureRunning(deps.pool, curvatureId);
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
      pending = pending.then(() => reportCurvatureProgress(deps.pool, curvatureId, done, total)).catch(() => undefined);
    },
  });
  await pending;
  await markCurvatureReady(deps.pool, curvatureId, { ...result, loss: loss.name }, result.hvps);
  deps.log.info({ curvatureId, hvps: result.hvps, seconds: Number(result.seconds.toFixed(1)) }, "model curvature ready");
}
