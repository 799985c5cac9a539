/**
 * Verifying an account's email address: a link sent at sign-up (and again on request) proves the
 * holder reads that address. What needs it: accepting an invitation, which was sent to an address
 * (invitations.service.ts). Everything else works unverified.
 */
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { DomainError, badInput, notFound } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";
import type { Outbox } from "../../mail/outbox.js";
import { issueEmailToken, useEmailToken } from "./email-tokens.js";
import { VERIFY_LINK_MINUTES, verificationEmail } from "./emails.js";

export const VERIFY_LINK_INVALID = "This verification link has expired or was already used. Send a new one from your account page.";

export class EmailVerificationService {
  constructor(
    private readonly pool: Pool,
    private readonly outbox: Outbox,
    private readonly publicUrl: () => string,
  ) {}

  /** Whether the user's current address is verified. */
  async isVerified(userId: string): Promise<boolean> {
    const result = await this.pool.query<{ verified: boolean }>(`SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1`, [userId]);
    return result.rows[0]?.verified ?? false;
  }

  /** After sign-up: the link goes out in the background. */
  sendLater(userId: string): void {
    this.outbox.post("email verification", () => this.message(userId));
  }

  /** "Send again": sends now and reports a failure of the mail server. False when the address is already verified. */
  async sendNow(userId: string): Promise<boolean> {
    const message = await this.message(userId);
    if (!message) return false;
    // The cause is logged by the outbox; the user hears only that it failed.
    await this.outbox.send(message).catch(() => {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, "The mail server did not take the message; try again in a few minutes");
    });
    return true;
  }

  /** Verifies the address the link was sent to, if it is still the account's; returns the user's id. */
  async verify(token: string): Promise<string> {
    return transaction(this.pool, async (client) => {
      const used = await useEmailToken(client, String(token), "verify-email");
      if (!used) throw badInput("token", VERIFY_LINK_INVALID);
      const updated = await client.query(
        `UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1 AND email = $2`,
        [used.userId, used.email],
      );
      if (!updated.rowCount) throw badInput("token", VERIFY_LINK_INVALID);
      return used.userId;
    });
  }

  private async message(userId: string) {
    const user = await this.pool.query<{ email: string; verified: boolean }>(
      `SELECT email, email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1`,
      [userId],
    );
    const row = user.rows[0];
    if (!row) throw notFound("User");
    if (row.verified) return undefined;
    const token = await issueEmailToken(this.pool, userId, row.email, "verify-email", VERIFY_LINK_MINUTES);
    return verificationEmail(row.email, this.publicUrl(), token);
  }
}
