/** Curves between two models on the API side: start (validate, record, queue), read, list, cancel, delete. */
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { type CurveOptions, type CurvePhase, type CurveStatus, curveOptionsSchema } from "../../domain/curve-params.js";
import { badInput, notFound } from "../../domain/errors.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { parseInput } from "../../domain/validation.js";
import { recordCurve } from "../../domain/record-curve.js";
import type { Queue } from "../../queue/queue.js";
import type { ObjectStore } from "../../storage/object-store.js";
import type { Actor } from "../accounts/actor.js";
import type { Action } from "../projects/policy.js";
import { type ProjectsService, requireUser } from "../projects/projects.service.js";
import { assertQuotaLeft } from "../uploads/quota.js";

const curveName = z.string().trim().min(1).max(200);

interface StoredPath { loss: number[]; accuracy: number[] }
interface StoredBarriers { trainLoss: number; trainAccuracy: number; testLoss: number | null; testAccuracy: number | null }
interface StoredPlane {
  xs: number[];
  ys: number[];
  loss: number[];
  accuracy: number[];
  modelPositions: { name: string; x: number; y: number }[];
  curve: { t: number; x: number; y: number }[];
  line: { t: number; x: number; y: number }[];
  offPlane: number;
}

interface StoredEnsembleAccuracy { ensemble: number; a: number; b: number }

/** The engine's CurveEvaluation (and CurvePlane, CurveEnsemble) as the worker stores it in curves.result. */
interface StoredResult {
  plane?: StoredPlane | null;
  ensemble?: { t: number[]; train: StoredEnsembleAccuracy; test: StoredEnsembleAccuracy | null } | null;
  t: number[];
  curve: { train: StoredPath; test: StoredPath | null };
  line: { train: StoredPath; test: StoredPath | null };
  barriers: { curve: StoredBarriers; line: StoredBarriers };
  batchNormRecomputed: boolean;
}

export interface PathValuesRecord {
  trainLoss: number[];
  trainAccuracy: number[];
  testLoss: number[] | null;
  testAccuracy: number[] | null;
}

export interface PlanePointRecord {
  t: number | null;
  x: number;
  y: number;
  name: string | null;
}

export interface CurvePlaneRecord {
  xs: number[];
  ys: number[];
  loss: number[][];
  accuracy: number[][];
  models: PlanePointRecord[];
  curve: PlanePointRecord[];
  line: PlanePointRecord[];
  offPlane: number;
}

/** Accuracy of the ensemble along the curve and of each end (0-1), on the training data and, where measured, the test data. */
export interface CurveEnsembleRecord {
  members: number;
  t: number[];
  trainAccuracy: number;
  trainAccuracyA: number;
  trainAccuracyB: number;
  testAccuracy: number | null;
  testAccuracyA: number | null;
  testAccuracyB: number | null;
}

export interface CurveValuesRecord {
  t: number[];
  ensemble: CurveEnsembleRecord | null;
  plane: CurvePlaneRecord | null;
  curve: PathValuesRecord;
  line: PathValuesRecord;
  curveBarriers: StoredBarriers;
  lineBarriers: StoredBarriers;
  batchNormRecomputed: boolean;
}

export interface CurveRecord {
  id: string;
  projectId: string;
  name: string;
  modelAId: string;
  modelBId: string;
  datasetId: string;
  testDatasetId: string | null;
  options: CurveOptions;
  status: CurveStatus;
  phase: CurvePhase | null;
  stepsDone: number;
  stepsTotal: number | null;
  pointsDone: number;
  pointsTotal: number | null;
  checkpoints: { step: number; meanLoss: number }[];
  values: CurveValuesRecord | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  model_a_id: string;
  model_b_id: string;
  dataset_id: string;
  test_dataset_id: string | null;
  options: CurveOptions;
  status: CurveStatus;
  phase: CurvePhase | null;
  steps_done: number;
  steps_total: number | null;
  points_done: number;
  points_total: number | null;
  checkpoints: { step: number; meanLoss: number }[];
  result: StoredResult | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id, project_id, name, model_a_id, model_b_id, dataset_id, test_dataset_id, options, status, phase, steps_done, steps_total, points_done, points_total,
  checkpoints, result, error_code, error_message, created_at, finished_at`;

const pathOf = (p: { train: StoredPath; test: StoredPath | null }): PathValuesRecord => ({
  trainLoss: p.train.loss,
  trainAccuracy: p.train.accuracy,
  testLoss: p.test?.loss ?? null,
  testAccuracy: p.test?.accuracy ?? null,
});

/** Row-major values as rows along y. */
const rowsOf = (values: number[], nx: number): number[][] => Array.from({ length: values.length / nx }, (_, j) => values.slice(j * nx, (j + 1) * nx));
/** The engine's names of the three models, as the curve calls them. */
const PLANE_NAMES: Record<string, string> = { A: "model A", B: "model B", C: "theta" };

const planeOf = (p: StoredPlane): CurvePlaneRecord => ({
  xs: p.xs,
  ys: p.ys,
  loss: rowsOf(p.loss, p.xs.length),
  accuracy: rowsOf(p.accuracy, p.xs.length),
  models: p.modelPositions.map((m) => ({ t: null, x: m.x, y: m.y, name: PLANE_NAMES[m.name] ?? m.name })),
  curve: p.curve.map((c) => ({ ...c, name: null })),
  line: p.line.map((c) => ({ ...c, name: null })),
  offPlane: p.offPlane,
});

const ensembleOf = (e: NonNullable<StoredResult["ensemble"]>): CurveEnsembleRecord => ({
  members: e.t.length,
  t: e.t,
  trainAccuracy: e.train.ensemble,
  trainAccuracyA: e.train.a,
  trainAccuracyB: e.train.b,
  testAccuracy: e.test?.ensemble ?? null,
  testAccuracyA: e.test?.a ?? null,
  testAccuracyB: e.test?.b ?? null,
});

const toCurve = (row: Row): CurveRecord => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  modelAId: row.model_a_id,
  modelBId: row.model_b_id,
  datasetId: row.dataset_id,
  testDatasetId: row.test_dataset_id,
  options: row.options,
  status: row.status,
  phase: row.phase,
  stepsDone: row.steps_done,
  stepsTotal: row.steps_total,
  pointsDone: row.points_done,
  pointsTotal: row.points_total,
  checkpoints: row.checkpoints.map((c) => ({ step: c.step, meanLoss: c.meanLoss })),
  values: row.result
    ? {
        t: row.result.t,
        plane: row.result.plane ? planeOf(row.result.plane) : null,
        ensemble: row.result.ensemble ? ensembleOf(row.result.ensemble) : null,
        curve: pathOf(row.result.curve),
        line: pathOf(row.result.line),
        curveBarriers: row.result.barriers.curve,
        lineBarriers: row.result.barriers.line,
        batchNormRecomputed: row.result.batchNormRecomputed,
      }
    : null,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

interface ModelRow {
  name: string;
  format: string;
  signature: string;
  input_shape: number[];
  output_shape: number[];
  files: string[];
}

export class CurvesService {
  constructor(
    private readonly pool: Pool,
    private readonly queue: Queue,
    private readonly projects: ProjectsService,
    private readonly store?: ObjectStore,
    /** UPLOAD_QUOTA_BYTES: a full store refuses new curves (their bends are stored). */
    private readonly quotaBytes = Number.POSITIVE_INFINITY,
  ) {}

  async start(
    actor: Actor,
    input: { projectId: string; name?: string | null; modelAId: string; modelBId: string; datasetId: string; testDatasetId?: string | null; options?: unknown },
  ): Promise<CurveRecord> {
    const userId = requireUser(actor);
    const project = await this.projects.access(actor, input.projectId, "write");
    await assertQuotaLeft(this.pool, userId, this.quotaBytes);
    const options = parseInput(curveOptionsSchema, input.options ?? {}, "options", "Curve options are out of range (see the schema's descriptions)");
    const modelAId = assertId(input.modelAId, "Model");
    const modelBId = assertId(input.modelBId, "Model");
    if (modelAId === modelBId) throw badInput("modelBId", "A curve connects two different models; choose another model B");
    const modelOf = async (id: string) => {
      const row = (await this.pool.query<ModelRow>(`SELECT name, format, signature, input_shape, output_shape, files FROM models WHERE id = $1 AND project_id = $2`, [id, project.id])).rows[0];
      if (!row) throw notFound("Model");
      return row;
    };
    const a = await modelOf(modelAId);
    const b = await modelOf(modelBId);
    if (a.signature !== b.signature || a.format !== b.format) {
      throw badInput("modelBId", "The two models have different architectures; a curve connects two models with the same weights' shapes (and format)");
    }
    const datasetOf = async (id: string, field: string) => {
      const row = (await this.pool.query<{ rows: number; classes: number | null; input_shape: number[] }>(`SELECT rows, classes, input_shape FROM datasets WHERE id = $1 AND project_id = $2`, [
        assertId(id, "Dataset"),
        project.id,
      ])).rows[0];
      if (!row) throw notFound("Dataset");
      if (row.classes === null) throw badInput(field, "A curve is trained on a dataset of integer class labels");
      // An ONNX model reads images NCHW and the dataset may store them channels-last: the worker
      // fits the layout, so here only the sizes must agree, as for surfaces and training.
      const onnx = a.files.includes("model.onnx") && !a.files.includes("model.json");
      const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
      if (onnx ? size(a.input_shape) !== size(row.input_shape) : a.input_shape.join("x") !== row.input_shape.join("x")) {
        throw badInput(field, `The models take samples of shape [${a.input_shape.join(", ")}]; the dataset's are [${row.input_shape.join(", ")}]`);
      }
      if (a.output_shape.at(-1) !== row.classes) throw badInput(field, `The models have ${a.output_shape.at(-1)} outputs; the dataset has ${row.classes} classes`);
      return row;
    };
    const train = await datasetOf(input.datasetId, "datasetId");
    if (input.testDatasetId) await datasetOf(input.testDatasetId, "testDatasetId");
    if (options.samples !== null && options.samples > train.rows) throw badInput("options.samples", `The dataset has ${train.rows} samples`);
    const name = parseInput(curveName, input.name ?? `${a.name} to ${b.name}, ${options.kind === "bezier" ? "Bezier curve" : "polygonal chain"}`.slice(0, 200), "name", "Name must be 1 to 200 characters");
    const id = await recordCurve(this.pool, this.queue, {
      projectId: project.id, createdBy: userId, name, modelAId, modelBId, datasetId: input.datasetId, testDatasetId: input.testDatasetId ?? null, options, rows: train.rows,
    });
    const result = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM curves WHERE id = $1`, [id]);
    return toCurve(result.rows[0]!);
  }

  /** @param what what the caller asked about (the curve, or a note on it), named in a NOT_FOUND. */
  async get(actor: Actor, curveId: string, action: Action = "read", shareToken?: string, what = "Curve"): Promise<CurveRecord> {
    const row = (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM curves WHERE id = $1`, [assertId(curveId, what)])).rows[0];
    if (!row) throw notFound(what);
    await this.projects.access(actor, row.project_id, action, shareToken, what);
    return toCurve(row);
  }

  async list(actor: Actor, projectId: string, args: PageRequest, shareToken?: string): Promise<Page<CurveRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM curves WHERE project_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toCurve), first);
  }

  async cancel(actor: Actor, curveId: string): Promise<CurveRecord> {
    const curve = await this.get(actor, curveId, "write");
    const result = await this.pool.query<Row>(
      `UPDATE curves SET status = 'cancelled', phase = NULL, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [curve.id],
    );
    if (!result.rows[0]) throw badInput("id", `The curve is ${curve.status}; only queued or running curves can be cancelled`);
    await this.pool.query(`SELECT pg_notify('curve_progress', $1)`, [JSON.stringify({ curveId: curve.id })]);
    return toCurve(result.rows[0]);
  }

  /** Deletes a finished, failed or cancelled curve with its stored bends (editors and owners). */
  async delete(actor: Actor, curveId: string): Promise<string> {
    const curve = await this.get(actor, curveId, "write");
    if (curve.status === "queued" || curve.status === "running") throw badInput("id", `The curve is ${curve.status}; cancel it before deleting it`);
    const prefix = (await this.pool.query<{ storage_prefix: string }>(`DELETE FROM curves WHERE id = $1 RETURNING storage_prefix`, [curve.id])).rows[0]?.storage_prefix;
    if (prefix && this.store) await this.store.deletePrefix(prefix);
    return curve.id;
  }
}
