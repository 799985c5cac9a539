/** `lossatlas connect` on the curve fixtures (two minima of one MLP, exported by PyTorch as ONNX). */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../errors.js";
import { alignModel, loadModel } from "../engine/index.js";
import { artifactsOf, buildMlp, writeModelFolder } from "../engine/testing/index.js";
import { useBackend } from "../engine/testing/setup.js";
import { runEngineCommand } from "./index.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "engine", "fixtures", "curves");
const fixture = (name: string) => path.join(FIXTURES, name);
let tmp: string;

beforeAll(async () => {
  await useBackend("wasm");
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "la-connect-"));
});

async function failure(args: string[]): Promise<string> {
  const error = await runEngineCommand("connect", args).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StartupError);
  return (error as Error).message;
}

describe("lossatlas connect", () => {
  it("trains a curve between two ONNX models and writes its values, barriers and bend", async () => {
    const out = path.join(tmp, "curve");
    const data = `${fixture("train.x.npy")},${fixture("train.y.npy")}`;
    const test = `${fixture("test.x.npy")},${fixture("test.y.npy")}`;
    await runEngineCommand("connect", ["--model", fixture("a.onnx"), "--model-b", fixture("b.onnx"), "--data", data, "--test", test, "--epochs", "20", "--weight-decay", "0.0001", "--points", "21", "--out", out]);
    const doc = JSON.parse(await fs.readFile(path.join(out, "curve.json"), "utf8"));
    expect(doc.t).toHaveLength(21);
    expect(doc.options).toMatchObject({ kind: "bezier", bends: 1, epochs: 20, optimizer: "momentum", points: 21 });
    expect(doc.steps).toBe(320);
    expect(doc.curve.test.loss).toHaveLength(21);
    // The line between these two minima rises by about 0.48; the trained curve stays near the ends.
    expect(doc.barriers.line.trainLoss).toBeGreaterThan(0.4);
    expect(doc.barriers.curve.trainLoss).toBeLessThan(0.1);
    expect(doc.barriers.curve.trainLoss).toBeCloseTo(Math.max(...doc.curve.train.loss) - (doc.curve.train.loss[0] + doc.curve.train.loss[20]) / 2, 9);
    // The bend is a model of the endpoints' format: it loads, and training moved it off its start, the midpoint of A and B.
    const a = await loadModel(fixture("a.onnx"));
    const b = alignModel(a, await loadModel(fixture("b.onnx")), "model B");
    const theta = alignModel(a, await loadModel(path.join(out, "bend-1", "model.onnx")), "bend");
    const moved = Math.max(...theta[0]!.map((v, i) => Math.abs(v - (a.theta[0]![i]! + b[0]![i]!) / 2)));
    expect(moved).toBeGreaterThan(1e-3);
  });

  it("refuses one model twice and two architectures, in one line", async () => {
    const data = `${fixture("train.x.npy")},${fixture("train.y.npy")}`;
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", fixture("a.onnx"), "--data", data, "--out", path.join(tmp, "x")])).toMatch(/same model/);
    const other = await writeModelFolder(path.join(tmp, "other"), await artifactsOf(buildMlp([16, 8, 4], 1), "sparse_categorical_crossentropy"));
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", other, "--data", data, "--out", path.join(tmp, "y")])).toMatch(/different architectures/);
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", fixture("b.onnx"), "--data", data, "--kind", "spline", "--out", path.join(tmp, "z")])).toMatch(/--kind must be one of bezier, polychain/);
  });
});
