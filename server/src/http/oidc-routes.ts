/**
 * Single sign-on's two browser routes, `GET /auth/oidc/:provider/start` (to the provider) and
 * `GET /auth/oidc/:provider/callback` (back from it; sets the same session cookie as password
 * sign-in). Both answer with redirects: a refusal goes to the sign-in page as
 * `/signin?error=<code>`, which shows the code's message, never a stack trace.
 */
import { randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";
import { parseCookie } from "cookie";
import { DomainError } from "../domain/errors.js";
import { ErrorCode, describeError } from "../errors.js";
import type { Services } from "../graphql/context.js";
import type { Logger } from "../logger.js";
import { RateLimitedError } from "../modules/accounts/rate-limits.js";
import { SSO_LOGIN_MINUTES } from "../modules/accounts/sso.service.js";
import { clientAddress, sessionCookie } from "./auth.js";

/** The browser's half of a started sign-in: its state, checked against the callback's. */
export const SSO_STATE_COOKIE = "lossatlas_sso_state";

const signInPage = (code: string) => `/signin?error=${encodeURIComponent(code)}`;

export function oidcRoutes(services: Services, log: Logger): express.Router {
  const router = express.Router();
  const secure = () => services.publicUrl.startsWith("https:");
  // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
  const stateCookie = { httpOnly: true, sameSite: "lax", path: "/auth/oidc", secure: secure() } as const;

  const refuse = (res: Response, requestId: string, error: unknown) => {
    if (error instanceof RateLimitedError) res.setHeader("retry-after", String(error.retryAfterSeconds));
    if (error instanceof DomainError) {
      log.warn({ requestId, code: error.code, reason: error.message, cause: error.cause === undefined ? undefined : describeError(error.cause) }, "single sign-on refused");
      res.redirect(303, signInPage(error.code));
      return;
    }
    log.error({ requestId, err: error }, "single sign-on failed");
    res.redirect(303, signInPage(ErrorCode.INTERNAL_SERVER_ERROR));
  };

  router.get("/:provider/start", async (req: Request<{ provider: string }>, res) => {
    const requestId = randomUUID();
    res.setHeader("cache-control", "no-store");
    try {
      // Every start keeps a row for 10 minutes: it counts as a sign-in attempt of its address.
      await services.limits.consume("signIn", { address: clientAddress(req) });
      const { url, state } = await services.sso.start(req.params.provider, req.query.next);
      res.cookie(SSO_STATE_COOKIE, state, { ...stateCookie, maxAge: SSO_LOGIN_MINUTES * 60_000 });
      res.redirect(303, url.href);
    } catch (error) {
      refuse(res, requestId, error);
    }
  });

  router.get("/:provider/callback", async (req: Request<{ provider: string }>, res) => {
    const requestId = randomUUID();
    res.setHeader("cache-control", "no-store");
    res.clearCookie(SSO_STATE_COOKIE, stateCookie);
    try {
      // The URL the provider sent the browser to, as the provider knows it (PUBLIC_URL's), with its answer.
      const at = req.originalUrl.indexOf("?");
      const query = at >= 0 ? req.originalUrl.slice(at) : "";
      const callbackUrl = new URL(`${services.publicUrl}/auth/oidc/${encodeURIComponent(req.params.provider)}/callback${query}`);
      const browserState = parseCookie(req.headers.cookie ?? "")[SSO_STATE_COOKIE];
      const session = sessionCookie(req, res, services);
      const seen = { userAgent: req.headers["user-agent"], address: clientAddress(req) };
      const result = await services.sso.finish(req.params.provider, callbackUrl, browserState, seen);
      // A new session at every sign-in, as with a password; whoever was signed in here is signed out.
      if (session.current) await services.accounts.signOut(session.current);
      session.set(result.session);
      log.info({ requestId, userId: result.user.id, provider: req.params.provider }, "signed in with single sign-on");
      res.redirect(303, result.next);
    } catch (error) {
      refuse(res, requestId, error);
    }
  });

  return router;
}
