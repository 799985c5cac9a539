/**
 * One-machine mode serves the embedded object store behind the API's own origin, under /storage,
 * so presigned URLs work from any browser that reaches the API, not only from this machine.
 * The embedded store accepts any signature, so this route checks them itself: only a valid,
 * unexpired presigned GET, HEAD or PUT of one object passes; listing and everything else is
 * refused. Requests and responses are streamed, never buffered.
 */
import http from "node:http";
import type { RequestHandler } from "express";
import type { Logger } from "../logger.js";
import type { ObjectStore } from "../storage/object-store.js";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export function storageProxy(target: string, store: ObjectStore, log: Logger): RequestHandler {
  const upstream = new URL(target);
  return async (req, res) => {
    const url = new URL(req.url, "http://storage");
    const prefix = `/${store.bucket}/`;
    const key = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : "";
    const incoming = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
    const allowed = key !== "" && (await store.verifyPresigned(req.method, key, url.searchParams, incoming).catch(() => false));
    if (!allowed) {
      res.status(403).type("application/xml").end("<Error><Code>AccessDenied</Code><Message>A valid, unexpired presigned URL is required</Message></Error>");
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    }
    headers.host = upstream.host;
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_BY_HOP.has(name) && value !== undefined) res.setHeader(name, value);
        }
        answer.pipe(res);
      },
    );
    forward.on("error", (error) => {
      log.warn({ err: error }, "object store unreachable through /storage");
      if (!res.headersSent) res.status(502).type("text/plain").end("object storage unavailable");
      else res.destroy();
    });
    req.pipe(forward);
  };
}
