/**
 * Curves between two models (curve-math.ts, curves.ts) against closed forms:
 * - points on Bezier curves of degree 2 and 3 and on polygonal chains, every parameter, many t;
 * - the gradient of the curve's training loss with respect to the bends against central finite
 *   differences of a float64 forward pass written out here;
 * - BatchNorm's recomputed statistics against the batch statistics of the layer's input at phi(t);
 * - the endpoints' values against each model's own loss from TF.js Layers' forward pass.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { barrier, curveCoefficients, curveTs, initialBends, pointOnCurve } from "./curve-math.js";
import { encodeCurveBend, readCurveBend } from "./curve-files.js";
import { curveEndpoints, curveLossAndGradients, evaluateCurve, measureAt, recomputeBatchNorm, trainCurve, type Curve, type Endpoints } from "./curves.js";
import { curvePlane } from "./curve-plane.js";
import { type Dataset, prepareData } from "./data.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { loadModel, modelFromArtifacts } from "./network.js";
import { SeededRandom } from "./rng.js";
import { artifactsOf, buildCnnBn, buildMlp, randomDataset } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

function randomArrays(shapes: readonly number[], seed: number): Float32Array[] {
  const rng = new SeededRandom(seed, 3);
  return shapes.map((n) => Float32Array.from({ length: n }, () => rng.nextGaussian()));
}

const TS = Array.from({ length: 41 }, (_, i) => i / 40);

describe("points on a curve", () => {
  const sizes = [12, 5, 7];
  const isParam = [true, true, true];
  const a = randomArrays(sizes, 1);
  const b = randomArrays(sizes, 2);
  const th = [randomArrays(sizes, 3), randomArrays(sizes, 4)];

  const check = (kind: "bezier" | "polychain", bends: Float32Array[][], closed: (t: number, e: (w: Float32Array[]) => number) => number) => {
    let worst = 0;
    for (const t of TS) {
      const c = curveCoefficients(kind, bends.length, t);
      expect(c.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      const phi = pointOnCurve(a, bends, b, c, isParam);
      for (let i = 0; i < sizes.length; i++) {
        for (let e = 0; e < sizes[i]!; e++) {
          const want = closed(t, (w) => w[i]![e]!);
          worst = Math.max(worst, Math.abs(phi[i]![e]! - want) / Math.max(1, Math.abs(want)));
        }
      }
    }
    // phi is summed in float64 and stored in float32: one float32 rounding.
    expect(worst).toBeLessThan(1.2e-7);
  };

  it("Bezier of degree 2 is (1-t)^2 A + 2t(1-t) theta + t^2 B", () => {
    check("bezier", [th[0]!], (t, v) => (1 - t) ** 2 * v(a) + 2 * t * (1 - t) * v(th[0]!) + t ** 2 * v(b));
  });

  it("Bezier of degree 3 is (1-t)^3 A + 3t(1-t)^2 theta1 + 3t^2(1-t) theta2 + t^3 B", () => {
    check("bezier", th, (t, v) => (1 - t) ** 3 * v(a) + 3 * t * (1 - t) ** 2 * v(th[0]!) + 3 * t ** 2 * (1 - t) * v(th[1]!) + t ** 3 * v(b));
  });

  it("a polygonal chain with one bend runs A -> theta on [0, 1/2] and theta -> B on [1/2, 1]", () => {
    check("polychain", [th[0]!], (t, v) => (t <= 0.5 ? (1 - 2 * t) * v(a) + 2 * t * v(th[0]!) : (2 - 2 * t) * v(th[0]!) + (2 * t - 1) * v(b)));
  });

  it("a polygonal chain with two bends passes through them at t = 1/3 and 2/3", () => {
    check("polychain", th, (t, v) => {
      const s = 3 * t;
      if (s <= 1) return (1 - s) * v(a) + s * v(th[0]!);
      if (s <= 2) return (2 - s) * v(th[0]!) + (s - 1) * v(th[1]!);
      return (3 - s) * v(th[1]!) + (s - 2) * v(b);
    });
  });

  it("bends start on the segment A -> B at j / k, so the untrained curve is the line; state entries keep A's", () => {
    const bends = initialBends(a, b, 2, [true, false, true]);
    expect(bends[0]![0]![3]).toBeCloseTo((2 / 3) * a[0]![3]! + (1 / 3) * b[0]![3]!, 6);
    expect(bends[1]![2]![1]).toBeCloseTo((1 / 3) * a[2]![1]! + (2 / 3) * b[2]![1]!, 6);
    expect(Array.from(bends[1]![1]!)).toEqual(Array.from(a[1]!));
    const c = curveCoefficients("bezier", 2, 0.3);
    const onLine = pointOnCurve(a, bends, b, c, isParam);
    for (let e = 0; e < sizes[0]!; e++) expect(onLine[0]![e]).toBeCloseTo(0.7 * a[0]![e]! + 0.3 * b[0]![e]!, 5);
  });

  it("barriers: the highest loss minus the endpoints' mean; an accuracy's drop below it", () => {
    expect(barrier([1, 3, 2, 0.5])).toBeCloseTo(3 - 0.75, 12);
    expect(barrier([0.9, 0.5, 0.8], true)).toBeCloseTo(0.85 - 0.5, 12);
    expect(curveTs(61)[30]).toBe(0.5);
  });
});

async function mlpPair(): Promise<Endpoints> {
  const a = await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 1)));
  const b = await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 2)));
  return curveEndpoints(a, b);
}

/** Mean cross-entropy of Dense-ReLU-Dense-softmax at `w` (kernel1, bias1, kernel2, bias2), in float64. */
function hostLoss(w: readonly ArrayLike<number>[], data: Dataset, sizes: readonly number[]): number {
  const [k1, b1, k2, b2] = w as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  const [n0, n1, n2] = sizes as [number, number, number];
  let sum = 0;
  for (let s = 0; s < data.count; s++) {
    const h = Array.from({ length: n1 }, (_, j) => {
      let z = b1[j]!;
      for (let i = 0; i < n0; i++) z += data.x[s * n0 + i]! * k1[i * n1 + j]!;
      return Math.max(0, z);
    });
    const z = Array.from({ length: n2 }, (_, j) => {
      let v = b2[j]!;
      for (let i = 0; i < n1; i++) v += h[i]! * k2[i * n2 + j]!;
      return v;
    });
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((acc, v) => acc + Math.exp(v - m), 0));
    sum += lse - z[data.y[s]!]!;
  }
  return sum / data.count;
}

describe("the curve's training loss and its gradient", () => {
  it("matches central finite differences of a float64 forward pass, for every bend entry", async () => {
    const ends = await mlpPair();
    expect(ends.model.params.map((p) => p.key)).toEqual(["kernel", "bias", "kernel", "bias"]);
    const data = randomDataset(40, [4], 3, 5);
    const isParam = [true, true, true, true];
    const bends = initialBends(ends.a, ends.b, 2, isParam).map((bend, j) => bend.map((w) => w.map((v, e) => v + 0.3 * Math.sin(7 * e + j))));
    const curve: Curve = { kind: "bezier", bends };
    const wd = 0.01;
    const t = 0.37;
    const objective = (bs: readonly (readonly Float64Array[])[]) => {
      const c = curveCoefficients("bezier", 2, t);
      const points = [ends.a, ...bs, ends.b];
      const phi = ends.a.map((wa, i) => Float64Array.from(wa, (_, e) => points.reduce((s, p, j) => s + c[j]! * p[i]![e]!, 0)));
      const l2 = phi.reduce((s, w) => s + w.reduce((q, v) => q + v * v, 0), 0);
      return hostLoss(phi, data, [4, 6, 3]) + 0.5 * wd * l2;
    };
    const { loss, gradients } = curveLossAndGradients(ends, curve, t, data, wd);
    const exact = bends.map((bend) => bend.map((w) => Float64Array.from(w)));
    expect(Math.abs(loss - objective(exact))).toBeLessThan(1e-5 * Math.abs(loss));
    // Central differences in float64 with h = 1e-5 have an error of order h^2 (1e-10) away from
    // ReLU's kinks; TF.js's gradient is float32 (relative rounding ~1e-7 per operation, a few
    // hundred operations deep): agreement to 2e-4 of the largest entry is float32's, not a loose bound.
    const h = 1e-5;
    let scale = 0;
    let worst = 0;
    for (let j = 0; j < bends.length; j++) {
      for (let i = 0; i < bends[j]!.length; i++) {
        for (let e = 0; e < bends[j]![i]!.length; e++) {
          const plus = exact.map((bend) => bend.map((w) => Float64Array.from(w)));
          const minus = exact.map((bend) => bend.map((w) => Float64Array.from(w)));
          plus[j]![i]![e]! += h;
          minus[j]![i]![e]! -= h;
          const fd = (objective(plus) - objective(minus)) / (2 * h);
          scale = Math.max(scale, Math.abs(fd));
          worst = Math.max(worst, Math.abs(fd - gradients[j]![i]![e]!));
        }
      }
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(worst / scale).toBeLessThan(2e-4);
  });
});

describe("BatchNorm along a curve", () => {
  it("recomputed statistics equal the batch mean and unbiased variance of the layer's input at phi(t)", async () => {
    const a = await modelFromArtifacts(await artifactsOf(buildCnnBn(1)));
    const b = await modelFromArtifacts(await artifactsOf(buildCnnBn(2)));
    const ends = curveEndpoints(a, b);
    const model = ends.model;
    const isParam = model.params.map((p) => !p.state);
    const bends = initialBends(ends.a, ends.b, 1, isParam).map((bend) => bend.map((w, i) => (isParam[i] ? w.map((v) => v * 1.1 + 0.05) : w)));
    const data = randomDataset(24, [8, 8, 2], 3, 9);
    const prepared = prepareData(model, data, { name: "sparse_categorical_crossentropy", fromLogits: false });
    const phi = pointOnCurve(ends.a, bends, ends.b, curveCoefficients("bezier", 1, 0.4), isParam);
    const kernel = model.params.findIndex((p) => p.layerName.startsWith("conv2d") && p.key === "kernel");
    const bias = model.params.findIndex((p) => p.layerName.startsWith("conv2d") && p.key === "bias");
    const mean = model.params.findIndex((p) => p.key === "moving_mean");
    const variance = model.params.findIndex((p) => p.key === "moving_variance");
    // The conv's output at phi(t), computed directly, then per channel statistics in float64.
    const direct = (from: number, to: number) => {
      const z = Array.from(tf.tidy(() => {
        const x = tf.tensor4d(prepared.x.slice(from * 128, to * 128), [to - from, 8, 8, 2]);
        return tf.add(tf.conv2d(x, tf.tensor4d(phi[kernel]!, [3, 3, 2, 4]), 1, "valid"), tf.tensor1d(phi[bias]!)).dataSync();
      }));
      const n = z.length / 4;
      const m = [0, 1, 2, 3].map((c) => z.filter((_, i) => i % 4 === c).reduce((s, v) => s + v, 0) / n);
      const v = [0, 1, 2, 3].map((c) => z.filter((_, i) => i % 4 === c).reduce((s, x) => s + (x - m[c]!) ** 2, 0) / (n - 1));
      return { m, v };
    };
    const whole = recomputeBatchNorm(model, phi, prepared, "softmax-logits", 24);
    const all = direct(0, 24);
    for (let c = 0; c < 4; c++) {
      expect(whole[mean]![c]).toBeCloseTo(all.m[c]!, 4);
      expect(whole[variance]![c]).toBeCloseTo(all.v[c]!, 4);
    }
    // Two batches of 12: the average of their statistics (the reference's cumulative update).
    const halves = recomputeBatchNorm(model, phi, prepared, "softmax-logits", 12);
    const [h1, h2] = [direct(0, 12), direct(12, 24)];
    for (let c = 0; c < 4; c++) {
      expect(halves[mean]![c]).toBeCloseTo((h1.m[c]! + h2.m[c]!) / 2, 4);
      expect(halves[variance]![c]).toBeCloseTo((h1.v[c]! + h2.v[c]!) / 2, 4);
    }
    // Parameters are untouched; only the running statistics were replaced.
    expect(whole[kernel]).toBe(phi[kernel]);
    expect(whole[variance]).not.toEqual(phi[variance]);
  });
});

describe("evaluating and training a curve", () => {
  it("trains through BatchNorm in train mode and evaluates with statistics recomputed at every point", async () => {
    const mlpBn = (seed: number) =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [4], units: 6, kernelInitializer: tfl.initializers.glorotNormal({ seed }) }),
          tfl.layers.batchNormalization({ movingVarianceInitializer: tfl.initializers.constant({ value: 2 }) }),
          tfl.layers.activation({ activation: "relu" }),
          tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 10 }) }),
        ],
      });
    const ends = curveEndpoints(await modelFromArtifacts(await artifactsOf(mlpBn(1))), await modelFromArtifacts(await artifactsOf(mlpBn(2))));
    const data = randomDataset(33, [4], 3, 4);
    const losses: number[] = [];
    const { curve } = await trainCurve(ends, data, { epochs: 2, batchSize: 8, kind: "polychain" }, { onCheckpoint: (_s, _c, loss) => void losses.push(loss) });
    // 33 samples in batches of 8 leave one alone: it joins the batch before (4 steps an epoch).
    expect(losses).toHaveLength(2);
    expect(losses.every(Number.isFinite)).toBe(true);
    const result = await evaluateCurve(ends, curve, data, null, { points: 3, batchSize: 11 });
    expect(result.batchNormRecomputed).toBe(true);
    expect(result.curve.test).toBeNull();
    expect(result.barriers.curve.testLoss).toBeNull();
    // At t = 0 the network is A's weights with statistics recomputed on the data, not A's own running ones.
    const isParam = ends.model.params.map((p) => !p.state);
    const prepared = prepareData(ends.model, data, { name: "sparse_categorical_crossentropy", fromLogits: false });
    const atA = recomputeBatchNorm(ends.model, pointOnCurve(ends.a, curve.bends, ends.b, curveCoefficients("polychain", 1, 0), isParam), prepared, "softmax-logits", 11);
    const mean = ends.model.params.findIndex((p) => p.key === "moving_mean");
    expect(Array.from(atA[mean]!)).not.toEqual(Array.from(ends.a[mean]!));

    // The plane through A, B and the bend, statistics recomputed at every point as along the curve:
    // at A and B its values are the curve's own at t = 0 and 1, and the chain's middle, the bend, is at theta's point.
    const plane = await curvePlane(ends, curve, data, { x: { min: 0, max: 1, count: 3 }, y: { min: 0, max: 1, count: 2 } }, 3, 11);
    expect(plane.batchNormRecomputed).toBe(true);
    const [, , c] = plane.modelPositions;
    expect(plane.curve[1]!.x).toBeCloseTo(c!.x, 5);
    expect(plane.curve[1]!.y).toBeCloseTo(c!.y, 5);
    expect(plane.offPlane).toBeLessThan(1e-3);
    expect(plane.loss[0]).toBeCloseTo(result.curve.train.loss[0]!, 5);
    expect(plane.loss[2]).toBeCloseTo(result.curve.train.loss[2]!, 5);
    expect(plane.accuracy[2]).toBe(result.curve.train.accuracy[2]);
    // At A the plane holds A's weights with statistics recomputed on the data (batches of 11), not A's own running ones.
    const own = measureAt(ends.model, atA, prepared, { name: "sparse_categorical_crossentropy", fromLogits: false }, "softmax-logits");
    expect(own.loss).toBeCloseTo(plane.loss[0]!, 5);
  });

  it("the endpoints' values are each model's own loss and accuracy (TF.js Layers' forward pass)", async () => {
    const layersA = buildMlp([4, 6, 3], 1);
    const layersB = buildMlp([4, 6, 3], 2);
    const ends = curveEndpoints(await modelFromArtifacts(await artifactsOf(layersA)), await modelFromArtifacts(await artifactsOf(layersB)));
    const data = randomDataset(50, [4], 3, 6);
    const test = randomDataset(30, [4], 3, 7);
    const curve: Curve = { kind: "bezier", bends: initialBends(ends.a, ends.b, 1, [true, true, true, true]).map((bend) => bend.map((w) => w.map((v) => v + 0.2))) };
    const result = await evaluateCurve(ends, curve, data, test, { points: 5 });
    const own = (m: typeof layersA, d: Dataset) => {
      const p = tf.tidy(() => (m.predict(tf.tensor2d(d.x, [d.count, 4])) as tf.Tensor).dataSync());
      let loss = 0;
      let right = 0;
      for (let s = 0; s < d.count; s++) {
        const row = Array.from(p.slice(s * 3, s * 3 + 3));
        loss -= Math.log(row[d.y[s]!]!);
        right += row.indexOf(Math.max(...row)) === d.y[s] ? 1 : 0;
      }
      return { loss: loss / d.count, accuracy: right / d.count };
    };
    for (const [path, i, m] of [["curve", 0, layersA], ["curve", 4, layersB], ["line", 0, layersA], ["line", 4, layersB]] as const) {
      for (const [set, d] of [["train", data], ["test", test]] as const) {
        const values = result[path][set]!;
        const want = own(m, d);
        expect(Math.abs(values.loss[i]! - want.loss)).toBeLessThan(1e-5 * want.loss);
        expect(values.accuracy[i]).toBe(want.accuracy);
      }
    }
    // Inside, the bent curve is not the line.
    expect(result.curve.train.loss[2]).not.toBeCloseTo(result.line.train.loss[2]!, 3);
    expect(result.barriers.line.trainLoss).toBeCloseTo(Math.max(...result.line.train.loss) - (result.line.train.loss[0]! + result.line.train.loss[4]!) / 2, 12);
    expect(result.batchNormRecomputed).toBe(false);
  });

  it("training moves the bends only, reports progress and checkpoints, and stops when cancelled", async () => {
    const ends = await mlpPair();
    const a0 = ends.a.map((w) => new Float32Array(w));
    const data = randomDataset(64, [4], 3, 8);
    const progress: number[] = [];
    const checkpoints: number[] = [];
    const { curve, steps } = await trainCurve(ends, data, { epochs: 3, batchSize: 16, learningRate: 0.05 }, {
      onProgress: (s, total) => progress.push(s / total),
      onCheckpoint: (s) => void checkpoints.push(s),
    });
    expect(steps).toBe(12);
    expect(progress.at(-1)).toBe(1);
    expect(checkpoints).toEqual([4, 8, 12]);
    expect(ends.a).toEqual(a0);
    const start = initialBends(ends.a, ends.b, 1, [true, true, true, true]);
    expect(curve.bends[0]![0]).not.toEqual(start[0]![0]);
    const controller = new AbortController();
    controller.abort();
    await expect(trainCurve(ends, data, { epochs: 1 }, { signal: controller.signal })).rejects.toBeInstanceOf(SurfaceCancelledError);
  });

  it("refuses two architectures and bad options with a message", async () => {
    const a = await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 1)));
    const other = await modelFromArtifacts(await artifactsOf(buildMlp([4, 8, 3], 1)));
    expect(() => curveEndpoints(a, other)).toThrow(EngineInputError);
    const ends = curveEndpoints(a, a);
    await expect(trainCurve(ends, randomDataset(8, [4], 3), { bends: 9 })).rejects.toThrow(/bends must be from 1 to/);
  });
});

describe("a bend as files", () => {
  it("is a model of the endpoints' format that reads back to the same weights (TF.js Layers and ONNX)", async () => {
    const layers = await mlpPair();
    const onnxFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "curves", "a.onnx");
    const onnx = await loadModel(onnxFile);
    for (const model of [layers.model, onnx]) {
      const bend = model.theta.map((w, i) => Float32Array.from(w, (v, e) => v + 0.01 * (i + 1) * Math.cos(e)));
      const files = encodeCurveBend(model, bend, { bend: 1 });
      expect([...files.keys()]).toEqual(model.onnx ? ["model.onnx"] : ["model.json", "weights.bin"]);
      const back = await readCurveBend(files, model);
      for (let i = 0; i < bend.length; i++) expect(Array.from(back[i]!)).toEqual(Array.from(bend[i]!));
    }
  });
});
