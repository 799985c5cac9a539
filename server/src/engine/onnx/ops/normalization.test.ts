/** BatchNormalization against y = gamma (x - mean) / sqrt(var + eps) + beta, per feature and per image channel. */
import { beforeAll, describe, expect, it } from "vitest";
import { floatTensor } from "../proto.js";
import { attr, runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { maxRelativeError, useBackend } from "../../testing/setup.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const gamma = Float32Array.of(1.5, -0.5);
const beta = Float32Array.of(0.25, 1);
const mean = Float32Array.of(0.1, -0.3);
const variance = Float32Array.of(0.8, 2.5);
const eps = 1e-3;
const bn = (v: number, c: number) => gamma[c]! * (v - mean[c]!) / Math.sqrt(variance[c]! + eps) + beta[c]!;

function graph(input: (number | string)[]) {
  return tinyOnnx({
    input, output: input,
    nodes: [{ name: "bn", op_type: "BatchNormalization", input: ["x", "g", "b", "m", "v"], output: ["y"], attribute: [attr.float("epsilon", eps), attr.float("momentum", 0.9)] }],
    initializers: [floatTensor("g", [2], gamma), floatTensor("b", [2], beta), floatTensor("m", [2], mean), floatTensor("v", [2], variance)],
  });
}

describe("ONNX BatchNormalization", () => {
  it("normalizes features [N, C] with the running statistics, which are state, not parameters", async () => {
    const x = Float32Array.of(0.5, -1, 2, 0.25, -0.75, 3);
    const { model, y } = await runOnnx(graph(["n", 2]), x, 3);
    expect(maxRelativeError(y, Array.from(x, (v, i) => bn(v, i % 2)), 1)).toBeLessThan(1e-6);
    expect(model.params.map((p) => `${p.key}:${p.role}:${p.state ? "state" : "parameter"}`)).toEqual([
      "gamma:batchnorm:parameter", "beta:batchnorm:parameter", "moving_mean:batchnorm:state", "moving_variance:batchnorm:state",
    ]);
    expect(model.onnx!.batchNormalization).toBe(true);
  });

  it("normalizes each channel of NCHW images", async () => {
    const x = Float32Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => Math.sin(i) * 2);
    const { y } = await runOnnx(graph(["n", 2, 3, 3]), x, 2);
    // NCHW: element i belongs to channel floor(i / 9) mod 2.
    expect(maxRelativeError(y, Array.from(x, (v, i) => bn(v, Math.floor(i / 9) % 2)), 1)).toBeLessThan(1e-6);
  });
});
