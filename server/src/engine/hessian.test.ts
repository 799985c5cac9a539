import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { type Dataset, loadDataset, prepareData } from "./data.js";
import { loadDirection, randomDirection } from "./directions.js";
import { conv2dFilterGradient, dot, EigenRatioEvaluator, extremeEigenvalues, HessianOperator, hutchinsonTrace, eigenDensity, MAP_TOLERANCE, modelCurvature, tridiagonalEigen } from "./hessian.js";
import { parseLoss } from "./loss.js";
import { loadModel, type LoadedModel, modelFromArtifacts } from "./network.js";
import { parseNpy } from "./npy.js";
import { toEngineLayout } from "./onnx/translate.js";
import { SeededRandom } from "./rng.js";
import { artifactsOf, buildCnn, buildMlp, randomDataset } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/** Eigenvalues of a symmetric matrix (row-major, n x n) by cyclic Jacobi rotations, ascending. */
function jacobiEigenvalues(matrix: Float64Array, n: number): number[] {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]!).sort((x, y) => x - y);
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Linear regression y = x.w + c with MSE: H = 2 Xa^T Xa / N over (w, c), Xa = [X, 1]. */
async function linearRegression(): Promise<{ model: LoadedModel; data: Dataset; hessian: Float64Array }> {
  const model = await modelFromArtifacts(await artifactsOf(buildMlp([3, 1], 4, "linear"), "mse"));
  const rng = new SeededRandom(5, 1);
  const n = 300;
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Correlated, unequally scaled features: distinct eigenvalues.
    const g = [rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()];
    x[i * 3] = 2 * g[0]! + 0.3;
    x[i * 3 + 1] = g[0]! + 0.5 * g[1]!;
    x[i * 3 + 2] = 0.6 * g[2]! - 0.1;
    y[i] = 0.7 * x[i * 3]! - 1.3 * x[i * 3 + 1]! + 0.2 * x[i * 3 + 2]! + 0.5 + 0.3 * rng.nextGaussian();
  }
  const d = 4;
  const hessian = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const xa = [x[i * 3]!, x[i * 3 + 1]!, x[i * 3 + 2]!, 1];
    for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) hessian[p * d + q] = hessian[p * d + q]! + (2 * xa[p]! * xa[q]!) / n;
  }
  return { model, data: { name: "linear", count: n, x, sampleShape: [3], y, targetShape: [] }, hessian };
}

/**
 * A tanh MLP 4-6-3 with softmax and cross-entropy, evaluated independently in float64: its
 * gradient by hand-written backpropagation, its Hessian by central differences of that gradient.
 * Parameters in the model's order: W1 [4,6], b1 [6], W2 [6,3], b2 [3].
 */
function mlpGradient64(theta: Float64Array, x: Float32Array, labels: Float32Array, n: number): Float64Array {
  const [I, H, C] = [4, 6, 3];
  const W1 = 0;
  const b1 = W1 + I * H;
  const W2 = b1 + H;
  const b2 = W2 + H * C;
  const g = new Float64Array(theta.length);
  for (let s = 0; s < n; s++) {
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let z = theta[b1 + j]!;
      for (let i = 0; i < I; i++) z += x[s * I + i]! * theta[W1 + i * H + j]!;
      h[j] = Math.tanh(z);
    }
    const logits = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      let z = theta[b2 + c]!;
      for (let j = 0; j < H; j++) z += h[j]! * theta[W2 + j * C + c]!;
      logits[c] = z;
    }
    const m = Math.max(...logits);
    const e = logits.map((z) => Math.exp(z - m));
    const sum = e.reduce((a, b) => a + b, 0);
    const dz = e.map((v, c) => v / sum - (c === labels[s] ? 1 : 0));
    const dh = new Float64Array(H);
    for (let c = 0; c < C; c++) {
      g[b2 + c] = g[b2 + c]! + dz[c]! / n;
      for (let j = 0; j < H; j++) {
        g[W2 + j * C + c] = g[W2 + j * C + c]! + (h[j]! * dz[c]!) / n;
        dh[j] = dh[j]! + theta[W2 + j * C + c]! * dz[c]!;
      }
    }
    for (let j = 0; j < H; j++) {
      const da = dh[j]! * (1 - h[j]! * h[j]!);
      g[b1 + j] = g[b1 + j]! + da / n;
      for (let i = 0; i < I; i++) g[W1 + i * H + j] = g[W1 + i * H + j]! + (x[s * I + i]! * da) / n;
    }
  }
  return g;
}

async function tanhMlp(): Promise<{ model: LoadedModel; data: Dataset; hessian: Float64Array; dimension: number }> {
  const layers = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [4], units: 6, activation: "tanh", kernelInitializer: tfl.initializers.glorotNormal({ seed: 11 }), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.3, seed: 12 }) }),
      tfl.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tfl.initializers.glorotNormal({ seed: 13 }), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.3, seed: 14 }) }),
    ],
  });
  const model = await modelFromArtifacts(await artifactsOf(layers, "sparse_categorical_crossentropy"));
  layers.dispose();
  const data = randomDataset(64, [4], 3, 21);
  const theta = Float64Array.from(model.theta.flatMap((t) => Array.from(t)));
  const d = theta.length;
  const hessian = new Float64Array(d * d);
  const h = 1e-5;
  for (let q = 0; q < d; q++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[q] = plus[q]! + h;
    minus[q] = minus[q]! - h;
    const gp = mlpGradient64(plus, data.x, data.y, data.count);
    const gm = mlpGradient64(minus, data.x, data.y, data.count);
    for (let p = 0; p < d; p++) hessian[p * d + q] = (gp[p]! - gm[p]!) / (2 * h);
  }
  // Symmetrize the differences' last digits.
  for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) hessian[p * d + q] = hessian[q * d + p] = (hessian[p * d + q]! + hessian[q * d + p]!) / 2;
  return { model, data, hessian, dimension: d };
}

function matVec(m: Float64Array, v: Float64Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let q = 0; q < n; q++) s += m[p * n + q]! * v[q]!;
    out[p] = s;
  }
  return out;
}

function gaussianVector(n: number, seed: number): Float64Array {
  const rng = new SeededRandom(seed, 3);
  return Float64Array.from({ length: n }, () => rng.nextGaussian());
}

describe("Hessian of a linear regression (closed form H = 2 X^T X / N)", () => {
  it("matches its top eigenvalues and trace to 1e-4 relative (lambda_min and each H v to 1e-3)", async () => {
    const { model, data, hessian } = await linearRegression();
    const loss = parseLoss("mse");
    const op = HessianOperator.create(model, prepareData(model, data, loss), loss, { ignore: "none", batchSize: 128 });
    try {
      expect(op.dimension).toBe(4);
      const exact = jacobiEigenvalues(hessian, 4);
      const found = await extremeEigenvalues(op, 3);
      exact.slice().reverse().slice(0, 3).forEach((value, i) => expect(rel(found.top[i]!, value)).toBeLessThan(1e-4));
      // A quadratic has no truncation error: what is left is float32 rounding, about 1e-7 ||g|| / h
      // relative to ||H||, which Richardson's half step and weights (4/3, -1/3) enlarge a few times;
      // the smallest eigenvalue of this ill-conditioned H is where it shows.
      expect(rel(found.lambdaMin, exact[0]!)).toBeLessThan(1e-3);
      const trace = await hutchinsonTrace(op);
      expect(trace.exact).toBe(true);
      expect(rel(trace.trace, exact.reduce((a, b) => a + b, 0))).toBeLessThan(1e-4);
      // Each HVP against the closed form.
      for (let s = 0; s < 3; s++) {
        const v = gaussianVector(4, s);
        const hv = op.hvp(v);
        const want = matVec(hessian, v);
        const err = Math.sqrt(dot(hv.map((x, k) => x - want[k]!), hv.map((x, k) => x - want[k]!)));
        expect(err / Math.sqrt(dot(want, want))).toBeLessThan(1e-3); // float32 rounding, as for lambda_min
      }
    } finally {
      op.dispose();
    }
  });

  it("takes the Hessian over the kernels only under --ignore biasbn", async () => {
    const { model, data, hessian } = await linearRegression();
    const loss = parseLoss("mse");
    const op = HessianOperator.create(model, prepareData(model, data, loss), loss);
    try {
      expect(op.dimension).toBe(3);
      const sub = new Float64Array(9);
      for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) sub[p * 3 + q] = hessian[p * 4 + q]!;
      const exact = jacobiEigenvalues(sub, 3);
      expect(rel((await extremeEigenvalues(op, 1)).top[0]!, exact[2]!)).toBeLessThan(1e-4);
    } finally {
      op.dispose();
    }
  });
});

describe("Hessian of a small MLP against an independent float64 Hessian", () => {
  it("gives HVPs, the top-3 eigenvalues, lambda_min and the trace", async () => {
    const { model, data, hessian, dimension } = await tanhMlp();
    const loss = parseLoss("sparse_categorical_crossentropy");
    const op = HessianOperator.create(model, prepareData(model, data, loss), loss, { ignore: "none" });
    try {
      expect(op.dimension).toBe(dimension);
      // Each HVP against H v of the float64 Hessian (itself finite differences of an exact float64 gradient).
      for (let s = 0; s < 4; s++) {
        const v = gaussianVector(dimension, 10 + s);
        const hv = op.hvp(v);
        const want = matVec(hessian, v);
        const diff = hv.map((x, k) => x - want[k]!);
        expect(Math.sqrt(dot(diff, diff) / dot(want, want))).toBeLessThan(1e-3);
      }
      const exact = jacobiEigenvalues(hessian, dimension);
      const found = await extremeEigenvalues(op, 3);
      const top3 = exact.slice().reverse().slice(0, 3);
      top3.forEach((value, i) => expect(rel(found.top[i]!, value)).toBeLessThan(1e-3));
      expect(exact[0]!).toBeLessThan(0); // cross-entropy of a tanh net away from a minimum: indefinite
      expect(rel(found.lambdaMin, exact[0]!)).toBeLessThan(1e-3);
      const traceExact = exact.reduce((a, b) => a + b, 0);
      const hutchinson = await hutchinsonTrace(op, { probes: 40, seed: 3 });
      expect(hutchinson.exact).toBe(false);
      expect(hutchinson.standardError).toBeGreaterThan(0);
      expect(Math.abs(hutchinson.trace - traceExact)).toBeLessThan(4 * hutchinson.standardError);
      // SLQ: weights are a probability distribution over Ritz values inside the spectrum.
      const density = await eigenDensity(op, { runs: 2, steps: 20 });
      expect(density.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(Math.min(...density.nodes)).toBeGreaterThan(exact[0]! - 1e-3 * Math.abs(exact[0]!) - 1e-6);
      expect(Math.max(...density.nodes)).toBeLessThan(exact[dimension - 1]! * (1 + 1e-3));
    } finally {
      op.dispose();
    }
  });

  it("agrees with itself: symmetric HVPs, seeded results, no tensors left", async () => {
    const { model, data } = await tanhMlp();
    const loss = parseLoss("sparse_categorical_crossentropy");
    const prepared = prepareData(model, data, loss);
    const before = tf.memory().numTensors;
    const a = await modelCurvature(model, prepared, loss, { topK: 2, traceProbes: 5, densityRuns: 1, densitySteps: 8 });
    const b = await modelCurvature(model, prepared, loss, { topK: 2, traceProbes: 5, densityRuns: 1, densitySteps: 8 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.eigenvalues.top).toEqual(b.eigenvalues.top);
    expect(a.trace!.trace).toBe(b.trace!.trace);
    expect(a.method).toBe("Richardson-extrapolated central differences of exact gradients");
    expect(a.scheme).toBe("richardson");
    expect(a.gradients).toBe(4 * a.hvps);
    expect(a.errorEstimate).toBeGreaterThan(0);
  });
});

describe("tridiagonal eigenproblem", () => {
  it("agrees with Jacobi on a random tridiagonal matrix", () => {
    const rng = new SeededRandom(4, 0);
    const n = 12;
    const alpha = Array.from({ length: n }, () => rng.nextGaussian());
    const beta = Array.from({ length: n - 1 }, () => rng.nextGaussian());
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) m[i * n + i] = alpha[i]!;
    for (let i = 0; i < n - 1; i++) m[i * n + i + 1] = m[(i + 1) * n + i] = beta[i]!;
    const { values, first } = tridiagonalEigen(alpha, beta);
    jacobiEigenvalues(m, n).forEach((v, i) => expect(values[i]!).toBeCloseTo(v, 10));
    expect(first.reduce((a, z) => a + z * z, 0)).toBeCloseTo(1, 10);
  });
});

describe("convolutions on the WebAssembly backend", () => {
  /** dW[p, q, i, o] = sum_{b, r, c} xpad[b, s r + p, s c + q, i] dy[b, r, c, o], in float64 loops. */
  function filterGradient64(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number, pad: "valid" | "same"): Float64Array {
    const [B, H, W, Ci] = x.shape;
    const [, OH, OW, Co] = dy.shape;
    const xv = x.dataSync();
    const dv = dy.dataSync();
    const top = pad === "same" ? Math.floor(Math.max((OH - 1) * stride + k - H, 0) / 2) : 0;
    const left = pad === "same" ? Math.floor(Math.max((OW - 1) * stride + k - W, 0) / 2) : 0;
    const out = new Float64Array(k * k * Ci * Co);
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) for (let i = 0; i < Ci; i++) for (let o = 0; o < Co; o++) {
      let s = 0;
      for (let b = 0; b < B; b++) for (let r = 0; r < OH; r++) for (let c = 0; c < OW; c++) {
        const hi = stride * r + p - top;
        const wi = stride * c + q - left;
        if (hi < 0 || hi >= H || wi < 0 || wi >= W) continue;
        s += xv[((b * H + hi) * W + wi) * Ci + i]! * dv[((b * OH + r) * OW + c) * Co + o]!;
      }
      out[((p * k + q) * Ci + i) * Co + o] = s;
    }
    return out;
  }

  it.each([[1, "valid"], [1, "same"], [2, "same"], [2, "valid"]] as const)("computes the filter gradient as a convolution (stride %i, %s)", (stride, pad) => {
    const x = tf.randomNormal([2, 7, 6, 3], 0, 1, "float32", 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, "float32", 2);
    const y = tf.conv2d(x, w as tf.Tensor4D, stride, pad);
    const dy = tf.randomNormal(y.shape, 0, 1, "float32", 3) as tf.Tensor4D;
    const got = conv2dFilterGradient(x, dy, w.shape, [stride, stride], pad);
    expect(got.shape).toEqual(w.shape);
    const want = filterGradient64(x, dy, 3, stride, pad);
    const values = got.dataSync();
    for (let k = 0; k < want.length; k++) expect(Math.abs(values[k]! - want[k]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[k]!)));
    tf.dispose([x, w, y, dy, got]);
  });

  it("takes HVPs of a CNN (symmetric: u.Hv = v.Hu) and eigen-ratio values on a plane", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildCnn(2, 3, 1), "sparse_categorical_crossentropy"));
    const data = randomDataset(40, [28, 28, 1], 10, 5);
    const loss = parseLoss("sparse_categorical_crossentropy");
    const prepared = prepareData(model, data, loss);
    const op = HessianOperator.create(model, prepared, loss);
    try {
      expect(op.convGradient).toBe("as a convolution");
      const u = gaussianVector(op.dimension, 1);
      const v = gaussianVector(op.dimension, 2);
      const uhv = dot(u, op.hvp(v));
      const vhu = dot(v, op.hvp(u));
      expect(Math.abs(uhv - vhu)).toBeLessThan(1e-3 * Math.max(Math.abs(uhv), Math.abs(vhu)));
    } finally {
      op.dispose();
    }
    const dx = randomDirection(model, { seed: 0 }, 0);
    const dy = randomDirection(model, { seed: 0 }, 1);
    const evaluator = EigenRatioEvaluator.create(model, prepared, loss, { origin: model.theta, dx, dy }, { steps: 6 });
    try {
      const values = await evaluator.evaluate(Float64Array.from([0, 0, 0.5, -0.5]));
      expect(values.hvps).toBe(values.steps[0]! + values.steps[1]!);
      expect(Math.max(...values.steps)).toBeLessThanOrEqual(6);
      for (let p = 0; p < 2; p++) {
        expect(values.lambdaMax[p]!).toBeGreaterThan(0);
        expect(values.lambdaMin[p]!).toBeLessThanOrEqual(values.lambdaMax[p]!);
        expect(values.ratio[p]).toBeCloseTo(Math.abs(values.lambdaMin[p]! / values.lambdaMax[p]!), 12);
      }
      // The same point evaluated again (another tile, another worker) gives the same values.
      expect((await evaluator.evaluate(Float64Array.from([0.5, -0.5]))).lambdaMax[0]).toBe(values.lambdaMax[1]);
    } finally {
      evaluator.dispose();
    }
  });
});

/**
 * Against float64 PyTorch (double back-propagation, eval mode, the weight tensors only), made by
 * scripts/make-hessian-fixtures.py: an MLP with BatchNorm (11,840 weights) and a CNN with max
 * pooling (2,664 weights), both exported to ONNX as the README documents.
 */
describe("Hessian against float64 PyTorch", () => {
  const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "hessian");
  interface Point { a: number; b: number; lambdaMax: number; lambdaMin: number; ratio: number }
  const expected = JSON.parse(readFileSync(path.join(DIR, "expected.json"), "utf8")) as {
    models: Record<string, { dimension: number; top: number[]; lambdaMin: number; trace: number; zHz: number[]; points: Point[] }>;
  };

  async function fixture(name: string) {
    const model = await loadModel(path.join(DIR, `${name}.onnx`));
    const data = await loadDataset(`${path.join(DIR, `${name}.x.npy`)},${path.join(DIR, `${name}.y.npy`)}`);
    const loss = model.trainingLoss!;
    return { model, loss, prepared: prepareData(model, data, loss), want: expected.models[name]! };
  }

  /** The fixture's Rademacher probes (np.packbits rows, bit 1 meaning -1). */
  function probes(name: string, dimension: number): Float64Array[] {
    const packed = parseNpy(readFileSync(path.join(DIR, `${name}.probes.npy`)), "probes");
    const [rows, width] = packed.shape as [number, number];
    return Array.from({ length: rows }, (_, r) => Float64Array.from({ length: dimension }, (_, k) => ((packed.data[r * width + (k >> 3)]! >> (7 - (k & 7))) & 1 ? -1 : 1)));
  }

  /**
   * A flat vector in PyTorch's order (parameters in order, each tensor in its own C order) in the
   * engine's (kernels transposed to [in, out] and HWIO): the same permutation P for z and H z,
   * since the engine's Hessian is P H P^T.
   */
  function toEngineOrder(model: LoadedModel, indices: readonly number[], flat: ArrayLike<number>): Float64Array {
    const out = new Float64Array(flat.length);
    let offset = 0;
    for (const i of indices) {
      const size = model.params[i]!.size;
      out.set(toEngineLayout(Array.from({ length: size }, (_, k) => flat[offset + k]!), model.onnx!.layouts[i]!), offset);
      offset += size;
    }
    return out;
  }

  for (const name of ["mlp_bn", "cnn"]) {
    it(`${name}: the defaults give the top-5 eigenvalues, lambda_min and H z within 1e-3 of float64, and say how sure they are`, async () => {
      const { model, loss, prepared, want } = await fixture(name);
      const result = await modelCurvature(model, prepared, loss, { traceProbes: 0, densityRuns: 0 });
      expect(result.dimension).toBe(want.dimension);
      expect(result.eigenvalues.converged).toBe(true);
      want.top.forEach((value, i) => expect(rel(result.eigenvalues.top[i]!, value)).toBeLessThan(1e-3));
      expect(rel(result.eigenvalues.lambdaMin, want.lambdaMin)).toBeLessThan(1e-3);
      // The estimate (relative to the largest eigenvalue) is the truncation error of the half-step
      // difference: above the actual errors, measured on the same scale.
      const scale = Math.abs(want.top[0]!);
      const worst = Math.max(Math.abs(result.eigenvalues.lambdaMin - want.lambdaMin) / scale, ...want.top.map((value, i) => Math.abs(result.eigenvalues.top[i]! - value) / scale));
      expect(result.errorEstimate).not.toBeNull();
      expect(result.errorEstimate!).toBeGreaterThan(worst);
      expect(result.errorEstimate!).toBeLessThan(1e-2);
      // Each H z against PyTorch's (same flat order: parameters in order, each in C order), and
      // z.Hz over the fixture's probes: Hutchinson's trace estimate over the same probes.
      const op = HessianOperator.create(model, prepared, loss);
      try {
        const zs = probes(name, op.dimension).map((z) => toEngineOrder(model, op.paramIndices, z));
        const hz = toEngineOrder(model, op.paramIndices, parseNpy(readFileSync(path.join(DIR, `${name}.hz.npy`)), "hz").data);
        const got = op.hvp(zs[0]!);
        const diff = got.map((v, k) => v - hz[k]!);
        expect(Math.sqrt(dot(diff, diff) / dot(hz, hz))).toBeLessThan(1e-3);
        let sum = 0;
        for (const z of zs) sum += dot(z, op.hvp(z));
        const reference = want.zHz.reduce((a, b) => a + b, 0);
        expect(rel(sum / zs.length, reference / zs.length)).toBeLessThan(1e-3);
      } finally {
        op.dispose();
      }
    });
  }

  it("cnn: a single central difference at the old default step was over 1e-2 off (why Richardson is the default)", async () => {
    const { model, loss, prepared, want } = await fixture("cnn");
    const op = HessianOperator.create(model, prepared, loss, { scheme: "central", step: 1e-2 });
    try {
      const found = await extremeEigenvalues(op, 5);
      expect(op.errorEstimate).toBeNull();
      expect(op.gradients).toBe(2 * op.hvps);
      expect(Math.max(...want.top.map((value, i) => rel(found.top[i]!, value)))).toBeGreaterThan(1e-2);
    } finally {
      op.dispose();
    }
  });

  /** Within 2 tol of the converged float64 values (see mapPointConverged): what a converged point promises. */
  function expectClose(got: { lambdaMax: number; lambdaMin: number; ratio: number }, want: Point, tol: number): void {
    expect(rel(got.lambdaMax, want.lambdaMax)).toBeLessThan(tol);
    expect(Math.abs(got.lambdaMin - want.lambdaMin)).toBeLessThan(tol * Math.max(Math.abs(want.lambdaMin), 1e-2 * Math.abs(want.lambdaMax)));
    expect(Math.abs(got.ratio - want.ratio)).toBeLessThan(tol * Math.max(want.ratio, 1e-2));
  }

  for (const name of ["mlp_bn", "cnn"]) {
    it(`${name}: eigen-ratio map points are within 2e-2 of converged float64 values, or marked unconverged`, async () => {
      const { model, loss, prepared, want } = await fixture(name);
      const dx = await loadDirection(path.join(DIR, `${name}.dir-x.onnx`), model);
      const dy = await loadDirection(path.join(DIR, `${name}.dir-y.onnx`), model);
      const points = Float64Array.from(want.points.flatMap((p) => [p.a, p.b]));
      const evaluator = EigenRatioEvaluator.create(model, prepared, loss, { origin: model.theta, dx, dy });
      try {
        const values = await evaluator.evaluate(points);
        want.points.forEach((p, i) => {
          expect(values.steps[i]!).toBeLessThanOrEqual(evaluator.maxSteps);
          if (values.converged[i] === 1) expectClose({ lambdaMax: values.lambdaMax[i]!, lambdaMin: values.lambdaMin[i]!, ratio: values.ratio[i]! }, p, 2 * MAP_TOLERANCE);
          else expect(values.steps[i]).toBe(evaluator.maxSteps);
        });
        expect(values.converged.every((c) => c === 1)).toBe(true);
        expect(values.hvps).toBe(values.steps.reduce((a, b) => a + b, 0));
      } finally {
        evaluator.dispose();
      }
      // The old fixed 10 steps: |lambda_min| short by more than 2e-2 somewhere, and now marked.
      const capped = EigenRatioEvaluator.create(model, prepared, loss, { origin: model.theta, dx, dy }, { steps: 10 });
      try {
        const values = await capped.evaluate(points);
        const off = want.points.filter((p, i) => Math.abs(values.ratio[i]! - p.ratio) > 2e-2 * p.ratio);
        expect(off.length).toBeGreaterThan(0);
        want.points.forEach((p, i) => {
          if (values.converged[i] === 1) expectClose({ lambdaMax: values.lambdaMax[i]!, lambdaMin: values.lambdaMin[i]!, ratio: values.ratio[i]! }, p, 2 * MAP_TOLERANCE);
        });
      } finally {
        capped.dispose();
      }
    });
  }
});
