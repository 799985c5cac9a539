/**
 * Accounts: sign-up and sign-in with argon2id password hashes, cookie sessions, personal API tokens.
 * Session ids and tokens are random 256-bit secrets stored only as SHA-256 hashes.
 */
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import { parseInput } from "../../domain/validation.js";
import type { Pool } from "../../db/pool.js";
import { ErrorCode } from "../../errors.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { DomainError, badInput, notFound } from "../../domain/errors.js";
import { DEFAULT_EXPORT_SETTINGS, EXPORT_SETTINGS_MESSAGE, type ExportSettingsRecord, exportSettingsSchema } from "../../domain/export-settings.js";
import { PASSWORD_LENGTH, passwordWeakness } from "./password-strength.js";
import { RateLimitedError } from "./rate-limits.js";
import { hashSecret, randomSecret } from "./secrets.js";

/** How long a session lives without use, in days. */
export const SESSION_DAYS = 30;
/** Window in which failed sign-ins of one email from one client count (SIGN_IN_LOCKOUT_FAILURES). */
export const SIGN_IN_WINDOW_MINUTES = 15;
/** Prefix of every API token, so leaked tokens are recognisable by secret scanners. */
export const TOKEN_PREFIX = "la_";

/** Where a session's request came from, recorded when it opens and with its once-a-minute touch. */
export interface SessionSeen {
  /** The `User-Agent` header, cut to 512 characters. */
  userAgent?: string | undefined;
  /** The client's network address. */
  address?: string | undefined;
}

const seenValues = (seen: SessionSeen | undefined): [string | null, string | null] => [seen?.userAgent?.slice(0, 512) || null, seen?.address?.slice(0, 64) || null];

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  /**
   * Besides the user themself, the one user who may read `email` here: the owner of a project,
   * in the list of members they manage. Unset everywhere else.
   */
  emailVisibleTo?: string | undefined;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  created_at: Date;
}

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toUser = (row: UserRow): UserRecord => ({ id: row.id, email: row.email, name: row.name, createdAt: row.created_at });
const toToken = (row: TokenRow): ApiTokenRecord => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

const email = z.string().trim().toLowerCase().max(254).email();
const password = z.string().min(PASSWORD_LENGTH.min).max(PASSWORD_LENGTH.max);
const displayName = z.string().trim().min(1).max(100);
const tokenName = z.string().trim().min(1).max(100);


// A fixed hash to verify against when the email is unknown, so response time does not reveal
// which emails have accounts.
let decoyHash: Promise<string> | undefined;

/** Refuses password sign-in, sign-up and reset where PASSWORD_SIGN_IN is false. */
export function assertPasswordSignIn(enabled: boolean): void {
  if (!enabled) throw new DomainError(ErrorCode.PASSWORD_SIGN_IN_DISABLED, "Password sign-in is turned off here; sign in with your organisation's provider");
}

/** What sign-up answers for an email that is taken: the same as for any other refusal, no hint. */
export const SIGN_UP_REFUSED = "This account could not be created with these details. Check the address, or sign in instead.";

export class AccountsService {
  /**
   * @param lockoutFailures failed sign-ins of one email from one client address within
   *   SIGN_IN_WINDOW_MINUTES before that client is refused for that email (default 10).
   * @param passwordSignIn whether passwords sign up and sign in at all (PASSWORD_SIGN_IN, default true).
   */
  constructor(
    private readonly pool: Pool,
    private readonly lockoutFailures = 10,
    readonly passwordSignIn = true,
  ) {}

  /**
   * Creates an account with a password of 8 to 200 characters that zxcvbn scores at least
   * MIN_PASSWORD_SCORE (password-strength.ts). A taken email gets SIGN_UP_REFUSED, after the same password hashing as a
   * success, so neither the answer nor its timing says whether the email has an account.
   */
  async signUp(input: { email: string; name: string; password: string }): Promise<UserRecord> {
    assertPasswordSignIn(this.passwordSignIn);
    const address = parseInput(email, input.email, "email", "Enter a valid email address");
    const name = parseInput(displayName, input.name, "name", "Name must be 1 to 100 characters");
    const secret = parseInput(password, input.password, "password", `Password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`);
    // Checked only where a password is chosen; accounts made before this rule sign in as ever.
    const weakness = passwordWeakness(secret, [address, name]);
    if (weakness) throw badInput("password", weakness);
    const passwordHash = await hash(secret);
    try {
      const result = await this.pool.query<UserRow>(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id, email, name, created_at`,
        [address, name, passwordHash],
      );
      return toUser(result.rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw new DomainError(ErrorCode.BAD_USER_INPUT, SIGN_UP_REFUSED);
      }
      throw error;
    }
  }

  /**
   * Checks the password and opens a session; returns the user and the new session secret.
   * Failures count per email and client address: a client that keeps guessing one email is
   * refused for it (RateLimitedError), while the owner signing in from anywhere else is not.
   * @param client the caller's network address.
   */
  async signIn(input: { email: string; password: string }, client: string, userAgent?: string): Promise<{ user: UserRecord; session: string }> {
    assertPasswordSignIn(this.passwordSignIn);
    const address = email.safeParse(input.email);
    const key = address.success ? address.data : String(input.email).slice(0, 254).toLowerCase();
    const recent = await this.pool.query<{ n: number; oldest: Date | null }>(
      `SELECT count(*)::int AS n, min(failed_at) AS oldest FROM sign_in_failures
        WHERE email = $1 AND client = $2 AND failed_at > now() - make_interval(mins => $3)`,
      [key, client, SIGN_IN_WINDOW_MINUTES],
    );
    const { n, oldest } = recent.rows[0]!;
    if (n >= this.lockoutFailures) {
      const seconds = oldest ? Math.max(1, Math.ceil((oldest.getTime() + SIGN_IN_WINDOW_MINUTES * 60_000 - Date.now()) / 1000)) : SIGN_IN_WINDOW_MINUTES * 60;
      throw new RateLimitedError(seconds, `Too many failed sign-ins for this email from here; try again in ${Math.ceil(seconds / 60)} minutes`);
    }
    const row = address.success
      ? (await this.pool.query<UserRow & { password_hash: string | null }>(`SELECT id, email, name, created_at, password_hash FROM users WHERE email = $1`, [address.data])).rows[0]
      : undefined;
    // An account made by single sign-on has no password: it is checked against the decoy like an
    // unknown email, so the timing tells nothing, and it never matches.
    const valid = row?.password_hash
      ? await verify(row.password_hash, input.password).catch(() => false)
      : await verify(await (decoyHash ??= hash(randomSecret())), input.password).catch(() => false);
    if (!row?.password_hash || !valid) {
      await this.pool.query(`INSERT INTO sign_in_failures (email, client) VALUES ($1, $2)`, [key, client]);
      throw new DomainError(ErrorCode.UNAUTHENTICATED, "Wrong email or password");
    }
    await this.pool.query(`DELETE FROM sign_in_failures WHERE email = $1 AND client = $2`, [key, client]);
    return { user: toUser(row), session: await this.openSession(row.id, { address: client, userAgent }) };
  }

  /** A fresh session id (never reused across sign-ins); only its hash is stored. */
  async openSession(userId: string, seen?: SessionSeen): Promise<string> {
    const session = randomSecret(32);
    await this.pool.query(
      `INSERT INTO sessions (id_hash, user_id, expires_at, user_agent, last_address) VALUES ($1, $2, now() + make_interval(days => $3), $4, $5)`,
      [hashSecret(session), userId, SESSION_DAYS, ...seenValues(seen)],
    );
    return session;
  }

  /** Deletes expired sessions and old sign-in failures; returns how many sessions went. */
  async sweep(): Promise<number> {
    const sessions = await this.pool.query(`DELETE FROM sessions WHERE expires_at < now()`);
    await this.pool.query(`DELETE FROM sign_in_failures WHERE failed_at < now() - make_interval(mins => $1)`, [SIGN_IN_WINDOW_MINUTES]);
    return sessions.rowCount ?? 0;
  }

  async signOut(session: string): Promise<void> {
    await this.pool.query(`DELETE FROM sessions WHERE id_hash = $1`, [hashSecret(session)]);
  }

  /**
   * The user of a live session, sliding its expiry forward; undefined when expired or unknown.
   * The session row is written at most once a minute, so reading pages costs no write each; that
   * write also records `seen` (the browser and address shown in the list of sessions).
   */
  async userForSession(session: string, seen?: SessionSeen): Promise<UserRecord | undefined> {
    const result = await this.pool.query<UserRow>(
      `WITH live AS (
         SELECT u.id, u.email, u.name, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id_hash = $1 AND s.expires_at > now()),
       touched AS (
         UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(days => $2),
                user_agent = coalesce($3, user_agent), last_address = coalesce($4, last_address)
          WHERE id_hash = $1 AND expires_at > now() AND last_seen_at < now() - interval '1 minute')
       SELECT * FROM live`,
      [hashSecret(session), SESSION_DAYS, ...seenValues(seen)],
    );
    return result.rows[0] ? toUser(result.rows[0]) : undefined;
  }

  /** The user of a valid, unrevoked API token, recording its use (to the minute); undefined otherwise. */
  async userForToken(token: string): Promise<UserRecord | undefined> {
    const result = await this.pool.query<UserRow>(
      `WITH live AS (
         SELECT u.id, u.email, u.name, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL),
       touched AS (
         UPDATE api_tokens SET last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
       SELECT * FROM live`,
      [hashSecret(token)],
    );
    return result.rows[0] ? toUser(result.rows[0]) : undefined;
  }

  async createToken(userId: string, name: string): Promise<{ token: string; record: ApiTokenRecord }> {
    const clean = parseInput(tokenName, name, "name", "Token name must be 1 to 100 characters");
    const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
    const result = await this.pool.query<TokenRow>(
      `INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4)
       RETURNING id, name, prefix, created_at, last_used_at, revoked_at`,
      [userId, clean, hashSecret(token), token.slice(0, TOKEN_PREFIX.length + 6)],
    );
    return { token, record: toToken(result.rows[0]!) };
  }

  async listTokens(userId: string, args: PageRequest): Promise<Page<ApiTokenRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<TokenRow>(
      `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
        WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toToken), first);
  }

  /** Revokes at once; a token of another user answers like a missing one. */
  async revokeToken(userId: string, id: string): Promise<ApiTokenRecord> {
    const result = await this.pool.query<TokenRow>(
      `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
        WHERE id = $1 AND user_id = $2
        RETURNING id, name, prefix, created_at, last_used_at, revoked_at`,
      [id, userId],
    );
    if (!result.rows[0]) throw notFound("API token");
    return toToken(result.rows[0]);
  }

  /** Users by id, for batch loading (members lists, annotation authors). */
  async usersByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    if (ids.length === 0) return new Map();
    const result = await this.pool.query<UserRow>(`SELECT id, email, name, created_at FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(result.rows.map((row) => [row.id, toUser(row)]));
  }

  async userByEmail(address: string): Promise<UserRecord | undefined> {
    const parsed = email.safeParse(address);
    if (!parsed.success) return undefined;
    const result = await this.pool.query<UserRow>(`SELECT id, email, name, created_at FROM users WHERE email = $1`, [parsed.data]);
    return result.rows[0] ? toUser(result.rows[0]) : undefined;
  }

  /** The user's export settings as last saved, or the defaults (a single-column paper figure). */
  async exportSettings(userId: string): Promise<ExportSettingsRecord> {
    const result = await this.pool.query<{ export_settings: unknown }>(`SELECT export_settings FROM user_preferences WHERE user_id = $1`, [userId]);
    // Settings saved under older limits that no longer hold fall back to the defaults.
    const saved = exportSettingsSchema.safeParse(result.rows[0]?.export_settings);
    return saved.success ? saved.data : DEFAULT_EXPORT_SETTINGS;
  }

  /** Keeps the user's export settings; out-of-range sizes or DPI are BAD_USER_INPUT. */
  async saveExportSettings(userId: string, input: unknown): Promise<ExportSettingsRecord> {
    const settings = parseInput(exportSettingsSchema, input, "settings", EXPORT_SETTINGS_MESSAGE);
    await this.pool.query(
      `INSERT INTO user_preferences (user_id, export_settings) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET export_settings = EXCLUDED.export_settings, updated_at = now()`,
      [userId, JSON.stringify(settings)],
    );
    return settings;
  }
}
