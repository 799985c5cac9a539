/**
 * The worker's side of a curve between two models: load both models and the data, train the bends
 * with the engine's trainCurve (storing each checkpoint of the bends as a model's files), then
 * evaluate loss and accuracy along the curve and the straight line (evaluateCurve) and record the
 * result. A re-run after a worker died starts over from a clean prefix and records one result; a
 * cancelled curve stops at the next step or point and keeps its status.
 */
import { curveEndpoints, curvePlane, type Dataset, encodeCurveBend, EngineInputError, ensembleAlongCurve, evaluateCurve, initBackend, SurfaceCancelledError, trainCurve } from "../engine/index.js";
import { curveOptionsSchema, MAX_CURVE_CHECKPOINTS } from "../domain/curve-params.js";
import { loadStoredDataset, loadStoredModel } from "./artifacts.js";
import type { ComputeDeps } from "./deps.js";
import { times } from "./messages.js";
import { warnUnlessStopping } from "../lifecycle.js";
import { loadDatasetRow, modelFiles } from "./sql/artifacts.js";
import {
  countCurveStart, giveCurveAttemptsBack, loadCurveRow, markCurveEvaluating, markCurveFailed, markCurveReady, markCurveRunning, notifyCurveProgress, reportCurveCheckpoint, reportCurvePoints, reportCurveSteps,
} from "./sql/curves.js";

/** Least time between two progress writes, in ms. */
const PROGRESS_EVERY_MS = 1000;

export async function failCurve(deps: Pick<ComputeDeps, "pool">, curveId: string, code: string, message: string): Promise<void> {
  await markCurveFailed(deps.pool, curveId, code, message);
  await notifyCurveProgress(deps.pool, curveId);
}

async function loadModelOf(deps: ComputeDeps, modelId: string, label: string) {
  const row = await modelFiles(deps.pool, modelId);
  if (!row) throw new EngineInputError(`${label} was deleted`);
  return loadStoredModel(deps.store, row.storage_prefix, row.files, label);
}

async function loadData(deps: ComputeDeps, datasetId: string, samples: number | null, seed: number): Promise<Dataset> {
  const row = await loadDatasetRow(deps.pool, datasetId);
  if (!row) throw new EngineInputError("the dataset was deleted");
  if (row.classes === null) throw new EngineInputError("a curve is trained on a dataset of integer class labels");
  const stored = { format: row.format, storagePrefix: row.storage_prefix, files: row.files, label: row.label, ...(row.channels_last ? { channelsLast: true } : {}) };
  return loadStoredDataset(deps.store, stored, samples === null || samples >= row.rows ? null : samples, seed);
}

/** Calls `report` at most once a second (and always for the last), in order; aborts when it answers "cancelled". */
function throttled(controller: AbortController, report: (done: number, total: number) => Promise<string | undefined>, notify: () => Promise<void>, log: ComputeDeps["log"]) {
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  return {
    progress: (done: number, total: number) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS && done < total) return;
      last = now;
      pending = pending
        .then(async () => {
          if ((await report(done, total)) === "cancelled") controller.abort();
          await notify();
        })
        .catch((error: unknown) => warnUnlessStopping(log, error, "curve progress update failed"));
    },
    settled: () => pending,
  };
}

/** Curves this process is training now: a stop hands them back (see handBackCurves). */
const connecting = new Set<string>();

/**
 * Curves this worker process is stopping in the middle of: the queue runs them again from the
 * start, and here their start is taken back, so an orderly stop does not count as a worker that
 * died on them.
 */
export async function handBackCurves(pool: ComputeDeps["pool"]): Promise<number> {
  if (connecting.size === 0) return 0;
  return giveCurveAttemptsBack(pool, [...connecting]);
}

export async function runCurve(deps: ComputeDeps, curveId: string): Promise<void> {
  connecting.add(curveId);
  try {
    await connect(deps, curveId);
  } finally {
    connecting.delete(curveId);
  }
}

async function connect(deps: ComputeDeps, curveId: string): Promise<void> {
  const row = await loadCurveRow(deps.pool, curveId);
  if (!row || (row.status !== "queued" && row.status !== "running")) return;
  // Counted before the work, so a start whose worker died counts (one that reports an error gives it back).
  const starts = await countCurveStart(deps.pool, curveId);
  if (starts - 1 >= (deps.attempts ?? 3)) {
    await failCurve(deps, curveId, "INTERNAL_SERVER_ERROR", `A worker died training this curve ${times(starts - 1)}; the models may need more memory than a worker has`);
    return;
  }
  const options = curveOptionsSchema.parse(row.options);
  await deps.store.deletePrefix(row.storage_prefix);
  await markCurveRunning(deps.pool, curveId, 2 * options.points);
  const notify = () => notifyCurveProgress(deps.pool, curveId);
  await notify();
  await initBackend(deps.backend);

  const endpoints = curveEndpoints(await loadModelOf(deps, row.model_a_id, "model A"), await loadModelOf(deps, row.model_b_id, "model B"));
  const train = await loadData(deps, row.dataset_id, options.samples, options.seed);
  const test = row.test_dataset_id ? await loadData(deps, row.test_dataset_id, null, options.seed) : null;
  const batchSize = Math.min(options.batchSize, train.count);
  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  const controller = new AbortController();
  const steps = throttled(controller, (done, total) => reportCurveSteps(deps.pool, curveId, done, total), notify, deps.log);
  const model = endpoints.model;
  try {
    const { curve } = await trainCurve(
      endpoints,
      train,
      {
        kind: options.kind, bends: options.bends, optimizer: options.optimizer, learningRate: options.learningRate, weightDecay: options.weightDecay,
        batchSize, epochs: options.epochs, seed: options.seed,
        // One checkpoint per epoch, or per few epochs past MAX_CURVE_CHECKPOINTS epochs.
        checkpointEvery: stepsPerEpoch * Math.ceil(options.epochs / MAX_CURVE_CHECKPOINTS),
      },
      {
        signal: controller.signal,
        onProgress: steps.progress,
        onCheckpoint: async (step, at, meanLoss) => {
          const prefix = `${row.storage_prefix}checkpoints/step-${step}/`;
          const files: string[] = [];
          for (const [j, bend] of at.bends.entries()) {
            for (const [name, bytes] of encodeCurveBend(model, bend, { curveId, bend: j + 1, step })) {
              await deps.store.put(`${prefix}bend-${j + 1}/${name}`, bytes, name === "model.json" ? "application/json" : undefined);
              files.push(`bend-${j + 1}/${name}`);
            }
          }
          if ((await reportCurveCheckpoint(deps.pool, curveId, { step, meanLoss, prefix, files })) === "cancelled") controller.abort();
          await notify();
        },
      },
    );
    await steps.settled();
    await markCurveEvaluating(deps.pool, curveId);
    await notify();
    const points = throttled(controller, (done) => reportCurvePoints(deps.pool, curveId, done), notify, deps.log);
    const result = await evaluateCurve(endpoints, curve, train, test, { points: options.points, batchSize }, { signal: controller.signal, onProgress: points.progress });
    await points.settled();
    // The plane through A, B and the bend, where the curve lies in one (one bend: see curve-plane.ts);
    // with BatchNorm, each of its points has its statistics recomputed on the training data.
    const plane = curve.bends.length === 1 ? await curvePlane(endpoints, curve, train, null, options.points, batchSize) : null;
    // The ensemble of models sampled along the curve (Garipov et al. 2018, section 5), against each end.
    const ensemble = options.ensemble >= 2 ? await ensembleAlongCurve(endpoints, curve, train, test, { members: options.ensemble, batchSize }, { signal: controller.signal }) : null;
    if (controller.signal.aborted) return;
    const ended = await markCurveReady(deps.pool, curveId, { ...result, plane, ensemble });
    await notify();
    if (ended) deps.log.info({ curveId, curveBarrier: result.barriers.curve.trainLoss, lineBarrier: result.barriers.line.trainLoss }, "curve ready");
  } catch (error) {
    if (error instanceof SurfaceCancelledError) return; // cancelled: the curve keeps its status
    throw error;
  }
}
