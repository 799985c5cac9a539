/** Activations against their closed forms, elementwise on the host. */
import { beforeAll, describe, expect, it } from "vitest";
import type { OnnxAttribute, OnnxTensor } from "../proto.js";
import { floatTensor } from "../proto.js";
import { attr, runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { maxRelativeError, useBackend } from "../../testing/setup.js";
import { loadOnnxModel } from "../load.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const x = Float32Array.of(-2, -0.5, 0, 0.7, 3, 1.25, -1, 0.1, 2.5, -3);

/** erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7). */
function erf(v: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(v));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
  return Math.sign(v) * y;
}

async function run(op: string, attribute: OnnxAttribute[] = [], inputs: string[] = ["x"], initializers: OnnxTensor[] = []): Promise<Float32Array> {
  const bytes = tinyOnnx({ input: ["n", 5], output: ["n", 5], nodes: [{ name: "act", op_type: op, input: inputs, output: ["y"], attribute }], initializers });
  return (await runOnnx(bytes, x, 2)).y;
}

const ELEMENTWISE: [string, OnnxAttribute[], (v: number) => number][] = [
  ["Relu", [], (v) => Math.max(0, v)],
  ["Sigmoid", [], (v) => 1 / (1 + Math.exp(-v))],
  ["Tanh", [], Math.tanh],
  ["Softplus", [], (v) => Math.log1p(Math.exp(v))],
  ["Erf", [], erf],
  ["LeakyRelu", [attr.float("alpha", 0.1)], (v) => (v > 0 ? v : 0.1 * v)],
  ["Elu", [], (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ["Gelu", [], (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  ["Gelu", [attr.string("approximate", "tanh")], (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
];

describe("ONNX activations", () => {
  it.each(ELEMENTWISE.map(([op, a, f]) => [`${op}${a.length ? ` (${a[0]!.name})` : ""}`, op, a, f] as const))("%s", async (_, op, a, f) => {
    expect(maxRelativeError(await run(op, a), Array.from(x, f), 1)).toBeLessThan(2e-6);
  });

  it("clips to bounds given as inputs (opset 11+)", async () => {
    const y = await run("Clip", [], ["x", "lo", "hi"], [floatTensor("lo", [], Float32Array.of(-0.5)), floatTensor("hi", [], Float32Array.of(1))]);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => Math.min(1, Math.max(-0.5, v))));
  });

  it("takes Softmax and LogSoftmax over the last axis", async () => {
    const rows = [x.subarray(0, 5), x.subarray(5)];
    const lse = rows.map((r) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0)));
    const logp = rows.flatMap((r, k) => Array.from(r, (v) => v - lse[k]!));
    expect(maxRelativeError(await run("LogSoftmax", [attr.int("axis", -1)]), logp, 1)).toBeLessThan(2e-6);
    expect(maxRelativeError(await run("Softmax", [attr.int("axis", 1)]), logp.map(Math.exp), 1)).toBeLessThan(2e-6);
  });

  it("refuses a softmax over the batch axis and an unknown Gelu approximation", () => {
    const one = (op: string, a: OnnxAttribute[]) => tinyOnnx({ input: ["n", 5], output: ["n", 5], nodes: [{ name: "act", op_type: op, input: ["x"], output: ["y"], attribute: a }] });
    expect(() => loadOnnxModel(one("Softmax", [attr.int("axis", 0)]), "m")).toThrow('m: node "act" (Softmax) normalizes over axis 0 of a rank-2 tensor; the engine supports the last axis');
    expect(() => loadOnnxModel(one("Gelu", [attr.string("approximate", "fast")]), "m")).toThrow('m: node "act" (Gelu) has approximate="fast"');
  });
});
