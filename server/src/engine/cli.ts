/**
 * `lossatlas surface`, `lossatlas pca` and `lossatlas bench`: the engine's command line.
 * Bad input ends in a StartupError (one line, exit 1); progress goes to stderr, results to files.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { StartupError } from "../errors.js";
import { BACKEND_REQUESTS, type BackendRequest, initBackend } from "./backend.js";
import { BENCH_PARTS, type BenchPart, runBenchmark } from "./bench.js";
import { loadDataset } from "./data.js";
import { loadDirection, saveDirection } from "./directions.js";
import { EngineInputError, SurfaceCancelledError } from "./errors.js";
import { type Axis, axisValues, parseAxis } from "./grid.js";
import { readLayersArtifacts } from "./model-io.js";
import { loadModel, modelFromArtifacts, toLayersModel } from "./network.js";
import { pathAxes, pcaDirections } from "./pca.js";
import { ModelPositionError } from "./model-positions.js";
import { DEFAULT_RUNNING_STATS, FROZEN_MODES, type FrozenMode, IGNORE_MODES, type IgnoreMode, NORMALIZATIONS, type Normalization, RUNNING_STATS, type RunningStats } from "./options.js";
import { computeSurface, resolveLoss, surfacePlane, type SurfaceResult } from "./surface.js";
import { EigenRatioEvaluator, HVP_METHODS, HVP_SCHEMES, type HvpScheme, MAP_LANCZOS_STEPS, MAP_TOLERANCE, modelCurvature } from "./hessian.js";
import { type PreparedData, prepareData } from "./data.js";
import type { LossSpec } from "./loss.js";
import type { LoadedModel } from "./network.js";
import { type LayersFiles, type OnnxFiles, type TrainArgs, trainedFiles, trainLayersModel, type TrainResult, trainZooModel, type ZooSpec } from "./train.js";
import { trainNetwork } from "./train-network.js";

const SURFACE_USAGE = `Usage: lossatlas surface --model M [--model-b M2 [--model-c M3] [--running-stats move|hold-a|hold-b]] --data D --x min:max:count [--y min:max:count]
         [--dir-x DIR --dir-y DIR] [--norm filter|layer|weight|none] [--ignore biasbn|none] [--frozen move|still] [--orthogonalize]
         [--seed 0] [--loss NAME] [--label COLUMN] [--samples N] [--sample-seed 0] [--batch-size N]
         [--workers 1] [--backend auto|tensorflow-gpu|tensorflow|wasm|cpu] [--basin-threshold LOSS]
         [--first-layer-trick auto|always|never]
         [--min-persistence LOSS (default 1% of the loss range; 0 for every critical point)]
         --out surface.json [--save-directions DIR] [--channels-last]
  --model and --dir-x/--dir-y take TF.js Layers models (folder, model.json, .zip) or ONNX files (.onnx);
  an ONNX model's image data is NCHW unless --channels-last; its directions are saved as DIR/x.onnx, DIR/y.onnx.
  --running-stats  between models, BatchNorm's running mean and variance move with the weights (move, the default,
                   as the authors' --dir_type states) or stay model A's (hold-a) or model B's (hold-b) all along.`;
const PCA_USAGE = "Usage: lossatlas pca --checkpoints C1 C2 ... --final CF --out DIR [--ignore biasbn|none] [--backend auto]";

type Args = Map<string, string[]>;

/** Splits `--flag value ...` arguments; a flag may take several values (--checkpoints). */
function parseArgs(args: readonly string[], known: Record<string, "one" | "many" | "flag">, usage: string): Args {
  const out: Args = new Map();
  let current: string | null = null;
  for (const arg of args) {
    if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      const kind = known[name];
      if (kind === undefined) throw new StartupError(`unknown option --${name}\n${usage}`);
      if (out.has(name)) throw new StartupError(`--${name} is given twice`);
      out.set(name, inline === undefined ? [] : [inline]);
      current = kind === "flag" || inline !== undefined ? null : name;
      continue;
    }
    if (current === null) throw new StartupError(`unexpected argument "${arg}"\n${usage}`);
    const values = out.get(current)!;
    values.push(arg);
    if (known[current] === "one") current = null;
  }
  for (const [name, values] of out) {
    if (known[name] !== "flag" && values.length === 0) throw new StartupError(`--${name} needs a value`);
  }
  return out;
}

function one(args: Args, name: string): string | undefined {
  return args.get(name)?.[0];
}

function required(args: Args, name: string, usage: string): string {
  const v = one(args, name);
  if (v === undefined) throw new StartupError(`--${name} is required\n${usage}`);
  return v;
}

function integer(args: Args, name: string, fallback: number | undefined, min: number): number | undefined {
  const v = one(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new StartupError(`--${name} must be an integer of at least ${min} (got "${v}")`);
  return n;
}

function choice<T extends string>(args: Args, name: string, allowed: readonly T[], fallback: T): T {
  const v = one(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new StartupError(`--${name} must be one of ${allowed.join(", ")} (got "${v}")`);
  return v as T;
}

/** Turns NaN (accuracy of regression losses) into null, which JSON can hold. */
function rows(values: Float64Array, nx: number, ny: number): (number | null)[][] {
  return Array.from({ length: ny }, (_, j) => Array.from(values.subarray(j * nx, (j + 1) * nx), (v) => (Number.isFinite(v) ? v : null)));
}

/** The surface.json document: values as arrays of rows (loss[j][i] is at xs[i], ys[j]). */
export function surfaceDocument(result: SurfaceResult, options: Record<string, unknown>): Record<string, unknown> {
  const nx = result.xs.length;
  const ny = result.ys.length;
  return {
    format: "lossatlas-surface",
    version: 1,
    kind: result.kind,
    xs: [...result.xs],
    ys: [...result.ys],
    loss: rows(result.loss, nx, ny),
    accuracy: rows(result.accuracy, nx, ny),
    lossFunction: result.lossSpec,
    options,
    directions: { x: result.directionMetadata.x, y: result.directionMetadata.y, cosine: result.cosine },
    modelPositions: result.modelPositions,
    modelChecks: result.modelChecks,
    criticalPoints: result.criticalPoints,
    samples: result.samples,
    backend: result.backend,
    workers: result.workers,
    firstLayerTrick: result.trickLayers,
    movedTensors: result.movedTensors,
    notes: result.notes,
    timings: result.timings,
  };
}

function progressBar(label: string): SingleBar {
  return new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} points | {speed} points/s | ETA {eta_formatted}`,
    barsize: 30,
    hideCursor: process.stderr.isTTY === true,
    // Without a terminal (logs, CI) print a plain line every few seconds instead of redrawing.
    noTTYOutput: process.stderr.isTTY !== true,
    notTTYSchedule: 5000,
    etaBuffer: 50,
  });
}

async function startBackend(args: Args): Promise<string> {
  const request = choice<BackendRequest>(args, "backend", BACKEND_REQUESTS, "auto");
  return initBackend(request);
}

async function surfaceCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, {
    model: "one", "model-b": "one", "model-c": "one", data: "one", x: "one", y: "one", "dir-x": "one", "dir-y": "one",
    norm: "one", ignore: "one", frozen: "one", orthogonalize: "flag", seed: "one", loss: "one", label: "one", samples: "one",
    "sample-seed": "one", "batch-size": "one", workers: "one", backend: "one", out: "one", "save-directions": "one",
    "basin-threshold": "one", "min-persistence": "one", "first-layer-trick": "one", help: "flag", "channels-last": "flag",
    "running-stats": "one",
  }, SURFACE_USAGE);
  if (args.has("help")) {
    process.stdout.write(`${SURFACE_USAGE}\n`);
    return;
  }
  const modelPath = required(args, "model", SURFACE_USAGE);
  const dataSource = required(args, "data", SURFACE_USAGE);
  const out = required(args, "out", SURFACE_USAGE);
  const x: Axis = parseAxis(required(args, "x", SURFACE_USAGE), "--x");
  const yText = one(args, "y");
  const y = yText === undefined ? undefined : parseAxis(yText, "--y");
  const norm = choice<Normalization>(args, "norm", NORMALIZATIONS, "filter");
  const ignore = choice<IgnoreMode>(args, "ignore", IGNORE_MODES, "biasbn");
  const frozen = choice<FrozenMode>(args, "frozen", FROZEN_MODES, "move");
  const seed = integer(args, "seed", 0, -(2 ** 31))!;
  const samples = integer(args, "samples", undefined, 1);
  const sampleSeed = integer(args, "sample-seed", 0, -(2 ** 31))!;
  const batchSize = integer(args, "batch-size", undefined, 1);
  const workers = integer(args, "workers", 1, 1)!;
  const trick = choice(args, "first-layer-trick", ["auto", "always", "never"] as const, "auto");
  const thresholdText = one(args, "basin-threshold");
  const basinThreshold = thresholdText === undefined ? undefined : Number(thresholdText);
  if (basinThreshold !== undefined && !Number.isFinite(basinThreshold)) throw new StartupError(`--basin-threshold must be a number (got "${thresholdText}")`);
  const persistenceText = one(args, "min-persistence");
  const minPersistence = persistenceText === undefined ? undefined : Number(persistenceText);
  if (minPersistence !== undefined && !(Number.isFinite(minPersistence) && minPersistence >= 0)) throw new StartupError(`--min-persistence must be a number of at least 0 (got "${persistenceText}")`);
  if (args.has("model-c") && !args.has("model-b")) throw new StartupError("--model-c needs --model-b");
  if (args.has("running-stats") && !args.has("model-b")) throw new StartupError("--running-stats needs --model-b: it says what BatchNorm's statistics do between models");
  const runningStats = choice<RunningStats>(args, "running-stats", RUNNING_STATS, DEFAULT_RUNNING_STATS);
  if (args.has("dir-y") && !y) throw new StartupError("--dir-y needs --y");
  if (args.has("model-b") && (args.has("dir-x") || args.has("dir-y"))) throw new StartupError("--dir-x/--dir-y cannot be combined with --model-b: the models define the directions");

  const backend = await startBackend(args);
  const model = await loadModel(modelPath, `model "${modelPath}"`);
  const modelB = args.has("model-b") ? await loadModel(one(args, "model-b")!, `model B "${one(args, "model-b")}"`) : undefined;
  const modelC = args.has("model-c") ? await loadModel(one(args, "model-c")!, `model C "${one(args, "model-c")}"`) : undefined;
  const data = await loadDataset(dataSource, {
    ...(one(args, "label") === undefined ? {} : { label: one(args, "label")! }),
    ...(samples === undefined ? {} : { samples, sampleSeed }),
    ...(args.has("channels-last") ? { channelsLast: true } : {}),
  });
  const dx = args.has("dir-x") ? await loadDirection(one(args, "dir-x")!, model, `direction "${one(args, "dir-x")}"`) : undefined;
  const dy = args.has("dir-y") ? await loadDirection(one(args, "dir-y")!, model, `direction "${one(args, "dir-y")}"`) : undefined;

  const total = x.count * (y && (modelC || !modelB) ? y.count : 1);
  const bar = progressBar("surface");
  bar.start(total, 0, { speed: "0" });
  const started = performance.now();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: SurfaceResult;
  try {
    result = await computeSurface(model, data, {
      x, ...(y ? { y } : {}), ...(modelB ? { modelB, runningStats } : {}), ...(modelC ? { modelC } : {}),
      ...(one(args, "loss") === undefined ? {} : { loss: one(args, "loss")! }),
      ...(dx ? { dx } : {}), ...(dy ? { dy } : {}),
      directions: { seed, norm, ignore, frozen }, orthogonalize: args.has("orthogonalize"),
      workers, firstLayerTrick: trick, ...(batchSize === undefined ? {} : { batchSize }),
      ...(basinThreshold === undefined ? {} : { basinThreshold }),
      ...(minPersistence === undefined ? {} : { minPersistence }),
    }, {
      signal: controller.signal,
      onProgress: (p) => bar.update(p.done, { speed: (p.done / ((performance.now() - started) / 1000)).toFixed(1) }),
    });
  } catch (error) {
    if (error instanceof SurfaceCancelledError) throw new StartupError("surface computation cancelled");
    if (error instanceof ModelPositionError) throw new StartupError(error.message, { cause: error });
    throw error;
  } finally {
    bar.stop();
    process.off("SIGINT", onSigint);
  }

  const options = {
    model: modelPath, modelB: one(args, "model-b") ?? null, modelC: one(args, "model-c") ?? null, runningStats: modelB ? runningStats : null, data: dataSource,
    samples: samples ?? null, sampleSeed: samples === undefined ? null : sampleSeed, x, y: y ?? null,
    dirX: one(args, "dir-x") ?? null, dirY: one(args, "dir-y") ?? null, norm, ignore, frozen, seed, orthogonalize: args.has("orthogonalize"),
    loss: one(args, "loss") ?? null, workers, backend: one(args, "backend") ?? "auto", batchSize: batchSize ?? null,
  };
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await fs.writeFile(out, JSON.stringify(surfaceDocument(result, options)));
  const saveTo = one(args, "save-directions");
  if (saveTo) {
    await saveDirection(path.join(saveTo, "x"), model, result.dx, result.directionMetadata.x);
    if (result.dy && result.directionMetadata.y) await saveDirection(path.join(saveTo, "y"), model, result.dy, result.directionMetadata.y);
  }
  let best = 0;
  result.loss.forEach((v, k) => { if (v < result.loss[best]!) best = k; });
  const nx = result.xs.length;
  process.stderr.write(
    `surface: ${nx}x${result.ys.length} points in ${(result.timings.totalMs / 1000).toFixed(1)} s ` +
    `(${result.timings.pointsPerSecond.toFixed(1)} points/s, ${backend}, ${workers} process${workers > 1 ? "es" : ""}); ` +
    `lowest loss ${result.loss[best]!.toPrecision(5)} at (${result.xs[best % nx]!.toPrecision(3)}, ${result.ys[Math.floor(best / nx)]!.toPrecision(3)}); ` +
    `cosine(dx, dy) = ${result.cosine.toExponential(2)}; wrote ${out}\n`,
  );
  for (const check of result.modelChecks) {
    process.stderr.write(`model ${check.name} at (${check.x}, ${check.y}): loss ${check.loss.toPrecision(6)} on the surface, ${check.ownLoss.toPrecision(6)} alone\n`);
  }
  for (const p of result.modelPositions) {
    if (p.runningStatsOf) process.stderr.write(`model ${p.name}'s point holds its weights with model ${p.runningStatsOf}'s BatchNorm running statistics (--running-stats ${runningStats}): it is not model ${p.name}\n`);
  }
  writeNotes(result.notes);
}

/**
 * Prints what the user should know about a surface to the terminal, not only into the JSON: a
 * folded BatchNorm (the export dropped the layers a researcher may mean to study) comes first.
 */
export function writeNotes(notes: readonly string[]): void {
  const folded = (n: string) => /fold/i.test(n);
  for (const note of [...notes.filter(folded), ...notes.filter((n) => !folded(n))]) process.stderr.write(`note: ${note}\n`);
}

async function pcaCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { checkpoints: "many", final: "one", out: "one", ignore: "one", backend: "one", help: "flag" }, PCA_USAGE);
  if (args.has("help")) {
    process.stdout.write(`${PCA_USAGE}\n`);
    return;
  }
  const checkpoints = args.get("checkpoints");
  if (!checkpoints || checkpoints.length === 0) throw new StartupError(`--checkpoints is required\n${PCA_USAGE}`);
  const finalPath = required(args, "final", PCA_USAGE);
  const out = required(args, "out", PCA_USAGE);
  const ignore = choice<IgnoreMode>(args, "ignore", IGNORE_MODES, "biasbn");
  await startBackend(args);
  const final = await loadModel(finalPath, `final model "${finalPath}"`);
  const models = [];
  for (const c of checkpoints) models.push(await loadModel(c, `checkpoint "${c}"`));
  const pca = pcaDirections(final, models, ignore);
  await saveDirection(path.join(out, "x"), final, pca.dx, { axis: "x", kind: "pca", ignore, explainedVarianceRatio: pca.explainedVarianceRatio[0] });
  await saveDirection(path.join(out, "y"), final, pca.dy, { axis: "y", kind: "pca", ignore, explainedVarianceRatio: pca.explainedVarianceRatio[1] });
  // A grid that holds the whole path and the final model with a margin, for the follow-up command;
  // ends rounded outward to 3 significant digits.
  const fitted = pathAxes(pca.path);
  const round = (v: number, dir: "down" | "up") => {
    const unit = 10 ** (Math.floor(Math.log10(Math.abs(v) || 1)) - 2);
    return Number(((dir === "down" ? Math.floor(v / unit) : Math.ceil(v / unit)) * unit).toPrecision(3));
  };
  const range = (a: { min: number; max: number }) => `${round(a.min, "down")}:${round(a.max, "up")}:41`;
  const doc = {
    format: "lossatlas-pca",
    version: 1,
    final: finalPath,
    explainedVarianceRatio: pca.explainedVarianceRatio,
    ignore: pca.options.ignore,
    // Over the tensors the PCA covers: offPlane^2 + x^2 + y^2 = distance^2.
    path: [
      ...checkpoints.map((c, i) => ({ checkpoint: c, x: pca.path[i]!.x, y: pca.path[i]!.y, distance: pca.path[i]!.distance, offPlane: pca.path[i]!.offPlane })),
      { checkpoint: finalPath, x: 0, y: 0, distance: 0, offPlane: 0 },
    ],
    suggested: { x: range(fitted.x), y: range(fitted.y) },
    directions: final.onnx ? { x: path.join(out, "x.onnx"), y: path.join(out, "y.onnx") } : { x: path.join(out, "x"), y: path.join(out, "y") },
  };
  await fs.writeFile(path.join(out, "pca.json"), JSON.stringify(doc, null, 2));
  process.stderr.write(
    `pca: explained variance ${(pca.explainedVarianceRatio[0] * 100).toFixed(1)}% and ${(pca.explainedVarianceRatio[1] * 100).toFixed(1)}%; ` +
    `wrote ${doc.directions.x}, ${doc.directions.y} and ${path.join(out, "pca.json")}\n` +
    `next: lossatlas surface --model ${finalPath} --dir-x ${doc.directions.x} --dir-y ${doc.directions.y} --x ${doc.suggested.x} --y ${doc.suggested.y} --data ... --out surface.json\n`,
  );
}

const BENCH_USAGE = `Usage: lossatlas bench [--workers N] [--quick] [--naive-points 5] [--out bench.json] [--backend auto]
                      [--resnet] [--cases ${BENCH_PARTS.join(",")}] [--processes 1,2]
  --resnet     add the ResNet-20 rows (ONNX and its TF.js twin; hours on a CPU)
  --cases      run only these parts (default: all but resnet, which --resnet adds)
  --processes  process counts of the surface rows (default: 1 and --workers, which defaults to the cores)`;

/** A comma-separated list, each item checked by `parse` (which throws StartupError). */
function list<T>(args: Args, name: string, parse: (item: string) => T): T[] | undefined {
  const v = one(args, name);
  if (v === undefined) return undefined;
  const items = v.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new StartupError(`--${name} is a comma-separated list without empty items (got "${v}")`);
  return items.map(parse);
}

async function benchCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { workers: "one", quick: "flag", "naive-points": "one", out: "one", backend: "one", help: "flag", resnet: "flag", cases: "one", processes: "one" }, BENCH_USAGE);
  if (args.has("help")) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return;
  }
  const parts = list(args, "cases", (item) => {
    if (!(BENCH_PARTS as readonly string[]).includes(item)) throw new StartupError(`--cases: unknown part "${item}" (known: ${BENCH_PARTS.join(", ")})`);
    return item as BenchPart;
  });
  const processes = list(args, "processes", (item) => {
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new StartupError(`--processes: each count must be an integer from 1 to 64 (got "${item}")`);
    return n;
  });
  const backend = await startBackend(args);
  const out = one(args, "out");
  await runBenchmark({
    backend: backend as Exclude<BackendRequest, "auto">,
    workers: integer(args, "workers", undefined, 1),
    quick: args.has("quick"),
    resnet: args.has("resnet"),
    parts,
    processes,
    naivePoints: integer(args, "naive-points", 5, 1)!,
    write: (line) => process.stdout.write(`${line}\n`),
    progress: (label, total) => {
      const bar = progressBar(label);
      bar.start(total, 0, { speed: "0" });
      const started = performance.now();
      return {
        update: (done: number) => bar.update(done, { speed: (done / ((performance.now() - started) / 1000)).toFixed(1) }),
        stop: () => bar.stop(),
      };
    },
    ...(out === undefined ? {} : { out }),
  });
}

const TRAIN_USAGE = `Usage: lossatlas train --data D [--test D2] --out DIR [--arch mlp|cnn] [--depth 4] [--width 32] [--residual]
         [--channels 8,16] | [--model M (a TF.js Layers model, or an ONNX file m.onnx, to train from its weights)] [--channels-last]
         [--optimizer sgd|momentum|adam] [--lr 0.05] [--batch-size 32] [--weight-decay 0]
         [--epochs 5] [--seed 0] [--checkpoint-every STEPS] [--samples N] [--label COLUMN] [--backend auto]
  Writes DIR/final (the trained model), DIR/checkpoints/step-N (one per checkpoint) and DIR/curve.json.
  A TF.js model's folders hold model.json and its shard; an ONNX model's hold model.onnx, the same graph with the
  trained weights and BatchNorm running statistics (BatchNorm trains in training mode, with batch statistics, as
  PyTorch's model.train(); dropout is off). An ONNX model's image data is NCHW unless --channels-last.`;

async function trainCommand(argv: string[]): Promise<void> {
  if (argv.includes("--help")) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return;
  }
  const args = parseArgs(
    argv,
    {
      data: "one", test: "one", out: "one", arch: "one", depth: "one", width: "one", residual: "flag", channels: "one",
      optimizer: "one", lr: "one", "batch-size": "one", "weight-decay": "one", epochs: "one", seed: "one",
      "checkpoint-every": "one", samples: "one", label: "one", backend: "one", model: "one", "channels-last": "flag",
    },
    TRAIN_USAGE,
  );
  const out = required(args, "out", TRAIN_USAGE);
  const backend = (one(args, "backend") ?? "auto") as BackendRequest;
  if (!BACKEND_REQUESTS.includes(backend)) throw new StartupError(`--backend must be one of ${BACKEND_REQUESTS.join(", ")}`);
  await initBackend(backend);
  const label = one(args, "label");
  const samples = integer(args, "samples", undefined, 2);
  const seed = integer(args, "seed", 0, 0)!;
  const modelPath = one(args, "model");
  // An ONNX model trains over the engine's own steps (train-network.ts); a TF.js model with TF.js Layers.
  const artifacts = modelPath ? await readLayersArtifacts(modelPath, `model "${modelPath}"`) : null;
  const onnxModel = artifacts?.onnx !== undefined ? await modelFromArtifacts(artifacts, `model "${modelPath}"`) : null;
  if (args.has("channels-last") && !onnxModel) throw new StartupError("--channels-last applies to ONNX models (.onnx), whose image data is NCHW by default");
  const layout = args.has("channels-last") ? { channelsLast: true } : {};
  const data = await loadDataset(required(args, "data", TRAIN_USAGE), { ...(label ? { label } : {}), ...(samples ? { samples, sampleSeed: seed } : {}), ...layout });
  const testPath = one(args, "test");
  const test = testPath ? await loadDataset(testPath, { ...(label ? { label } : {}), ...layout }) : null;
  let classes = 0;
  for (const set of [data, test]) {
    if (!set) continue;
    for (const v of set.y) classes = Math.max(classes, v + 1);
  }
  const number = (name: string, fallback: number) => {
    const text = one(args, name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value)) throw new StartupError(`--${name} must be a number`);
    return value;
  };
  if (modelPath && ["arch", "depth", "width", "residual", "channels"].some((name) => args.has(name))) {
    throw new StartupError("--model trains that model as it is; leave out --arch, --depth, --width, --residual and --channels");
  }
  if (modelPath && !onnxModel && number("weight-decay", 0) > 0) throw new StartupError("--weight-decay applies to zoo and ONNX models; a TF.js model keeps the regularizers it was saved with");
  const arch = one(args, "arch") ?? "mlp";
  let spec: ZooSpec | { kind: "uploaded"; model: string };
  if (modelPath) {
    spec = { kind: "uploaded", model: modelPath };
  } else if (arch === "mlp") {
    spec = { kind: "mlp", depth: integer(args, "depth", 4, 1)!, width: integer(args, "width", 32, 1)!, residual: args.has("residual") };
  } else if (arch === "cnn") {
    const channels = (one(args, "channels") ?? "8,16").split(",").map(Number);
    if (channels.length !== 2 || channels.some((c) => !Number.isInteger(c) || c < 1)) throw new StartupError("--channels takes two filter counts, e.g. 8,16");
    spec = { kind: "cnn", channels: [channels[0]!, channels[1]!] };
  } else throw new StartupError("--arch must be mlp or cnn");
  // An ONNX classifier has as many classes as outputs, whether or not the data holds every label.
  if (onnxModel && onnxModel.outputShape.length === 1) classes = Math.max(classes, onnxModel.outputShape[0]!);
  const optimizer = one(args, "optimizer") ?? "sgd";
  if (optimizer !== "sgd" && optimizer !== "momentum" && optimizer !== "adam") throw new StartupError("--optimizer must be sgd, momentum or adam");
  const every = integer(args, "checkpoint-every", undefined, 1);
  const epochs = integer(args, "epochs", 5, 1)!;
  const bar = new SingleBar({ format: "training [{bar}] {percentage}% | step {value}/{total} | loss {loss}", stream: process.stderr, hideCursor: true });
  let started = false;
  await fs.mkdir(out, { recursive: true });
  const train = (...rest: TrainArgs<LayersFiles | OnnxFiles>): Promise<TrainResult<LayersFiles | OnnxFiles>> =>
    onnxModel
      ? trainNetwork(onnxModel, ...rest)
      : spec.kind === "uploaded"
        ? readLayersArtifacts(spec.model).then((artifacts) => toLayersModel(artifacts)).then((model) => trainLayersModel(model, ...rest))
        : trainZooModel(spec, ...rest);
  const result = await train(
    data,
    test,
    classes,
    {
      optimizer,
      learningRate: number("lr", 0.05),
      batchSize: integer(args, "batch-size", 32, 1)!,
      weightDecay: number("weight-decay", 0),
      epochs,
      seed,
      ...(every ? { checkpointEvery: every } : {}),
    },
    {
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0, { loss: "?" });
          started = true;
        }
        bar.update(done);
      },
      onCheckpoint: async (step, files, point) => {
        if (started) bar.update(step, { loss: point.trainLoss.toFixed(4) });
        const folder = path.join(out, "checkpoints", `step-${step}`);
        await fs.mkdir(folder, { recursive: true });
        for (const [name, bytes] of trainedFiles(files)) await fs.writeFile(path.join(folder, name), bytes);
      },
    },
  );
  if (started) bar.stop();
  const final = path.join(out, "final");
  await fs.mkdir(final, { recursive: true });
  for (const [name, bytes] of trainedFiles(result.final)) await fs.writeFile(path.join(final, name), bytes);
  await fs.writeFile(path.join(out, "curve.json"), `${JSON.stringify({ architecture: spec, steps: result.steps, curve: result.curve }, null, 2)}\n`);
  const last = result.curve.at(-1)!;
  process.stdout.write(
    `Trained ${result.steps} steps: train loss ${result.curve[0]!.trainLoss.toFixed(4)} -> ${last.trainLoss.toFixed(4)}, accuracy ${(last.trainAccuracy * 100).toFixed(1)}%` +
      `${last.testLoss === null ? "" : `, test loss ${last.testLoss.toFixed(4)}`}. Wrote ${final}, ${result.curve.length} checkpoints and curve.json in ${out}\n`,
  );
}

const HESSIAN_USAGE = `Usage: lossatlas hessian --model M --data D [--top-k 5] [--trace] [--density] [--out curvature.json]
         [--probes 30] [--runs 3] [--steps 30] [--ignore biasbn|none] [--frozen move|still] [--seed 0] [--loss NAME]
         [--label COLUMN] [--samples N] [--sample-seed 0] [--batch-size 2000] [--backend auto]
         [--scheme richardson|central] [--step 0.005 (richardson) | 0.01 (central)]
   or: lossatlas hessian --model M --data D --x min:max:count --y min:max:count --out map.json
         [--dir-x DIR --dir-y DIR] [--norm filter|layer|weight|none] [--map-steps 80] [--map-tolerance 0.01]
         [...the options above]
         (the eigen-ratio map: lambda_max, lambda_min and |lambda_min/lambda_max| at every point of the plane
          that \`lossatlas surface\` with the same --seed, --norm and --ignore evaluates; each point runs
          Lanczos until both extreme values meet --map-tolerance, up to --map-steps, and says whether it did)
   --scheme and --step are for experts: Richardson extrapolation (4 gradients per Hessian-vector product)
   is accurate to about 1e-4 on the models we checked; a single central difference (2 gradients) at 0.01
   was 1-2% off.`;

/** `lossatlas hessian`: top-k eigenvalues and lambda_min of the loss's Hessian at the model, optionally its trace and density. */
async function hessianCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, {
    model: "one", data: "one", "top-k": "one", trace: "flag", density: "flag", out: "one", probes: "one", runs: "one", steps: "one",
    ignore: "one", frozen: "one", seed: "one", loss: "one", label: "one", samples: "one", "sample-seed": "one", "batch-size": "one",
    step: "one", backend: "one", help: "flag", x: "one", y: "one", "dir-x": "one", "dir-y": "one", norm: "one", "map-steps": "one",
    "map-tolerance": "one", scheme: "one",
  }, HESSIAN_USAGE);
  if (args.has("help")) {
    process.stdout.write(`${HESSIAN_USAGE}\n`);
    return;
  }
  const modelPath = required(args, "model", HESSIAN_USAGE);
  const dataSource = required(args, "data", HESSIAN_USAGE);
  const topK = integer(args, "top-k", 5, 1)!;
  const probes = integer(args, "probes", 30, 2)!;
  const runs = integer(args, "runs", 3, 1)!;
  const steps = integer(args, "steps", 30, 2)!;
  const ignore = choice<IgnoreMode>(args, "ignore", IGNORE_MODES, "biasbn");
  const frozen = choice<FrozenMode>(args, "frozen", FROZEN_MODES, "move");
  const seed = integer(args, "seed", 0, -(2 ** 31))!;
  const samples = integer(args, "samples", undefined, 1);
  const sampleSeed = integer(args, "sample-seed", 0, -(2 ** 31))!;
  const batchSize = integer(args, "batch-size", undefined, 1);
  const stepText = one(args, "step");
  const step = stepText === undefined ? undefined : Number(stepText);
  if (step !== undefined && !(step > 0 && step < 1)) throw new StartupError(`--step must be a number between 0 and 1 (got "${stepText}")`);
  const scheme = choice<HvpScheme>(args, "scheme", HVP_SCHEMES, "richardson");
  const backend = await startBackend(args);
  const model = await loadModel(modelPath, `model "${modelPath}"`);
  const data = await loadDataset(dataSource, {
    ...(one(args, "label") === undefined ? {} : { label: one(args, "label")! }),
    ...(samples === undefined ? {} : { samples, sampleSeed }),
  });
  const loss = resolveLoss(model, one(args, "loss"));
  const prepared = prepareData(model, data, loss);
  if (args.has("x")) {
    await eigenRatioMapCommand(args, model, prepared, loss, { ignore, frozen, seed, step, scheme, batchSize, backend, modelPath, dataSource, samples, sampleSeed });
    return;
  }
  const bar = new SingleBar({
    stream: process.stderr,
    format: "hessian [{bar}] {percentage}% | {value}/{total} Hessian-vector products | ETA {eta_formatted}",
    barsize: 30,
    hideCursor: process.stderr.isTTY === true,
    noTTYOutput: process.stderr.isTTY !== true,
    notTTYSchedule: 5000,
  });
  let started = false;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: Awaited<ReturnType<typeof modelCurvature>>;
  try {
    result = await modelCurvature(model, prepared, loss, {
      topK, ignore, frozen, seed, scheme, traceProbes: args.has("trace") ? probes : 0, densityRuns: args.has("density") ? runs : 0, densitySteps: steps,
      ...(batchSize === undefined ? {} : { batchSize }), ...(step === undefined ? {} : { step }),
    }, {
      signal: controller.signal,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.setTotal(total);
        bar.update(done);
      },
    });
  } catch (error) {
    if (error instanceof SurfaceCancelledError) throw new StartupError("Hessian computation cancelled");
    throw error;
  } finally {
    if (started) bar.stop();
    process.off("SIGINT", onSigint);
  }
  const e = result.eigenvalues;
  const lines = [
    `Hessian of the ${loss.name} loss over ${result.samples} samples, ${result.dimension} parameters (--ignore ${ignore}), ${backend} backend` +
      `${result.convGradient === "as a convolution" ? " (convolution filter gradients computed as convolutions)" : ""}`,
    `top ${e.top.length} eigenvalues: ${e.top.map((v) => v.toPrecision(6)).join(", ")}`,
    `lambda_min: ${e.lambdaMin.toPrecision(6)}   |lambda_min / lambda_max|: ${Math.abs(e.lambdaMin / e.top[0]!).toPrecision(4)}`,
    ...(result.trace ? [`trace: ${result.trace.trace.toPrecision(6)} ${result.trace.exact ? "(exact)" : `± ${result.trace.standardError.toPrecision(3)} (Hutchinson, ${result.trace.probes} probes)`}`] : []),
    ...(result.density ? [`density: ${result.density.nodes.length} quadrature nodes from ${result.density.runs} runs of ${result.density.steps} Lanczos steps`] : []),
    `${result.hvps} Hessian-vector products (${result.method}, step ${result.step} x ||theta||, ${result.gradients} gradients) in ${result.seconds.toFixed(1)} s, ${result.hvpsPerSecond.toFixed(2)} per second`,
    result.errorEstimate === null
      ? "error estimate: none (a single central difference has no estimate of its own; --scheme richardson gives one)"
      : `error estimate of the Hessian-vector products: ${result.errorEstimate.toExponential(1)} of lambda_max (an upper estimate; eigenvalues are off by about that much times lambda_max at most)`,
    ...(e.converged ? [] : [`warning: Lanczos stopped at ${e.steps} steps before every value met its tolerance (residuals: top ${e.topResiduals.map((r) => r.toExponential(1)).join(", ")}; lambda_min ${e.lambdaMinResidual.toExponential(1)})`]),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const out = one(args, "out");
  if (out) {
    await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await fs.writeFile(out, JSON.stringify({ model: modelPath, data: dataSource, loss: loss.name, sampleSeed: samples === undefined ? null : sampleSeed, ...result }));
  }
}

/** The eigen-ratio map of `lossatlas hessian --x ... --y ...` (Li et al. 2018, Figure 7). */
async function eigenRatioMapCommand(
  args: Args,
  model: LoadedModel,
  prepared: PreparedData,
  loss: LossSpec,
  o: { ignore: IgnoreMode; frozen: FrozenMode; seed: number; step: number | undefined; scheme: HvpScheme; batchSize: number | undefined; backend: string; modelPath: string; dataSource: string; samples: number | undefined; sampleSeed: number },
): Promise<void> {
  const out = required(args, "out", HESSIAN_USAGE);
  const x = parseAxis(required(args, "x", HESSIAN_USAGE), "--x");
  const y = parseAxis(required(args, "y", HESSIAN_USAGE), "--y");
  const norm = choice<Normalization>(args, "norm", NORMALIZATIONS, "filter");
  const mapSteps = integer(args, "map-steps", MAP_LANCZOS_STEPS, 2)!;
  const toleranceText = one(args, "map-tolerance");
  const mapTolerance = toleranceText === undefined ? MAP_TOLERANCE : Number(toleranceText);
  if (!(mapTolerance > 0 && mapTolerance < 1)) throw new StartupError(`--map-tolerance must be a number between 0 and 1 (got "${toleranceText}")`);
  const dx = args.has("dir-x") ? await loadDirection(one(args, "dir-x")!, model, `direction "${one(args, "dir-x")}"`) : undefined;
  const dy = args.has("dir-y") ? await loadDirection(one(args, "dir-y")!, model, `direction "${one(args, "dir-y")}"`) : undefined;
  const plane = surfacePlane(model, { x, y, ...(dx ? { dx } : {}), ...(dy ? { dy } : {}), directions: { seed: o.seed, norm, ignore: o.ignore, frozen: o.frozen } });
  const xs = axisValues(x);
  const ys = axisValues(y);
  const points = new Float64Array(2 * xs.length * ys.length);
  ys.forEach((b, j) => xs.forEach((a, i) => {
    points[2 * (j * xs.length + i)] = a;
    points[2 * (j * xs.length + i) + 1] = b;
  }));
  const evaluator = EigenRatioEvaluator.create(model, prepared, loss, { origin: plane.origin, dx: plane.dx, dy: plane.dy }, {
    ignore: o.ignore, frozen: o.frozen, steps: mapSteps, tolerance: mapTolerance, seed: o.seed, scheme: o.scheme, ...(o.step === undefined ? {} : { step: o.step }), ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
  });
  const bar = progressBar("eigen-ratio map");
  bar.start(xs.length * ys.length, 0, { speed: "0" });
  const started = performance.now();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let values: Awaited<ReturnType<EigenRatioEvaluator["evaluate"]>>;
  try {
    values = await evaluator.evaluate(points, (done) => bar.update(done, { speed: (done / ((performance.now() - started) / 1000)).toFixed(2) }), () => controller.signal.aborted);
  } catch (error) {
    if (error instanceof SurfaceCancelledError) throw new StartupError("Hessian computation cancelled");
    throw error;
  } finally {
    bar.stop();
    process.off("SIGINT", onSigint);
  }
  const errorEstimate = evaluator.errorEstimate;
  evaluator.dispose();
  const unconverged = values.converged.reduce((n, c) => n + (c === 1 ? 0 : 1), 0);
  const seconds = (performance.now() - started) / 1000;
  const meanRatio = values.ratio.reduce((a, b) => a + b, 0) / values.ratio.length;
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await fs.writeFile(out, JSON.stringify({
    kind: "eigen-ratio", model: o.modelPath, data: o.dataSource, loss: loss.name, samples: prepared.count, sampleSeed: o.samples === undefined ? null : o.sampleSeed,
    directions: { seed: o.seed, norm, ignore: o.ignore, frozen: o.frozen, dirX: one(args, "dir-x") ?? null, dirY: one(args, "dir-y") ?? null },
    xs: Array.from(xs), ys: Array.from(ys), lanczosSteps: mapSteps, tolerance: mapTolerance,
    lambdaMax: rows(values.lambdaMax, xs.length, ys.length), lambdaMin: rows(values.lambdaMin, xs.length, ys.length), ratio: rows(values.ratio, xs.length, ys.length),
    steps: rows(values.steps, xs.length, ys.length), converged: rows(Float64Array.from(values.converged), xs.length, ys.length).map((r) => r.map((c) => c === 1)),
    unconverged, meanRatio, hvps: values.hvps, seconds, backend: o.backend, method: HVP_METHODS[o.scheme], errorEstimate,
  }));
  process.stderr.write(`eigen-ratio map: ${xs.length}x${ys.length} points, ${values.hvps} Hessian-vector products in ${seconds.toFixed(1)} s; mean |lambda_min/lambda_max| ${meanRatio.toPrecision(3)}; ` +
    `${unconverged === 0 ? "every point converged" : `${unconverged} point${unconverged === 1 ? "" : "s"} reached ${mapSteps} steps before converging (marked in "converged")`}; wrote ${out}\n`);
}

/**
 * Runs one engine command with its arguments (after the command name). Bad input throws
 * StartupError, whose message the entry point prints alone before exiting 1.
 */
export async function runEngineCommand(command: "surface" | "pca" | "bench" | "train" | "hessian", args: string[]): Promise<void> {
  try {
    if (command === "surface") await surfaceCommand(args);
    else if (command === "hessian") await hessianCommand(args);
    else if (command === "pca") await pcaCommand(args);
    else if (command === "train") await trainCommand(args);
    else await benchCommand(args);
  } catch (error) {
    if (error instanceof EngineInputError) throw new StartupError(error.message, { cause: error });
    throw error;
  }
}
