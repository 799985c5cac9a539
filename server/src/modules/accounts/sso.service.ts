/**
 * Single sign-on: a sign-in started here goes to the provider and comes back to its callback,
 * which names the account. A start keeps its state (hashed), nonce and PKCE code verifier in
 * `oidc_logins` for 10 minutes; the callback consumes that row, so a replayed callback finds
 * nothing, and the browser must also hold the state in its own cookie, so a callback from a sign-in
 * someone else started (login CSRF) finds nothing either.
 *
 * Which account: the one already linked to the provider's subject; else the account with the
 * same email, which the provider must mark verified; else a new account. Linking to an account
 * whose address was never verified here hands it to the person the provider vouches for: its
 * password (set by whoever signed up with that address) is removed, and its sessions and API
 * tokens end, so nobody can sign up with someone else's address and wait for them to arrive.
 */
import type { OidcProviderConfig } from "../../config.js";
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { DEMO_EMAIL } from "../../domain/demo.js";
import { DomainError, notFound } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";
import type { AccountsService, SessionSeen, UserRecord } from "./accounts.service.js";
import { OidcClient } from "./oidc.js";
import { hashSecret } from "./secrets.js";

const UNIQUE_VIOLATION = "23505";

/** How long a started sign-in may take at the provider, in minutes. */
export const SSO_LOGIN_MINUTES = 10;

/** A provider as the sign-in page lists it. */
export interface SignInProviderRecord {
  id: string;
  name: string;
}

/** Where a redirect may go after sign-in: a path of this site, never another origin. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length > 500) return "/projects";
  return next;
}

/** Is `email` in one of `domains` (a domain or any of its subdomains)? Every email is when the list is empty. */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return domains.some((allowed) => domain === allowed || domain.endsWith(`.${allowed}`));
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  created_at: Date;
}

const toUser = (row: UserRow): UserRecord => ({ id: row.id, email: row.email, name: row.name, createdAt: row.created_at });

export class SsoService {
  private readonly clients: Map<string, OidcClient>;

  constructor(
    private readonly pool: Pool,
    private readonly accounts: AccountsService,
    providers: readonly OidcProviderConfig[],
    publicUrl: () => string,
  ) {
    this.clients = new Map(providers.map((provider) => [provider.id, new OidcClient(provider, () => `${publicUrl()}/auth/oidc/${provider.id}/callback`)]));
  }

  /** The configured providers, in configuration order. */
  providers(): SignInProviderRecord[] {
    return [...this.clients.values()].map(({ provider }) => ({ id: provider.id, name: provider.name }));
  }

  private client(providerId: string): OidcClient {
    const found = this.clients.get(providerId);
    if (!found) throw notFound("Sign-in provider");
    return found;
  }

  /** Starts a sign-in: returns the provider's URL and the state the browser keeps in a cookie. */
  async start(providerId: string, next: unknown): Promise<{ url: URL; state: string }> {
    const { url, checks } = await this.client(providerId).authorizationUrl();
    await this.pool.query(
      `INSERT INTO oidc_logins (state_hash, provider, nonce, code_verifier, next_path, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))`,
      [hashSecret(checks.state), providerId, checks.nonce, checks.codeVerifier, safeNextPath(next), SSO_LOGIN_MINUTES],
    );
    return { url, state: checks.state };
  }

  /**
   * Finishes a sign-in from the provider's callback: `callbackUrl` is the URL the browser came back
   * to, `browserState` the state in the browser's cookie. Returns the account, a new session and
   * where to go next.
   */
  async finish(providerId: string, callbackUrl: URL, browserState: string | undefined, seen: SessionSeen): Promise<{ user: UserRecord; session: string; next: string }> {
    const client = this.client(providerId);
    const state = callbackUrl.searchParams.get("state");
    if (!state || state.length > 200) throw stateInvalid();
    // Consumed whatever follows: a callback works once.
    const login = (
      await this.pool.query<{ nonce: string; code_verifier: string; next_path: string }>(
        `DELETE FROM oidc_logins WHERE state_hash = $1 AND provider = $2 RETURNING nonce, code_verifier, next_path, expires_at > now() AS live`,
        [hashSecret(state), providerId],
      )
    ).rows[0] as { nonce: string; code_verifier: string; next_path: string; live: boolean } | undefined;
    if (!login || !login.live || browserState !== state) throw stateInvalid();
    const claims = await client.callback(callbackUrl, { state, nonce: login.nonce, codeVerifier: login.code_verifier });
    const { provider } = client;
    if (!claims.email || !claims.emailVerified) {
      throw new DomainError(ErrorCode.SSO_EMAIL_UNVERIFIED, `${provider.name} does not say that your email address is verified; verify it there, then sign in again`);
    }
    // The demo's system account is nobody's to sign in to, whatever a provider says.
    if (!emailDomainAllowed(claims.email, provider.allowedDomains) || claims.email === DEMO_EMAIL) {
      throw new DomainError(ErrorCode.SSO_DOMAIN_NOT_ALLOWED, `Sign-in with ${provider.name} is open to addresses of ${provider.allowedDomains.join(", ")} only`);
    }
    const identity = { ...claims, email: claims.email };
    // Two first sign-ins of one person at once both try to create the account or the link: the
    // one that loses the race (a unique violation) finds what the other made.
    const user = await this.account(provider.id, identity).catch((error: unknown) => {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return this.account(provider.id, identity);
      throw error;
    });
    return { user, session: await this.accounts.openSession(user.id, seen), next: login.next_path };
  }

  /** The account of an identity: linked before, linked now by its verified email, or created. */
  private account(provider: string, claims: { subject: string; email: string; name: string | undefined }): Promise<UserRecord> {
    const subject = claims.subject.slice(0, 255);
    return transaction(this.pool, async (db) => {
      const linked = await db.query<UserRow>(
        `UPDATE oidc_identities i SET last_used_at = now() FROM users u
          WHERE i.provider = $1 AND i.subject = $2 AND u.id = i.user_id
          RETURNING u.id, u.email, u.name, u.created_at`,
        [provider, subject],
      );
      if (linked.rows[0]) return toUser(linked.rows[0]);
      const existing = (
        await db.query<UserRow & { verified: boolean }>(`SELECT id, email, name, created_at, email_verified_at IS NOT NULL AS verified FROM users WHERE email = $1 FOR UPDATE`, [claims.email])
      ).rows[0];
      let user: UserRecord;
      if (existing) {
        if (!existing.verified) {
          // Whoever signed up with this address never proved it; the provider's person now has.
          await db.query(`UPDATE users SET password_hash = NULL, email_verified_at = now() WHERE id = $1`, [existing.id]);
          await db.query(`DELETE FROM sessions WHERE user_id = $1`, [existing.id]);
          await db.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [existing.id]);
        }
        user = toUser(existing);
      } else {
        const name = (claims.name?.trim() || claims.email.slice(0, claims.email.indexOf("@"))).slice(0, 100) || "New user";
        const created = await db.query<UserRow>(
          `INSERT INTO users (email, name, password_hash, email_verified_at) VALUES ($1, $2, NULL, now()) RETURNING id, email, name, created_at`,
          [claims.email, name],
        );
        user = toUser(created.rows[0]!);
      }
      await db.query(`INSERT INTO oidc_identities (provider, subject, user_id, email) VALUES ($1, $2, $3, $4)`, [provider, subject, user.id, claims.email]);
      return user;
    });
  }

  /** Deletes sign-ins that were started and never finished. */
  async sweep(): Promise<void> {
    await this.pool.query(`DELETE FROM oidc_logins WHERE expires_at < now()`);
  }
}

const stateInvalid = () => new DomainError(ErrorCode.SSO_STATE_INVALID, "This sign-in link has expired or was already used; start again from the sign-in page");
