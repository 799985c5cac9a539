/**
 * A curve's bend as files: a model of the endpoints' own format and graph whose weights are the
 * bend (model.json + weights.bin for TF.js Layers, model.onnx for ONNX), so a bend opens wherever a
 * model does. BatchNorm's running statistics of a bend are model A's: a curve never uses them.
 */
import { alignModel } from "./directions.js";
import { encodeLayersFiles } from "./model-io.js";
import type { LoadedModel } from "./model-types.js";
import { loadModel } from "./network.js";
import { encodeOnnxModel, loadOnnxModel } from "./onnx/load.js";

/** The files of bend `theta` (in `model`'s parameter order), by name; `metadata` goes in as "lossAtlas". */
export function encodeCurveBend(model: LoadedModel, theta: readonly Float32Array[], metadata: Record<string, unknown>): Map<string, Uint8Array> {
  const lossAtlas = { type: "curve-bend", ...metadata };
  const values = theta.map((w, i) => (model.params[i]!.state ? model.theta[i]! : w));
  if (model.onnx !== undefined) return new Map([["model.onnx", encodeOnnxModel(model, values, lossAtlas)]]);
  const named = { names: model.params.map((p) => p.name), shapes: model.params.map((p) => p.shape), values };
  const { modelJson, weightsBin } = encodeLayersFiles(model.artifacts.modelTopology, named, { lossAtlas });
  return new Map([["model.json", new TextEncoder().encode(modelJson)], ["weights.bin", weightsBin]]);
}

/** A model of `model`'s graph holding `theta` (a bend, or another model's weights in `model`'s order). */
export async function modelWithWeights(model: LoadedModel, theta: readonly Float32Array[], label: string): Promise<LoadedModel> {
  const files = encodeCurveBend(model, theta, {});
  const onnx = files.get("model.onnx");
  return onnx ? loadOnnxModel(onnx, label) : loadModel({ modelJson: files.get("model.json")!, shards: { "weights.bin": files.get("weights.bin")! } }, label);
}

/** A stored bend read back in `model`'s parameter order; throws EngineInputError if it does not fit. */
export async function readCurveBend(files: ReadonlyMap<string, Uint8Array>, model: LoadedModel): Promise<Float32Array[]> {
  const onnx = files.get("model.onnx");
  const bend = onnx ? loadOnnxModel(onnx, "bend") : await loadModel({ modelJson: files.get("model.json") ?? "", shards: { "weights.bin": files.get("weights.bin") ?? new Uint8Array() } }, "bend");
  return alignModel(model, bend, "bend");
}
