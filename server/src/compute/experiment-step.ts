/**
 * What an experiment does when one of its runs ends: once every run is trained, queue the
 * matching surfaces (same grid, same direction seed) of the trained models; if a run failed, the
 * experiment failed. Runs under a row lock, so two workers finishing at once queue them once.
 */
import { recordSurface } from "../domain/record-surface.js";
import { surfaceParamsSchema } from "../domain/surface-params.js";
import type { ComputeDeps } from "./surface-jobs.js";

export async function advanceExperiment(deps: Pick<ComputeDeps, "pool" | "queue">, experimentId: string): Promise<void> {
  const client = await deps.pool.connect();
  try {
    await client.query("BEGIN");
    const experiment = (
      await client.query<{ project_id: string; created_by: string | null; dataset_id: string; surface_params: { grid: number; span: number; samples: number; surface: "plane" | "pca"; series?: boolean; eigenRatio?: { grid: number; samples: number } }; surface_ids: string[]; failed: boolean; name: string }>(
        `SELECT project_id, created_by, dataset_id, surface_params, surface_ids, failed, name FROM experiments WHERE id = $1 FOR UPDATE`,
        [experimentId],
      )
    ).rows[0];
    if (!experiment || experiment.failed || experiment.surface_ids.length > 0) {
      await client.query("COMMIT");
      return;
    }
    const runs = (await client.query<{ status: string; model_id: string | null; role: string | null }>(`SELECT status, model_id, role FROM training_runs WHERE experiment_id = $1 ORDER BY created_at, id`, [experimentId])).rows;
    if (runs.some((run) => run.status === "failed" || run.status === "cancelled")) {
      await client.query(`UPDATE experiments SET failed = true WHERE id = $1`, [experimentId]);
      await client.query("COMMIT");
      return;
    }
    if (!runs.every((run) => run.status === "ready" && run.model_id)) {
      await client.query("COMMIT");
      return;
    }
    const { grid, span, samples, surface, series, eigenRatio } = experiment.surface_params;
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
          params,
          tags: ["experiment"],
        }),
      );
    }
    if (eigenRatio) {
      // Each side's eigen-ratio map, on its own plane's directions, after the planes (in run order).
      const planes = [...ids];
      for (const [k, run] of runs.entries()) {
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
      const steps = (await client.query<{ step: number }>(`SELECT step FROM checkpoints WHERE model_id = $1 ORDER BY step LIMIT 50`, [runs[0]!.model_id])).rows;
      for (const { step } of steps) {
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
    await client.query(`UPDATE experiments SET surface_ids = $2 WHERE id = $1`, [experimentId, ids]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
