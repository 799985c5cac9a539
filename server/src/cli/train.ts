/** `lossatlas train`: train a zoo model, a TF.js model or an ONNX model, and write its checkpoints. */
import fs from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { StartupError } from "../errors.js";
import {
  BACKEND_REQUESTS, type BackendRequest, initBackend, type LayersFiles, loadDataset, modelFromArtifacts, type OnnxFiles, readLayersArtifacts,
  type TrainArgs, trainedFiles, trainLayersModel, trainNetwork, type ResnetSpec, type TrainResult, trainZooModel, trainZooResnet, toLayersModel, type ZooSpec,
} from "../engine/index.js";
import { integer, one, parseArgs, required } from "./arguments.js";

const TRAIN_USAGE = `Usage: lossatlas train --data D [--test D2] --out DIR [--arch mlp|cnn|resnet] [--depth 4] [--width 32] [--residual]
         [--channels 8,16] [--blocks 3] [--downsample 1] [--plain] | [--model M (a TF.js Layers model, or an ONNX file m.onnx, to train from its weights)] [--channels-last]
         [--optimizer sgd|momentum|adam] [--lr 0.05] [--batch-size 32] [--weight-decay 0]
         [--epochs 5] [--seed 0] [--checkpoint-every STEPS] [--samples N] [--label COLUMN] [--backend auto]
  Writes DIR/final (the trained model), DIR/checkpoints/step-N (one per checkpoint) and DIR/curve.json.
  A TF.js model's folders hold model.json and its shard; an ONNX model's hold model.onnx, the same graph with the
  trained weights and BatchNorm running statistics (BatchNorm trains in training mode, with batch statistics, as
  PyTorch's model.train(); dropout is off). An ONNX model's image data is NCHW unless --channels-last.
  --arch resnet: the paper's CIFAR ResNet family, --blocks per stage (depth 6 x blocks + 2: 3, 9, 18 are ResNet-20, 56,
  110), --width channels in the first stage (default 16), images average-pooled by --downsample first; --plain drops
  the shortcuts (ResNet-56-noshort). Built as an ONNX graph, it trains on every backend and writes ONNX files.`;

export async function trainCommand(argv: string[]): Promise<void> {
  if (argv.includes("--help")) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return;
  }
  const args = parseArgs(
    argv,
    {
      data: "one", test: "one", out: "one", arch: "one", depth: "one", width: "one", residual: "flag", channels: "one", blocks: "one", downsample: "one", plain: "flag",
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
  if (args.has("channels-last") && !onnxModel && one(args, "arch") !== "resnet") throw new StartupError("--channels-last applies to ONNX models (.onnx) and --arch resnet, whose image data is NCHW by default");
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
  if (modelPath && ["arch", "depth", "width", "residual", "channels", "blocks", "downsample", "plain"].some((name) => args.has(name))) {
    throw new StartupError("--model trains that model as it is; leave out --arch, --depth, --width, --residual, --channels, --blocks, --downsample and --plain");
  }
  if (modelPath && !onnxModel && number("weight-decay", 0) > 0) throw new StartupError("--weight-decay applies to zoo and ONNX models; a TF.js model keeps the regularizers it was saved with");
  const arch = one(args, "arch") ?? "mlp";
  let spec: ZooSpec | ({ kind: "resnet" } & ResnetSpec) | { kind: "uploaded"; model: string };
  if (modelPath) {
    spec = { kind: "uploaded", model: modelPath };
  } else if (arch === "mlp") {
    spec = { kind: "mlp", depth: integer(args, "depth", 4, 1)!, width: integer(args, "width", 32, 1)!, residual: args.has("residual") };
  } else if (arch === "cnn") {
    const channels = (one(args, "channels") ?? "8,16").split(",").map(Number);
    if (channels.length !== 2 || channels.some((c) => !Number.isInteger(c) || c < 1)) throw new StartupError("--channels takes two filter counts, e.g. 8,16");
    spec = { kind: "cnn", channels: [channels[0]!, channels[1]!] };
  } else if (arch === "resnet") {
    spec = { kind: "resnet", blocks: integer(args, "blocks", 3, 1)!, width: integer(args, "width", 16, 1)!, residual: !args.has("plain"), downsample: integer(args, "downsample", 1, 1)! };
  } else throw new StartupError("--arch must be mlp, cnn or resnet");
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
        : spec.kind === "resnet"
          ? trainZooResnet(spec, ...(rest as TrainArgs<OnnxFiles>))
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
