/** Training runs on the API side: start (validate, record, queue), read, list, cancel. */
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { resnetName } from "../../engine/pure.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { badInput, notFound } from "../../domain/errors.js";
import { parseInput } from "../../domain/validation.js";
import { sendJob } from "../../jobs/definitions.js";
import type { Queue } from "../../queue/queue.js";
import type { Actor } from "../accounts/actor.js";
import type { Action } from "../projects/policy.js";
import { type ProjectsService, requireUser } from "../projects/projects.service.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { assertQuotaLeft } from "../uploads/quota.js";
import { deleteRunObjects } from "../projects/cleanup.js";
import { type Architecture, MAX_CHECKPOINTS, type TrainingOptions, architectureSchema, checkResnetImages, trainingOptionsSchema } from "../../domain/training-params.js";

const runName = z.string().trim().min(1).max(200);

export interface CurvePointRecord {
  step: number;
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number | null;
  testAccuracy: number | null;
}

export interface TrainingRunRecord {
  id: string;
  projectId: string;
  name: string;
  datasetId: string;
  testDatasetId: string | null;
  architecture: Architecture;
  options: TrainingOptions;
  status: "queued" | "running" | "ready" | "failed" | "cancelled";
  stepsDone: number;
  stepsTotal: number | null;
  curve: CurvePointRecord[];
  modelId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The side of an experiment this run is, if any. */
  role: string | null;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  dataset_id: string;
  test_dataset_id: string | null;
  architecture: Architecture;
  options: TrainingOptions;
  status: TrainingRunRecord["status"];
  steps_done: number;
  steps_total: number | null;
  curve: CurvePointRecord[];
  model_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  role: string | null;
}

const COLUMNS = `id, project_id, name, dataset_id, test_dataset_id, architecture, options, status, steps_done, steps_total, curve, model_id, error_code, error_message, created_at, started_at, finished_at, role`;
const toRun = (row: Row): TrainingRunRecord => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  datasetId: row.dataset_id,
  testDatasetId: row.test_dataset_id,
  architecture: row.architecture,
  options: row.options,
  status: row.status,
  stepsDone: row.steps_done,
  stepsTotal: row.steps_total,
  curve: row.curve,
  modelId: row.model_id,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  role: row.role,
});

export class TrainingService {
  constructor(
    private readonly pool: Pool,
    private readonly queue: Queue,
    private readonly projects: ProjectsService,
    private readonly store?: ObjectStore,
    /** UPLOAD_QUOTA_BYTES: a full store refuses new training runs. */
    private readonly quotaBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** @param experiment the experiment this run is one side of, with its role in it. */
  async start(
    actor: Actor,
    input: { projectId: string; name?: string | null; datasetId: string; testDatasetId?: string | null; architecture: unknown; options?: unknown },
    experiment?: { id: string; role: string },
  ): Promise<TrainingRunRecord> {
    const userId = requireUser(actor);
    const project = await this.projects.access(actor, input.projectId, "write");
    await assertQuotaLeft(this.pool, userId, this.quotaBytes);
    const architecture = parseInput(architectureSchema, input.architecture, "architecture", "Choose an MLP (depth 1-32, width 1-1024), a CNN (two layers of 1-128 filters), a ResNet (1-18 blocks per stage, width 1-64, downsampling 1-4), or an uploaded model by its id");
    const options = parseInput(trainingOptionsSchema, input.options ?? {}, "options", "Training options are out of range (see the schema's descriptions)");
    const datasetOf = async (id: string, field: string) => {
      const row = (await this.pool.query<{ rows: number; classes: number | null; input_shape: number[]; channels_last: boolean }>(
        `SELECT rows, classes, input_shape, channels_last FROM datasets WHERE id = $1 AND project_id = $2`,
        [assertId(id, "Dataset"), project.id],
      )).rows[0];
      if (!row) throw notFound("Dataset");
      if (row.classes === null) throw badInput(field, "Training needs a dataset of integer class labels");
      return row;
    };
    const train = await datasetOf(input.datasetId, "datasetId");
    if (input.testDatasetId) {
      const test = await datasetOf(input.testDatasetId, "testDatasetId");
      if (test.input_shape.join("x") !== train.input_shape.join("x")) throw badInput("testDatasetId", "The test data's samples have another shape than the training data's");
    }
    if (options.holdOut !== null) {
      if (input.testDatasetId) throw badInput("options.holdOut", "Give either a test dataset or rows to hold out of the training dataset, not both");
      if (Math.min(train.rows, options.samples ?? train.rows) + options.holdOut > train.rows) {
        throw badInput("options.holdOut", `The dataset has ${train.rows} rows: too few to train on ${options.samples ?? train.rows} and hold out ${options.holdOut}`);
      }
    }
    if (architecture.kind === "cnn" && train.input_shape.length !== 3) throw badInput("architecture", "A CNN needs image samples (height, width, channels)");
    if (architecture.kind === "resnet") checkResnetImages(architecture, train);
    let uploadedName: string | null = null;
    if (architecture.kind === "uploaded") {
      const model = (await this.pool.query<{ name: string; input_shape: number[]; output_shape: number[]; files: string[] }>(
        `SELECT name, input_shape, output_shape, files FROM models WHERE id = $1 AND project_id = $2`,
        [assertId(architecture.modelId, "Model"), project.id],
      )).rows[0];
      if (!model) throw notFound("Model");
      // An ONNX model reads images NCHW and the dataset may store them channels-last: the worker
      // fits the layout (and names a mismatch), so here only the sizes must agree, as for surfaces.
      const onnx = model.files.includes("model.onnx") && !model.files.includes("model.json");
      const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
      if (onnx ? size(model.input_shape) !== size(train.input_shape) : model.input_shape.join("x") !== train.input_shape.join("x")) {
        throw badInput("architecture", `The model takes samples of shape [${model.input_shape.join(", ")}]; the dataset's are [${train.input_shape.join(", ")}]`);
      }
      if (model.output_shape.at(-1) !== train.classes) {
        throw badInput("architecture", `The model has ${model.output_shape.at(-1)} outputs; the dataset has ${train.classes} classes`);
      }
      // Zoo models get weight decay as an L2 regularizer on their kernels when they are built, and
      // ONNX models in the engine's trainer; an uploaded TF.js model brings its own regularizers.
      if (options.weightDecay > 0 && !onnx) throw badInput("options.weightDecay", "Weight decay applies to zoo and ONNX models; an uploaded TF.js model keeps the regularizers it was saved with");
      uploadedName = model.name;
    }
    const rows = Math.min(train.rows, options.samples ?? train.rows);
    const steps = Math.ceil(rows / Math.min(options.batchSize, rows)) * options.epochs;
    const every = options.checkpointEvery ?? Math.ceil(rows / Math.min(options.batchSize, rows));
    if (steps / every > MAX_CHECKPOINTS) throw badInput("options.checkpointEvery", `That would save ${Math.ceil(steps / every)} checkpoints; at most ${MAX_CHECKPOINTS}`);
    const label =
      architecture.kind === "mlp"
        ? `MLP ${architecture.depth}x${architecture.width}${architecture.residual ? " residual" : ""}`
        : architecture.kind === "cnn"
          ? `CNN ${architecture.channels.join("-")}`
          : architecture.kind === "resnet"
            ? resnetName(architecture) + (architecture.downsample > 1 ? `, images / ${architecture.downsample}` : "")
            : `${uploadedName} trained`;
    const name = parseInput(runName, input.name ?? `${label}, ${options.optimizer} lr ${options.learningRate}, batch ${options.batchSize}`, "name", "Name must be 1 to 200 characters");
    const id = (await this.pool.query<{ id: string }>(`SELECT gen_random_uuid() AS id`)).rows[0]!.id;
    const result = await this.pool.query<Row>(
      `INSERT INTO training_runs (id, project_id, created_by, name, dataset_id, test_dataset_id, architecture, options, steps_total, storage_prefix, experiment_id, role)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
      [
        id,
        project.id,
        userId,
        name,
        input.datasetId,
        input.testDatasetId ?? null,
        JSON.stringify(architecture),
        JSON.stringify(options),
        steps,
        `projects/${project.id}/training/${id}/`,
        experiment?.id ?? null,
        experiment?.role ?? null,
      ],
    );
    await sendJob(this.queue, "trainingRun", { runId: id }, { singletonKey: id });
    return toRun(result.rows[0]!);
  }

  async get(actor: Actor, runId: string, action: Action = "read", shareToken?: string): Promise<TrainingRunRecord> {
    const row = (await this.pool.query<Row & { project_id: string }>(`SELECT ${COLUMNS} FROM training_runs WHERE id = $1`, [assertId(runId, "Training run")])).rows[0];
    if (!row) throw notFound("Training run");
    await this.projects.access(actor, row.project_id, action, shareToken, "Training run");
    return toRun(row);
  }

  /** The runs of an experiment, in the order they were started (access already checked). */
  async ofExperiment(experimentId: string): Promise<TrainingRunRecord[]> {
    const result = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM training_runs WHERE experiment_id = $1 ORDER BY created_at, id`, [experimentId]);
    return result.rows.map(toRun);
  }

  async list(actor: Actor, projectId: string, args: PageRequest, shareToken?: string): Promise<Page<TrainingRunRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM training_runs WHERE project_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toRun), first);
  }

  async cancel(actor: Actor, runId: string): Promise<TrainingRunRecord> {
    const run = await this.get(actor, runId, "write");
    const result = await this.pool.query<Row>(
      `UPDATE training_runs SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [run.id],
    );
    if (!result.rows[0]) throw badInput("id", `The run is ${run.status}; only queued or running runs can be cancelled`);
    await this.pool.query(`SELECT pg_notify('training_progress', $1)`, [JSON.stringify({ runId: run.id })]);
    return toRun(result.rows[0]);
  }

  /**
   * Deletes a finished, failed or cancelled run with its checkpoints and stored files (editors and
   * owners). The model it trained stays, without the checkpoints that lived with the run.
   */
  async delete(actor: Actor, runId: string): Promise<string> {
    const run = await this.get(actor, runId, "write");
    if (run.status === "queued" || run.status === "running") throw badInput("id", `The run is ${run.status}; cancel it before deleting it`);
    const prefix = (await this.pool.query<{ storage_prefix: string }>(`SELECT storage_prefix FROM training_runs WHERE id = $1`, [run.id])).rows[0]?.storage_prefix;
    await this.pool.query(`DELETE FROM training_runs WHERE id = $1`, [run.id]);
    if (prefix && this.store) await deleteRunObjects(this.pool, this.store, [prefix]);
    return run.id;
  }
}
