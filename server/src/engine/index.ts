/**
 * The landscape engine's public API. Pure: tensors and options in, numbers out; no database,
 * storage or queue imports. The worker loads bytes from storage and calls:
 *
 *   await initBackend("auto");
 *   const model = await loadModel({ modelJson, shards });        // or a path, or zip bytes
 *   const data = await loadDataset({ xNpy, yNpy }, { samples });  // or { csv }, or "builtin:mnist"
 *   const surface = await computeSurface(model, data, { x, y }, { onProgress, onTile, signal });
 *   const { modelJson, weightsBin } = encodeDirection(model, surface.dx, surface.directionMetadata.x);
 */
export { initBackend, activeBackend, measureMatmulGflops, BACKEND_REQUESTS, type BackendName, type BackendRequest } from "./backend.js";
export { EngineInputError, SurfaceCancelledError } from "./errors.js";
export { readLayersArtifacts, type LayersArtifacts, type ModelFiles, type ModelSource } from "./model-io.js";
export { loadModel, modelFromArtifacts, parameterCount, predict, type LoadedModel, type Param } from "./network.js";
export { loadDataset, prepareData, BUILTIN_DATASETS, type Dataset, type DataOptions, type DataSource } from "./data.js";
export { parseLoss, LOSS_NAMES, type LossSpec, type LossName } from "./loss.js";
export {
  randomDirection, normalizeParameter, orthogonalize, cosine, loadDirection, saveDirection, encodeDirection,
  filterAxes, type Direction, type DirectionOptions, type DirectionMetadata,
} from "./directions.js";
export {
  NORMALIZATIONS, DEFAULT_NORMALIZATION, IGNORE_MODES, DEFAULT_IGNORE_MODE, FROZEN_MODES, DEFAULT_FROZEN_MODE, RUNNING_STATS, DEFAULT_RUNNING_STATS,
  MIN_AXIS_POINTS, MAX_AXIS_POINTS, MAP_LANCZOS_STEPS, MIN_MAP_LANCZOS_STEPS, MAX_MAP_LANCZOS_STEPS, MAP_TOLERANCE, MAX_MAP_TOLERANCE, DEFAULT_PERSISTENCE_FRACTION,
  type Normalization, type IgnoreMode, type FrozenMode, type RunningStats,
} from "./options.js";
export { parseAxis, axisValues, coarseToFine, type Axis } from "./grid.js";
export {
  computeSurface, surfacePlane, resolveLoss,
  type SurfaceOptions, type SurfaceResult, type SurfaceCallbacks, type SurfaceProgress, type SurfaceTile, type SurfaceKind,
} from "./surface.js";
export { SurfaceEvaluator, chooseTrickLayers, TRICK_MIN_MACS, type Plane, type EvaluatorOptions, type PointValues } from "./evaluator.js";
export { findCriticalPoints, type CriticalPoint, type Basin, type CriticalPointOptions } from "./critical-points.js";
export { pcaDirections, type PcaResult } from "./pca.js";
export { loadOnnxModel, readOnnxDirection, encodeOnnxDirection, encodeOnnxModel } from "./onnx/load.js";
export { SUPPORTED_ONNX_OPS, MIN_OPSET, MAX_OPSET } from "./onnx/translate.js";
export { trainNetwork } from "./train-network.js";
