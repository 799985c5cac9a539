/**
 * What a user stores, for the quota (UPLOAD_QUOTA_BYTES): uploaded models, datasets and
 * checkpoints, unexpired pending uploads, and what the service stored for them: trained models and
 * their checkpoints, surfaces' values, thumbnails and directions.
 */
import type { Pool } from "../../db/pool.js";
import { UploadRejection } from "../../domain/upload-rejection.js";

export async function bytesUsed(pool: Pool, userId: string): Promise<number> {
  const result = await pool.query<{ total: string }>(
    `SELECT (
        coalesce((SELECT sum(total_bytes) FROM models WHERE created_by = $1), 0)
      + coalesce((SELECT sum(c.total_bytes) FROM checkpoints c JOIN models m ON m.id = c.model_id WHERE m.created_by = $1), 0)
      + coalesce((SELECT sum(d.total_bytes) FROM model_directions d JOIN models m ON m.id = d.model_id WHERE m.created_by = $1), 0)
      + coalesce((SELECT sum(total_bytes) FROM datasets WHERE created_by = $1), 0)
      + coalesce((SELECT sum(stored_bytes) FROM surfaces WHERE created_by = $1), 0)
      + coalesce((SELECT sum(total_bytes) FROM uploads WHERE user_id = $1 AND status IN ('pending', 'validating') AND expires_at > now()), 0)
     )::text AS total`,
    [userId],
  );
  return Number(result.rows[0]?.total ?? 0);
}

/** Refuses new stored work (a surface, a training run) once the user's storage is full. */
export async function assertQuotaLeft(pool: Pool, userId: string, quotaBytes: number): Promise<void> {
  const used = await bytesUsed(pool, userId);
  if (used >= quotaBytes) {
    throw new UploadRejection("QUOTA_EXCEEDED", `Your storage is full: ${used} of ${quotaBytes} bytes used. Delete surfaces, models or datasets to make room`);
  }
}
