/**
 * `lossatlas surface` and `lossatlas pca` with ONNX models: PyTorch's BN CNN with the paper's
 * directions as ONNX files gives PyTorch's 21x21 grid (two worker processes), and directions the
 * command saves are ONNX files that recompute the same surface.
 */
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../../errors.js";
import { runEngineCommand } from "../cli.js";
import { encodeNpy, parseNpy } from "../npy.js";
import { maxRelativeError, useBackend } from "../testing/setup.js";
import { decodeOnnx } from "./proto.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string) => path.join(FIXTURES, name);
const grid = (JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as { models: { cnn_bn: { grid: { loss: number[][] } } } }).models.cnn_bn.grid;
const data = `${fixture("cnn_bn.x.npy")},${fixture("cnn_bn.y.npy")}`;
let tmp: string;

beforeAll(async () => {
  await useBackend("wasm");
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "la-onnx-cli-"));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("lossatlas with ONNX models", () => {
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
    const nchw = parseNpy(new Uint8Array(await fs.readFile(fixture("cnn_bn.x.npy"))), "x");
    const [n, c, h, w] = nchw.shape as [number, number, number, number];
    const nhwc = new Float32Array(nchw.data.length);
    for (let s = 0; s < n; s++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) nhwc[s * c * h * w + i * c + ch] = nchw.data[s * c * h * w + ch * h * w + i]!;
    const lastX = path.join(tmp, "x-nhwc.npy");
    await fs.writeFile(lastX, encodeNpy(nhwc, [n, h, w, c]));
    const args = ["--model", fixture("cnn_bn.onnx"), "--x", "-1:1:3", "--seed", "2"];
    const error = await runEngineCommand("surface", [...args, "--data", `${lastX},${fixture("cnn_bn.y.npy")}`, "--out", path.join(tmp, "bad.json")]).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/channels-last.*--channels-last/);
    await runEngineCommand("surface", [...args, "--data", `${lastX},${fixture("cnn_bn.y.npy")}`, "--channels-last", "--out", path.join(tmp, "last.json")]);
    await runEngineCommand("surface", [...args, "--data", data, "--out", path.join(tmp, "first.json")]);
    const read = async (f: string) => (JSON.parse(await fs.readFile(path.join(tmp, f), "utf8")) as { loss: number[][] }).loss;
    expect(await read("last.json")).toEqual(await read("first.json"));
  });

  it("train refuses an ONNX model in one line", async () => {
    const error = await runEngineCommand("train", ["--model", fixture("mlp.onnx"), "--data", `${fixture("mlp.x.npy")},${fixture("mlp.y.npy")}`, "--out", path.join(tmp, "train")]).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/is an ONNX model: the engine evaluates ONNX models but trains only TF.js Layers models/);
  });
});
