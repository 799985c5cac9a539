/**
 * The landscape engine's public API. Pure: tensors and options in, numbers out; no database,
 * storage or queue imports. The worker loads bytes from storage and calls:
 *
 *   await initBackend("auto");
 *   const model = await loadModel({ modelJson, shards });        // or a path, or zip bytes
 *   const data = await loadDataset({ xNpy, yNpy }, { samples });  // or { csv }, or "builtin:mnist"
 *   const surface = await computeSurface(model, data, { x, y }, { onProgress, onTile, signal });
 *   const { modelJson, weightsBin } = encodeDirection(model, surface.dx, surface.directionMetadata.x);
 *
 * Code outside engine/ imports the engine from here and from nowhere else (the builders of
 * engine/testing/, which tests and benchmarks use, have their own index there). Loading this module
 * loads TensorFlow.js: the API process, which never computes, takes its option lists from the
 * TF.js-free modules instead (running-stats.ts, map-options.ts).
 */
export { initBackend, activeBackend, measureMatmulGflops, BACKEND_REQUESTS, type BackendName, type BackendRequest } from "./backend.js";
export { EngineInputError, SurfaceCancelledError } from "./errors.js";
export type { LayersArtifacts, LoadedModel, ModelFiles, ModelSource, Param, ParamRole, Step } from "./model-types.js";
export { readLayersArtifacts } from "./model-io.js";
export { loadModel, modelFromArtifacts, parameterCount, predict, setLayersWeights, toLayersModel } from "./network.js";
export { loadDataset, prepareData, heldOut, subset, BUILTIN_DATASETS, type Dataset, type DataOptions, type DataSource, type PreparedData } from "./data.js";
export { parseLoss, LOSS_NAMES, type LossSpec, type LossName } from "./loss.js";
export { encodeNpy, parseNpy, type NpyArray } from "./npy.js";
export {
  randomDirection, normalizeParameter, orthogonalize, cosine, alignModel, loadDirection, saveDirection, encodeDirection,
  filterAxes, type Direction, type DirectionOptions, type DirectionMetadata,
} from "./directions.js";
export * from "./pure.js";
export {
  computeSurface, surfacePlane, resolveLoss, interpolationOrigin, movedTensors, varianceNote,
  type SurfaceOptions, type SurfaceResult, type SurfaceCallbacks, type SurfaceProgress, type SurfaceTile, type SurfaceKind,
} from "./surface.js";
export { SurfaceEvaluator, chooseTrickLayers, TRICK_MIN_MACS, type Plane, type EvaluatorOptions, type PointValues } from "./evaluator.js";
export { SplitEvaluator, type SplitValues } from "./split-evaluator.js";
export { checkModelPositions, ModelPositionError, type ModelAnchor, type ModelCheck } from "./model-positions.js";
export { pcaDirections, pathAxes, PATH_MARGIN, type PcaResult } from "./pca.js";
export {
  modelCurvature, EigenRatioEvaluator, HessianOperator, extremeEigenvalues, HVP_METHODS, HVP_SCHEMES,
  type HvpScheme,
} from "./hessian.js";
export { looksLikeOnnx, onnxArtifacts, loadOnnxModel, readOnnxDirection, encodeOnnxDirection, encodeOnnxModel } from "./onnx/load.js";
export { SUPPORTED_ONNX_OPS, MIN_OPSET, MAX_OPSET } from "./onnx/translate.js";
export { MAX_ONNX_DEPTH, MAX_ONNX_INITIALIZERS, MAX_ONNX_NODES } from "./onnx/bounds.js";
export {
  trainZooModel, trainLayersModel, trainedFiles,
  type LayersFiles, type OnnxFiles, type TrainArgs, type TrainResult, type ZooSpec,
} from "./train.js";
export { trainNetwork, trainZooResnet } from "./train-network.js";
export type { ResnetSpec } from "./zoo-resnet.js";
export { readZip, ZipError, type ZipProblem } from "./zip.js";
export {
  curveEndpoints, trainCurve, evaluateCurve, recomputeBatchNorm, measureAt, curveLossAndGradients,
  type Curve, type CurveEvaluation, type CurveEvaluationOptions, type CurveTrainOptions, type CurveTrainCallbacks, type Endpoints, type PathBarriers, type PathValues,
} from "./curves.js";
export { encodeCurveBend, readCurveBend, modelWithWeights } from "./curve-files.js";
export { ensembleAlongCurve, type CurveEnsemble, type EnsembleAccuracy } from "./curve-ensemble.js";
export { curvePlane, bendPosition, planeAxesFor, type CurvePlane } from "./curve-plane.js";
