/**
 * Who is calling, from the request: an `Authorization: Bearer` API token, else the session cookie.
 * A bad token fails the request (a script should learn at once that its token is wrong); a stale
 * cookie just means signed out.
 */
import DataLoader from "dataloader";
import type { Request, Response } from "express";
import { GraphQLError } from "graphql";
import { parseCookie } from "cookie";
import { ErrorCode } from "../errors.js";
import type { Loaders, Services, SessionCookie } from "../graphql/context.js";
import { ANONYMOUS, type Actor } from "../modules/accounts/actor.js";
import { SESSION_DAYS, type SessionSeen } from "../modules/accounts/accounts.service.js";

export const SESSION_COOKIE = "lossatlas_session";

export interface RequestAuth {
  actor: Actor;
  session: SessionCookie;
  shareToken: string | undefined;
}

/** The caller from raw credentials; throws UNAUTHENTICATED for a bad API token. */
export async function resolveActor(
  services: Services,
  credentials: { session?: string | undefined; authorization?: string | undefined; seen?: SessionSeen | undefined },
): Promise<{ actor: Actor; staleSession: boolean }> {
  if (credentials.authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(credentials.authorization);
    const user = match ? await services.accounts.userForToken(match[1]!) : undefined;
    if (!user) {
      throw new GraphQLError("The API token is invalid or revoked", {
        extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
      });
    }
    return { actor: { kind: "user", user, via: "token" }, staleSession: false };
  }
  if (credentials.session) {
    const user = await services.accounts.userForSession(credentials.session, credentials.seen);
    if (user) return { actor: { kind: "user", user, via: "session" }, staleSession: false };
    return { actor: ANONYMOUS, staleSession: true };
  }
  return { actor: ANONYMOUS, staleSession: false };
}

/** A share token as sent by a client, if it looks like one. */
export function readShareToken(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 && value.length <= 200 ? value : undefined;
}

export function sessionFromCookieHeader(header: string | undefined): string | undefined {
  return parseCookie(header ?? "")[SESSION_COOKIE];
}

/** The request's network address: the connection's, or what a proxy named in TRUST_PROXY forwarded. */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? "";

/**
 * The session cookie of `req`, set and cleared on `res`: HttpOnly, SameSite=Lax, and Secure
 * whenever PUBLIC_URL is https. Password sign-in and single sign-on set the same cookie.
 */
export function sessionCookie(req: Request, res: Response, services: Services): SessionCookie {
  const secure = services.config.http.publicUrl.startsWith("https:");
  return {
    current: sessionFromCookieHeader(req.headers.cookie),
    set: (secret) =>
      res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: SESSION_DAYS * 86_400_000 }),
    clear: () => res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" }),
  };
}

export async function authenticate(req: Request, res: Response, services: Services): Promise<RequestAuth> {
  const session = sessionCookie(req, res, services);
  const current = session.current;
  const seen = { userAgent: req.headers["user-agent"], address: clientAddress(req) };
  const { actor, staleSession } = await resolveActor(services, { session: current, authorization: req.headers.authorization, seen });
  if (staleSession) session.clear();
  return { actor, session, shareToken: readShareToken(req.headers["x-share-token"]) };
}

export function createLoaders(services: Services): Loaders {
  const batch = <T>(load: (ids: readonly string[]) => Promise<Map<string, T>>) =>
    new DataLoader(async (ids: readonly string[]) => {
      const found = await load(ids);
      return ids.map((id) => found.get(id));
    });
  return {
    users: batch((ids) => services.accounts.usersByIds(ids)),
    models: batch((ids) => services.models.byIds(ids)),
    datasets: batch((ids) => services.datasets.byIds(ids)),
    experimentsBySurface: batch((ids) => services.experiments.bySurfaceIds(ids)),
  };
}
