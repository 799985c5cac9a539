/**
 * Uploads in two steps. `request` checks the caller's role, the sizes against the per-file limit
 * and the user's quota, records what was promised, and returns presigned PUT URLs for
 * server-chosen keys (`uploads/<id>/part-0001`: the uploader's file names are kept only as
 * metadata). The client sends the bytes straight to object storage. `complete` checks every
 * object arrived with its declared size, then has a separate process (validation-process.ts)
 * validate the content with the engine's readers and write the validated files under the model's
 * or dataset's own prefix; it then records the summary. A rejected upload leaves nothing behind.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import type { Config } from "../../config.js";
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { badInput, notFound } from "../../domain/errors.js";
import { parseInput } from "../../domain/validation.js";
import type { Logger } from "../../logger.js";
import type { ObjectStore } from "../../storage/object-store.js";
import type { StorageLocation } from "../../storage/open-store.js";
import type { Actor } from "../accounts/actor.js";
import type { ProjectsService } from "../projects/projects.service.js";
import { requireUser } from "../projects/projects.service.js";
import { recordModel } from "../../domain/store-model.js";
import { bytesUsed } from "./quota.js";
import { UploadRejection } from "../../domain/upload-rejection.js";
import { type ArchiveLimits, DEFAULT_CONTENT_LIMITS, type ValidationJob, type ValidationOutcome } from "../../domain/upload-validation.js";
import type { UploadValidator } from "./validation-process.js";

export type UploadKind = "model" | "dataset" | "checkpoint" | "direction";

/** Where uploaded files wait for their upload's completion: `uploads/<upload id>/part-NNNN`. */
const UPLOADS_PREFIX = "uploads/";
const UPLOAD_KEY = /^uploads\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/part-\d{4}$/;

/** Most files in one upload (a model with many shards). */
export const MAX_FILES = 200;

export interface UploadFileRequest {
  name: string;
  size: number;
  contentType?: string | null;
}

export interface UploadRequest {
  projectId: string;
  kind: UploadKind;
  name: string;
  modelId?: string | null;
  step?: number | null;
  /** CSV label column (datasets only); default the last column. */
  label?: string | null;
  /** Datasets: images stored (N, H, W, C), for models that read them channels-first (ONNX). */
  channelsLast?: boolean | null;
  files: UploadFileRequest[];
}

interface StoredFile {
  name: string;
  key: string;
  size: number;
  contentType: string;
}

export interface PresignedFile {
  name: string;
  size: number;
  url: string;
  contentType: string;
}

export interface RequestedUpload {
  id: string;
  expiresAt: Date;
  files: PresignedFile[];
}

export type CompletedUpload = { kind: "model"; id: string } | { kind: "dataset"; id: string } | { kind: "checkpoint"; id: string } | { kind: "direction"; id: string };

interface UploadRow {
  id: string;
  project_id: string;
  user_id: string;
  kind: UploadKind;
  name: string;
  model_id: string | null;
  step: number | null;
  files: StoredFile[];
  status: string;
  expires_at: Date;
  label: string | null;
  channels_last: boolean;
}

const fileName = z
  .string()
  .min(1)
  .max(300)
  .transform((value) => path.posix.basename(value.replace(/\\/g, "/")))
  .pipe(z.string().regex(/^[\w.-]{1,200}$/).refine((value) => value !== "." && value !== ".."));
const displayName = z.string().trim().min(1).max(200);

export class UploadsService {
  constructor(
    private readonly pool: Pool,
    private readonly store: ObjectStore,
    private readonly projects: ProjectsService,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly storage: StorageLocation,
    private readonly validator: UploadValidator,
  ) {}

  async request(actor: Actor, input: UploadRequest): Promise<RequestedUpload> {
    const userId = requireUser(actor);
    const project = await this.projects.access(actor, input.projectId, "write");
    const name = parseInput(displayName, input.name, "name", "Name must be 1 to 200 characters");
    const { maxFileBytes, quotaBytes, urlSeconds } = this.config.uploads;

    let modelId: string | null = null;
    let step: number | null = null;
    if (input.kind === "checkpoint") {
      modelId = assertId(input.modelId ?? "", "Model");
      const owner = await this.pool.query(`SELECT 1 FROM models WHERE id = $1 AND project_id = $2`, [modelId, project.id]);
      if (owner.rowCount === 0) throw notFound("Model");
      if (!Number.isInteger(input.step) || (input.step ?? -1) < 0) throw badInput("step", "A checkpoint needs its training step, a whole number from 0");
      step = input.step!;
      const taken = await this.pool.query(`SELECT 1 FROM checkpoints WHERE model_id = $1 AND step = $2`, [modelId, step]);
      if (taken.rowCount) throw badInput("step", `The model already has a checkpoint at step ${step}`);
    }
    if (input.kind === "direction") {
      modelId = assertId(input.modelId ?? "", "Model");
      const owner = await this.pool.query(`SELECT 1 FROM models WHERE id = $1 AND project_id = $2`, [modelId, project.id]);
      if (owner.rowCount === 0) throw notFound("Model");
    }

    if (input.files.length === 0) throw badInput("files", "Choose at least one file");
    if (input.files.length > MAX_FILES) throw badInput("files", `At most ${MAX_FILES} files per upload`);
    const seen = new Set<string>();
    const files: Omit<StoredFile, "key">[] = input.files.map((file, i) => {
      const clean = parseInput(fileName, file.name, `files.${i}.name`, `"${String(file.name).slice(0, 100)}" is not a usable file name (letters, digits, . _ -)`);
      if (seen.has(clean)) throw badInput(`files.${i}.name`, `${clean} appears twice`);
      seen.add(clean);
      if (!Number.isSafeInteger(file.size) || file.size < 1) throw badInput(`files.${i}.size`, `${clean}: size must be a positive number of bytes`);
      if (file.size > maxFileBytes) {
        throw new UploadRejection("FILE_TOO_LARGE", `${clean} is ${file.size} bytes; the limit is ${maxFileBytes} bytes per file`, `files.${i}.size`);
      }
      // The server chooses the type: what arrives is validated by content, never trusted by label.
      return { name: clean, size: file.size, contentType: "application/octet-stream" };
    });
    const total = files.reduce((sum, file) => sum + file.size, 0);
    const used = await this.bytesUsed(userId);
    if (used + total > quotaBytes) {
      throw new UploadRejection("QUOTA_EXCEEDED", `This upload (${total} bytes) would exceed your storage quota: ${used} of ${quotaBytes} bytes used`, "files");
    }

    const label = input.kind === "dataset" && input.label ? String(input.label).slice(0, 200) : null;
    const channelsLast = input.kind === "dataset" && input.channelsLast === true;
    const created = await this.pool.query<{ id: string; expires_at: Date }>(
      `INSERT INTO uploads (project_id, user_id, kind, name, model_id, step, label, files, total_bytes, expires_at, channels_last)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, now() + make_interval(secs => $9), $10)
       RETURNING id, expires_at`,
      [project.id, userId, input.kind, name, modelId, step, label, total, urlSeconds, channelsLast],
    );
    const { id, expires_at: expiresAt } = created.rows[0]!;
    const stored: StoredFile[] = files.map((file, i) => ({ ...file, key: `uploads/${id}/part-${String(i + 1).padStart(4, "0")}` }));
    await this.pool.query(`UPDATE uploads SET files = $2 WHERE id = $1`, [id, JSON.stringify(stored)]);
    const presigned = await Promise.all(
      stored.map(async (file) => ({
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        url: await this.store.presignPut(file.key, file.size, file.contentType, urlSeconds),
      })),
    );
    return { id, expiresAt, files: presigned };
  }

  /** Bytes the user stores (see quota.ts). */
  bytesUsed(userId: string): Promise<number> {
    return bytesUsed(this.pool, userId);
  }

  async complete(actor: Actor, uploadId: string): Promise<CompletedUpload> {
    const userId = requireUser(actor);
    const id = assertId(uploadId, "Upload");
    // Claim it, so two completions of the same upload cannot both store a result.
    const claimed = await this.pool.query<UploadRow>(
      `UPDATE uploads SET status = 'validating' WHERE id = $1 AND user_id = $2 AND status = 'pending'
       RETURNING id, project_id, user_id, kind, name, model_id, step, label, files, status, expires_at, channels_last`,
      [id, userId],
    );
    const row = claimed.rows[0];
    if (!row) {
      const existing = await this.pool.query<{ status: string }>(`SELECT status FROM uploads WHERE id = $1 AND user_id = $2`, [id, userId]);
      if (!existing.rows[0]) throw notFound("Upload");
      throw new UploadRejection("UPLOAD_EXPIRED", `This upload was already ${existing.rows[0].status === "validating" ? "being completed" : existing.rows[0].status}`);
    }
    const { files, label } = row;
    try {
      // The caller must still be allowed to write to the project.
      await this.projects.access(actor, row.project_id, "write");
      if (row.expires_at.getTime() < Date.now()) throw new UploadRejection("UPLOAD_EXPIRED", "The upload URLs expired before the upload was completed; start again");
      for (const file of files) {
        const size = await this.store.size(file.key);
        if (size === undefined) throw new UploadRejection("UPLOAD_INCOMPLETE", `${file.name} was never uploaded`);
        if (size > file.size) throw new UploadRejection("FILE_TOO_LARGE", `${file.name} arrived with more bytes than the ${file.size} declared`);
        if (size !== file.size) throw new UploadRejection("UPLOAD_INCOMPLETE", `${file.name} arrived with fewer bytes than the ${file.size} declared`);
      }
      const result = await this.validateAndRecord(row, label);
      await this.pool.query(`UPDATE uploads SET status = 'completed' WHERE id = $1`, [row.id]);
      await this.removeObjects(files);
      return result;
    } catch (error) {
      const rejection = error instanceof UploadRejection ? error : undefined;
      await this.removeObjects(files);
      await this.pool.query(`UPDATE uploads SET status = 'failed', error_code = $2, error_message = $3 WHERE id = $1`, [
        row.id,
        rejection?.code ?? "INTERNAL_SERVER_ERROR",
        rejection?.message ?? "validation failed unexpectedly",
      ]);
      throw error;
    }
  }

  /**
   * Validates by kind in the validation process, which writes the validated files under the new
   * object's prefix; then records the row. Anything written is deleted again on any failure.
   */
  private async validateAndRecord(row: UploadRow, label: string | null): Promise<CompletedUpload> {
    const id = randomUUID();
    const target =
      row.kind === "dataset"
        ? `projects/${row.project_id}/datasets/${id}/`
        : row.kind === "checkpoint"
          ? `projects/${row.project_id}/models/${row.model_id}/checkpoints/${id}/`
          : row.kind === "direction"
            ? `projects/${row.project_id}/models/${row.model_id}/directions/${id}/`
          : `projects/${row.project_id}/models/${id}/`;
    const job: ValidationJob = {
      kind: row.kind,
      files: row.files.map((file) => ({ name: file.name, key: file.key })),
      label,
      target,
      archive: this.archiveLimits(),
      content: { ...DEFAULT_CONTENT_LIMITS, maxClasses: this.config.uploads.maxClasses },
      storage: this.storage,
    };
    let outcome: ValidationOutcome;
    try {
      outcome = await this.validator.validate(job, row.files.reduce((sum, file) => sum + file.size, 0));
      if (!outcome.ok) throw new UploadRejection(outcome.code, outcome.message, outcome.field);
      return await this.record(row, id, target, outcome, label);
    } catch (error) {
      await this.store.deletePrefix(target).catch((cleanup: unknown) => this.log.warn({ err: cleanup, target }, "could not delete a rejected upload's files"));
      throw error;
    }
  }

  private async record(row: UploadRow, id: string, prefix: string, outcome: ValidationOutcome & { ok: true }, label: string | null): Promise<CompletedUpload> {
    if (outcome.kind === "dataset") {
      const { summary } = outcome;
      await this.pool.query(
        `INSERT INTO datasets (id, project_id, created_by, name, format, rows, input_shape, target_shape, classes, class_names, storage_prefix, files, total_bytes, sha256, label, channels_last)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          id,
          row.project_id,
          row.user_id,
          row.name,
          summary.format,
          summary.rows,
          JSON.stringify(summary.inputShape),
          JSON.stringify(summary.targetShape),
          summary.classes,
          summary.classNames ? JSON.stringify(summary.classNames) : null,
          prefix,
          JSON.stringify(outcome.files),
          outcome.totalBytes,
          outcome.sha256,
          summary.format === "csv" ? label : null,
          row.channels_last,
        ],
      );
      return { kind: "dataset", id };
    }
    if (row.kind === "direction") {
      // A direction is a file of the model's graph whose parameters hold the direction: the same
      // names and shapes as the model's weights, as a checkpoint has them.
      const expected = await this.signatureOf(row.model_id!);
      if (expected === undefined) throw notFound("Model");
      if (expected !== outcome.signature) {
        throw new UploadRejection("INVALID_MODEL", "The direction's parameters do not have the names and shapes of its model's weights");
      }
      await this.pool.query(
        `INSERT INTO model_directions (id, model_id, name, storage_prefix, files, total_bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, row.model_id, row.name, prefix, JSON.stringify(outcome.files), outcome.totalBytes, outcome.sha256],
      );
      return { kind: "direction", id };
    }
    if (row.kind === "checkpoint") {
      const expected = await this.signatureOf(row.model_id!);
      if (expected === undefined) throw notFound("Model");
      if (expected !== outcome.signature) {
        throw new UploadRejection("INVALID_MODEL", "The checkpoint's weights do not have the names and shapes of its model's weights");
      }
      try {
        await this.pool.query(
          `INSERT INTO checkpoints (id, model_id, step, storage_prefix, files, total_bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, row.model_id, row.step, prefix, JSON.stringify(outcome.files), outcome.totalBytes, outcome.sha256],
        );
      } catch (error) {
        if ((error as { code?: string }).code === "23505") throw badInput("step", `The model already has a checkpoint at step ${row.step}`);
        throw error;
      }
      return { kind: "checkpoint", id };
    }
    await recordModel(this.pool, {
      id,
      projectId: row.project_id,
      createdBy: row.user_id,
      name: row.name,
      prefix,
      summary: outcome.summary,
      files: outcome.files,
      totalBytes: outcome.totalBytes,
      sha256: outcome.sha256,
      signature: outcome.signature,
    });
    return { kind: "model", id };
  }

  /** A zip may hold at most 2000 entries and expand to at most four times the per-file limit. */
  private archiveLimits(): ArchiveLimits {
    return { maxEntries: 2000, maxTotalBytes: 4 * this.config.uploads.maxFileBytes };
  }

  private async signatureOf(modelId: string): Promise<string | undefined> {
    const result = await this.pool.query<{ signature: string }>(`SELECT signature FROM models WHERE id = $1`, [modelId]);
    return result.rows[0]?.signature;
  }

  private async removeObjects(files: StoredFile[]): Promise<void> {
    for (const file of files) {
      await this.store.delete(file.key).catch((error: unknown) => this.log.warn({ err: error, key: file.key }, "could not delete an upload object"));
    }
  }

  /** Stops the processes kept warm for validation. */
  close(): void {
    this.validator.close();
  }

  /**
   * Does the upload that `key` belongs to still take this file? Only while it is pending and
   * unexpired, and only for a key it was issued: the file store's /storage route asks before
   * each PUT, so an upload URL does nothing once its upload is completed, failed or expired.
   */
  async acceptsPut(key: string): Promise<boolean> {
    const match = UPLOAD_KEY.exec(key);
    if (!match) return false;
    const result = await this.pool.query(
      `SELECT 1 FROM uploads WHERE id = $1 AND status = 'pending' AND expires_at > now() AND files @> $2::jsonb`,
      [match[1], JSON.stringify([{ key }])],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Deletes objects under `uploads/` that no open upload will read: those of uploads completed,
   * failed or expired, and any of no upload at all. An S3 store checks its own signatures, so an
   * upload URL used again after completion does write there; this takes such writes away again.
   * Objects of uploads still pending or being validated stay. Returns how many objects went.
   * @param batch most keys looked at per call (default 1000); the periodic sweep does the rest.
   */
  async sweepOrphans(batch = 1000): Promise<number> {
    const keys = await this.store.list(UPLOADS_PREFIX, batch);
    const ids = [...new Set(keys.map((key) => UPLOAD_KEY.exec(key)?.[1]).filter((id): id is string => id !== undefined))];
    const open = ids.length
      ? new Set((await this.pool.query<{ id: string }>(`SELECT id FROM uploads WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'validating')`, [ids])).rows.map((row) => row.id))
      : new Set<string>();
    let removed = 0;
    for (const key of keys) {
      const id = UPLOAD_KEY.exec(key)?.[1];
      if (id !== undefined && open.has(id)) continue;
      await this.store.delete(key).catch((error: unknown) => this.log.warn({ err: error, key }, "could not delete an orphaned upload object"));
      removed++;
    }
    if (removed > 0) this.log.info({ removed }, "swept upload objects no upload will read");
    return removed;
  }

  /**
   * Deletes the objects of uploads that expired without being completed, so abandoned uploads
   * do not hold storage or quota. Returns how many uploads were swept.
   */
  async sweepExpired(): Promise<number> {
    const expired = await this.pool.query<{ id: string; files: StoredFile[] }>(
      `UPDATE uploads SET status = 'failed', error_code = 'UPLOAD_EXPIRED', error_message = 'expired before completion'
        WHERE status = 'pending' AND expires_at < now() - interval '1 minute'
        RETURNING id, files`,
    );
    for (const row of expired.rows) await this.removeObjects(row.files);
    return expired.rowCount ?? 0;
  }
}
