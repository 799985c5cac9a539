import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { alignModel } from "./directions.js";
import { EngineInputError } from "./errors.js";
import { type LoadedModel, loadModel, modelFromArtifacts } from "./network.js";
import { type PcaResult, pathAxes, pcaDirections } from "./pca.js";
import { SeededRandom } from "./rng.js";
import { artifactsOf, buildMlp, randomDataset } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";
import { trainLayersModel } from "./train.js";

/** Written by scripts/make-pca-fixtures.py (PyTorch, float64 numpy). */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "pca");

beforeAll(async () => {
  await useBackend("wasm");
});

function withTheta(model: LoadedModel, theta: Float32Array[]): LoadedModel {
  return { ...model, theta };
}

describe("PCA directions", () => {
  it("recover a trajectory that lies in a plane, with its distances and explained variance", async () => {
    const final = await modelFromArtifacts(await artifactsOf(buildMlp([6, 5, 3]), "sparse_categorical_crossentropy"));
    const rng = new SeededRandom(1, 3);
    // Two random directions over the kernels only (biases are ignored by default).
    const dir = () => final.params.map((p) => Float32Array.from({ length: p.size }, () => (p.role === "kernel" ? rng.nextGaussian() : 0)));
    const u = dir();
    const v = dir();
    const coords = [[3, 1], [2.2, 0.4], [1.5, -0.3], [0.8, 0.2], [0.3, 0.05]] as const;
    const checkpoints = coords.map(([a, b]) => withTheta(final, final.theta.map((t, i) => Float32Array.from(t, (w, k) => w + a * u[i]![k]! + b * v[i]![k]!))));
    const pca = pcaDirections(final, checkpoints);
    expect(pca.explainedVarianceRatio[0] + pca.explainedVarianceRatio[1]).toBeCloseTo(1, 5);
    expect(pca.explainedVarianceRatio[0]).toBeGreaterThan(pca.explainedVarianceRatio[1]);
    // Unit, orthogonal directions.
    const dot = (a: Float32Array[], b: Float32Array[]) => a.reduce((s, x, i) => s + x.reduce((t, e, k) => t + e * b[i]![k]!, 0), 0);
    expect(dot(pca.dx, pca.dx)).toBeCloseTo(1, 5);
    expect(dot(pca.dy, pca.dy)).toBeCloseTo(1, 5);
    expect(Math.abs(dot(pca.dx, pca.dy))).toBeLessThan(1e-5);
    // The path keeps every checkpoint's distance to the final model (it lies in the plane).
    coords.forEach(([a, b], i) => {
      const full = Math.sqrt(dot(u, u) * a * a + 2 * a * b * dot(u, v) + dot(v, v) * b * b);
      const p = pca.path[i]!;
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(full, 3);
    });
  });

  it("refuses fewer than two checkpoints or identical ones", async () => {
    const final = await modelFromArtifacts(await artifactsOf(buildMlp([6, 5, 3]), "mse"));
    expect(() => pcaDirections(final, [final])).toThrow(EngineInputError);
    expect(() => pcaDirections(final, [final, final, final])).toThrow(EngineInputError);
  });
});

describe("a PCA plane fitted to its path", () => {
  it("holds every checkpoint and the final model with the margin on every side", () => {
    const path = [{ x: -4, y: 0.5 }, { x: -2.5, y: -0.2 }, { x: -1, y: 0.1 }, { x: -0.2, y: 0 }];
    const { x, y } = pathAxes(path, 0.25);
    // x: extent [-4, 0] (the origin is the final model), padded by 0.25 x 4 = 1 on each side.
    expect(x.min).toBeCloseTo(-5, 12);
    expect(x.max).toBeCloseTo(1, 12);
    // y: extent [-0.2, 0.5] = 0.7 is under a quarter of 4, so the pad is 0.25 x 1 = 0.25.
    expect(y.min).toBeCloseTo(-0.45, 12);
    expect(y.max).toBeCloseTo(0.75, 12);
    for (const p of [...path, { x: 0, y: 0 }]) {
      expect(p.x).toBeGreaterThan(x.min);
      expect(p.x).toBeLessThan(x.max);
      expect(p.y).toBeGreaterThan(y.min);
      expect(p.y).toBeLessThan(y.max);
    }
  });

  it("with equal aspect widens the shorter range about its centre to the longer one's length", () => {
    const path = [{ x: -4, y: 0.5 }, { x: -2.5, y: -0.2 }, { x: -1, y: 0.1 }, { x: -0.2, y: 0 }];
    const { x, y } = pathAxes(path, 0.25, true);
    expect(x.min).toBeCloseTo(-5, 12);
    expect(x.max).toBeCloseTo(1, 12);
    // y was [-0.45, 0.75] (centre 0.15): now 6 long about the same centre.
    expect(y.min).toBeCloseTo(-2.85, 12);
    expect(y.max).toBeCloseTo(3.15, 12);
  });

  it("gives a path that never moves a unit square", () => {
    expect(pathAxes([{ x: 0, y: 0 }])).toEqual({ x: { min: -1, max: 1 }, y: { min: -1, max: 1 } });
  });
});

/** |a - b| within `rel` of `scale` (a relative tolerance against the quantity's own size). */
function expectRelative(a: number, b: number, rel: number, scale = Math.abs(b)): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * scale);
}

/**
 * Checks a PCA against its definition, recomputed here from the checkpoints in float64 and in the
 * PCA's own space (the tensors it covers): the identity off^2 + x^2 + y^2 = ||theta_i -
 * theta_final||^2, unit orthogonal directions, explained variance = var(coordinates) / total
 * variance of the centred rows, and every checkpoint and the final model inside pathAxes' grid.
 * Returns the worst relative residual of the identity.
 */
function checkPca(final: LoadedModel, checkpoints: readonly LoadedModel[], pca: PcaResult): number {
  const used = pca.covered.flatMap((c, i) => (c ? [i] : []));
  // The PCA's directions are zero outside the tensors it covers.
  pca.covered.forEach((c, i) => {
    if (!c) {
      expect(pca.dx[i]!.every((v) => v === 0)).toBe(true);
      expect(pca.dy[i]!.every((v) => v === 0)).toBe(true);
    }
  });
  const rows = checkpoints.map((c) => {
    const theta = alignModel(final, c, "checkpoint");
    return used.map((i) => Float64Array.from(theta[i]!, (w, e) => w - final.theta[i]![e]!));
  });
  const dot = (a: ArrayLike<number>[], b: ArrayLike<number>[]) => a.reduce((s, t, j) => { let z = s; for (let e = 0; e < t.length; e++) z += t[e]! * b[j]![e]!; return z; }, 0);
  const u = used.map((i) => pca.dx[i]!);
  const v = used.map((i) => pca.dy[i]!);
  expectRelative(dot(u, u), 1, 1e-6);
  expectRelative(dot(v, v), 1, 1e-6);
  expect(Math.abs(dot(u, v))).toBeLessThan(1e-6);
  let worst = 0;
  rows.forEach((d, k) => {
    const p = pca.path[k]!;
    const squared = dot(d, d);
    expectRelative(p.distance ** 2, squared, 1e-9);
    if (squared === 0) {
      // The final model itself, when it is one of the checkpoints (as in the authors' code).
      expect([p.x, p.y, p.offPlane]).toEqual([0, 0, 0]);
      return;
    }
    const residual = Math.abs(p.offPlane ** 2 + p.x ** 2 + p.y ** 2 - squared) / squared;
    worst = Math.max(worst, residual);
    expect(residual).toBeLessThan(1e-6);
    // Coordinates are projections onto the (stored, float32) unit directions.
    expectRelative(p.x, dot(d, u), 1e-6, p.distance);
    expectRelative(p.y, dot(d, v), 1e-6, p.distance);
  });
  // Total variance of the centred rows, computed directly.
  const n = rows.length;
  const mean = used.map((_, j) => { const m = new Float64Array(rows[0]![j]!.length); for (const r of rows) r[j]!.forEach((w, e) => { m[e] = m[e]! + w / n; }); return m; });
  const total = rows.reduce((s, r) => s + r.reduce((t, a, j) => { let z = t; a.forEach((w, e) => { z += (w - mean[j]![e]!) ** 2; }); return z; }, 0), 0);
  expectRelative(pca.totalVariance, total, 1e-9);
  const variance = (c: number[]) => { const m = c.reduce((s, x) => s + x, 0) / c.length; return c.reduce((s, x) => s + (x - m) ** 2, 0); };
  expectRelative(pca.explainedVarianceRatio[0], variance(pca.path.map((p) => p.x)) / total, 1e-6);
  expectRelative(pca.explainedVarianceRatio[1], variance(pca.path.map((p) => p.y)) / total, 1e-6);
  expect(pca.explainedVarianceRatio[0]).toBeGreaterThanOrEqual(pca.explainedVarianceRatio[1]);
  // The fitted grid holds the whole path and the final model, away from its edges.
  const grid = pathAxes(pca.path);
  for (const p of [...pca.path, { x: 0, y: 0 }]) {
    expect(p.x).toBeGreaterThan(grid.x.min);
    expect(p.x).toBeLessThan(grid.x.max);
    expect(p.y).toBeGreaterThan(grid.y.min);
    expect(p.y).toBeLessThan(grid.y.max);
  }
  return worst;
}

describe("the PCA of a PyTorch run with BatchNorm, exported to ONNX", () => {
  interface Expected {
    checkpoints: { file: string; step: number }[];
    final: string;
    tensors: string[];
    explainedVarianceRatio: [number, number];
    totalVariance: number;
    path: { step: number; x: number; y: number; distance: number; offPlane: number; distanceAllTensors: number }[];
  }
  let expected: Expected;
  let final: LoadedModel;
  let checkpoints: LoadedModel[];
  beforeAll(async () => {
    expected = JSON.parse(await fs.readFile(path.join(FIXTURES, "expected.json"), "utf8")) as Expected;
    final = await loadModel(path.join(FIXTURES, expected.final));
    checkpoints = [];
    for (const c of expected.checkpoints) checkpoints.push(await loadModel(path.join(FIXTURES, c.file)));
  });

  it("covers the weights only, by default, and records the options", () => {
    const pca = pcaDirections(final, checkpoints);
    expect(pca.options).toEqual({ ignore: "biasbn", frozen: "move" });
    expect(final.params.filter((_, i) => pca.covered[i]).map((p) => p.name)).toEqual(expected.tensors);
  });

  it("keeps coordinates, distances and explained variance in one space, and agrees with numpy", () => {
    const pca = pcaDirections(final, checkpoints);
    checkPca(final, checkpoints, pca);
    expectRelative(pca.totalVariance, expected.totalVariance, 1e-6);
    expectRelative(pca.explainedVarianceRatio[0], expected.explainedVarianceRatio[0], 1e-6);
    expectRelative(pca.explainedVarianceRatio[1], expected.explainedVarianceRatio[1], 1e-6);
    // Components are defined up to sign: take each one's sign from the farthest checkpoint.
    const far = (key: "x" | "y") => expected.path.reduce((best, p, i) => (Math.abs(p[key]) > Math.abs(expected.path[best]![key]) ? i : best), 0);
    const sx = Math.sign(pca.path[far("x")]!.x) * Math.sign(expected.path[far("x")]!.x);
    const sy = Math.sign(pca.path[far("y")]!.y) * Math.sign(expected.path[far("y")]!.y);
    expected.path.forEach((ref, i) => {
      const p = pca.path[i]!;
      expectRelative(sx * p.x, ref.x, 1e-6, ref.distance);
      expectRelative(sy * p.y, ref.y, 1e-6, ref.distance);
      if (ref.distance > 0) {
        expectRelative(p.distance, ref.distance, 1e-6);
        expectRelative(p.offPlane, ref.offPlane, 1e-6, ref.distance);
      }
    });
  });

  it("measures nothing over tensors it leaves out (biases, BatchNorm and its running statistics)", () => {
    const pca = pcaDirections(final, checkpoints);
    // The distance over every tensor of the model is another number: it is not the PCA's.
    const start = expected.path[0]!;
    expect(start.distanceAllTensors).toBeGreaterThan(start.distance * 1.1);
    expectRelative(pca.path[0]!.distance, start.distance, 1e-6);
  });

  it("with ignore none covers the biases and BatchNorm's scale and shift, never its running statistics", () => {
    const pca = pcaDirections(final, checkpoints, { ignore: "none" });
    const names = final.params.filter((_, i) => pca.covered[i]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining([...expected.tensors, "fc1.bias", "bn.weight", "bn.bias"]));
    expect(names.some((n) => n.includes("running"))).toBe(false);
    checkPca(final, checkpoints, pca);
  });
});

describe("the PCA of a TF.js Layers run with BatchNorm", () => {
  it("keeps coordinates, distances and explained variance in one space, with the path inside its grid", async () => {
    const init = (k: number) => tfl.initializers.glorotNormal({ seed: 40 + k });
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [12], units: 16, kernelInitializer: init(1) }),
        tfl.layers.batchNormalization(),
        tfl.layers.activation({ activation: "relu" }),
        tfl.layers.dense({ units: 8, activation: "relu", kernelInitializer: init(2) }),
        tfl.layers.dense({ units: 4, activation: "softmax", kernelInitializer: init(3) }),
      ],
    });
    const files: { modelJson: string; shards: Map<string, Uint8Array> }[] = [];
    await trainLayersModel(model, randomDataset(96, [12], 4, 5), null, 4, { optimizer: "momentum", learningRate: 0.1, batchSize: 16, epochs: 2, checkpointEvery: 2, seed: 3 }, {
      onCheckpoint: (_step, f) => {
        files.push(f);
      },
    });
    expect(files.length).toBeGreaterThanOrEqual(7);
    const checkpoints: LoadedModel[] = [];
    for (const f of files) checkpoints.push(await loadModel(f));
    const final = checkpoints.at(-1)!;
    // BatchNorm's running statistics moved in training; the PCA leaves them (and every 1-D tensor) out.
    const movingMean = final.params.findIndex((p) => p.key === "moving_mean");
    expect(movingMean).toBeGreaterThanOrEqual(0);
    expect(checkpoints[0]!.theta[movingMean]!.some((v, e) => v !== final.theta[movingMean]![e])).toBe(true);
    const pca = pcaDirections(final, checkpoints);
    expect(final.params.filter((_, i) => pca.covered[i]).map((p) => p.key)).toEqual(["kernel", "kernel", "kernel"]);
    checkPca(final, checkpoints, pca);
    expect(pca.path.at(-1)).toEqual({ x: 0, y: 0, distance: 0, offPlane: 0 });
  });
});
