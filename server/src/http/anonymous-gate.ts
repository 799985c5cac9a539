/**
 * A gate in front of /graphql for anonymous requests (no session cookie, no API token): at most
 * `maxActive` of them are handled at a time, the rest wait in order, and beyond `maxWaiting` they
 * are refused with 503 and `Retry-After`. Signed-in requests never wait here, so a flood of
 * anonymous calls (health probes, scrapers) cannot starve the people using the service: between
 * two steps of a signed-in request, the event loop runs at most `maxActive` anonymous ones.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ErrorCode } from "../errors.js";
import { sessionFromCookieHeader } from "./auth.js";

export function anonymousGate(maxActive: number, maxWaiting = 10_000): RequestHandler {
  let active = 0;
  const waiting: (() => void)[] = [];
  // A finished request hands its place to the next in line, or frees it.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization || sessionFromCookieHeader(req.headers.cookie)) {
      next();
      return;
    }
    const start = () => {
      let released = false;
      const done = () => {
        if (released) return;
        released = true;
        release();
      };
      res.once("finish", done);
      res.once("close", done);
      next();
    };
    if (active < maxActive) {
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
