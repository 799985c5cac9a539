/**
 * The password asked again before changing it or deleting the account: a session left open on a
 * shared computer must not be enough for either.
 */
import { verify } from "@node-rs/argon2";
import type { Pool } from "../../db/pool.js";
import { badInput, notFound } from "../../domain/errors.js";

/**
 * Checks `password` against the user's; returns their email and name (for the new password's
 * strength check). A wrong password is BAD_USER_INPUT on `field`.
 */
export async function confirmPassword(pool: Pool, userId: string, password: string, field: string): Promise<{ email: string; name: string }> {
  const row = (await pool.query<{ email: string; name: string; password_hash: string | null }>(`SELECT email, name, password_hash FROM users WHERE id = $1`, [userId])).rows[0];
  if (!row) throw notFound("Account");
  if (!row.password_hash) throw badInput(field, "This account signs in with single sign-on and has no password; choose one with “Forgot password?” on the sign-in page first");
  const valid = typeof password === "string" && password.length > 0 && (await verify(row.password_hash, password).catch(() => false));
  if (!valid) throw badInput(field, "The password is wrong");
  return { email: row.email, name: row.name };
}
