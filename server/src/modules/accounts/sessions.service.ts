/**
 * A user's own sessions: listed with the browser and address they last came from, ended one at a
 * time or all but the current one, and all but the current one ended by a password change. Every
 * method takes the user's id and touches only that user's rows: another user's session answers
 * like a missing one (NOT_FOUND).
 */
import { hash } from "@node-rs/argon2";
import Bowser from "bowser";
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { badInput, notFound } from "../../domain/errors.js";
import { assertId } from "../../domain/ids.js";
import { parseInput } from "../../domain/validation.js";
import { confirmPassword } from "./password-check.js";
import { PASSWORD_LENGTH, passwordWeakness } from "./password-strength.js";
import { hashSecret } from "./secrets.js";

export interface SessionRecord {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** The raw `User-Agent` header, up to 512 characters; null when the client sent none. */
  userAgent: string | null;
  /** What the user agent says in a few words: "Chrome 131 on Linux". */
  browser: string;
  lastAddress: string | null;
  /** Whether this is the session the request itself came with. */
  current: boolean;
}

interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  user_agent: string | null;
  last_address: string | null;
  current: boolean;
}

// Without a session of its own (an API token), no row is the current one.
const COLUMNS = `id, created_at, last_seen_at, expires_at, user_agent, last_address, coalesce(id_hash = $2, false) AS current`;

/**
 * A user agent in a few words, "Firefox 133 on Windows", from bowser's parse; the major version
 * only, since the rest tells a person nothing. Unknown agents (scripts, old browsers) read as
 * "Unknown browser", or the agent's first word when it has one.
 */
export function summariseUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const parsed = Bowser.parse(userAgent);
  const name = parsed.browser.name;
  if (!name) return userAgent.split(/[\s/]/)[0]?.slice(0, 40) || "Unknown browser";
  const major = parsed.browser.version?.split(".")[0];
  const os = parsed.os.name ? ` on ${parsed.os.name}` : "";
  return `${name}${major ? ` ${major}` : ""}${os}`;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  userAgent: row.user_agent,
  browser: summariseUserAgent(row.user_agent),
  lastAddress: row.last_address,
  current: row.current,
});

const newPassword = z.string().min(PASSWORD_LENGTH.min).max(PASSWORD_LENGTH.max);

export class SessionsService {
  constructor(private readonly pool: Pool) {}

  /**
   * The user's live sessions, newest first; `currentSecret` (the request's own session, if any)
   * marks the one it came with.
   */
  async list(userId: string, currentSecret: string | undefined, args: PageRequest): Promise<Page<SessionRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<SessionRow>(
      `SELECT ${COLUMNS} FROM sessions
        WHERE user_id = $1 AND expires_at > now() AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [userId, currentHash(currentSecret), cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toSession), first);
  }

  /** Ends one of the user's sessions at once: its next request is signed out. */
  async end(userId: string, id: string, currentSecret: string | undefined): Promise<SessionRecord> {
    const result = await this.pool.query<SessionRow>(`DELETE FROM sessions WHERE id = $1 AND user_id = $3 RETURNING ${COLUMNS}`, [
      assertId(id, "Session"),
      currentHash(currentSecret),
      userId,
    ]);
    if (!result.rows[0]) throw notFound("Session");
    return toSession(result.rows[0]);
  }

  /** Ends every session of the user but the current one ("sign out everywhere else"); returns how many. */
  async endOthers(userId: string, currentSecret: string | undefined): Promise<number> {
    const result = await this.pool.query(`DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2`, [userId, currentHash(currentSecret)]);
    return result.rowCount ?? 0;
  }

  /**
   * Replaces the password after checking the current one, and ends every other session of the
   * user in the same transaction, so whoever else held one (a stolen cookie) is out at once. API
   * tokens stay: they are revoked one by one. Returns how many sessions ended.
   */
  async changePassword(userId: string, input: { currentPassword: string; newPassword: string }, currentSecret: string | undefined): Promise<number> {
    const user = await confirmPassword(this.pool, userId, input.currentPassword, "currentPassword");
    const secret = parseInput(newPassword, input.newPassword, "newPassword", `Password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`);
    if (secret === input.currentPassword) throw badInput("newPassword", "Choose a password different from the current one");
    const weakness = passwordWeakness(secret, [user.email, user.name]);
    if (weakness) throw badInput("newPassword", weakness);
    const passwordHash = await hash(secret);
    return transaction(this.pool, async (client) => {
      await client.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [userId, passwordHash]);
      const ended = await client.query(`DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2`, [userId, currentHash(currentSecret)]);
      return ended.rowCount ?? 0;
    });
  }
}

const currentHash = (secret: string | undefined): Buffer | null => (secret ? hashSecret(secret) : null);
