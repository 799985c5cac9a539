/**
 * Recording a new curve between two models, shared by the connect mutation (modules/curves) and the
 * connectivity experiment's next step (compute/experiment-step.ts).
 */
import type { Pool } from "../db/pool.js";
import { sendJob } from "../jobs/definitions.js";
import type { Queue } from "../queue/queue.js";
import type { CurveOptions } from "./curve-params.js";

/**
 * Records a checked curve and queues its training; returns its id. For callers that have already
 * checked access, the models' architectures and the data. `rows`: the training dataset's samples,
 * from which the steps to train are counted.
 */
export async function recordCurve(
  pool: Pool,
  queue: Queue,
  curve: { projectId: string; createdBy: string | null; name: string; modelAId: string; modelBId: string; datasetId: string; testDatasetId: string | null; options: CurveOptions; rows: number },
): Promise<string> {
  const { options } = curve;
  const rows = Math.min(curve.rows, options.samples ?? curve.rows);
  const steps = Math.ceil(rows / Math.min(options.batchSize, rows)) * options.epochs;
  const id = (await pool.query<{ id: string }>(`SELECT gen_random_uuid() AS id`)).rows[0]!.id;
  await pool.query(
    `INSERT INTO curves (id, project_id, created_by, name, model_a_id, model_b_id, dataset_id, test_dataset_id, options, steps_total, points_total, storage_prefix)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, curve.projectId, curve.createdBy, curve.name, curve.modelAId, curve.modelBId, curve.datasetId, curve.testDatasetId, JSON.stringify(options), steps, 2 * options.points, `projects/${curve.projectId}/curves/${id}/`],
  );
  await sendJob(queue, "curveTrain", { curveId: id }, { singletonKey: id });
  return id;
}
