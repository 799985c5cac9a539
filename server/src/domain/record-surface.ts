/**
 * Recording a new surface, shared by the create mutation (modules/surfaces) and the experiments'
 * next step (compute/experiment-step.ts).
 */
import type { Pool } from "../db/pool.js";
import { sendJob } from "../jobs/definitions.js";
import type { Queue } from "../queue/queue.js";
import { preparePriority } from "./fair-queue.js";
import { isPlanar, type SurfaceKind, type SurfaceParams } from "./surface-params.js";

/**
 * Records a checked surface and queues its preparation; returns its id. For callers that have
 * already checked access and inputs (the create mutation, experiments). `testDatasetId`: a
 * held-out set evaluated beside the training set at every point (default none).
 */
export async function recordSurface(
  pool: Pool,
  queue: Queue,
  surface: { projectId: string; createdBy: string | null; name: string; kind: SurfaceKind; modelId: string; modelBId: string | null; datasetId: string; testDatasetId?: string | null; params: SurfaceParams; tags: string[] },
): Promise<string> {
  const twoD = isPlanar(surface.kind);
  const total = surface.params.x.count * (twoD && surface.params.y ? surface.params.y.count : 1);
  const id = (await pool.query<{ id: string }>(`SELECT gen_random_uuid() AS id`)).rows[0]!.id;
  await pool.query(
    `INSERT INTO surfaces (id, project_id, created_by, name, kind, model_id, model_b_id, dataset_id, test_dataset_id, params, tags, points_total, storage_prefix)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      id, surface.projectId, surface.createdBy, surface.name, surface.kind, surface.modelId, surface.modelBId, surface.datasetId, surface.testDatasetId ?? null,
      JSON.stringify(surface.params), surface.tags, total, `projects/${surface.projectId}/surfaces/${id}/`,
    ],
  );
  await sendJob(queue, "surfacePrepare", { surfaceId: id }, { singletonKey: `${id}:prepare`, priority: await preparePriority(pool, surface.createdBy) });
  return id;
}
