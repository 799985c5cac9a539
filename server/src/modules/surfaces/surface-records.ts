/**
 * What the surfaces service answers with, and how a row of `surfaces` becomes one: the records
 * the resolvers turn into GraphQL objects, and the values read back from tiles.
 */
import { floatsOf } from "../../domain/values.js";
import type { SurfaceKind, SurfaceMetric, SurfaceParams } from "../../domain/surface-params.js";
import type { Role } from "../projects/policy.js";

/** Grids up to this many points are also served inline as numbers (larger ones only as a file). */
export const INLINE_POINTS = 201 * 201;

export interface SurfaceRecord {
  id: string;
  projectId: string;
  name: string;
  kind: SurfaceKind;
  modelId: string;
  modelBId: string | null;
  datasetId: string;
  /** The held-out set evaluated beside the training set at every point; null without one. */
  testDatasetId: string | null;
  params: SurfaceParams;
  tags: string[];
  status: "queued" | "running" | "ready" | "failed" | "cancelled";
  pointsDone: number;
  pointsTotal: number;
  errorCode: string | null;
  errorMessage: string | null;
  storagePrefix: string;
  geometry: { movedTensors?: string[]; notes?: string[]; firstLayerTrick?: string[]; cosine?: number; explainedVariance?: number[]; path?: { step: number; x: number; y: number; distance: number; fromFinal?: number; offPlaneFraction: number }[]; modelPositions?: { name: string; x: number; y: number; runningStatsOf?: string }[]; modelChecks?: { name: string; loss: number; ownLoss: number; accuracy: number | null; ownAccuracy: number | null }[] } | null;
  /** Loss surfaces: loss and accuracy; eigen-ratio maps: lambdaMax, lambdaMin and ratio. */
  statistics: ({ unconverged?: number | null; nonConvexity?: number | null; basin?: { level: number; area: number; width: number } | null } & Partial<Record<SurfaceMetric, Stat>>) | null;
  criticalPoints: CriticalPointRecord[] | null;
  backend: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The caller's role on the surface's project. */
  role: Role;
}

export interface Stat {
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Recorded since significance is measured against the capped range (null or absent before). */
  median?: number | null;
}

export interface CriticalPointRecord {
  kind: "minimum" | "saddle" | "maximum";
  i: number;
  j: number;
  x: number;
  y: number;
  value: number;
  /** Topological persistence in loss units; absent on surfaces computed before it was measured. */
  persistence?: number;
  basin?: { threshold: number; cells: number; area: number; spillValue: number; depth: number; escape: string };
}

export interface CreateSurfaceInput {
  projectId: string;
  name?: string | null;
  kind: SurfaceKind;
  modelId: string;
  modelBId?: string | null;
  datasetId: string;
  testDatasetId?: string | null;
  params: unknown;
  tags?: string[] | null;
}

export interface GalleryFilter {
  projectId?: string | null;
  modelId?: string | null;
  kind?: SurfaceKind | null;
  tag?: string | null;
  status?: SurfaceRecord["status"] | null;
  search?: string | null;
  /** Include frames of series over training (default false). */
  frames?: boolean | null;
}

export const COLUMNS = `s.id, s.project_id, s.name, s.kind, s.model_id, s.model_b_id, s.dataset_id, s.test_dataset_id, s.params, s.tags, s.status, s.points_done, s.points_total,
  s.error_code, s.error_message, s.storage_prefix, s.geometry, s.statistics, s.critical_points, s.backend, s.created_at, s.started_at, s.finished_at`;

export interface SurfaceRow {
  id: string;
  project_id: string;
  name: string;
  kind: SurfaceKind;
  model_id: string;
  model_b_id: string | null;
  dataset_id: string;
  test_dataset_id: string | null;
  params: SurfaceParams;
  tags: string[];
  status: SurfaceRecord["status"];
  points_done: number;
  points_total: number;
  error_code: string | null;
  error_message: string | null;
  storage_prefix: string;
  geometry: SurfaceRecord["geometry"];
  statistics: SurfaceRecord["statistics"];
  critical_points: CriticalPointRecord[] | null;
  backend: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const toSurface = (row: SurfaceRow, role: Role): SurfaceRecord => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  kind: row.kind,
  modelId: row.model_id,
  modelBId: row.model_b_id,
  datasetId: row.dataset_id,
  testDatasetId: row.test_dataset_id,
  params: row.params,
  tags: row.tags,
  status: row.status,
  pointsDone: row.points_done,
  pointsTotal: row.points_total,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  storagePrefix: row.storage_prefix,
  geometry: row.geometry,
  statistics: row.statistics,
  criticalPoints: row.critical_points,
  backend: row.backend,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  role,
});

export type SurfaceValues = Partial<Record<SurfaceMetric, Float32Array>>;

export interface EigenRatioCost {
  /** Most Hessian-vector products: points x the Lanczos step cap. */
  hvps: number;
  /** Points x the mean steps per point of the model's last map that recorded them; null before one did. */
  expectedHvps: number | null;
  /** Samples each gradient runs over. */
  samples: number;
  /** Seconds on one worker at the measured speed; null before any speed was measured on the model. */
  estimatedSeconds: number | null;
  /** Where the speed comes from, for people. */
  basis: string | null;
}

export interface TileValueColumns {
  loss: Buffer | null;
  accuracy: Buffer | null;
  test_loss: Buffer | null;
  test_accuracy: Buffer | null;
  curvature: Buffer | null;
}

/** The columns of `surface_tiles` that tileValues reads. */
export const TILE_VALUE_COLUMNS = "loss, accuracy, test_loss, test_accuracy, curvature";

/** A tile's values by metric: loss and accuracy (and the test set's), or the grids of its curvature column. */
export function tileValues(tile: TileValueColumns, count: number): Partial<Record<SurfaceMetric, Float32Array>> {
  if (tile.curvature) {
    const all = floatsOf(tile.curvature);
    // Tiles of maps made before per-point convergence hold three grids.
    const grid = (m: number) => (all.length >= (m + 1) * count ? all.slice(m * count, (m + 1) * count) : new Float32Array(count).fill(Number.NaN));
    return { lambdaMax: grid(0), lambdaMin: grid(1), ratio: grid(2), lanczosSteps: grid(3), converged: grid(4) };
  }
  if (!tile.loss || !tile.accuracy) return {};
  const test = tile.test_loss && tile.test_accuracy ? { testLoss: floatsOf(tile.test_loss), testAccuracy: floatsOf(tile.test_accuracy) } : {};
  return { loss: floatsOf(tile.loss), accuracy: floatsOf(tile.accuracy), ...test };
}
