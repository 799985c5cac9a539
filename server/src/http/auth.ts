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
import { SESSION_DAYS } from "../modules/accounts/accounts.service.js";

export const SESSION_COOKIE = "lossatlas_session";

export interface RequestAuth {
  actor: Actor;
  session: SessionCookie;
  shareToken: string | undefined;
}

export async function authenticate(req: Request, res: Response, services: Services): Promise<RequestAuth> {
  const secure = services.config.http.publicUrl.startsWith("https:");
  const cookies = parseCookie(req.headers.cookie ?? "");
  const current = cookies[SESSION_COOKIE];
  const session: SessionCookie = {
    current,
    set: (secret) =>
      res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: SESSION_DAYS * 86_400_000 }),
    clear: () => res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" }),
  };
  const shareHeader = req.headers["x-share-token"];
  const shareToken = typeof shareHeader === "string" && shareHeader.length <= 200 ? shareHeader : undefined;

  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match ? await services.accounts.userForToken(match[1]!) : undefined;
    if (!user) {
      throw new GraphQLError("The API token is invalid or revoked", {
        extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
      });
    }
    return { actor: { kind: "user", user, via: "token" }, session, shareToken };
  }
  if (current) {
    const user = await services.accounts.userForSession(current);
    if (user) return { actor: { kind: "user", user, via: "session" }, session, shareToken };
    session.clear();
  }
  return { actor: ANONYMOUS, session, shareToken };
}

export function createLoaders(services: Services): Loaders {
  return {
    users: new DataLoader(async (ids: readonly string[]) => {
      const users = await services.accounts.usersByIds(ids);
      return ids.map((id) => users.get(id));
    }),
  };
}
