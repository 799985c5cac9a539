/**
 * `/storage/<key>`: the file store of one-machine mode, for browsers. Every request must carry a
 * URL signed by this server (see storage/signed-urls.ts). The route then performs exactly the
 * operation it verified, itself: a GET/HEAD of that key, or a PUT of exactly the signed number of
 * bytes into it. Nothing of the request is forwarded anywhere: no header, no query parameter, no
 * copy, listing, delete or multipart. Downloads are attachments of a server-chosen type that
 * cannot run as a page on our origin. An upload URL is good for one PUT, while its upload is open:
 * a second PUT of the same part, or one after the upload was completed, is refused (409).
 */
import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "../logger.js";
import { type FileObjectStore, LengthMismatchError, ObjectExistsError } from "../storage/file-store.js";
import { isSafeStorageKey } from "../storage/object-store.js";

/** Prefixes the server issues URLs for: uploads are written, results and files of projects read. */
const WRITABLE = "uploads/";
const READABLE = "projects/";

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).type("application/json").setHeader("cache-control", "no-store");
  res.end(JSON.stringify({ error: { code, message } }));
}

/** The key exactly as sent, before any decoding: a key the server issued never needs `%`. */
function rawKeyOf(req: Request): string | undefined {
  const raw = req.originalUrl;
  const question = raw.indexOf("?");
  const pathname = question < 0 ? raw : raw.slice(0, question);
  if (!pathname.startsWith("/storage/")) return undefined;
  const key = pathname.slice("/storage/".length);
  return isSafeStorageKey(key) ? key : undefined;
}

function rawQueryOf(req: Request): URLSearchParams {
  const raw = req.originalUrl;
  const question = raw.indexOf("?");
  return new URLSearchParams(question < 0 ? "" : raw.slice(question + 1));
}

/**
 * @param uploadOpen whether the upload a key belongs to still takes its files (requested, not yet
 *   completed, failed or expired); see UploadsService.acceptsPut.
 */
export function storageRoute(store: FileObjectStore, log: Logger, uploadOpen: (key: string) => Promise<boolean>): RequestHandler {
  return async (req, res) => {
    const method = req.method;
    if (method !== "GET" && method !== "HEAD" && method !== "PUT") {
      res.setHeader("allow", "GET, HEAD, PUT");
      refuse(res, 405, "METHOD_NOT_ALLOWED", "Storage answers only GET, HEAD and PUT of presigned URLs");
      return;
    }
    const key = rawKeyOf(req);
    if (!key) {
      refuse(res, 400, "INVALID_KEY", "Not a storage key this service issues");
      return;
    }
    // S3 request headers could ask a store to copy, tag or encrypt; none is part of our protocol.
    const amz = Object.keys(req.headers).find((name) => name.startsWith("x-amz-"));
    if (amz) {
      refuse(res, 400, "UNSIGNED_HEADER", `The header ${amz.slice(0, 60)} is not allowed`);
      return;
    }
    const verdict = store.verify(key, rawQueryOf(req));
    if (!verdict.ok) {
      refuse(res, verdict.status, verdict.status === 400 ? "INVALID_REQUEST" : "ACCESS_DENIED", "A valid, unexpired presigned URL of this object is required");
      return;
    }
    const { grant } = verdict;

    if (method === "PUT") {
      if (grant.op !== "put" || !key.startsWith(WRITABLE)) {
        refuse(res, 403, "ACCESS_DENIED", "This URL does not allow uploads");
        return;
      }
      if (req.headers["transfer-encoding"] !== undefined || req.headers["content-length"] === undefined) {
        refuse(res, 411, "LENGTH_REQUIRED", "Send the file with its Content-Length");
        return;
      }
      if (Number(req.headers["content-length"]) !== grant.length) {
        refuse(res, 403, "ACCESS_DENIED", `This URL allows exactly ${grant.length} bytes`);
        return;
      }
      const type = req.headers["content-type"];
      if (type !== undefined && type !== grant.contentType) {
        refuse(res, 403, "ACCESS_DENIED", `This URL allows only Content-Type ${grant.contentType}`);
        return;
      }
      if (!(await uploadOpen(key))) {
        refuse(res, 409, "UPLOAD_CLOSED", "This upload is already completed, failed or expired; request a new upload");
        return;
      }
      try {
        await store.putStream(key, req, grant.length, { exclusive: true });
      } catch (error) {
        if (error instanceof ObjectExistsError) {
          refuse(res, 409, "ALREADY_UPLOADED", "This file was already uploaded; each upload URL takes one PUT");
          return;
        }
        if (error instanceof LengthMismatchError) {
          refuse(res, 400, "INCOMPLETE_BODY", `The upload sent ${error.message}`);
          return;
        }
        log.warn({ err: error }, "storage write failed");
        if (!res.headersSent) refuse(res, 500, "STORAGE_FAILED", "The file could not be stored");
        return;
      }
      res.setHeader("cache-control", "no-store");
      res.status(200).end();
      return;
    }

    if (grant.op !== "get" || !key.startsWith(READABLE)) {
      refuse(res, 403, "ACCESS_DENIED", "This URL does not allow downloads");
      return;
    }
    const opened = await store.openRead(key).catch((error: unknown) => {
      log.warn({ err: error }, "storage read failed");
      return undefined;
    });
    if (!opened) {
      refuse(res, 404, "NOT_FOUND", "The object is gone");
      return;
    }
    res.status(200);
    res.setHeader("content-type", grant.contentType);
    res.setHeader("content-length", String(opened.size));
    res.setHeader("content-disposition", `attachment; filename="${grant.fileName || "download"}"`);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("content-security-policy", "sandbox; default-src 'none'");
    res.setHeader("cache-control", `private, max-age=${Math.max(0, grant.expires - Math.floor(Date.now() / 1000))}`);
    if (method === "HEAD") {
      opened.stream.destroy();
      res.end();
      return;
    }
    opened.stream.on("error", (error) => {
      log.warn({ err: error }, "storage read failed midway");
      res.destroy();
    });
    opened.stream.pipe(res);
  };
}
