/** Reading and deleting models and their checkpoints; uploads create them (see uploads/). */
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { notFound } from "../../domain/errors.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { deletePrefixes, dependentPrefixes } from "../projects/cleanup.js";
import { type Download, presignDownloads } from "../../domain/downloads.js";
import type { Actor } from "../accounts/actor.js";
import type { Action } from "../projects/policy.js";
import type { ProjectsService } from "../projects/projects.service.js";
import type { LayerSummary } from "../../domain/upload-validation.js";
import { parseInput } from "../../domain/validation.js";
import { sendJob } from "../../jobs/definitions.js";
import type { Queue } from "../../queue/queue.js";
import { requireUser } from "../projects/projects.service.js";
import { badInput } from "../../domain/errors.js";
import { curvatureOptionsSchema } from "../../domain/curvature-params.js";
import type { CurvatureState } from "../../domain/curvature-params.js";
import type { ModelCurvature } from "./curvature.type.js";

export interface ModelRecord {
  id: string;
  projectId: string;
  name: string;
  format: string;
  layers: LayerSummary[];
  parameterCount: number;
  /** Trainable parameters and BatchNorm's running statistics; null for models stored before they were counted. */
  trainableCount: number | null;
  bufferCount: number | null;
  /** Forward-pass FLOPs of one sample (the engine's count); null for models stored before it was counted. */
  flopsPerSample: number | null;
  inputShape: number[];
  outputShape: number[];
  loss: string | null;
  storagePrefix: string;
  files: string[];
  totalBytes: number;
  sha256: string;
  notes: string[];
  createdAt: Date;
}

export interface DirectionRecord {
  id: string;
  modelId: string;
  name: string;
  storagePrefix: string;
  files: string[];
  totalBytes: number;
  createdAt: Date;
}

export interface CheckpointRecord {
  id: string;
  modelId: string;
  step: number;
  storagePrefix: string;
  files: string[];
  totalBytes: number;
  createdAt: Date;
}

const MODEL_COLUMNS = `id, project_id, name, format, layers, parameter_count, trainable_count, buffer_count, flops_per_sample, input_shape, output_shape, loss, storage_prefix, files, total_bytes, sha256, notes, created_at`;

interface ModelRow {
  id: string;
  project_id: string;
  name: string;
  format: string;
  layers: LayerSummary[];
  parameter_count: string;
  trainable_count: string | null;
  buffer_count: string | null;
  flops_per_sample: number | null;
  input_shape: number[];
  output_shape: number[];
  loss: string | null;
  storage_prefix: string;
  files: string[];
  total_bytes: string;
  sha256: string;
  notes: string[];
  created_at: Date;
}

const toModel = (row: ModelRow): ModelRecord => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  format: row.format,
  layers: row.layers,
  parameterCount: Number(row.parameter_count),
  trainableCount: row.trainable_count === null ? null : Number(row.trainable_count),
  bufferCount: row.buffer_count === null ? null : Number(row.buffer_count),
  flopsPerSample: row.flops_per_sample,
  inputShape: row.input_shape,
  outputShape: row.output_shape,
  loss: row.loss,
  storagePrefix: row.storage_prefix,
  files: row.files,
  totalBytes: Number(row.total_bytes),
  sha256: row.sha256,
  notes: row.notes,
  createdAt: row.created_at,
});

export class ModelsService {
  constructor(
    private readonly pool: Pool,
    private readonly store: ObjectStore,
    private readonly projects: ProjectsService,
    private readonly queue?: Queue,
  ) {}

  /**
   * Queues the curvature of a model's loss over one of its project's datasets (editors and
   * owners); the worker computes it (compute/curvature-job.ts).
   */
  async computeCurvature(
    actor: Actor,
    input: { modelId: string; datasetId: string; samples?: number | null; topK?: number | null; traceProbes?: number | null; densityRuns?: number | null; seed?: number | null },
  ): Promise<ModelCurvature> {
    const userId = requireUser(actor);
    const model = await this.get(actor, input.modelId, "write");
    const dataset = (await this.pool.query<{ id: string; rows: number; input_shape: number[] }>(
      `SELECT id, rows, input_shape FROM datasets WHERE id = $1 AND project_id = $2`,
      [assertId(input.datasetId, "Dataset"), model.projectId],
    )).rows[0];
    if (!dataset) throw notFound("Dataset");
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    if (size(dataset.input_shape) !== size(model.inputShape)) {
      throw badInput("datasetId", `The model takes samples of shape [${model.inputShape.join(", ")}]; the dataset's are [${dataset.input_shape.join(", ")}]`);
    }
    const given = Object.fromEntries(
      Object.entries({ samples: input.samples, topK: input.topK, traceProbes: input.traceProbes, densityRuns: input.densityRuns, seed: input.seed, sampleSeed: input.seed })
        .filter(([, v]) => v !== null && v !== undefined),
    );
    const options = parseInput(curvatureOptionsSchema, given, "input", "Curvature options are out of range (see the schema's descriptions)");
    options.samples = Math.min(options.samples, dataset.rows);
    const row = (await this.pool.query<CurvatureRow>(
      `INSERT INTO model_curvatures (model_id, dataset_id, created_by, options) VALUES ($1, $2, $3, $4) RETURNING ${CURVATURE_COLUMNS}`,
      [model.id, dataset.id, userId, JSON.stringify(options)],
    )).rows[0]!;
    if (!this.queue) throw new Error("ModelsService needs the queue to compute curvature");
    await sendJob(this.queue, "modelCurvature", { curvatureId: row.id }, { singletonKey: row.id });
    return toCurvature(row);
  }

  /** The model's latest curvature (any dataset), or null; the caller has already been checked. */
  async latestCurvature(modelId: string): Promise<ModelCurvature | null> {
    const row = (await this.pool.query<CurvatureRow>(
      `SELECT ${CURVATURE_COLUMNS} FROM model_curvatures WHERE model_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [modelId],
    )).rows[0];
    return row ? toCurvature(row) : null;
  }

  /** A model the caller may act on; NOT_FOUND when its project is out of reach. */
  /** Presigned downloads of a model's files; the caller has already been checked. */
  async downloads(modelId: string, expiresIn: number): Promise<Download[]> {
    const row = (await this.pool.query<{ name: string; storage_prefix: string; files: string[] }>(`SELECT name, storage_prefix, files FROM models WHERE id = $1`, [modelId])).rows[0];
    if (!row) return [];
    return presignDownloads(this.store, row.storage_prefix, row.files, expiresIn, row.name);
  }

  /**
   * Presigned downloads of a checkpoint's files (the same format as its model's), named after the
   * model and the step; the caller has already been checked (checkpoints are reached through their
   * model, or returned to the editor who uploaded them).
   */
  async checkpointDownloads(checkpointId: string, expiresIn: number): Promise<Download[]> {
    const row = (
      await this.pool.query<{ name: string; step: number; storage_prefix: string; files: string[] }>(
        `SELECT m.name, c.step, c.storage_prefix, c.files FROM checkpoints c JOIN models m ON m.id = c.model_id WHERE c.id = $1`,
        [checkpointId],
      )
    ).rows[0];
    if (!row) return [];
    return presignDownloads(this.store, row.storage_prefix, row.files, expiresIn, `${row.name}-step-${row.step}`);
  }

  async get(actor: Actor, modelId: string, action: Action = "read", shareToken?: string): Promise<ModelRecord> {
    const result = await this.pool.query<ModelRow>(`SELECT ${MODEL_COLUMNS} FROM models WHERE id = $1`, [assertId(modelId, "Model")]);
    const row = result.rows[0];
    if (!row) throw notFound("Model");
    await this.projects.access(actor, row.project_id, action, shareToken, "Model");
    return toModel(row);
  }

  /** By id without an access check: for loaders of objects whose surface or project was checked. */
  async byIds(ids: readonly string[]): Promise<Map<string, ModelRecord>> {
    if (ids.length === 0) return new Map();
    const result = await this.pool.query<ModelRow>(`SELECT ${MODEL_COLUMNS} FROM models WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(result.rows.map((row) => [row.id, toModel(row)]));
  }

  async list(actor: Actor, projectId: string, args: PageRequest, shareToken?: string): Promise<Page<ModelRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<ModelRow>(
      `SELECT ${MODEL_COLUMNS} FROM models
        WHERE project_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toModel), first);
  }

  /** Checkpoints of a model in training order (step ascending). */
  /** Directions uploaded for a model, oldest first (the caller has checked access to the model). */
  async directions(modelId: string, args: PageRequest): Promise<Page<DirectionRecord>> {
    const { limit, first } = pageWindow(args);
    const after = args.after ? Buffer.from(args.after, "base64url").toString("utf8").split("|") : null;
    const result = await this.pool.query<{ id: string; model_id: string; name: string; storage_prefix: string; files: string[]; total_bytes: string; created_at: Date }>(
      `SELECT id, model_id, name, storage_prefix, files, total_bytes, created_at FROM model_directions
        WHERE model_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid)) ORDER BY created_at, id LIMIT $4`,
      [modelId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    const nodes = result.rows.slice(0, first).map((row) => ({
      id: row.id, modelId: row.model_id, name: row.name, storagePrefix: row.storage_prefix, files: row.files, totalBytes: Number(row.total_bytes), createdAt: row.created_at,
    }));
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: { hasNextPage: result.rows.length > first, endCursor: last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`, "utf8").toString("base64url") : null },
    };
  }

  async direction(directionId: string): Promise<DirectionRecord> {
    const result = await this.pool.query<{ id: string; model_id: string; name: string; storage_prefix: string; files: string[]; total_bytes: string; created_at: Date }>(
      `SELECT id, model_id, name, storage_prefix, files, total_bytes, created_at FROM model_directions WHERE id = $1`,
      [assertId(directionId, "Direction")],
    );
    const row = result.rows[0];
    if (!row) throw notFound("Direction");
    return { id: row.id, modelId: row.model_id, name: row.name, storagePrefix: row.storage_prefix, files: row.files, totalBytes: Number(row.total_bytes), createdAt: row.created_at };
  }

  async checkpoints(modelId: string, args: PageRequest): Promise<Page<CheckpointRecord>> {
    const { limit, first } = pageWindow(args);
    // Steps order checkpoints; the cursor still carries (created_at, id) but is decoded as a step.
    const after = args.after ? Number.parseInt(Buffer.from(args.after, "base64url").toString("utf8"), 10) : -1;
    const result = await this.pool.query<{ id: string; model_id: string; step: number; storage_prefix: string; files: string[]; total_bytes: string; created_at: Date }>(
      `SELECT id, model_id, step, storage_prefix, files, total_bytes, created_at FROM checkpoints
        WHERE model_id = $1 AND step > $2 ORDER BY step LIMIT $3`,
      [modelId, Number.isInteger(after) ? after : -1, limit],
    );
    const nodes = result.rows.slice(0, first).map((row) => ({
      id: row.id,
      modelId: row.model_id,
      step: row.step,
      storagePrefix: row.storage_prefix,
      files: row.files,
      totalBytes: Number(row.total_bytes),
      createdAt: row.created_at,
    }));
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: { hasNextPage: result.rows.length > first, endCursor: last ? Buffer.from(String(last.step), "utf8").toString("base64url") : null },
    };
  }

  async checkpoint(checkpointId: string): Promise<CheckpointRecord> {
    const result = await this.pool.query<{ id: string; model_id: string; step: number; storage_prefix: string; files: string[]; total_bytes: string; created_at: Date }>(
      `SELECT id, model_id, step, storage_prefix, files, total_bytes, created_at FROM checkpoints WHERE id = $1`,
      [assertId(checkpointId, "Checkpoint")],
    );
    const row = result.rows[0];
    if (!row) throw notFound("Checkpoint");
    return { id: row.id, modelId: row.model_id, step: row.step, storagePrefix: row.storage_prefix, files: row.files, totalBytes: Number(row.total_bytes), createdAt: row.created_at };
  }

  /** Deletes a model with its checkpoints and stored files (editors and owners). */
  async delete(actor: Actor, modelId: string): Promise<string> {
    const model = await this.get(actor, modelId, "write");
    // Checkpoints of a training run live with the run, not under the model's prefix.
    const checkpoints = await this.pool.query<{ storage_prefix: string }>(`SELECT storage_prefix FROM checkpoints WHERE model_id = $1`, [model.id]);
    // Surfaces and curves of the model go with it (a cascade), and so do their files.
    const dependents = await dependentPrefixes(this.pool, { modelId: model.id });
    await this.pool.query(`DELETE FROM models WHERE id = $1`, [model.id]);
    await this.store.deletePrefix(model.storagePrefix);
    for (const { storage_prefix: prefix } of checkpoints.rows) {
      if (!prefix.startsWith(model.storagePrefix)) await this.store.deletePrefix(prefix);
    }
    await deletePrefixes(this.store, dependents.surfaces);
    await deletePrefixes(this.store, dependents.curves);
    return model.id;
  }
}

const CURVATURE_COLUMNS = `id, dataset_id, status, options, hvps_done, hvps_planned, result, error_message, created_at`;

interface CurvatureRow {
  id: string;
  dataset_id: string;
  status: string;
  options: { samples: number };
  hvps_done: number;
  hvps_planned: number;
  result: {
    dimension: number;
    eigenvalues: { top: number[]; lambdaMin: number; converged?: boolean };
    trace: { trace: number; standardError: number } | null;
    density: { x: number[]; density: number[]; sigma: number; nodes: number[]; weights: number[] } | null;
    method: string;
    /** Absent from results recorded before the error estimate was. */
    errorEstimate?: number | null;
    step?: number;
    backend: string;
    convGradient: string;
    seconds: number;
  } | null;
  error_message: string | null;
  created_at: Date;
}

function toCurvature(row: CurvatureRow): ModelCurvature {
  const r = row.result;
  const top = r?.eigenvalues.top ?? [];
  return {
    id: row.id,
    datasetId: row.dataset_id,
    status: row.status as CurvatureState,
    samples: row.options.samples,
    hvpsDone: row.hvps_done,
    hvpsPlanned: row.hvps_planned,
    dimension: r?.dimension ?? null,
    topEigenvalues: top,
    lambdaMin: r?.eigenvalues.lambdaMin ?? null,
    eigenRatio: r && top[0] ? Math.abs(r.eigenvalues.lambdaMin / top[0]) : null,
    trace: r?.trace?.trace ?? null,
    traceStandardError: r?.trace?.standardError ?? null,
    density: r?.density ? { x: r.density.x, density: r.density.density, sigma: r.density.sigma, nodes: r.density.nodes, weights: r.density.weights } : null,
    method: r?.method ?? null,
    hvpErrorEstimate: r?.errorEstimate ?? null,
    hvpStep: r?.step ?? null,
    eigenvaluesConverged: r?.eigenvalues.converged ?? null,
    backend: r ? `${r.backend}${r.convGradient === "as a convolution" ? " (convolution filter gradients computed as convolutions)" : ""}` : null,
    seconds: r?.seconds ?? null,
    errorMessage: row.error_message,
    createdAt: row.created_at,
  };
}
