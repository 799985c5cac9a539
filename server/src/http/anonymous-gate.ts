/**
 * A gate in front of /graphql for anonymous requests (no session cookie, no API token): at most
 * `maxActive` of them are handled at a time (one while any signed-in request is in flight), the
 * rest wait in order, and beyond `maxWaiting` they are refused with 503 and `Retry-After`.
 * Signed-in requests never wait here, so a flood of anonymous calls (health probes, scrapers)
 * cannot starve the people using the service: between two steps of a signed-in request, the event
 * loop runs at most one anonymous request.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ErrorCode } from "../errors.js";
import { sessionFromCookieHeader } from "./auth.js";

export function anonymousGate(maxActive: number, maxWaiting = 10_000): RequestHandler {
  let active = 0;
  let signedIn = 0;
  const waiting: (() => void)[] = [];
  const limit = () => (signedIn > 0 ? 1 : maxActive);
  // Lets waiting anonymous requests in, in order, while there is room.
  const drain = () => {
    while (active < limit() && waiting.length > 0) {
      active += 1;
      waiting.shift()!();
    }
  };
  const once = (res: Response, done: () => void) => {
    let called = false;
    const finish = () => {
      if (called) return;
      called = true;
      done();
    };
    res.once("finish", finish);
    res.once("close", finish);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization || sessionFromCookieHeader(req.headers.cookie)) {
      signedIn += 1;
      once(res, () => {
        signedIn -= 1;
        drain();
      });
      next();
      return;
    }
    const start = () => {
      once(res, () => {
        active -= 1;
        drain();
      });
      next();
    };
    if (active < limit()) {
      active += 1;
      start();
    } else if (waiting.length < maxWaiting) {
      waiting.push(start);
    } else {
      res.setHeader("retry-after", "1");
      res.status(503).json({ errors: [{ message: "Too many anonymous requests at once; try again shortly", extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] });
    }
  };
}
