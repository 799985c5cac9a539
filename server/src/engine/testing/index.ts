/**
 * Builders of small models, datasets and ONNX graphs made in code, for tests and benchmarks. Kept
 * apart from the engine's own index: they are not part of what the engine computes. `setup.ts`
 * (which needs vitest) is imported by test files directly.
 */
export * from "./builders.js";
export * from "./formats.js";
export * from "./onnx-graphs.js";
export * from "./resnet.js";
// Tests read back the ONNX files the engine writes.
export { decodeOnnx, encodeOnnx, floatTensor, type OnnxModel, type OnnxNode, type OnnxTensor } from "../onnx/proto.js";
