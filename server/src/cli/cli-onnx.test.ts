/**
 * `lossatlas surface`, `lossatlas pca` and `lossatlas train` with ONNX models: PyTorch's BN CNN with
 * the paper's directions as ONNX files gives PyTorch's 21x21 grid (two worker processes),
 * directions the command saves are ONNX files that recompute the same surface, and training an
 * ONNX model writes ONNX checkpoints that pca and surface take.
 */
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../errors.js";
import { runEngineCommand } from "./index.js";
import { encodeNpy, parseNpy } from "../engine/index.js";
import { maxRelativeError, useBackend } from "../engine/testing/setup.js";
import { decodeOnnx } from "../engine/testing/index.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "engine", "onnx", "fixtures");
const fixture = (name: string) => path.join(FIXTURES, name);
const grid = (JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as { models: { cnn_bn: { grid: { loss: number[][] } } } }).models.cnn_bn.grid;
const data = `${fixture("cnn_bn.x.npy")},${fixture("cnn_bn.y.npy")}`;
let tmp: string;

/** A copy of an NCHW fixture's images stored channels-last (N, H, W, C) in the temporary folder. */
async function channelsLastCopy(name: string, out: string): Promise<{ file: string; shape: [number, number, number, number] }> {
  const nchw = parseNpy(new Uint8Array(await fs.readFile(fixture(name))), "x");
  const [n, c, h, w] = nchw.shape as [number, number, number, number];
  const nhwc = new Float32Array(nchw.data.length);
  for (let s = 0; s < n; s++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) nhwc[s * c * h * w + i * c + ch] = nchw.data[s * c * h * w + ch * h * w + i]!;
  const file = path.join(tmp, out);
  await fs.writeFile(file, encodeNpy(nhwc, [n, h, w, c]));
  return { file, shape: [n, c, h, w] };
}

beforeAll(async () => {
  await useBackend("wasm");
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "la-onnx-cli-"));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("lossatlas with ONNX models", () => {
  it("surface --model A.onnx --model-b B.onnx: the interpolation of PyTorch's states, in two processes, its ends the models; --running-stats hold-a is PyTorch's weights-only line", async () => {
    const dir = path.join(FIXTURES, "..", "..", "fixtures", "interpolation");
    const reference = (JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as { models: { cnn: { b: { loss: number }; states: { loss: number[] }; weights_hold_a: { loss: number[] } } } }).models.cnn;
    const pairData = `${path.join(dir, "cnn.x.npy")},${path.join(dir, "cnn.y.npy")}`;
    const out = path.join(tmp, "interpolation.json");
    const base = ["--model", path.join(dir, "cnn.a.onnx"), "--model-b", path.join(dir, "cnn.b.onnx"), "--data", pairData, "--x", "-0.5:1.5:9", "--out", out];
    await runEngineCommand("surface", [...base, "--workers", "2"]);
    const s = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][]; options: { runningStats: string }; modelChecks: { name: string; loss: number; ownLoss: number }[]; movedTensors: string[] };
    expect(maxRelativeError(s.loss[0]!, reference.states.loss)).toBeLessThan(1e-5);
    expect(s.options.runningStats).toBe("move");
    expect(s.movedTensors).toContain("bn.running_var");
    expect(s.modelChecks.map((c) => c.name)).toEqual(["A", "B"]);
    expect(Math.abs(s.loss[0]![6]! - reference.b.loss) / reference.b.loss).toBeLessThan(1e-5);
    await runEngineCommand("surface", [...base, "--running-stats", "hold-a"]);
    const held = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][]; modelPositions: { name: string; runningStatsOf?: string }[] };
    expect(maxRelativeError(held.loss[0]!, reference.weights_hold_a.loss)).toBeLessThan(1e-5);
    expect(held.modelPositions[1]).toMatchObject({ name: "B", runningStatsOf: "A" });
    const refused = await runEngineCommand("surface", [...base, "--running-stats", "keep"]).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(StartupError);
    expect((refused as Error).message).toBe('--running-stats must be one of move, hold-a, hold-b (got "keep")');
  });

  it("a direction for the network's own parameters does not fit a folded export, and the refusal says why", async () => {
    const refused = await runEngineCommand("surface", [
      "--model", fixture("cnn_bn.folded.onnx"), "--data", data, "--dir-x", fixture("cnn_bn.dir-x.onnx"), "--x", "-1:1:3", "--out", path.join(tmp, "folded.json"),
    ]).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(StartupError);
    expect((refused as Error).message).toMatch(/has no initializer "onnx::Conv_\d+".*which the model lacks.*looks like a folded export.*TrainingMode\.PRESERVE/);
  });

  it("surface --model m.onnx --dir-x/--dir-y ONNX gives PyTorch's 21x21 grid", async () => {
    const out = path.join(tmp, "s.json");
    await runEngineCommand("surface", [
      "--model", fixture("cnn_bn.onnx"), "--data", data, "--dir-x", fixture("cnn_bn.dir-x.onnx"), "--dir-y", fixture("cnn_bn.dir-y.onnx"),
      "--x", "-1:1:21", "--y", "-1:1:21", "--out", out,
    ]);
    const s = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][] };
    expect(maxRelativeError(s.loss.flat(), grid.loss.flat())).toBeLessThan(1e-4);
  });

  it("--save-directions writes ONNX files of the model's graph that recompute the same surface in two worker processes", async () => {
    const out = path.join(tmp, "r.json");
    const dirs = path.join(tmp, "dirs");
    const args = ["--model", fixture("resblock.onnx"), "--data", `${fixture("resblock.x.npy")},${fixture("resblock.y.npy")}`, "--x", "-1:1:5", "--y", "-1:1:3"];
    await runEngineCommand("surface", [...args, "--seed", "4", "--out", out, "--save-directions", dirs]);
    const saved = decodeOnnx(new Uint8Array(await fs.readFile(path.join(dirs, "x.onnx"))), "x");
    expect(saved.graph!.initializer!.map((t) => t.name)).toContain("block.conv1.weight");
    const again = path.join(tmp, "r2.json");
    await runEngineCommand("surface", [...args, "--dir-x", path.join(dirs, "x.onnx"), "--dir-y", path.join(dirs, "y.onnx"), "--workers", "2", "--out", again]);
    const first = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][] };
    expect((JSON.parse(await fs.readFile(again, "utf8")) as { loss: number[][] }).loss).toEqual(first.loss);
  });

  it("pca writes ONNX directions for ONNX checkpoints", async () => {
    const out = path.join(tmp, "pca");
    await runEngineCommand("pca", ["--checkpoints", fixture("cnn_bn.dir-x.onnx"), fixture("cnn_bn.dir-y.onnx"), fixture("cnn_bn.onnx"), "--final", fixture("cnn_bn.onnx"), "--out", out]);
    const doc = JSON.parse(await fs.readFile(path.join(out, "pca.json"), "utf8")) as { directions: { x: string } };
    expect(doc.directions.x).toBe(path.join(out, "x.onnx"));
    expect(decodeOnnx(new Uint8Array(await fs.readFile(path.join(out, "x.onnx"))), "x").graph!.initializer!.length).toBeGreaterThan(0);
  });

  it("reads NCHW data by default; channels-last data is refused with what to do, and accepted with --channels-last", async () => {
    const lastX = (await channelsLastCopy("cnn_bn.x.npy", "x-nhwc.npy")).file;
    const args = ["--model", fixture("cnn_bn.onnx"), "--x", "-1:1:3", "--seed", "2"];
    const error = await runEngineCommand("surface", [...args, "--data", `${lastX},${fixture("cnn_bn.y.npy")}`, "--out", path.join(tmp, "bad.json")]).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/channels-last.*--channels-last/);
    await runEngineCommand("surface", [...args, "--data", `${lastX},${fixture("cnn_bn.y.npy")}`, "--channels-last", "--out", path.join(tmp, "last.json")]);
    await runEngineCommand("surface", [...args, "--data", data, "--out", path.join(tmp, "first.json")]);
    const read = async (f: string) => (JSON.parse(await fs.readFile(path.join(tmp, f), "utf8")) as { loss: number[][] }).loss;
    expect(await read("last.json")).toEqual(await read("first.json"));
  });

  it("train --model m.onnx writes ONNX checkpoints and a final ONNX model that pca and surface take", async () => {
    const dir = path.join(tmp, "trained");
    const trainData = `${fixture("train_cnn.x.npy")},${fixture("train_cnn.y.npy")}`;
    await runEngineCommand("train", [
      "--model", fixture("train_cnn.onnx"), "--data", trainData, "--out", dir, "--epochs", "3", "--batch-size", "16",
      "--checkpoint-every", "4", "--optimizer", "momentum", "--lr", "0.05",
    ]);
    const doc = JSON.parse(await fs.readFile(path.join(dir, "curve.json"), "utf8")) as { steps: number; curve: { step: number; trainLoss: number }[] };
    expect(doc.steps).toBe(12);
    expect(doc.curve.map((p) => p.step)).toEqual([0, 4, 8, 12]);
    expect(doc.curve.at(-1)!.trainLoss).toBeLessThan(doc.curve[0]!.trainLoss);
    expect(await fs.readdir(path.join(dir, "final"))).toEqual(["model.onnx"]);
    const checkpoints = doc.curve.map((p) => path.join(dir, "checkpoints", `step-${p.step}`));
    for (const c of checkpoints) expect(await fs.readdir(c)).toEqual(["model.onnx"]);
    // The graph is the starting model's (its Identity aliases of initializers written out as
    // initializers of their own), its initializers the trained values.
    const ops = async (file: string) => decodeOnnx(new Uint8Array(await fs.readFile(file)), file).graph!.node!.map((n) => n.op_type).filter((op) => op !== "Identity");
    expect(await ops(path.join(dir, "final", "model.onnx"))).toEqual(await ops(fixture("train_cnn.onnx")));

    const pcaDir = path.join(tmp, "trained-pca");
    await runEngineCommand("pca", ["--checkpoints", ...checkpoints, "--final", path.join(dir, "final"), "--out", pcaDir]);
    const pca = JSON.parse(await fs.readFile(path.join(pcaDir, "pca.json"), "utf8")) as { path: { x: number; y: number }[]; explainedVarianceRatio: number[]; directions: { x: string; y: string } };
    expect(pca.path).toHaveLength(5);
    expect(pca.explainedVarianceRatio[0]).toBeGreaterThan(0.5);
    // The first checkpoint is far from the final model along the first component; the last is the final model.
    expect(Math.abs(pca.path[0]!.x)).toBeGreaterThan(0);
    expect(Math.hypot(pca.path[3]!.x, pca.path[3]!.y)).toBeLessThan(1e-6);

    const surface = path.join(tmp, "trained-surface.json");
    await runEngineCommand("surface", [
      "--model", path.join(dir, "final"), "--data", trainData, "--dir-x", pca.directions.x, "--dir-y", pca.directions.y,
      "--x", "-1:1:3", "--y", "-1:1:3", "--out", surface,
    ]);
    const s = JSON.parse(await fs.readFile(surface, "utf8")) as { loss: number[][] };
    // The centre of the plane is the final model: its loss is the one the curve recorded.
    expect(Math.abs(s.loss[1]![1]! - doc.curve.at(-1)!.trainLoss) / doc.curve.at(-1)!.trainLoss).toBeLessThan(1e-5);
  });

  it("train --channels-last trains the same ONNX model from channels-last data", async () => {
    const lastX = (await channelsLastCopy("train_cnn.x.npy", "train-nhwc.npy")).file;
    const args = ["--model", fixture("train_cnn.onnx"), "--epochs", "1", "--batch-size", "16"];
    await runEngineCommand("train", [...args, "--data", `${fixture("train_cnn.x.npy")},${fixture("train_cnn.y.npy")}`, "--out", path.join(tmp, "t-first")]);
    await runEngineCommand("train", [...args, "--data", `${lastX},${fixture("train_cnn.y.npy")}`, "--channels-last", "--out", path.join(tmp, "t-last")]);
    const read = (d: string) => fs.readFile(path.join(tmp, d, "final", "model.onnx"));
    expect(Buffer.compare(await read("t-first"), await read("t-last"))).toBe(0);
    const error = await runEngineCommand("train", [...args, "--data", `${lastX},${fixture("train_cnn.y.npy")}`, "--out", path.join(tmp, "t-bad")]).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/--channels-last/);
  });

  it("train --arch resnet builds the zoo's ResNet (or, with --plain, its twin) as ONNX, reading NCHW or --channels-last images alike", async () => {
    const { file: lastX, shape: [, c, h, w] } = await channelsLastCopy("train_cnn.x.npy", "resnet-nhwc.npy");
    const args = ["--arch", "resnet", "--blocks", "1", "--width", "3", "--epochs", "2", "--batch-size", "16", "--optimizer", "adam", "--lr", "0.01"];
    await runEngineCommand("train", [...args, "--data", `${fixture("train_cnn.x.npy")},${fixture("train_cnn.y.npy")}`, "--out", path.join(tmp, "r-first")]);
    await runEngineCommand("train", [...args, "--data", `${lastX},${fixture("train_cnn.y.npy")}`, "--channels-last", "--out", path.join(tmp, "r-last")]);
    await runEngineCommand("train", [...args, "--plain", "--data", `${fixture("train_cnn.x.npy")},${fixture("train_cnn.y.npy")}`, "--out", path.join(tmp, "r-plain")]);
    const read = (d: string) => fs.readFile(path.join(tmp, d, "final", "model.onnx"));
    expect(Buffer.compare(await read("r-first"), await read("r-last"))).toBe(0);
    const graph = async (d: string) => decodeOnnx(new Uint8Array(await read(d)), d).graph!;
    const residual = await graph("r-first");
    expect(residual.input![0]!.type!.tensor_type!.shape!.dim!.map((dim) => dim.dim_value ?? dim.dim_param)).toEqual(["batch", c, h, w]);
    expect(residual.node!.filter((node) => node.op_type === "Add")).toHaveLength(3);
    expect((await graph("r-plain")).node!.filter((node) => node.op_type === "Add")).toHaveLength(0);
    const doc = JSON.parse(await fs.readFile(path.join(tmp, "r-first", "curve.json"), "utf8")) as { architecture: { kind: string }; curve: { trainLoss: number }[] };
    expect(doc.architecture.kind).toBe("resnet");
    expect(doc.curve.at(-1)!.trainLoss).toBeLessThan(doc.curve[0]!.trainLoss);
    // Flat rows are not images.
    const flat = await runEngineCommand("train", ["--arch", "resnet", "--data", "builtin:iris", "--out", path.join(tmp, "r-bad")]).then(() => null, (e: unknown) => e);
    expect((flat as Error).message).toMatch(/image samples/);
  });
});
