/**
 * `npm run bench`: how fast the engine computes surfaces, against the backend's own matmul peak
 * and against the naive way (setWeights + evaluate on a TF.js LayersModel at every point).
 * Not a test: it prints a table and, with `out`, writes the numbers as JSON.
 */
import fs from "node:fs/promises";
import os from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import {
  type BackendName, computeSurface, type Dataset, EigenRatioEvaluator, extremeEigenvalues, findCriticalPoints, HessianOperator, HVP_SCHEMES,
  type HvpScheme, type LoadedModel, loadDataset, type LossSpec, MAP_LANCZOS_STEPS, MAP_TOLERANCE, measureMatmulGflops, modelFromArtifacts,
  onnxArtifacts, parseLoss, prepareData, randomDirection, setLayersWeights, toLayersModel,
} from "../engine/index.js";
import { artifactsOf, buildCnn, buildImageCnn, buildMlp, randomDataset, resnet20Layers, resnet20Onnx } from "../engine/testing/index.js";

export interface BenchOptions {
  readonly backend: BackendName;
  /**
   * Processes for the parallel rows; default the machine's cores (no parallel rows on one core),
   * and 1 on tensorflow-gpu (processes would share the one device).
   */
  readonly workers?: number | undefined;
  /** Small grids, for a smoke run; default false. */
  readonly quick?: boolean;
  /**
   * Add the ResNet-20 rows (ONNX and its TF.js twin, 21x21 over 2,000 CIFAR-shaped samples; 3x3
   * over 200 with `quick`). Off by default: on the wasm backend of a 2-core machine each full row
   * takes about 51 minutes with two processes.
   */
  readonly resnet?: boolean;
  /**
   * What to run, out of BENCH_PARTS; default everything but "resnet" (which `resnet` adds). The
   * curvature rows use the MLP and the small CNN, built for them when not among the surface rows.
   */
  readonly parts?: readonly BenchPart[];
  /** Process counts of the surface rows; default 1 and `workers` (1 alone on one core). */
  readonly processes?: readonly number[];
  /** Naive points timed (after one untimed warm-up) and extrapolated to the grid; default 5. */
  readonly naivePoints?: number;
  readonly write: (line: string) => void;
  readonly progress?: (label: string, total: number) => { update(done: number): void; stop(): void };
  readonly out?: string;
}

/** The parts of the benchmark `--cases` chooses from: surface rows, then critical points and curvature. */
export const BENCH_PARTS = ["mlp", "cnn", "image-cnn", "resnet", "critical-points", "curvature"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchRow {
  readonly name: string;
  readonly grid: string;
  readonly samples: number;
  readonly processes: number;
  readonly seconds: number;
  readonly pointsPerSecond: number;
  readonly effectiveGflops: number;
  readonly matmulGflops: number;
  readonly naiveMsPerPoint: number;
  readonly speedup: number;
  readonly trickLayers: readonly string[];
}

interface Case {
  readonly name: string;
  readonly model: LoadedModel;
  readonly data: Dataset;
  readonly n: number;
  /** The TF.js model the naive way runs (an ONNX model's TF.js twin); default `model`. */
  readonly naiveModel?: LoadedModel;
  /** Default: sparse categorical cross-entropy of a softmax output. */
  readonly loss?: LossSpec;
}

/** Milliseconds per point of the naive approach: setWeights, then model.evaluate (batch size 32, TF.js' default). */
async function naiveMsPerPoint(given: Case, points: number): Promise<number> {
  const c = given.naiveModel ? { ...given, model: given.naiveModel } : given;
  const layersModel: tfl.LayersModel = await toLayersModel(c.model.artifacts);
  layersModel.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy" });
  const x = tf.tensor(c.data.x, [c.data.count, ...c.model.inputShape]);
  const y = tf.tensor2d(c.data.y, [c.data.count, 1]);
  const dx = randomDirection(c.model, { seed: 0 }, 0);
  const dy = randomDirection(c.model, { seed: 0 }, 1);
  const at = (a: number, b: number) => {
    const weights = c.model.theta.map((t, i) => {
      const w = new Float32Array(t.length);
      for (let k = 0; k < t.length; k++) w[k] = t[k]! + a * dx[i]![k]! + b * dy[i]![k]!;
      return w;
    });
    setLayersWeights(layersModel, c.model, weights);
    const result = layersModel.evaluate(x, y) as tf.Scalar;
    result.dataSync();
    result.dispose();
  };
  try {
    at(0.1, 0.1);
    const start = performance.now();
    for (let p = 0; p < points; p++) at(-0.5 + p * 0.1, 0.3);
    return (performance.now() - start) / points;
  } finally {
    x.dispose();
    y.dispose();
    layersModel.dispose();
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

/** Runs the benchmark cases and prints the table; returns its rows. */
export async function runBenchmark(options: BenchOptions): Promise<BenchRow[]> {
  const { write } = options;
  const cores = os.availableParallelism();
  const parallel = options.workers ?? (options.backend === "tensorflow-gpu" ? 1 : cores);
  const quick = options.quick === true;
  const loss = parseLoss("sparse_categorical_crossentropy");
  write(`Loss Atlas engine benchmark: backend ${options.backend}, ${cores} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
  const parts = new Set<BenchPart>(options.parts ?? BENCH_PARTS.filter((p) => p !== "resnet" || options.resnet === true));
  const mlp = async (): Promise<Case> => ({ name: "MLP 784-128-64-10", model: await modelFromArtifacts(await artifactsOf(buildMlp([784, 128, 64, 10]), loss.name)), data: await loadDataset("builtin:mnist"), n: quick ? 11 : 51 });
  const cnn = async (): Promise<Case> => ({ name: "CNN c8-c16-d10 28x28x1", model: await modelFromArtifacts(await artifactsOf(buildCnn(8, 16), loss.name)), data: await loadDataset("builtin:mnist", { samples: 2000, sampleSeed: 0 }), n: quick ? 7 : 21 });
  const mlpCase = parts.has("mlp") ? await mlp() : undefined;
  const cnnCase = parts.has("cnn") ? await cnn() : undefined;
  const cases: Case[] = [
    ...(mlpCase ? [mlpCase] : []),
    ...(cnnCase ? [cnnCase] : []),
    // The CNN of `npm run bench:reference`: BatchNorm after each convolution, 2,000 seeded images.
    ...(parts.has("image-cnn") ? [{ name: "CNN c16-BN-c32-BN-GAP 32x32x3", model: await modelFromArtifacts(await artifactsOf(buildImageCnn(16, 32), loss.name)), data: randomDataset(2000, [32, 32, 3], 10, 3), n: quick ? 7 : 21 }] : []),
    ...(parts.has("resnet") ? await resnetCases(quick) : []),
  ];
  const counts = options.processes ?? (parallel > 1 ? [1, parallel] : [1]);
  const matmul = cases.length > 0 ? await measureMatmulGflops() : Number.NaN;
  if (cases.length > 0) write(`backend matmul (1024x1024x1024): ${matmul.toFixed(1)} GFLOP/s`);
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const naive = await naiveMsPerPoint(c, options.naivePoints ?? 5);
    for (const processes of counts) {
      const bar = options.progress?.(`${c.name}, ${processes} process${processes > 1 ? "es" : ""}`, c.n * c.n);
      const started = performance.now();
      const result = await computeSurface(c.model, c.data, { x: { min: -1, max: 1, count: c.n }, y: { min: -1, max: 1, count: c.n }, loss: c.loss ?? loss, workers: processes }, {
        onProgress: (p) => bar?.update(p.done),
      });
      bar?.stop();
      // Whole surface as the user waits for it: setup (directions, upload, worker start) included.
      const seconds = (performance.now() - started) / 1000;
      const points = c.n * c.n;
      const pointsPerSecond = points / seconds;
      rows.push({
        name: c.name, grid: `${c.n}x${c.n}`, samples: c.data.count, processes, seconds, pointsPerSecond,
        effectiveGflops: (c.model.flopsPerSample * c.data.count * pointsPerSecond) / 1e9,
        matmulGflops: matmul, naiveMsPerPoint: naive, speedup: naive / (1000 / pointsPerSecond), trickLayers: result.trickLayers,
      });
      // Each row as it ends, so an hours-long run that is stopped still leaves what it measured.
      write(`${c.name}, ${c.n}x${c.n} over ${c.data.count} samples, ${processes} process${processes > 1 ? "es" : ""}: ${seconds.toFixed(1)} s`);
    }
  }
  if (rows.length > 0) writeTable(rows, options);
  const criticalPoints = parts.has("critical-points") ? benchCriticalPoints(quick ? [501] : [1001, 2001], write) : [];
  const curvature = parts.has("curvature")
    ? await benchCurvature([(mlpCase ?? (await mlp())).model, (cnnCase ?? (await cnn())).model], quick, write, options.progress)
    : null;
  if (options.out) await fs.writeFile(options.out, JSON.stringify({ backend: options.backend, cores, rows, criticalPoints, curvature }, null, 2));
  return rows;
}

function writeTable(rows: readonly BenchRow[], options: BenchOptions): void {
  const { write } = options;
  const header = ["case", "grid", "samples", "procs", "seconds", "points/s", "eff. GFLOP/s", "matmul GFLOP/s", "naive ms/pt*", "speed-up", "first-layer trick"];
  const table = rows.map((r) => [
    r.name, r.grid, String(r.samples), String(r.processes), r.seconds.toFixed(1), r.pointsPerSecond.toFixed(r.pointsPerSecond < 10 ? 2 : 1),
    r.effectiveGflops.toFixed(1), r.matmulGflops.toFixed(1), r.naiveMsPerPoint.toFixed(0), `${r.speedup.toFixed(0)}x`, r.trickLayers.join(", ") || "none",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  write("");
  write(`| ${header.map((h, i) => pad(h, widths[i]!)).join(" | ")} |`);
  write(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of table) write(`| ${row.map((cell, i) => pad(cell, widths[i]!)).join(" | ")} |`);
  write("");
  write(`* naive: TF.js setWeights + evaluate (batch size 32, its default) per point, ${options.naivePoints ?? 5} points timed after one warm-up and extrapolated; one process.`);
  write("  seconds: the whole surface including setup; effective GFLOP/s: full forward-pass FLOPs per point (2 x multiply-adds) x points/s.");
}

/**
 * Critical points with their persistence on large grids (a paraboloid with noise, so there are
 * many points of tiny persistence): the grids the command line allows, far beyond a call stack.
 */
function benchCriticalPoints(sizes: readonly number[], write: (line: string) => void): { grid: string; seconds: number; points: number }[] {
  const out: { grid: string; seconds: number; points: number }[] = [];
  for (const n of sizes) {
    const xs = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
    const values = new Float64Array(n * n);
    let seed = 12345;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        values[j * n + i] = xs[i]! ** 2 + xs[j]! ** 2 + 1e-4 * (seed / 2147483648);
      }
    }
    const started = performance.now();
    const points = findCriticalPoints(values, xs, xs, { maxPoints: 2000 });
    const seconds = (performance.now() - started) / 1000;
    write(`critical points with persistence, ${n}x${n} grid: ${seconds.toFixed(2)} s (${points.length} most persistent kept)`);
    out.push({ grid: `${n}x${n}`, seconds, points: points.length });
  }
  return out;
}

/** Samples of the curvature rows (a seeded MNIST subset), and HVPs timed per model. */
export const CURVATURE_BENCH_SAMPLES = 500;

/** One HVP scheme's cost for the top-5 eigenvalues and lambda_min of one model. */
export interface SchemeCost {
  readonly model: string;
  readonly scheme: HvpScheme;
  readonly step: number;
  /** Lanczos steps (one HVP each) until the six values converged, or the cap. */
  readonly hvps: number;
  readonly gradients: number;
  /** Of the six (top 5 and lambda_min), those whose residual met the tolerance. */
  readonly converged: number;
  readonly hvpsPerConvergedEigenvalue: number | null;
  readonly seconds: number;
  readonly errorEstimate: number | null;
}

/**
 * Hessian-vector products per second at the benchmark's MLP and CNN (over CURVATURE_BENCH_SAMPLES
 * digits, after one untimed HVP), under each HVP scheme; what the top-5 eigenvalues and lambda_min
 * cost under each (HVPs per converged eigenvalue, seconds: the old single central difference at
 * 1e-2 against Richardson's default); and the time of an eigen-ratio map of the MLP: 21x21 points
 * (5x5 with `quick`), each run to MAP_TOLERANCE or MAP_LANCZOS_STEPS, one process.
 */
export async function benchCurvature(
  models: readonly LoadedModel[],
  quick: boolean,
  write: (line: string) => void,
  progress?: BenchOptions["progress"],
): Promise<{
  hvps: { model: string; scheme: HvpScheme; samples: number; hvpsPerSecond: number; dimension: number }[];
  schemes: SchemeCost[];
  map: { grid: string; samples: number; steps: number; tolerance: number; seconds: number; hvps: number; meanSteps: number; unconverged: number };
}> {
  const loss = parseLoss("sparse_categorical_crossentropy");
  const data = await loadDataset("builtin:mnist", { samples: CURVATURE_BENCH_SAMPLES, sampleSeed: 0 });
  const names = ["MLP 784-128-64-10", "CNN c8-c16-d10 28x28x1"];
  const hvps: { model: string; scheme: HvpScheme; samples: number; hvpsPerSecond: number; dimension: number }[] = [];
  const schemes: SchemeCost[] = [];
  write("");
  for (const [i, model] of models.entries()) {
    const name = names[i] ?? `model ${i}`;
    const prepared = prepareData(model, data, loss);
    for (const scheme of HVP_SCHEMES) {
      const op = HessianOperator.create(model, prepared, loss, { scheme });
      try {
        const v = Float64Array.from(randomDirection(model, { seed: 0 }, 0).flatMap((d, k) => (op.paramIndices.includes(k) ? Array.from(d) : [])));
        op.hvp(v);
        const timed = quick ? 3 : 10;
        const started = performance.now();
        for (let r = 0; r < timed; r++) op.hvp(v);
        const hvpsPerSecond = timed / ((performance.now() - started) / 1000);
        hvps.push({ model: name, scheme, samples: data.count, hvpsPerSecond, dimension: op.dimension });
        write(`Hessian-vector products (${scheme}, step ${op.step}), ${name}, ${data.count} samples, ${op.dimension} parameters: ${hvpsPerSecond.toFixed(2)}/s (${op.convGradient === "as a convolution" ? "conv filter gradients as convolutions" : "native gradients"})`);
      } finally {
        op.dispose();
      }
    }
    // The top 5 and lambda_min under each scheme, to the engine's default tolerance (1e-4).
    for (const scheme of HVP_SCHEMES) {
      const op = HessianOperator.create(model, prepared, loss, { scheme });
      try {
        const started = performance.now();
        const eig = await extremeEigenvalues(op, 5);
        const seconds = (performance.now() - started) / 1000;
        const scale = Math.max(...eig.top.map(Math.abs), Math.abs(eig.lambdaMin));
        const converged = [...eig.topResiduals, eig.lambdaMinResidual].filter((r) => r <= 1e-4 * scale).length;
        const row: SchemeCost = {
          model: name, scheme, step: op.step, hvps: op.hvps, gradients: op.gradients, converged,
          hvpsPerConvergedEigenvalue: converged === 0 ? null : op.hvps / converged, seconds, errorEstimate: op.errorEstimate,
        };
        schemes.push(row);
        write(`top-5 eigenvalues and lambda_min (${scheme}, step ${op.step}), ${name}: ${row.hvps} HVPs (${row.gradients} gradients), ${converged} of 6 converged` +
          `${row.hvpsPerConvergedEigenvalue === null ? "" : `, ${row.hvpsPerConvergedEigenvalue.toFixed(1)} HVPs per converged eigenvalue`}, ${seconds.toFixed(1)} s` +
          `${row.errorEstimate === null ? "" : `, error estimate ${row.errorEstimate.toExponential(1)}`}; lambda_1 ${eig.top[0]!.toPrecision(6)}, lambda_min ${eig.lambdaMin.toPrecision(6)}`);
      } finally {
        op.dispose();
      }
    }
  }
  const mlp = models[0]!;
  const n = quick ? 5 : 21;
  const prepared = prepareData(mlp, data, loss);
  const dx = randomDirection(mlp, { seed: 0 }, 0);
  const dy = randomDirection(mlp, { seed: 0 }, 1);
  const started = performance.now();
  const evaluator = EigenRatioEvaluator.create(mlp, prepared, loss, { origin: mlp.theta, dx, dy });
  const bar = progress?.(`eigen-ratio map ${n}x${n}`, n * n);
  let count = 0;
  let meanSteps = 0;
  let unconverged = 0;
  try {
    const points = new Float64Array(2 * n * n);
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
      points[2 * (j * n + k)] = -1 + (2 * k) / (n - 1);
      points[2 * (j * n + k) + 1] = -1 + (2 * j) / (n - 1);
    }
    const values = await evaluator.evaluate(points, (done) => bar?.update(done));
    count = values.hvps;
    meanSteps = values.steps.reduce((a, b) => a + b, 0) / values.steps.length;
    unconverged = values.converged.reduce((a, c) => a + (c === 1 ? 0 : 1), 0);
  } finally {
    bar?.stop();
    evaluator.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  write(`eigen-ratio map of the MLP, ${n}x${n} points, each to tolerance ${MAP_TOLERANCE} or ${MAP_LANCZOS_STEPS} Lanczos steps (${meanSteps.toFixed(1)} on average, ${unconverged} unconverged), ${data.count} samples, one process: ${seconds.toFixed(1)} s (${count} HVPs, ${(count / seconds).toFixed(2)}/s)`);
  return { hvps, schemes, map: { grid: `${n}x${n}`, samples: data.count, steps: MAP_LANCZOS_STEPS, tolerance: MAP_TOLERANCE, seconds, hvps: count, meanSteps, unconverged } };
}

/**
 * The same ResNet-20-style CIFAR network (3x32x32, BatchNorm, 0.27 M parameters) read from ONNX
 * and as its TF.js Layers twin, on 2,000 CIFAR-shaped samples (Gaussian pixels, stored channels-last
 * for both, so neither row pays a transpose): the ONNX path against the TF.js path.
 */
async function resnetCases(quick: boolean): Promise<Case[]> {
  const data = randomDataset(quick ? 200 : 2000, [32, 32, 3], 10, 5);
  const twin = resnet20Layers(1);
  let twinModel: LoadedModel;
  try {
    twinModel = await modelFromArtifacts(await artifactsOf(twin, "sparse_categorical_crossentropy"));
  } finally {
    twin.dispose();
  }
  const onnx = await modelFromArtifacts(onnxArtifacts(resnet20Onnx(1)));
  const n = quick ? 3 : 21;
  const loss = parseLoss("sparse_categorical_crossentropy", true);
  return [
    { name: "ResNet-20 CIFAR 3x32x32, ONNX", model: onnx, data: { ...data, channelsLast: true }, n, naiveModel: twinModel, loss },
    { name: "ResNet-20 CIFAR 3x32x32, TF.js twin", model: twinModel, data, n, loss },
  ];
}
