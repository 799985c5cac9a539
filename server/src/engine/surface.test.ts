import * as tf from "@tensorflow/tfjs-core";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./backend.js";
import { type Dataset, prepareData } from "./data.js";
import { type Direction, randomDirection } from "./directions.js";
import { SurfaceCancelledError } from "./errors.js";
import { SurfaceEvaluator } from "./evaluator.js";
import { parseLoss } from "./loss.js";
import { type LoadedModel, modelFromArtifacts, setLayersWeights, toLayersModel } from "./network.js";
import { computeSurface } from "./surface.js";
import { artifactsOf, buildMlp, buildResidualCnn, randomDataset } from "./testing/builders.js";
import { maxRelativeError, useBackend } from "./testing/setup.js";
import { SeededRandom } from "./rng.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/** A linear regression model y = x.w + c, with MSE: its surface is an exact paraboloid. */
async function linearProblem(): Promise<{ model: LoadedModel; data: Dataset }> {
  const model = await modelFromArtifacts(await artifactsOf(buildMlp([3, 1], 4, "linear"), "mse"));
  const rng = new SeededRandom(5, 1);
  const n = 200;
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) x[i * 3 + k] = rng.nextGaussian();
    // Targets from other weights plus noise, so the loss is well away from zero everywhere.
    y[i] = 0.7 * x[i * 3]! - 1.3 * x[i * 3 + 1]! + 0.2 * x[i * 3 + 2]! + 0.5 + 0.3 * rng.nextGaussian();
  }
  return { model, data: { name: "linear", count: n, x, sampleShape: [3], y, targetShape: [] } };
}

/**
 * L(a, b) = mean((r0 + a*rx + b*ry)^2) with r0 = X w + c - y, rx = X dx, ry = X dy (biasbn keeps
 * c fixed): a quadratic in (a, b), computed here in float64 from the same directions.
 */
function paraboloid(data: Dataset, model: LoadedModel, dx: Direction, dy: Direction, a: number, b: number): number {
  const [w, c] = model.theta as [Float32Array, Float32Array];
  let s = 0;
  for (let i = 0; i < data.count; i++) {
    let r0 = c[0]! - data.y[i]!;
    let rx = 0;
    let ry = 0;
    for (let k = 0; k < 3; k++) {
      const xi = data.x[i * 3 + k]!;
      r0 += xi * w[k]!;
      rx += xi * dx[0]![k]!;
      ry += xi * dy[0]![k]!;
    }
    s += (r0 + a * rx + b * ry) ** 2;
  }
  return s / data.count;
}

describe("surface correctness", () => {
  it("matches the closed-form paraboloid of a linear model with MSE to 1e-5 relative", async () => {
    const { model, data } = await linearProblem();
    for (const firstLayerTrick of ["always", "never"] as const) {
      const s = await computeSurface(model, data, { x: { min: -2, max: 2, count: 9 }, y: { min: -2, max: 2, count: 7 }, firstLayerTrick });
      expect(s.trickLayers.length).toBe(firstLayerTrick === "always" ? 1 : 0);
      const expected = new Float64Array(s.loss.length);
      s.ys.forEach((b, j) => s.xs.forEach((a, i) => { expected[j * 9 + i] = paraboloid(data, model, s.dx, s.dy!, a, b); }));
      expect(maxRelativeError(s.loss, expected)).toBeLessThan(1e-5);
      expect(Number.isNaN(s.accuracy[0])).toBe(true);
    }
  });

  it("agrees with an independent float64 forward pass of an MLP on a grid", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([5, 7, 4, 3], 2), "sparse_categorical_crossentropy"));
    const data = randomDataset(60, [5], 3, 9);
    const reference = (theta: Float64Array[]) => {
      // Dense(7, relu) - Dense(4, relu) - Dense(3, softmax), cross-entropy and accuracy, in float64.
      const [w1, b1, w2, b2, w3, b3] = theta as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
      const dense = (x: number[], w: Float64Array, bias: Float64Array, out: number, relu: boolean) =>
        Array.from({ length: out }, (_, j) => {
          let s = bias[j]!;
          x.forEach((v, i) => { s += v * w[i * out + j]!; });
          return relu ? Math.max(0, s) : s;
        });
      let loss = 0;
      let correct = 0;
      for (let n = 0; n < data.count; n++) {
        const x = Array.from(data.x.subarray(n * 5, n * 5 + 5));
        const z = dense(dense(dense(x, w1, b1, 7, true), w2, b2, 4, true), w3, b3, 3, false);
        const m = Math.max(...z);
        const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
        const label = data.y[n]!;
        loss += lse - z[label]!;
        if (z.indexOf(m) === label) correct++;
      }
      return [loss / data.count, correct / data.count] as const;
    };
    for (const options of [{ firstLayerTrick: "always" as const, batchSize: 17 }, { firstLayerTrick: "never" as const }]) {
      const s = await computeSurface(model, data, { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 }, directions: { seed: 3 }, ...options });
      const ref = new Float64Array(25);
      const refAcc = new Float64Array(25);
      s.ys.forEach((b, j) => s.xs.forEach((a, i) => {
        const theta = model.theta.map((t, p) => Float64Array.from(t, (v, k) => v + a * s.dx[p]![k]! + b * s.dy![p]![k]!));
        [ref[j * 5 + i], refAcc[j * 5 + i]] = reference(theta);
      }));
      expect(maxRelativeError(s.loss, ref)).toBeLessThan(1e-5);
      expect(maxRelativeError(s.accuracy, refAcc, 1)).toBeLessThan(1e-9);
    }
  });

  it("agrees with TF.js Layers' own predict on a functional residual CNN with BatchNorm", async () => {
    const artifacts = await artifactsOf(buildResidualCnn(), "categorical_crossentropy");
    const model = await modelFromArtifacts(artifacts);
    const data = randomDataset(40, [8, 8, 2], 3, 4);
    const s = await computeSurface(model, data, { x: { min: -0.5, max: 0.5, count: 3 }, y: { min: -0.5, max: 0.5, count: 3 }, directions: { ignore: "none" }, batchSize: 16 });
    const layers = await toLayersModel(artifacts);
    const x = tf.tensor(data.x, [40, 8, 8, 2]);
    const expected = new Float64Array(9);
    s.ys.forEach((b, j) => s.xs.forEach((a, i) => {
      setLayersWeights(layers, model, model.theta.map((t, p) => Float32Array.from(t, (v, k) => v + a * s.dx[p]![k]! + b * s.dy![p]![k]!)));
      const probs = (layers.predict(x) as tf.Tensor).dataSync();
      let loss = 0;
      for (let n = 0; n < 40; n++) loss -= Math.log(probs[n * 3 + data.y[n]!]!);
      expected[j * 3 + i] = loss / 40;
    }));
    x.dispose();
    layers.dispose();
    expect(maxRelativeError(s.loss, expected)).toBeLessThan(1e-4);
  });

  it("gives the same directions and surface for the same seed, and different ones for another", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([5, 6, 3], 1), "sparse_categorical_crossentropy"));
    const data = randomDataset(30, [5], 3);
    const run = (seed: number) => computeSurface(model, data, { x: { min: -1, max: 1, count: 4 }, y: { min: -1, max: 1, count: 4 }, directions: { seed } });
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(a.dx).toEqual(b.dx);
    expect(a.dy).toEqual(b.dy);
    expect([...a.loss]).toEqual([...b.loss]);
    expect(a.dx).not.toEqual(c.dx);
    // The x direction of a seed does not depend on whether a y direction is drawn.
    expect(randomDirection(model, { seed: 7 }, 0)).toEqual(a.dx);
  });

  it("gives the same surface on wasm and cpu to 1e-4 relative", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildResidualCnn(2), "categorical_crossentropy"));
    const data = randomDataset(24, [8, 8, 2], 3, 5);
    const options = { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 } };
    const wasm = await computeSurface(model, data, { ...options, backend: "wasm" });
    const cpu = await computeSurface(model, data, { ...options, backend: "cpu" });
    await initBackend("wasm");
    expect(cpu.backend).toBe("cpu");
    expect(wasm.backend).toBe("wasm");
    expect(maxRelativeError(cpu.loss, wasm.loss)).toBeLessThan(1e-4);
  });

  it("evaluates interpolation and three-model planes through the models themselves", async () => {
    const loss = parseLoss("sparse_categorical_crossentropy");
    const [a, b, c] = await Promise.all([1, 2, 3].map(async (seed) => modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], seed), loss.name))));
    const data = randomDataset(50, [4], 3, 2);
    const prepared = prepareData(a!, data, loss);
    const lossOf = async (m: LoadedModel) => {
      const e = SurfaceEvaluator.create(m, prepared, loss, { origin: m.theta, dx: m.theta.map((t) => new Float32Array(t.length)), dy: null });
      const v = (await e.evaluate(new Float64Array([0, 0])))!.loss[0]!;
      e.dispose();
      return v;
    };
    const [la, lb, lc] = [await lossOf(a!), await lossOf(b!), await lossOf(c!)];
    const line = await computeSurface(a!, data, { x: { min: 0, max: 1, count: 5 }, modelB: b! });
    expect(line.kind).toBe("interpolation");
    expect(line.ys.length).toBe(1);
    expect(Math.abs(line.loss[0]! - la) / la).toBeLessThan(1e-6);
    expect(Math.abs(line.loss[4]! - lb) / lb).toBeLessThan(1e-5);
    const plane = await computeSurface(a!, data, { x: { min: 0, max: 1, count: 2 }, y: { min: 0, max: 1, count: 2 }, modelB: b!, modelC: c! });
    const cPos = plane.modelPositions.find((p) => p.name === "C")!;
    const e = SurfaceEvaluator.create(a!, prepared, loss, { origin: plane.origin, dx: plane.dx, dy: plane.dy });
    const atC = (await e.evaluate(new Float64Array([cPos.x, cPos.y])))!.loss[0]!;
    e.dispose();
    expect(Math.abs(plane.loss[1]! - lb) / lb).toBeLessThan(1e-5);
    expect(Math.abs(atC - lc) / lc).toBeLessThan(1e-4);
    expect(Math.abs(plane.cosine)).toBeLessThan(1e-6);
  });
});

describe("surface mechanics", () => {
  it("reports progress coarse to fine, keeps memory flat and leaks no tensors", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([6, 8, 3], 1), "sparse_categorical_crossentropy"));
    const data = randomDataset(40, [6], 3);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const progress: number[] = [];
    const firstTiles: Int32Array[] = [];
    const s = await computeSurface(model, data, { x: { min: -1, max: 1, count: 17 }, y: { min: -1, max: 1, count: 17 }, tileSize: 10 }, {
      onProgress: (p) => { progress.push(p.done); counts.push(tf.memory().numTensors); },
      onTile: (t) => { if (firstTiles.length < 3) firstTiles.push(t.indices); },
    });
    expect(tf.memory().numTensors).toBe(before);
    // Flat: the evaluator holds the same tensors after every tile.
    expect(new Set(counts).size).toBe(1);
    expect(progress[progress.length - 1]).toBe(17 * 17);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // The first tiles are on the coarse grid (every 2nd point of a 17-point axis).
    for (const tile of firstTiles) for (const k of tile) expect([k % 17 % 2, Math.floor(k / 17) % 2]).toEqual([0, 0]);
    expect(s.loss.every(Number.isFinite)).toBe(true);

    // Several batches: each point's weights are assembled once per tile (all points at a time, or
    // one at a time when only one point's fit in weightBytes), and nothing leaks either way.
    for (const weightBytes of [undefined, 1]) {
      const counted: number[] = [];
      const batched = await computeSurface(model, data, { x: { min: -1, max: 1, count: 17 }, y: { min: -1, max: 1, count: 17 }, tileSize: 10, batchSize: 7, ...(weightBytes === undefined ? {} : { weightBytes }) }, {
        onProgress: () => counted.push(tf.memory().numTensors),
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(new Set(counted).size).toBe(1);
      expect(maxRelativeError(batched.loss, s.loss)).toBeLessThan(1e-6);
      expect([...batched.accuracy]).toEqual([...s.accuracy]);
    }
  });

  it("stops when cancelled and frees its tensors", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([6, 8, 3], 1), "sparse_categorical_crossentropy"));
    const data = randomDataset(40, [6], 3);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let tiles = 0;
    await expect(computeSurface(model, data, { x: { min: -1, max: 1, count: 21 }, y: { min: -1, max: 1, count: 21 }, tileSize: 5 }, {
      signal: controller.signal,
      onProgress: () => { if (++tiles === 2) controller.abort(); },
    })).rejects.toBeInstanceOf(SurfaceCancelledError);
    expect(tiles).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("computes the same values with and without the first-layer trick, and can switch", async () => {
    const loss = parseLoss("sparse_categorical_crossentropy");
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([6, 8, 3], 1), loss.name));
    const prepared = prepareData(model, randomDataset(40, [6], 3), loss);
    const plane = { origin: model.theta, dx: randomDirection(model, {}, 0), dy: randomDirection(model, {}, 1) };
    const points = new Float64Array([0, 0, 0.5, -0.25, -1, 1]);
    const e = SurfaceEvaluator.create(model, prepared, loss, plane, { firstLayerTrick: "always" });
    const tricked = (await e.evaluate(points))!.loss;
    expect(e.trickLayers).toEqual([model.steps.find((s) => s.className === "Dense")!.name]);
    e.setTrickLayers([]);
    expect(e.trickLayers).toEqual([]);
    const direct = (await e.evaluate(points))!.loss;
    e.dispose();
    expect(maxRelativeError(tricked, direct)).toBeLessThan(1e-6);
  });

  it("splits the grid over worker processes with the same result", async () => {
    // The worker processes run the built surface worker: without it this fails, rather than skip
    // and read as a pass.
    const built = fileURLToPath(new URL("../../dist/engine/surface-worker.js", import.meta.url));
    expect(existsSync(built), `${built} is missing: run npm run build first`).toBe(true);
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([6, 8, 3], 1), "sparse_categorical_crossentropy"));
    const data = randomDataset(40, [6], 3);
    const options = { x: { min: -1, max: 1, count: 9 }, y: { min: -1, max: 1, count: 9 }, firstLayerTrick: "never" as const, tileSize: 7 };
    const one = await computeSurface(model, data, options);
    let progress = 0;
    const two = await computeSurface(model, data, { ...options, workers: 2 }, { onProgress: (p) => { progress = p.done; } });
    expect(two.workers).toBe(2);
    expect(progress).toBe(81);
    expect(maxRelativeError(two.loss, one.loss)).toBeLessThan(1e-6);
    // Cancelling stops the workers and rejects promptly.
    const controller = new AbortController();
    await expect(computeSurface(model, data, { ...options, x: { min: -1, max: 1, count: 41 }, y: { min: -1, max: 1, count: 41 }, tileSize: 3, workers: 2 }, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })).rejects.toBeInstanceOf(SurfaceCancelledError);
  });
});
