/**
 * The tokens that email links carry (password resets, address verification): 32 random bytes,
 * stored only as their SHA-256, each working once and until it expires.
 */
import type { Db } from "../../db/transaction.js";
import { hashSecret, randomSecret } from "./secrets.js";

export type EmailTokenPurpose = "password-reset" | "verify-email";

/** Records a new token for `userId` sent to `email`, valid for `minutes`; returns the token itself (for the link only). */
export async function issueEmailToken(db: Db, userId: string, email: string, purpose: EmailTokenPurpose, minutes: number): Promise<string> {
  const token = randomSecret(32);
  await db.query(
    `INSERT INTO email_tokens (token_hash, user_id, purpose, email, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
    [hashSecret(token), userId, purpose, email, minutes],
  );
  return token;
}

/**
 * Marks a live token of `purpose` used and returns whom it was for; undefined when it is unknown,
 * used, expired or of another purpose. Only one of two concurrent uses succeeds.
 */
export async function useEmailToken(db: Db, token: string, purpose: EmailTokenPurpose): Promise<{ userId: string; email: string } | undefined> {
  const result = await db.query<{ user_id: string; email: string }>(
    `UPDATE email_tokens SET used_at = now()
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, email`,
    [hashSecret(token), purpose],
  );
  const row = result.rows[0];
  return row ? { userId: row.user_id, email: row.email } : undefined;
}

/** Deletes tokens that expired more than a day ago (used ones are kept that long too, for support questions). */
export async function sweepEmailTokens(db: Db): Promise<void> {
  await db.query(`DELETE FROM email_tokens WHERE expires_at < now() - interval '1 day'`);
}
