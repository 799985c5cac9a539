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
    await runEngineCommand("connect", [
      "--model", fixture("a.onnx"), "--model-b", fixture("b.onnx"), "--data", data, "--test", test, "--epochs", "20", "--weight-decay", "0.0001", "--points", "21",
      "--plane-x", "-0.5:1.5:9", "--plane-y", "-0.5:1.5:9", "--out", out,
    ]);
    const doc = JSON.parse(await fs.readFile(path.join(out, "curve.json"), "utf8"));
    expect(doc.t).toHaveLength(21);
    expect(doc.options).toMatchObject({ kind: "bezier", bends: 1, epochs: 20, optimizer: "momentum", points: 21 });
    expect(doc.steps).toBe(320);
    expect(doc.curve.test.loss).toHaveLength(21);
    // The line between these two minima rises by about 0.48; the trained curve stays near the ends.
    expect(doc.barriers.line.trainLoss).toBeGreaterThan(0.4);
    expect(doc.barriers.curve.trainLoss).toBeLessThan(0.1);
    expect(doc.barriers.curve.trainLoss).toBeCloseTo(Math.max(...doc.curve.train.loss) - (doc.curve.train.loss[0] + doc.curve.train.loss[20]) / 2, 9);
    // The ensemble of 11 models along the curve (the default): its ends are A and B themselves.
    expect(doc.options.ensemble).toBe(11);
    expect(doc.ensemble.t).toHaveLength(11);
    expect(doc.ensemble.train.a).toBeCloseTo(doc.curve.train.accuracy[0], 9);
    expect(doc.ensemble.train.b).toBeCloseTo(doc.curve.train.accuracy[20], 9);
    expect(doc.ensemble.test.a).toBeCloseTo(doc.curve.test.accuracy[0], 9);
    expect(doc.ensemble.test.ensemble).toBeGreaterThan(0.5);
    // The bend is a model of the endpoints' format: it loads, and training moved it off its start, the midpoint of A and B.
    const a = await loadModel(fixture("a.onnx"));
    const b = alignModel(a, await loadModel(fixture("b.onnx")), "model B");
    const theta = alignModel(a, await loadModel(path.join(out, "bend-1", "model.onnx")), "bend");
    const moved = Math.max(...theta[0]!.map((v, i) => Math.abs(v - (a.theta[0]![i]! + b[0]![i]!) / 2)));
    expect(moved).toBeGreaterThan(1e-3);

    // The plane through A, B and the bend: A at (0, 0) and B at (1, 0), the curve in the plane, its
    // middle phi(1/2) = (A + 2 theta + B) / 4 where theta's position says, and the plane's loss at
    // A and B the curve's own at t = 0 and 1.
    const plane = JSON.parse(await fs.readFile(path.join(out, "plane.json"), "utf8"));
    expect(plane.xs).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    expect(plane.loss).toHaveLength(81);
    const [pa, pb, pc] = plane.modelPositions as { x: number; y: number }[];
    expect([pa!.x, pa!.y, pb!.x, pb!.y].map((v) => Number(v.toFixed(6)))).toEqual([0, 0, 1, 0]);
    expect(plane.offPlane).toBeLessThan(1e-3);
    expect(plane.curve[0].x).toBeCloseTo(0, 5);
    expect(plane.curve[20].x).toBeCloseTo(1, 5);
    expect(plane.curve[20].y).toBeCloseTo(0, 5);
    expect(plane.curve[10].x).toBeCloseTo((1 + 2 * pc!.x) / 4, 4);
    expect(plane.curve[10].y).toBeCloseTo(pc!.y / 2, 4);
    expect(Math.abs(pc!.y)).toBeGreaterThan(0.01);
    expect(plane.loss[2 * 9 + 2]).toBeCloseTo(doc.curve.train.loss[0], 5);
    expect(plane.loss[2 * 9 + 6]).toBeCloseTo(doc.curve.train.loss[20], 5);
    expect(plane.line[10]).toEqual({ t: 0.5, x: 0.5, y: 0 });
  });

  it("refuses one model twice and two architectures, in one line", async () => {
    const data = `${fixture("train.x.npy")},${fixture("train.y.npy")}`;
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", fixture("a.onnx"), "--data", data, "--out", path.join(tmp, "x")])).toMatch(/same model/);
    const other = await writeModelFolder(path.join(tmp, "other"), await artifactsOf(buildMlp([16, 8, 4], 1), "sparse_categorical_crossentropy"));
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", other, "--data", data, "--out", path.join(tmp, "y")])).toMatch(/different architectures/);
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", fixture("b.onnx"), "--data", data, "--kind", "spline", "--out", path.join(tmp, "z")])).toMatch(/--kind must be one of bezier, polychain/);
    expect(await failure(["--model", fixture("a.onnx"), "--model-b", fixture("b.onnx"), "--data", data, "--bends", "2", "--plane-x", "0:1:3", "--plane-y", "0:1:3", "--out", path.join(tmp, "w")])).toMatch(/one bend/);
  });
});
