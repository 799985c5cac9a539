/** `lossatlas connect`: train a low-loss curve between two models and evaluate it and the straight line. */
import fs from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { StartupError } from "../errors.js";
import {
  BACKEND_REQUESTS, type BackendRequest, CURVE_KINDS, CURVE_OPTIMIZERS, curveEndpoints, DEFAULT_CURVE_BENDS, DEFAULT_CURVE_ENSEMBLE, DEFAULT_CURVE_KIND, ensembleAlongCurve, DEFAULT_CURVE_OPTIMIZER, DEFAULT_CURVE_POINTS,
  curvePlane, encodeCurveBend, evaluateCurve, initBackend, loadDataset, loadModel, parseAxis, trainCurve,
} from "../engine/index.js";
import { choice, integer, one, parseArgs, required } from "./arguments.js";

const CONNECT_USAGE = `Usage: lossatlas connect --model A --model-b B --data D [--test D2] --out DIR
         [--kind bezier|polychain] [--bends 1] [--epochs 10] [--optimizer sgd|momentum|adam] [--lr 0.05]
         [--weight-decay 0] [--batch-size 32] [--seed 0] [--points 61] [--ensemble 11] [--samples N] [--label COLUMN]
         [--channels-last] [--backend auto] [--plane-x -0.5:1.5:41 --plane-y -0.5:1.5:41]
  Trains the bends of a curve from model A (t = 0) to model B (t = 1), two models of one architecture (TF.js
  Layers or ONNX), minimising the loss averaged over t ~ U[0, 1] (one t per mini-batch), then evaluates loss and
  accuracy at --points values of t along the curve and along the straight line A -> B (BatchNorm's running
  statistics recomputed on the training data at every point), and the accuracy of the ensemble of --ensemble models
  sampled evenly along the curve (their softmax outputs averaged; 0: none) against A's and B's. Writes
  DIR/curve.json (options, values, barriers, ensemble)
  and DIR/bend-J (each trained bend, as a model of the endpoints' format). With --plane-x and --plane-y, also
  DIR/plane.json: the loss over the plane through A, B and the bend (A at (0, 0), B at (1, 0); one bend;
  BatchNorm's statistics recomputed at every point), with the curve and the line in its coordinates.`;

export async function connectCommand(argv: string[]): Promise<void> {
  if (argv.includes("--help")) {
    process.stdout.write(`${CONNECT_USAGE}\n`);
    return;
  }
  const args = parseArgs(
    argv,
    {
      model: "one", "model-b": "one", data: "one", test: "one", out: "one", kind: "one", bends: "one", epochs: "one", optimizer: "one", lr: "one",
      "weight-decay": "one", "batch-size": "one", seed: "one", points: "one", ensemble: "one", samples: "one", label: "one", "channels-last": "flag", backend: "one",
      "plane-x": "one", "plane-y": "one",
    },
    CONNECT_USAGE,
  );
  const out = required(args, "out", CONNECT_USAGE);
  const backend = (one(args, "backend") ?? "auto") as BackendRequest;
  if (!BACKEND_REQUESTS.includes(backend)) throw new StartupError(`--backend must be one of ${BACKEND_REQUESTS.join(", ")}`);
  await initBackend(backend);
  const pathA = required(args, "model", CONNECT_USAGE);
  const pathB = required(args, "model-b", CONNECT_USAGE);
  if (path.resolve(pathA) === path.resolve(pathB)) throw new StartupError("--model and --model-b are the same model; a curve connects two different models");
  const endpoints = curveEndpoints(await loadModel(pathA, `model "${pathA}"`), await loadModel(pathB, `model "${pathB}"`));
  const seed = integer(args, "seed", 0, 0)!;
  const label = one(args, "label");
  const samples = integer(args, "samples", undefined, 2);
  const layout = args.has("channels-last") ? { channelsLast: true } : {};
  const train = await loadDataset(required(args, "data", CONNECT_USAGE), { ...(label ? { label } : {}), ...(samples ? { samples, sampleSeed: seed } : {}), ...layout });
  const testPath = one(args, "test");
  const test = testPath ? await loadDataset(testPath, { ...(label ? { label } : {}), ...layout }) : null;
  const number = (name: string, fallback: number) => {
    const text = one(args, name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value)) throw new StartupError(`--${name} must be a number`);
    return value;
  };
  const options = {
    kind: choice(args, "kind", CURVE_KINDS, DEFAULT_CURVE_KIND),
    bends: integer(args, "bends", DEFAULT_CURVE_BENDS, 1)!,
    epochs: integer(args, "epochs", 10, 1)!,
    optimizer: choice(args, "optimizer", CURVE_OPTIMIZERS, DEFAULT_CURVE_OPTIMIZER),
    learningRate: number("lr", 0.05),
    weightDecay: number("weight-decay", 0),
    batchSize: Math.min(integer(args, "batch-size", 32, 2)!, train.count),
    seed,
  };
  const points = integer(args, "points", DEFAULT_CURVE_POINTS, 2)!;
  const members = integer(args, "ensemble", DEFAULT_CURVE_ENSEMBLE, 0)!;
  if (members === 1) throw new StartupError("--ensemble is 0 (none) or at least 2 models");
  const planeX = one(args, "plane-x");
  const planeY = one(args, "plane-y");
  if ((planeX === undefined) !== (planeY === undefined)) throw new StartupError("--plane-x and --plane-y go together: the plane's grid along B - A and across it");
  const planeAxes = planeX !== undefined && planeY !== undefined ? { x: parseAxis(planeX, "--plane-x"), y: parseAxis(planeY, "--plane-y") } : null;
  // Said before training, not after: the plane is drawn for one bend (curve-plane.ts).
  if (planeAxes && options.bends !== 1) throw new StartupError("--plane-x/--plane-y draw the plane through A, B and the bend: a curve with one bend (--bends 1)");
  const bar = new SingleBar({ format: "{phase} [{bar}] {percentage}% | {value}/{total} | mean loss {loss}", stream: process.stderr, hideCursor: true });
  let started = false;
  let lastLoss = "?";
  const started0 = performance.now();
  const { curve, steps } = await trainCurve(endpoints, train, options, {
    onProgress: (done, total) => {
      if (!started) bar.start(total, 0, { phase: "training  ", loss: lastLoss });
      started = true;
      bar.update(done, { loss: lastLoss });
    },
    onCheckpoint: (_step, _curve, meanLoss) => {
      lastLoss = meanLoss.toFixed(4);
    },
  });
  if (started) bar.stop();
  const trainedMs = performance.now() - started0;
  let evaluating = false;
  const result = await evaluateCurve(endpoints, curve, train, test, { points, batchSize: options.batchSize }, {
    onProgress: (done, total) => {
      if (!evaluating) bar.start(total, 0, { phase: "evaluating", loss: lastLoss });
      evaluating = true;
      bar.update(done);
    },
  });
  if (evaluating) bar.stop();
  const ensemble = members >= 2 ? await ensembleAlongCurve(endpoints, curve, train, test, { members, batchSize: options.batchSize }) : null;
  await fs.mkdir(out, { recursive: true });
  for (const [j, bend] of curve.bends.entries()) {
    const folder = path.join(out, `bend-${j + 1}`);
    await fs.mkdir(folder, { recursive: true });
    for (const [name, bytes] of encodeCurveBend(endpoints.model, bend, { bend: j + 1 })) await fs.writeFile(path.join(folder, name), bytes);
  }
  const document = {
    models: { a: pathA, b: pathB },
    data: { train: one(args, "data"), test: testPath ?? null, samples: train.count },
    options: { ...options, points, ensemble: members },
    steps,
    timings: { trainMs: Math.round(trainedMs), totalMs: Math.round(performance.now() - started0) },
    ...result,
    ensemble,
  };
  await fs.writeFile(path.join(out, "curve.json"), `${JSON.stringify(document, null, 1)}\n`);
  if (planeAxes) {
    const plane = await curvePlane(endpoints, curve, train, planeAxes, points, options.batchSize);
    await fs.writeFile(path.join(out, "plane.json"), `${JSON.stringify(plane, null, 1)}\n`);
  }
  const b = result.barriers;
  process.stdout.write(
    `Trained ${steps} steps. Train loss barrier: curve ${b.curve.trainLoss.toFixed(4)}, line ${b.line.trainLoss.toFixed(4)}` +
      `${b.curve.testLoss === null ? "" : `; test loss barrier: curve ${b.curve.testLoss.toFixed(4)}, line ${b.line.testLoss!.toFixed(4)}`}` +
      `${result.batchNormRecomputed ? " (BatchNorm statistics recomputed at every point)" : ""}.` +
      `${ensemble ? ` Ensemble of ${ensemble.t.length} models along the curve: train accuracy ${ensemble.train.ensemble.toFixed(4)} (A ${ensemble.train.a.toFixed(4)}, B ${ensemble.train.b.toFixed(4)})${ensemble.test ? `, test ${ensemble.test.ensemble.toFixed(4)} (A ${ensemble.test.a.toFixed(4)}, B ${ensemble.test.b.toFixed(4)})` : ""}.` : ""}` +
      ` Wrote curve.json${planeAxes ? ", plane.json" : ""} and ${curve.bends.length} bend${curve.bends.length === 1 ? "" : "s"} in ${out}\n`,
  );
}
