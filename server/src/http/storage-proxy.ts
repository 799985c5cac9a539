/**
 * One-machine mode serves the embedded object store behind the API's own origin, under /storage,
 * so presigned URLs work from any browser that reaches the API, not only from this machine.
 * Requests and responses are streamed, never buffered.
 */
import http from "node:http";
import type { RequestHandler } from "express";
import type { Logger } from "../logger.js";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export function storageProxy(target: string, log: Logger): RequestHandler {
  const upstream = new URL(target);
  return (req, res) => {
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
