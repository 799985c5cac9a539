/**
 * "Forgot password?": an emailed link to choose a new password. The link's token is single-use,
 * expires after RESET_LINK_MINUTES and is stored only hashed (email-tokens.ts). Asking answers the
 * same, at once, whether or not the address has an account: the lookup and the message happen
 * after the answer (Outbox). Choosing the new password ends every session of the account.
 */
import { hash } from "@node-rs/argon2";
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { badInput } from "../../domain/errors.js";
import { parseInput } from "../../domain/validation.js";
import type { Outbox } from "../../mail/outbox.js";
import type { UserRecord } from "./accounts.service.js";
import { issueEmailToken, useEmailToken } from "./email-tokens.js";
import { RESET_LINK_MINUTES, passwordResetEmail } from "./emails.js";
import { PASSWORD_LENGTH, passwordWeakness } from "./password-strength.js";

const email = z.string().trim().toLowerCase().max(254).email();
const password = z.string().min(PASSWORD_LENGTH.min).max(PASSWORD_LENGTH.max);

/** What a link that is unknown, used or expired answers. */
export const RESET_LINK_INVALID = "This link has expired or was already used. Ask for a new one from the sign-in page.";

export class PasswordResetService {
  constructor(
    private readonly pool: Pool,
    private readonly outbox: Outbox,
    private readonly publicUrl: () => string,
  ) {}

  /** Emails a reset link to `address` if it has an account; returns before looking. A malformed address is BAD_USER_INPUT. */
  request(address: string): void {
    const to = parseInput(email, address, "email", "Enter a valid email address");
    this.outbox.post("password reset", async () => {
      const user = await this.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [to]);
      if (!user.rows[0]) return undefined;
      const token = await issueEmailToken(this.pool, user.rows[0].id, to, "password-reset", RESET_LINK_MINUTES);
      return passwordResetEmail(to, this.publicUrl(), token);
    });
  }

  /**
   * Sets a new password with a reset link's token, under sign-up's strength rules, and ends every
   * session of the account. A weak password leaves the link usable; a used or expired one is
   * BAD_USER_INPUT on `token`. Receiving the link proves the address, so it counts as verified.
   */
  async reset(token: string, newPassword: string): Promise<UserRecord> {
    const secret = parseInput(password, newPassword, "password", `Password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`);
    return transaction(this.pool, async (client) => {
      const used = await useEmailToken(client, String(token), "password-reset");
      if (!used) throw badInput("token", RESET_LINK_INVALID);
      const row = (
        await client.query<{ id: string; email: string; name: string; created_at: Date }>(`SELECT id, email, name, created_at FROM users WHERE id = $1 FOR UPDATE`, [used.userId])
      ).rows[0];
      // The address changed since the link was sent: it no longer speaks for this account.
      if (!row || row.email !== used.email) throw badInput("token", RESET_LINK_INVALID);
      const weakness = passwordWeakness(secret, [row.email, row.name]);
      if (weakness) throw badInput("password", weakness);
      await client.query(
        `UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`,
        [row.id, await hash(secret)],
      );
      await client.query(`DELETE FROM sessions WHERE user_id = $1`, [row.id]);
      // Other reset links sent before this one stop working too.
      await client.query(`UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'password-reset' AND used_at IS NULL`, [row.id]);
      return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
    });
  }
}
