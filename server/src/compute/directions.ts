/**
 * A surface's plane, chosen when it is prepared: uploaded directions, directions shared with
 * another surface, the PCA of the training path, or seeded random (or interpolation) directions;
 * then stored in the model's own format, so that any surface can be recomputed from them.
 */
import {
  type Direction, type DirectionMetadata, EngineInputError, type LoadedModel, type ModelAnchor, PATH_MARGIN,
  alignModel, encodeDirection, loadDirection, pathAxes, pcaDirections, surfacePlane,
} from "../engine/index.js";
import type { SurfaceParams } from "../domain/surface-params.js";
import { loadStoredModel } from "./artifacts.js";
import { loadModelRow } from "./context.js";
import type { ComputeDeps } from "./deps.js";
import { checkpointsOf, uploadedDirectionFiles } from "./sql/artifacts.js";
import { type SurfaceRow, loadDirectionsSource } from "./sql/surfaces.js";

/** A surface's plane and what its geometry records of it so far. */
export interface PlaneChoice {
  dx: Direction;
  dy: Direction | null;
  /** Models the plane passes through, checked once the directions are stored (interpolations). */
  anchors: readonly ModelAnchor[];
  origin: readonly Float32Array[];
  /** The surface's parameters, with the axes fitted to a PCA path when it asked for that. */
  params: SurfaceParams;
  fittedParams: boolean;
  geometry: Record<string, unknown>;
}

/**
 * The plane of a surface being prepared, or null when it shares the directions of a surface not
 * prepared yet (the caller looks again shortly).
 */
export async function choosePlane(deps: ComputeDeps, surface: SurfaceRow, params: SurfaceParams, model: LoadedModel): Promise<PlaneChoice | null> {
  const plane = { anchors: [], origin: model.theta, params, fittedParams: false };
  if (params.directionX) {
    // Directions uploaded for the model (PyTorch's own, say), in its format, matched by parameter name.
    const dx = await uploadedDirection(deps, model, params.directionX, "x");
    const dy = params.directionY && params.y && surface.kind === "plane" ? await uploadedDirection(deps, model, params.directionY, "y") : null;
    return { ...plane, dx, dy, geometry: {} };
  }
  if (params.directionsFrom) {
    const shared = await sharedDirections(deps, model, params.directionsFrom);
    return shared && { ...plane, ...shared };
  }
  if (surface.kind === "pca") return pcaPlane(deps, surface, params, model);
  const modelB = surface.kind === "interpolation" && surface.model_b_id ? await loadModelRow(deps, surface.model_b_id, "model B") : undefined;
  const made = surfacePlane(model, {
    x: params.x,
    ...(params.y && (surface.kind === "plane" || surface.kind === "eigen-ratio") ? { y: params.y } : {}),
    ...(modelB ? { modelB } : {}),
    directions: { seed: params.seed, norm: params.norm, ignore: params.ignore, frozen: params.frozen },
    orthogonalize: params.orthogonalize,
    runningStats: params.runningStats,
  });
  return { ...plane, dx: made.dx, dy: made.dy, origin: made.origin, anchors: made.anchors, geometry: { modelPositions: made.modelPositions } };
}

async function uploadedDirection(deps: ComputeDeps, model: LoadedModel, id: string, axis: "x" | "y"): Promise<Direction> {
  const row = await uploadedDirectionFiles(deps.pool, id);
  if (!row) throw new EngineInputError(`the uploaded ${axis} direction was deleted`);
  const stored = await loadStoredModel(deps.store, row.storage_prefix, row.files, `uploaded ${axis} direction`);
  return alignModel(model, stored, `uploaded ${axis} direction`).map((values, i) => (model.params[i]!.state ? new Float32Array(values.length) : values));
}

/**
 * Shared directions: the same plane for every surface of a series (over training, say). Null while
 * the source is queued: its directions are made when it is prepared.
 */
async function sharedDirections(
  deps: ComputeDeps,
  model: LoadedModel,
  sourceId: string,
): Promise<{ dx: Direction; dy: Direction | null; geometry: Record<string, unknown> } | null> {
  const source = await loadDirectionsSource(deps.pool, sourceId);
  if (!source) throw new EngineInputError("the surface whose directions were to be shared was deleted");
  if (source.status === "failed" || source.status === "cancelled") throw new EngineInputError(`the surface whose directions were to be shared is ${source.status}`);
  if (source.status === "queued") return null;
  const read = async (axis: "x" | "y") => {
    const json = await deps.store.get(`${source.storage_prefix}directions/${axis}/model.json`);
    const bin = await deps.store.get(`${source.storage_prefix}directions/${axis}/weights.bin`);
    return json && bin ? loadDirection({ modelJson: json, shards: new Map([["weights.bin", bin]]) }, model, `direction ${axis}`) : null;
  };
  const dx = await read("x");
  if (!dx) throw new EngineInputError("the surface whose directions were to be shared has none stored");
  const dy = await read("y");
  const geometry: Record<string, unknown> = {};
  if (source.geometry?.explainedVariance) geometry.explainedVariance = source.geometry.explainedVariance;
  geometry.directionsFrom = sourceId;
  return { dx, dy, geometry };
}

/** The plane of the first two principal components of the model's checkpoints (its training path). */
async function pcaPlane(deps: ComputeDeps, surface: SurfaceRow, params: SurfaceParams, model: LoadedModel): Promise<PlaneChoice> {
  const rows = await checkpointsOf(deps.pool, surface.model_id);
  if (rows.length < 2) throw new EngineInputError("a PCA surface needs at least two checkpoints of the model's training run");
  const checkpoints: LoadedModel[] = [];
  for (const row of rows) checkpoints.push(await loadStoredModel(deps.store, row.storage_prefix, row.files, `checkpoint at step ${row.step}`));
  const pca = pcaDirections(model, checkpoints, { ignore: params.ignore, frozen: params.frozen });
  let fittedParams = false;
  if (params.fitPath && params.y) {
    // The path is known only now: the plane's ranges follow it, as the grid is laid out next.
    const fitted = pathAxes(pca.path, PATH_MARGIN, params.equalAspect);
    params = { ...params, x: { ...params.x, ...fitted.x }, y: { ...params.y, ...fitted.y } };
    fittedParams = true;
  }
  const geometry: Record<string, unknown> = { explainedVariance: [...pca.explainedVarianceRatio] };
  // Paths lie off their PCA plane: say by how much, for every checkpoint, in weight-space units
  // and over the PCA's own tensors, so that distance^2 + x^2 + y^2 = fromFinal^2.
  geometry.path = pca.path.map((point, i) => ({
    step: rows[i]!.step,
    x: point.x,
    y: point.y,
    distance: point.offPlane,
    fromFinal: point.distance,
    offPlaneFraction: point.distance > 0 ? point.offPlane / point.distance : 0,
  }));
  return { dx: pca.dx, dy: pca.dy, anchors: [], origin: model.theta, params, fittedParams, geometry };
}

/** Stores the directions in the model's own format, with what went into them. */
export async function storeDirections(deps: ComputeDeps, surface: SurfaceRow, plane: PlaneChoice, model: LoadedModel): Promise<void> {
  const { params, geometry } = plane;
  for (const [axis, direction] of [
    ["x", plane.dx],
    ["y", plane.dy],
  ] as const) {
    if (!direction) continue;
    // A PCA direction is a unit principal component: no seed or normalization went into it.
    const metadata: DirectionMetadata =
      surface.kind === "pca" && !params.directionsFrom
        ? { axis, kind: "pca", ignore: params.ignore, frozen: params.frozen, explainedVarianceRatio: (geometry.explainedVariance as number[] | undefined)?.[axis === "x" ? 0 : 1] }
        : {
            axis, kind: surface.kind === "pca" ? "pca" : surface.kind === "interpolation" ? "interpolation" : "random", seed: params.seed, norm: params.norm, ignore: params.ignore, frozen: params.frozen,
            ...(surface.kind === "interpolation" ? { runningStats: params.runningStats } : {}),
          };
    const files = encodeDirection(model, direction, metadata);
    await deps.store.put(`${surface.storage_prefix}directions/${axis}/model.json`, files.modelJson, "application/json");
    await deps.store.put(`${surface.storage_prefix}directions/${axis}/weights.bin`, files.weightsBin);
  }
}
