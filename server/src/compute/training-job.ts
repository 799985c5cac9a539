/**
 * The worker's side of a training run: train the zoo model or the uploaded one (a TF.js Layers
 * model with TF.js, an ONNX model with the engine's trainer), store every checkpoint as it comes,
 * then record the final model with its checkpoints in order. A re-run (after a worker died)
 * starts over from a clean prefix and records one result.
 */
import { EngineInputError, heldOut, initBackend, type LayersFiles, type LoadedModel, type OnnxFiles, readLayersArtifacts, subset, SurfaceCancelledError, toLayersModel, type TrainArgs, trainedFiles, trainLayersModel, trainNetwork, type TrainResult, trainZooModel, trainZooResnet, type ZooSpec } from "../engine/index.js";
import type * as tfl from "@tensorflow/tfjs-layers";
import { storeModel } from "../domain/store-model.js";
import { architectureSchema, trainingOptionsSchema } from "../domain/training-params.js";
import { validateModel } from "../validation/validate.js";
import { loadStoredDataset, loadStoredModel, readModelFiles } from "./artifacts.js";
import { advanceExperiment } from "./experiment-step.js";
import type { ComputeDeps } from "./deps.js";
import { diedTrainingMessage, failRun } from "./run-state.js";
import { deleteModel, loadDatasetRow, modelFiles, recordCheckpoint } from "./sql/artifacts.js";
import { transaction } from "../db/transaction.js";
import { warnUnlessStopping } from "../lifecycle.js";
import {
  countRunStart, giveRunAttemptsBack, loadRun, markRunReady, markRunRunning, notifyTrainingProgress, reportRunCheckpoint, reportRunSteps,
} from "./sql/training-runs.js";

async function notify(deps: Pick<ComputeDeps, "pool">, runId: string): Promise<void> {
  await notifyTrainingProgress(deps.pool, runId);
}

/**
 * A stored (uploaded) model, with its weights, for training: a TF.js LayersModel, or the engine's
 * own network for an ONNX model (trained by trainNetwork, checkpoints stored as model.onnx).
 */
async function loadUploadedModel(deps: ComputeDeps, modelId: string): Promise<{ kind: "layers"; model: tfl.LayersModel } | { kind: "onnx"; model: LoadedModel }> {
  const row = await modelFiles(deps.pool, modelId);
  if (!row) throw new EngineInputError("the model to train was deleted");
  if (row.files.includes("model.onnx") && !row.files.includes("model.json")) {
    return { kind: "onnx", model: await loadStoredModel(deps.store, row.storage_prefix, row.files, "the uploaded model") };
  }
  const files = await readModelFiles(deps.store, row.storage_prefix, row.files);
  return { kind: "layers", model: await toLayersModel(await readLayersArtifacts(files, "the uploaded model"), "the uploaded model") };
}

/** Training runs this process is training now: a stop hands them back (see handBackTraining). */
const training = new Set<string>();

/**
 * Runs this worker process is stopping in the middle of (SIGTERM, Ctrl-C): the queue trains them
 * again from the start (a stopping worker fails its running jobs back to the queue, which runs
 * them again a second later), and here their start is taken back, so an orderly stop does not
 * count as a worker that died on them.
 */
export async function handBackTraining(pool: ComputeDeps["pool"]): Promise<number> {
  if (training.size === 0) return 0;
  return giveRunAttemptsBack(pool, [...training]);
}

export async function runTraining(deps: ComputeDeps, runId: string): Promise<void> {
  training.add(runId);
  try {
    await trainRun(deps, runId);
  } finally {
    training.delete(runId);
  }
}

async function trainRun(deps: ComputeDeps, runId: string): Promise<void> {
  const run = await loadRun(deps.pool, runId);
  if (!run || (run.status !== "queued" && run.status !== "running")) return;
  // Counted before the work, so a start whose worker died counts (one that reports an error gives it back).
  const starts = await countRunStart(deps.pool, runId);
  if (starts - 1 >= (deps.attempts ?? 3)) {
    await failRun(deps, runId, "INTERNAL_SERVER_ERROR", diedTrainingMessage(starts - 1));
    return;
  }
  const architecture = architectureSchema.parse(run.architecture);
  const options = trainingOptionsSchema.parse(run.options);
  await deps.store.deletePrefix(run.storage_prefix);
  await markRunRunning(deps.pool, runId);
  await notify(deps, runId);
  await initBackend(deps.backend);

  const dataset = async (id: string, samples: number | null) => {
    const row = await loadDatasetRow(deps.pool, id);
    if (!row) throw new EngineInputError("the dataset was deleted");
    if (row.classes === null) throw new EngineInputError("training needs a dataset of integer class labels");
    // channels_last: images stored [N, H, W, C] for an ONNX model, as surfaces of ONNX models read them.
    const stored = { format: row.format, storagePrefix: row.storage_prefix, files: row.files, label: row.label, ...(row.channels_last ? { channelsLast: true } : {}) };
    return { data: await loadStoredDataset(deps.store, stored, samples, options.seed), classes: row.classes };
  };
  // Held-out rows: the training rows are the same seeded subset as without them.
  const whole = options.holdOut !== null ? await dataset(run.dataset_id, null) : null;
  const train = whole ? { ...whole, data: subset(whole.data, Math.min(options.samples ?? whole.data.count, whole.data.count), options.seed) } : await dataset(run.dataset_id, options.samples);
  const test = run.test_dataset_id
    ? await dataset(run.test_dataset_id, null)
    : whole ? { ...whole, data: heldOut(whole.data, train.data.count, options.seed, options.holdOut!) } : null;

  const controller = new AbortController();
  let lastReport = 0;
  const checkpoints: { step: number; prefix: string; files: string[]; bytes: number }[] = [];
  // An uploaded model trains from its own weights; a zoo model is built here from the seed.
  const uploaded = architecture.kind === "uploaded" ? await loadUploadedModel(deps, architecture.modelId) : null;
  const trainer = (...args: TrainArgs<LayersFiles | OnnxFiles>): Promise<TrainResult<LayersFiles | OnnxFiles>> =>
    uploaded?.kind === "onnx"
      ? trainNetwork(uploaded.model, ...args)
      : uploaded?.kind === "layers"
        ? trainLayersModel(uploaded.model, ...args)
        : architecture.kind === "resnet"
          ? trainZooResnet(architecture, ...(args as TrainArgs<OnnxFiles>))
          : trainZooModel(architecture as ZooSpec, ...args);
  const result = await trainer(
    train.data,
    test?.data ?? null,
    Math.max(train.classes, test?.classes ?? 0),
    {
      optimizer: options.optimizer,
      learningRate: options.learningRate,
      batchSize: Math.min(options.batchSize, train.data.count),
      weightDecay: options.weightDecay,
      epochs: options.epochs,
      seed: options.seed,
      ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
    },
    {
      signal: controller.signal,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastReport < 1000) return;
        lastReport = now;
        reportRunSteps(deps.pool, runId, done, total)
          .then(async (status) => {
            if (status === "cancelled") controller.abort();
            await notify(deps, runId);
          })
          .catch((error: unknown) => warnUnlessStopping(deps.log, error, "progress update failed"));
      },
      onCheckpoint: async (step, files, point) => {
        const prefix = `${run.storage_prefix}checkpoints/step-${step}/`;
        let bytes = 0;
        const stored = trainedFiles(files);
        for (const [name, content] of stored) {
          await deps.store.put(`${prefix}${name}`, content, name === "model.json" ? "application/json" : undefined);
          bytes += content.length;
        }
        checkpoints.push({ step, prefix, files: [...stored.keys()], bytes });
        if ((await reportRunCheckpoint(deps.pool, runId, step, point)) === "cancelled") controller.abort();
        await notify(deps, runId);
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof SurfaceCancelledError) return null;
    throw error;
  });
  if (!result) return; // cancelled: the run keeps its status

  const final = await validateModel(trainedFiles(result.final));
  // The model, its checkpoints and the run's end: all or nothing, so a worker dying here leaves
  // the run to be trained again, never a second model of one run.
  let modelId = "";
  const done = await transaction(deps.pool, async (client) => {
    modelId = await storeModel(client, deps.store, { projectId: run.project_id, createdBy: run.created_by, name: run.name, model: final });
    for (const checkpoint of checkpoints) await recordCheckpoint(client, modelId, checkpoint);
    return markRunReady(client, runId, modelId, result.steps);
  }).catch(async (error: unknown) => {
    if (modelId) await deps.store.deletePrefix(`projects/${run.project_id}/models/${modelId}/`).catch(() => undefined);
    throw error;
  });
  if (!done.ended) {
    // Cancelled at the very end: keep nothing of it.
    await deleteModel(deps.pool, modelId);
    await deps.store.deletePrefix(`projects/${run.project_id}/models/${modelId}/`);
  }
  await notify(deps, runId);
  if (done.experimentId) await advanceExperiment(deps, done.experimentId);
}
