/** Named operations on `experiments` rows and the runs they train. */
import type { Db } from "../../db/transaction.js";

/** What an experiment computes once its runs are trained. */
export interface ExperimentSurfaceParams {
  grid: number;
  span: number;
  samples: number;
  /** "curve": no surfaces, one curve between the first two runs' models. */
  surface: "plane" | "pca" | "curve";
  series?: boolean;
  eigenRatio?: { grid: number; samples: number; lastRuns?: number };
  /** What filter normalization fixes: the slices' and interpolation's points, and the training rows' seed. */
  normalization?: { line: number; interpolation: number; sampleSeed: number };
  /** The curve's options (parsed with the curve's schema), for `surface: "curve"`. */
  curve?: unknown;
}

export interface ExperimentRow {
  project_id: string;
  created_by: string | null;
  dataset_id: string;
  surface_params: ExperimentSurfaceParams;
  surface_ids: string[];
  curve_id: string | null;
  failed: boolean;
  name: string;
}

/** Reads an experiment and locks its row until the caller's transaction ends. */
export async function lockExperiment(db: Db, experimentId: string): Promise<ExperimentRow | undefined> {
  return (
    await db.query<ExperimentRow>(`SELECT project_id, created_by, dataset_id, surface_params, surface_ids, curve_id, failed, name FROM experiments WHERE id = $1 FOR UPDATE`, [
      experimentId,
    ])
  ).rows[0];
}

/** An experiment's runs in the order they were created. */
/**
 * An experiment's runs in creation order, with the test set each was measured on (null without
 * one, or when its samples or classes differ from the training set's, which a surface refuses).
 */
export async function experimentRuns(db: Db, experimentId: string): Promise<{ status: string; model_id: string | null; role: string | null; test_dataset_id: string | null }[]> {
  return (
    await db.query<{ status: string; model_id: string | null; role: string | null; test_dataset_id: string | null }>(
      `SELECT r.status, r.model_id, r.role,
              CASE WHEN t.input_shape = d.input_shape AND t.classes IS NOT DISTINCT FROM d.classes THEN r.test_dataset_id END AS test_dataset_id
         FROM training_runs r
         JOIN datasets d ON d.id = r.dataset_id
         LEFT JOIN datasets t ON t.id = r.test_dataset_id
        WHERE r.experiment_id = $1
        ORDER BY r.created_at, r.id`,
      [experimentId],
    )
  ).rows;
}

export async function markExperimentFailed(db: Db, experimentId: string): Promise<void> {
  await db.query(`UPDATE experiments SET failed = true WHERE id = $1`, [experimentId]);
}

/** Records the surfaces an experiment queued (its step once its runs are trained). */
export async function setExperimentSurfaces(db: Db, experimentId: string, surfaceIds: readonly string[]): Promise<void> {
  await db.query(`UPDATE experiments SET surface_ids = $2 WHERE id = $1`, [experimentId, surfaceIds]);
}

/** Records the curve an experiment queued (its step once its runs are trained). */
export async function setExperimentCurve(db: Db, experimentId: string, curveId: string): Promise<void> {
  await db.query(`UPDATE experiments SET curve_id = $2 WHERE id = $1`, [experimentId, curveId]);
}

/**
 * Experiments that neither failed nor queued their surfaces (or curve) although every run ended more than
 * `graceSeconds` ago.
 */
export async function findStalledExperiments(db: Db, graceSeconds: number): Promise<{ id: string }[]> {
  return (
    await db.query<{ id: string }>(
      `SELECT e.id FROM experiments e
        WHERE NOT e.failed AND cardinality(e.surface_ids) = 0 AND e.curve_id IS NULL
          AND EXISTS (SELECT 1 FROM training_runs r WHERE r.experiment_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM training_runs r WHERE r.experiment_id = e.id
                           AND (r.status IN ('queued', 'running') OR r.finished_at > now() - make_interval(secs => $1)))`,
      [graceSeconds],
    )
  ).rows;
}
