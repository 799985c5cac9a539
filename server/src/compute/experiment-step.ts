/**
 * What an experiment does when one of its runs ends: once every run is trained, queue the
 * matching surfaces (same grid, same direction seed) of the trained models, or the curve between
 * them (mode connectivity); if a run failed, the experiment failed. Runs under a row lock, so two workers finishing at once queue them once.
 */
import { curveOptionsSchema } from "../domain/curve-params.js";
import { recordCurve } from "../domain/record-curve.js";
import { recordSurface } from "../domain/record-surface.js";
import { surfaceParamsSchema } from "../domain/surface-params.js";
import type { ComputeDeps } from "./deps.js";
import { checkpointSteps, loadDatasetRow } from "./sql/artifacts.js";
import { transaction } from "../db/transaction.js";
import { queueNormalizationSurfaces } from "./normalization-step.js";
import { experimentRuns, lockExperiment, markExperimentFailed, setExperimentCurve, setExperimentSurfaces } from "./sql/experiments.js";

/** Frames of an experiment's series at most: one per checkpoint of its first run, in step order. */
const SERIES_FRAMES = 50;

export async function advanceExperiment(deps: Pick<ComputeDeps, "pool" | "queue">, experimentId: string): Promise<void> {
  await transaction(deps.pool, async (client) => {
    const experiment = await lockExperiment(client, experimentId);
    if (!experiment || experiment.failed || experiment.surface_ids.length > 0 || experiment.curve_id) return;
    const runs = await experimentRuns(client, experimentId);
    if (runs.some((run) => run.status === "failed" || run.status === "cancelled")) {
      await markExperimentFailed(client, experimentId);
      return;
    }
    if (!runs.every((run) => run.status === "ready" && run.model_id)) return;
    if (experiment.surface_params.normalization) {
      await setExperimentSurfaces(client, experimentId, await queueNormalizationSurfaces(deps, experiment, runs));
      return;
    }
    const { grid, span, samples, surface, series, eigenRatio } = experiment.surface_params;
    if (surface === "curve") {
      const [a, b] = runs;
      const dataset = await loadDatasetRow(client, experiment.dataset_id);
      if (!a || !b || !dataset) {
        await markExperimentFailed(client, experimentId);
        return;
      }
      const curveId = await recordCurve(deps.pool, deps.queue, {
        projectId: experiment.project_id,
        createdBy: experiment.created_by,
        name: `${experiment.name}: Bezier curve`,
        modelAId: a.model_id!,
        modelBId: b.model_id!,
        datasetId: experiment.dataset_id,
        testDatasetId: null,
        options: curveOptionsSchema.parse(experiment.surface_params.curve ?? {}),
        rows: dataset.rows,
      });
      await setExperimentCurve(client, experimentId, curveId);
      return;
    }
    const params = surfaceParamsSchema.parse({
      x: { min: -span, max: span, count: grid },
      y: { min: -span, max: span, count: grid },
      seed: 7,
      samples,
      // A PCA plane is fitted to its path once the worker knows it; the span is only a fallback.
      fitPath: surface === "pca",
    });
    const ids: string[] = [];
    for (const run of runs) {
      ids.push(
        await recordSurface(deps.pool, deps.queue, {
          projectId: experiment.project_id,
          createdBy: experiment.created_by,
          name: `${experiment.name}: ${run.role ?? "model"}`,
          kind: surface,
          modelId: run.model_id!,
          modelBId: null,
          datasetId: experiment.dataset_id,
          // A run measured on a test set: its surface evaluates that set too (train and test curves).
          testDatasetId: run.test_dataset_id,
          params,
          tags: ["experiment"],
        }),
      );
    }
    if (eigenRatio) {
      // Each side's eigen-ratio map (or the last runs' only), on its own plane's directions, after
      // the planes (in run order).
      const planes = [...ids];
      const first = runs.length - Math.min(runs.length, eigenRatio.lastRuns ?? runs.length);
      for (const [k, run] of runs.entries()) {
        if (k < first) continue;
        ids.push(
          await recordSurface(deps.pool, deps.queue, {
            projectId: experiment.project_id,
            createdBy: experiment.created_by,
            name: `${experiment.name}: ${run.role ?? "model"}, eigen-ratio map`,
            kind: "eigen-ratio",
            modelId: run.model_id!,
            modelBId: null,
            datasetId: experiment.dataset_id,
            params: surfaceParamsSchema.parse({
              x: { min: -span, max: span, count: eigenRatio.grid },
              y: { min: -span, max: span, count: eigenRatio.grid },
              seed: 7,
              samples: eigenRatio.samples,
              directionsFrom: planes[k],
            }),
            tags: ["experiment"],
          }),
        );
      }
    }
    if (series) {
      // The landscape over training: the first run's plane again around each of its checkpoints,
      // with that plane's directions (each frame's preparation waits for them to be stored).
      const [source] = ids;
      const steps = await checkpointSteps(client, runs[0]!.model_id!, SERIES_FRAMES);
      for (const step of steps) {
        ids.push(
          await recordSurface(deps.pool, deps.queue, {
            projectId: experiment.project_id,
            createdBy: experiment.created_by,
            name: `${experiment.name}: step ${step}`,
            kind: surface,
            modelId: runs[0]!.model_id!,
            modelBId: null,
            datasetId: experiment.dataset_id,
            params: { ...params, checkpointStep: step, directionsFrom: source! },
            tags: ["experiment", "series"],
          }),
        );
      }
    }
    await setExperimentSurfaces(client, experimentId, ids);
  });
}
