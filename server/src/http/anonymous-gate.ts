/**
 * A gate in front of /graphql for anonymous requests (no session cookie, no API token): at most
 * `maxActive` of them are handled at a time (one while any signed-in request is in flight), the
 * rest wait in order, and beyond `maxWaiting` they are refused with 503 and `Retry-After`.
 * Signed-in requests never wait here, so a flood of anonymous calls (health probes, scrapers)
 * cannot starve the people using the service: while any signed-in request is in flight, anonymous
 * requests run one at a time and start at most one per `busyIntervalMs`, which bounds the share of
 * the CPU (shared with PostgreSQL on one machine) that anonymous traffic can take from them.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ErrorCode } from "../errors.js";
import { sessionFromCookieHeader } from "./auth.js";

export function anonymousGate(maxActive: number, busyIntervalMs = 0, maxWaiting = 10_000): RequestHandler {
  let active = 0;
  let signedIn = 0;
  let lastStart = 0;
  let timer: NodeJS.Timeout | undefined;
  const waiting: (() => void)[] = [];
  const limit = () => (signedIn > 0 ? 1 : maxActive);
  // Milliseconds until the next anonymous request may start: none while no signed-in request runs.
  const pause = () => (signedIn > 0 ? lastStart + busyIntervalMs - performance.now() : 0);
  const admit = (start: () => void) => {
    active += 1;
    lastStart = performance.now();
    start();
  };
  // Lets waiting anonymous requests in, in order, while there is room.
  const drain = () => {
    while (active < limit() && waiting.length > 0) {
      const wait = pause();
      if (wait > 0) {
        timer ??= setTimeout(() => {
          timer = undefined;
          drain();
        }, Math.ceil(wait));
        return;
      }
      admit(waiting.shift()!);
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
    if (active < limit() && waiting.length === 0 && pause() <= 0) {
      admit(start);
    } else if (waiting.length < maxWaiting) {
      waiting.push(start);
      drain();
    } else {
      res.setHeader("retry-after", "1");
      res.status(503).json({ errors: [{ message: "Too many anonymous requests at once; try again shortly", extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] });
    }
  };
}
