/** `lossatlas surface`: a loss surface (a plane, a line, an interpolation) from files, into surface.json. */
import fs from "node:fs/promises";
import path from "node:path";
import { StartupError } from "../errors.js";
import {
  type Axis, computeSurface, DEFAULT_INTERPOLATION_POINTS, DEFAULT_LINE_POINTS, DEFAULT_RUNNING_STATS, loadDataset, loadDirection,
  loadModel, ModelPositionError, NORMALIZATIONS, type Normalization, parseAxis, RUNNING_STATS, type RunningStats, saveDirection,
  SurfaceCancelledError, type SurfaceResult,
} from "../engine/index.js";
import { choice, evaluationOptions, integer, one, parseCommandArgs, required, startBackend } from "./arguments.js";
import { progressBar, surfaceDocument, writeNotes } from "./output.js";

const SURFACE_USAGE = `Usage: lossatlas surface --model M [--model-b M2 [--model-c M3] [--running-stats move|hold-a|hold-b]] --data D --x min:max[:count] [--y min:max:count]
         [--dir-x DIR --dir-y DIR] [--norm filter|layer|weight|none] [--ignore biasbn|none] [--frozen move|still] [--orthogonalize]
         [--seed 0] [--loss NAME] [--label COLUMN] [--samples N] [--sample-seed 0] [--batch-size N]
         [--workers 1] [--backend auto|tensorflow-gpu|tensorflow|wasm|cpu] [--basin-threshold LOSS]
         [--first-layer-trick auto|always|never]
         [--min-persistence LOSS (default 1% of the loss range; 0 for every critical point)]
         --out surface.json [--save-directions DIR] [--channels-last]
  --x  without a count: 51 points along a line (no --y), 61 between two models (--model-b without --model-c).
  --model and --dir-x/--dir-y take TF.js Layers models (folder, model.json, .zip) or ONNX files (.onnx);
  an ONNX model's image data is NCHW unless --channels-last; its directions are saved as DIR/x.onnx, DIR/y.onnx.
  --running-stats  between models, BatchNorm's running mean and variance move with the weights (move, the default,
                   as the authors' --dir_type states) or stay model A's (hold-a) or model B's (hold-b) all along.`;

export async function surfaceCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(argv, {
    model: "one", "model-b": "one", "model-c": "one", data: "one", x: "one", y: "one", "dir-x": "one", "dir-y": "one",
    norm: "one", ignore: "one", frozen: "one", orthogonalize: "flag", seed: "one", loss: "one", label: "one", samples: "one",
    "sample-seed": "one", "batch-size": "one", workers: "one", backend: "one", out: "one", "save-directions": "one",
    "basin-threshold": "one", "min-persistence": "one", "first-layer-trick": "one", help: "flag", "channels-last": "flag",
    "running-stats": "one",
  }, SURFACE_USAGE);
  if (args === null) return; // --help
  const modelPath = required(args, "model", SURFACE_USAGE);
  const dataSource = required(args, "data", SURFACE_USAGE);
  const out = required(args, "out", SURFACE_USAGE);
  const yText = one(args, "y");
  const y = yText === undefined ? undefined : parseAxis(yText, "--y");
  // A 1D surface may leave out its count: 61 points between two models, 51 along a random line.
  const oneD = args.has("model-b") ? !args.has("model-c") : y === undefined;
  const x: Axis = parseAxis(required(args, "x", SURFACE_USAGE), "--x", oneD ? (args.has("model-b") ? DEFAULT_INTERPOLATION_POINTS : DEFAULT_LINE_POINTS) : undefined);
  const norm = choice<Normalization>(args, "norm", NORMALIZATIONS, "filter");
  const { ignore, frozen, seed, samples, sampleSeed, batchSize } = evaluationOptions(args);
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
