import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../errors.js";
import { runEngineCommand } from "./index.js";
import { encodeNpy } from "../engine/index.js";
import { artifactsOf, buildMlp, writeModelFolder } from "../engine/testing/index.js";
import { useBackend } from "../engine/testing/setup.js";

let tmp: string;
let iris: string;

beforeAll(async () => {
  await useBackend("wasm");
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "la-cli-"));
  iris = await writeModelFolder(path.join(tmp, "iris"), await artifactsOf(buildMlp([4, 8, 3], 1), "sparse_categorical_crossentropy"));
});

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await fs.readFile(file, "utf8")) as Record<string, unknown>;
}

/** Runs the command and returns its one-line StartupError message. */
async function failure(command: "surface" | "pca" | "train" | "hessian" | "bench", args: string[]): Promise<string> {
  const error = await runEngineCommand(command, args).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StartupError);
  return (error as Error).message;
}

describe("lossatlas surface", () => {
  it("writes surface.json and directions that recompute the same surface", async () => {
    const out = path.join(tmp, "s.json");
    const dirs = path.join(tmp, "dirs");
    await runEngineCommand("surface", ["--model", iris, "--data", "builtin:iris", "--x", "-1:1:5", "--y", "-1:1:4", "--samples", "100", "--sample-seed", "2", "--seed", "5", "--out", out, "--save-directions", dirs]);
    const s = await readJson(out);
    expect(s.kind).toBe("2d");
    expect(s.xs).toEqual([-1, -0.5, 0, 0.5, 1]);
    const loss = s.loss as number[][];
    expect(loss.length).toBe(4);
    expect(loss[0]!.length).toBe(5);
    expect((s.accuracy as number[][])[0]!.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(s.samples).toBe(100);
    expect(typeof (s.directions as { cosine: number }).cosine).toBe("number");
    expect(s).toHaveProperty("criticalPoints");
    expect(s).toHaveProperty("timings.totalMs");
    expect(s.backend).toBe("wasm");
    const again = path.join(tmp, "s2.json");
    await runEngineCommand("surface", ["--model", iris, "--data", "builtin:iris", "--x", "-1:1:5", "--y", "-1:1:4", "--samples", "100", "--sample-seed", "2", "--dir-x", path.join(dirs, "x"), "--dir-y", path.join(dirs, "y"), "--out", again]);
    expect((await readJson(again)).loss).toEqual(loss);
  });

  it("computes 1D slices and interpolations", async () => {
    const other = await writeModelFolder(path.join(tmp, "iris2"), await artifactsOf(buildMlp([4, 8, 3], 2), "sparse_categorical_crossentropy"));
    const out = path.join(tmp, "line.json");
    await runEngineCommand("surface", ["--model", iris, "--model-b", other, "--data", "builtin:iris", "--x", "0:1:6", "--out", out]);
    const s = await readJson(out);
    expect(s.kind).toBe("interpolation");
    expect((s.loss as number[][]).length).toBe(1);
    // Both ends are the models themselves (no BatchNorm here), each checked against its own loss.
    const checks = s.modelChecks as { name: string; x: number; loss: number; ownLoss: number }[];
    expect(checks.map((c) => [c.name, c.x])).toEqual([["A", 0], ["B", 1]]);
    for (const c of checks) expect(Math.abs(c.loss - c.ownLoss) / c.ownLoss).toBeLessThan(1e-6);
    expect((s.loss as number[][])[0]![0]).toBeCloseTo(checks[0]!.ownLoss, 6);
    expect((s.loss as number[][])[0]![5]).toBeCloseTo(checks[1]!.ownLoss, 6);
    await runEngineCommand("surface", ["--model", iris, "--data", "builtin:iris", "--x", "-1:1:7", "--out", out]);
    expect((await readJson(out)).kind).toBe("1d");
    // Without a count: 51 points along a line, 61 between two models (both on the grid: t = 0 and 1).
    await runEngineCommand("surface", ["--model", iris, "--data", "builtin:iris", "--samples", "30", "--x", "-1:1", "--out", out]);
    expect(((await readJson(out)).loss as number[][])[0]).toHaveLength(51);
    await runEngineCommand("surface", ["--model", iris, "--model-b", other, "--data", "builtin:iris", "--samples", "30", "--x", "-0.5:1.5", "--out", out]);
    const interpolation = await readJson(out);
    expect((interpolation.loss as number[][])[0]).toHaveLength(61);
    expect((interpolation.modelChecks as { x: number }[]).map((c) => c.x)).toEqual([0, 1]);
    // A plane still needs its counts.
    expect(await failure("surface", ["--model", iris, "--data", "builtin:iris", "--x", "-1:1", "--y", "-1:1:3", "--out", out])).toMatch(/--x takes min:max:count/);
  });

  it("answers every kind of bad input with one clear line", async () => {
    const base = ["--data", "builtin:iris", "--x", "-1:1:3", "--y", "-1:1:3", "--out", path.join(tmp, "bad.json")];
    // Malformed model.json
    const broken = path.join(tmp, "broken");
    await fs.mkdir(broken, { recursive: true });
    await fs.writeFile(path.join(broken, "model.json"), "{\"modelTopology\": ");
    expect(await failure("surface", ["--model", broken, ...base])).toMatch(/model.json is not valid JSON/);
    // Shards whose size does not match the manifest
    const truncated = await writeModelFolder(path.join(tmp, "truncated"), await artifactsOf(buildMlp([4, 8, 3]), "sparse_categorical_crossentropy"));
    const shard = path.join(truncated, "group1-shard1of1.bin");
    await fs.writeFile(shard, (await fs.readFile(shard)).subarray(0, 20));
    expect(await failure("surface", ["--model", truncated, ...base])).toMatch(/hold 20 bytes but model.json's manifest describes 268 bytes/);
    // Data that does not fit the model's input
    const mnistModel = await writeModelFolder(path.join(tmp, "m784"), await artifactsOf(buildMlp([784, 3]), "sparse_categorical_crossentropy"));
    expect(await failure("surface", ["--model", mnistModel, ...base])).toMatch(/samples have shape \[4\] \(4 values\) but the model's input is \[784\]/);
    // NaN in data
    const nanDir = path.join(tmp, "nan");
    await fs.mkdir(nanDir, { recursive: true });
    await fs.writeFile(path.join(nanDir, "x.npy"), encodeNpy(Float32Array.from([1, 2, 3, 4, 1, 2, Number.POSITIVE_INFINITY, 4]), [2, 4]));
    await fs.writeFile(path.join(nanDir, "y.npy"), encodeNpy(Int32Array.from([0, 1]), [2]));
    expect(await failure("surface", ["--model", iris, ...base.map((a) => (a === "builtin:iris" ? nanDir : a))])).toMatch(/NaN or Inf \(first at sample 1\)/);
    // Labels out of range
    const csv = path.join(tmp, "labels.csv");
    await fs.writeFile(csv, "a,b,c,d,label\n1,2,3,4,0\n1,2,3,4,3\n");
    expect(await failure("surface", ["--model", iris, ...base.map((a) => (a === "builtin:iris" ? csv : a))])).toMatch(/label 3 \(sample 1\) is out of range for a model with 3 classes/);
    // Directions whose shapes do not match the model
    const otherDirs = path.join(tmp, "other-dirs");
    const wide = await writeModelFolder(path.join(tmp, "wide"), await artifactsOf(buildMlp([4, 9, 3]), "sparse_categorical_crossentropy"));
    await runEngineCommand("surface", ["--model", wide, ...base, "--save-directions", otherDirs]);
    expect(await failure("surface", ["--model", iris, ...base, "--dir-x", path.join(otherDirs, "x"), "--dir-y", path.join(otherDirs, "y")])).toMatch(/has shape \[4, 9\] but the model's .* is \[4, 8\]/);
    // Unknown loss, given or in the file
    expect(await failure("surface", ["--model", iris, ...base, "--loss", "hinge"])).toMatch(/unknown loss "hinge"/);
    const noLoss = await writeModelFolder(path.join(tmp, "noloss"), await artifactsOf(buildMlp([4, 8, 3]), "cosine_similarity"));
    expect(await failure("surface", ["--model", noLoss, ...base])).toMatch(/names no \(known\) loss.*--loss/);
    // Bad options
    expect(await failure("surface", ["--model", iris, ...base.map((a) => (a === "-1:1:3" ? "1:-1:3" : a))])).toMatch(/min must be less than max/);
    expect(await failure("surface", ["--model", iris, ...base, "--norm", "unit"])).toMatch(/--norm must be one of filter, layer, weight, none/);
    expect(await failure("surface", ["--model", iris, ...base, "--frobnicate"])).toMatch(/unknown option --frobnicate/);
    expect(await failure("surface", base)).toMatch(/--model is required/);
    expect(await failure("surface", ["--model", iris, ...base, "--backend", "tensorflow-gpu"])).toMatch(/backend "tensorflow-gpu" is not available/);
    await useBackend("wasm");
  });
});

describe("lossatlas pca", () => {
  it("writes two directions and the projected path, usable by surface", async () => {
    const final = path.join(tmp, "final");
    await writeModelFolder(final, await artifactsOf(buildMlp([4, 8, 3], 1), "sparse_categorical_crossentropy"));
    const checkpoints = [];
    for (const seed of [2, 3, 4]) checkpoints.push(await writeModelFolder(path.join(tmp, `ckpt${seed}`), await artifactsOf(buildMlp([4, 8, 3], seed), "sparse_categorical_crossentropy")));
    const out = path.join(tmp, "pca");
    await runEngineCommand("pca", ["--checkpoints", ...checkpoints, "--final", final, "--out", out]);
    const doc = await readJson(path.join(out, "pca.json"));
    expect((doc.path as unknown[]).length).toBe(4);
    const [r1, r2] = doc.explainedVarianceRatio as number[];
    expect(r1! + r2!).toBeLessThanOrEqual(1 + 1e-9);
    const suggested = doc.suggested as { x: string; y: string };
    await runEngineCommand("surface", ["--model", final, "--data", "builtin:iris", "--dir-x", path.join(out, "x"), "--dir-y", path.join(out, "y"), "--x", suggested.x.replace(/:41$/, ":3"), "--y", suggested.y.replace(/:41$/, ":3"), "--out", path.join(tmp, "pca-surface.json")]);
    expect(await failure("pca", ["--checkpoints", checkpoints[0]!, "--final", final, "--out", out])).toMatch(/at least two checkpoints/);
  });
});

describe("lossatlas train", () => {
  it("writes the final model, one folder per checkpoint and the curve, all loadable by the engine", async () => {
    const out = path.join(tmp, "run");
    await runEngineCommand("train", ["--data", "builtin:iris", "--out", out, "--depth", "2", "--width", "8", "--epochs", "2", "--checkpoint-every", "4", "--seed", "3"]);
    const curve = (await readJson(path.join(out, "curve.json"))) as { steps: number; curve: { step: number }[] };
    expect(curve.steps).toBe(2 * Math.ceil(150 / 32));
    const folders = (await fs.readdir(path.join(out, "checkpoints"))).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    expect(folders).toEqual(curve.curve.map((p) => `step-${p.step}`));
    // The checkpoints are a trajectory the pca command can use.
    await runEngineCommand("pca", ["--checkpoints", ...folders.map((f) => path.join(out, "checkpoints", f)), "--final", path.join(out, "final"), "--out", path.join(out, "pca")]);
    expect(await fs.readdir(path.join(out, "pca"))).toEqual(expect.arrayContaining(["x", "y", "pca.json"]));
  });

  it("goes on training a model it is given, from that model's weights", async () => {
    const first = (await readJson(path.join(tmp, "run", "curve.json"))) as { curve: { trainLoss: number }[] };
    const out = path.join(tmp, "more");
    await runEngineCommand("train", ["--data", "builtin:iris", "--model", path.join(tmp, "run", "final"), "--out", out, "--epochs", "1", "--optimizer", "adam", "--lr", "0.01"]);
    const more = (await readJson(path.join(out, "curve.json"))) as { architecture: { kind: string }; curve: { trainLoss: number }[] };
    expect(more.architecture.kind).toBe("uploaded");
    // Step 0 of the new run is where the first run ended.
    expect(more.curve[0]!.trainLoss).toBeCloseTo(first.curve.at(-1)!.trainLoss, 4);
    expect(await failure("train", ["--data", "builtin:iris", "--model", path.join(tmp, "run", "final"), "--arch", "mlp", "--out", path.join(tmp, "bad")])).toMatch(/leave out --arch/);
  });

  it("refuses bad options with one line", async () => {
    expect(await failure("train", ["--data", "builtin:iris", "--out", path.join(tmp, "bad"), "--optimizer", "rmsprop"])).toMatch(/--optimizer must be sgd, momentum or adam/);
    expect(await failure("train", ["--data", "builtin:iris", "--out", path.join(tmp, "bad"), "--arch", "cnn"])).toMatch(/no gradient for Conv2D filters/);
    expect(await failure("train", ["--data", "builtin:iris"])).toMatch(/--out is required/);
  });
});

describe("lossatlas hessian", () => {
  it("reports the top eigenvalues, lambda_min, the trace and the density", async () => {
    const out = path.join(tmp, "curvature.json");
    await runEngineCommand("hessian", ["--model", iris, "--data", "builtin:iris", "--top-k", "3", "--trace", "--density", "--probes", "4", "--runs", "1", "--steps", "8", "--samples", "60", "--out", out]);
    const c = await readJson(out);
    const eig = c.eigenvalues as { top: number[]; lambdaMin: number };
    expect(eig.top.length).toBe(3);
    expect(eig.top[0]!).toBeGreaterThanOrEqual(eig.top[1]!);
    expect(eig.lambdaMin).toBeLessThanOrEqual(eig.top[2]!);
    expect(c.dimension).toBe(4 * 8 + 8 * 3);
    expect((c.trace as { probes: number }).probes).toBe(4);
    expect((c.density as { x: number[] }).x.length).toBe(200);
    expect(c.method).toBe("Richardson-extrapolated central differences of exact gradients");
    expect(c.scheme).toBe("richardson");
    expect(c.step).toBe(5e-3);
    expect(c.errorEstimate).toBeGreaterThan(0);
    expect(c.gradients).toBe(4 * (c.hvps as number));
  });

  it("keeps the single central difference for experts (--scheme central --step)", async () => {
    const out = path.join(tmp, "curvature-central.json");
    await runEngineCommand("hessian", ["--model", iris, "--data", "builtin:iris", "--top-k", "2", "--samples", "60", "--scheme", "central", "--step", "0.001", "--out", out]);
    const c = await readJson(out);
    expect(c.method).toBe("central differences of exact gradients");
    expect(c.step).toBe(1e-3);
    expect(c.errorEstimate).toBeNull();
    expect(c.gradients).toBe(2 * (c.hvps as number));
  });

  it("refuses bad options with one line", async () => {
    expect(await failure("hessian", ["--model", iris])).toMatch(/^--data is required/);
    expect(await failure("hessian", ["--model", iris, "--data", "builtin:iris", "--step", "2"])).toMatch(/--step must be a number between 0 and 1/);
    expect(await failure("hessian", ["--model", iris, "--data", "builtin:iris", "--scheme", "forward"])).toMatch(/--scheme/);
  });
});

describe("lossatlas hessian --x --y (eigen-ratio map)", () => {
  it("writes lambda_max, lambda_min and their ratio on the plane of lossatlas surface", async () => {
    const out = path.join(tmp, "map.json");
    await runEngineCommand("hessian", ["--model", iris, "--data", "builtin:iris", "--samples", "60", "--x", "-1:1:3", "--y", "-1:1:2", "--map-steps", "6", "--out", out]);
    const m = await readJson(out);
    expect(m.kind).toBe("eigen-ratio");
    expect(m.xs).toEqual([-1, 0, 1]);
    const ratio = m.ratio as number[][];
    const hi = m.lambdaMax as number[][];
    const lo = m.lambdaMin as number[][];
    expect(ratio.length).toBe(2);
    expect(ratio[0]!.length).toBe(3);
    for (let j = 0; j < 2; j++) for (let i = 0; i < 3; i++) expect(ratio[j]![i]).toBeCloseTo(Math.abs(lo[j]![i]! / hi[j]![i]!), 10);
    // Each point runs to the tolerance or the cap of 6 steps, and says which.
    const steps = (m.steps as number[][]).flat();
    const converged = (m.converged as boolean[][]).flat();
    expect(steps.length).toBe(6);
    steps.forEach((n, k) => expect(converged[k] ? n <= 6 : n === 6).toBe(true));
    expect(m.unconverged).toBe(converged.filter((c) => !c).length);
    expect(m.hvps).toBe(steps.reduce((a, b) => a + b, 0));
    expect(m.tolerance).toBe(1e-2);
    expect(m.meanRatio).toBeCloseTo(ratio.flat().reduce((a, b) => a + b, 0) / 6, 10);
  });
});

describe("lossatlas bench", () => {
  it("refuses unknown parts and bad process counts before it starts", async () => {
    expect(await failure("bench", ["--cases", "mlp,resnet50"])).toBe('--cases: unknown part "resnet50" (known: mlp, cnn, image-cnn, resnet, critical-points, curvature)');
    expect(await failure("bench", ["--cases", "mlp,,cnn"])).toMatch(/^--cases is a comma-separated list without empty items/);
    expect(await failure("bench", ["--processes", "0"])).toBe('--processes: each count must be an integer from 1 to 64 (got "0")');
    expect(await failure("bench", ["--processes", "1,two"])).toBe('--processes: each count must be an integer from 1 to 64 (got "two")');
  });

  it("runs only the parts it is given", async () => {
    const out = path.join(tmp, "bench.json");
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await runEngineCommand("bench", ["--quick", "--cases", "critical-points", "--backend", "wasm", "--out", out]);
    } finally {
      process.stdout.write = write;
    }
    const result = await readJson(out);
    expect(result.rows).toEqual([]);
    expect(result.curvature).toBeNull();
    expect((result.criticalPoints as { grid: string }[]).map((c) => c.grid)).toEqual(["501x501"]);
  });
});
