/**
 * Building a surface's context from its stored inputs: the model, the dataset's seeded subset (and
 * the test set's, if any), the
 * stored directions and the plane's origin, uploaded to the backend once for all its tiles.
 */
import {
  type Dataset, type Direction, EigenRatioEvaluator, EngineInputError, type LoadedModel, type LossSpec, SplitEvaluator,
  alignModel, axisValues, chooseTrickLayers, initBackend, interpolationOrigin, loadDirection, prepareData, resolveLoss,
} from "../engine/index.js";
import { type SurfaceParams, surfaceParamsSchema } from "../domain/surface-params.js";
import { loadStoredDataset, loadStoredModel } from "./artifacts.js";
import type { SurfaceContext } from "./context-cache.js";
import type { ComputeDeps } from "./deps.js";
import { checkpointFiles, loadDatasetRow, modelFiles } from "./sql/artifacts.js";
import type { SurfaceRow } from "./sql/surfaces.js";

/** A stored model by id; `label` names it in errors ("the model", "model B"). */
export async function loadModelRow(deps: ComputeDeps, modelId: string, label: string): Promise<LoadedModel> {
  const row = await modelFiles(deps.pool, modelId);
  if (!row) throw new EngineInputError(`${label} was deleted`);
  return loadStoredModel(deps.store, row.storage_prefix, row.files, label);
}

/**
 * A dataset's seeded subset of `params.samples` samples; a test set smaller than that is taken
 * whole (its seeded subset when it is larger, exactly as a surface computed on it alone).
 */
async function loadData(deps: ComputeDeps, datasetId: string, params: SurfaceParams, label = "the dataset"): Promise<Dataset> {
  const row = await loadDatasetRow(deps.pool, datasetId);
  if (!row) throw new EngineInputError(`${label} was deleted`);
  const samples = params.samples === null ? null : Math.min(params.samples, row.rows);
  return loadStoredDataset(deps.store, { format: row.format, storagePrefix: row.storage_prefix, files: row.files, label: row.label, channelsLast: row.channels_last }, samples, params.sampleSeed);
}

/** A checkpoint's weights in the model's parameter order. */
async function checkpointTheta(deps: ComputeDeps, modelId: string, step: number, model: LoadedModel): Promise<Float32Array[]> {
  const row = await checkpointFiles(deps.pool, modelId, step);
  if (!row) throw new EngineInputError(`the model has no checkpoint at step ${step}`);
  return alignModel(model, await loadStoredModel(deps.store, row.storage_prefix, row.files, `checkpoint at step ${step}`), `checkpoint at step ${step}`);
}

/** Builds the context a surface's tiles compute with, from its stored directions. */
export async function buildContext(deps: ComputeDeps, surface: SurfaceRow): Promise<SurfaceContext> {
  await initBackend(deps.backend);
  const params = surfaceParamsSchema.parse(surface.params);
  const model = await loadModelRow(deps, surface.model_id, "the model");
  const data = await loadData(deps, surface.dataset_id, params);
  const loss: LossSpec = resolveLoss(model, params.loss ?? undefined);
  const prepared = prepareData(model, data, loss);
  const direction = async (axis: "x" | "y"): Promise<Direction | null> => {
    const bin = await deps.store.get(`${surface.storage_prefix}directions/${axis}/weights.bin`);
    const json = await deps.store.get(`${surface.storage_prefix}directions/${axis}/model.json`);
    if (!bin || !json) return null;
    return loadDirection({ modelJson: json, shards: new Map([["weights.bin", bin]]) }, model, `direction ${axis}`);
  };
  const dx = await direction("x");
  if (!dx) throw new Error(`surface ${surface.id} has no stored x direction`);
  const dy = await direction("y");
  const origin = await originOf(deps, surface, params, model);
  // The first-layer trick's layers were chosen when the surface was prepared: every worker and
  // every re-run does the same arithmetic, so the surface is the same whoever computes it.
  const xs = axisValues(params.x);
  const ys = params.y ? axisValues(params.y) : new Float64Array([0]);
  if (surface.kind === "eigen-ratio") {
    // The Hessian over the parameters the directions move (same ignore and frozen rules); the
    // same seeded Lanczos start at every point, so a point's values do not depend on the worker.
    const evaluator = EigenRatioEvaluator.create(model, prepared, loss, { origin, dx, dy }, { ignore: params.ignore, frozen: params.frozen, steps: params.lanczosSteps, tolerance: params.tolerance, seed: params.seed });
    return { kind: "curvature", evaluator, xs, ys, model, prepared, loss, origin };
  }
  const trickLayers = surface.geometry?.firstLayerTrick ?? chooseTrickLayers(model, dx, dy);
  // The test set, when the surface has one, is evaluated at every point of the same tiles.
  const test = surface.test_dataset_id ? prepareData(model, await loadData(deps, surface.test_dataset_id, params, "the test dataset"), loss) : null;
  const evaluator = SplitEvaluator.create(model, prepared, test, loss, { origin, dx, dy }, { trickLayers });
  return { kind: "loss", evaluator, xs, ys, model, prepared, loss, origin };
}

/**
 * Where the surface's plane starts: the model, or the checkpoint it is centred on; for an
 * interpolation that holds model B's running statistics, model A's weights with B's statistics.
 */
async function originOf(deps: ComputeDeps, surface: SurfaceRow, params: SurfaceParams, model: LoadedModel): Promise<readonly Float32Array[]> {
  if (params.checkpointStep !== null) return checkpointTheta(deps, surface.model_id, params.checkpointStep, model);
  if (surface.kind === "interpolation" && params.runningStats === "hold-b" && surface.model_b_id) {
    return interpolationOrigin(model, await loadModelRow(deps, surface.model_b_id, "model B"), params.runningStats);
  }
  return model.theta;
}
