/**
 * Presigned URLs of the file store: `<public>/storage/<key>?op=..&exp=..&len=..&type=..&name=..&sig=..`,
 * an HMAC-SHA256 over every field with a secret of this installation. The `/storage` route accepts
 * exactly these parameters and no others, so nothing can be added to a URL after it was signed.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { StartupError, describeError } from "../errors.js";
import { isSafeStorageKey } from "./object-store.js";

/** What a presigned URL allows: one operation on one key. */
export interface Grant {
  /** `put` uploads exactly `length` bytes; `get` downloads (HEAD too) as an attachment. */
  op: "put" | "get";
  key: string;
  /** Unix time (seconds) after which the URL is refused. */
  expires: number;
  /** put: the exact byte count; get: 0. */
  length: number;
  /** put: the content type the upload must declare; get: the type the download is served as. */
  contentType: string;
  /** get: the attachment's file name; put: empty. */
  fileName: string;
}

/** The query parameters of a signed URL, and nothing else. */
export const SIGNED_PARAMS = ["op", "exp", "len", "type", "name", "sig"] as const;

const CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]{1,100}$/;
const FILE_NAME = /^[\w.-]{0,120}$/;

function canonical(grant: Grant): string {
  return ["lossatlas-storage-v1", grant.op, grant.key, grant.expires, grant.length, grant.contentType, grant.fileName].join("\n");
}

function sign(secret: Buffer, grant: Grant): string {
  return createHmac("sha256", secret).update(canonical(grant)).digest("hex");
}

/** The query string of a URL granting `grant`. */
export function signGrant(secret: Buffer, grant: Grant): string {
  const query = new URLSearchParams({
    op: grant.op,
    exp: String(grant.expires),
    len: String(grant.length),
    type: grant.contentType,
    name: grant.fileName,
    sig: sign(secret, grant),
  });
  return query.toString();
}

export type Verdict = { ok: true; grant: Grant } | { ok: false; status: 400 | 403; reason: string };

/**
 * Checks a request's key and raw query against the secret. Any parameter other than the signed
 * ones, a repeated parameter, an unsafe key or an expired or wrong signature is refused.
 * @param now unix seconds, for tests.
 */
export function verifyGrant(secret: Buffer, key: string, query: URLSearchParams, now = Math.floor(Date.now() / 1000)): Verdict {
  if (!isSafeStorageKey(key)) return { ok: false, status: 400, reason: "not a storage key" };
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!(SIGNED_PARAMS as readonly string[]).includes(name)) return { ok: false, status: 400, reason: `unexpected parameter ${name.slice(0, 40)}` };
    if (seen.has(name)) return { ok: false, status: 400, reason: `repeated parameter ${name}` };
    seen.add(name);
  }
  const op = query.get("op");
  const expires = Number(query.get("exp"));
  const length = Number(query.get("len"));
  const contentType = query.get("type") ?? "";
  const fileName = query.get("name") ?? "";
  const signature = query.get("sig") ?? "";
  if ((op !== "put" && op !== "get") || !Number.isSafeInteger(expires) || !Number.isSafeInteger(length) || length < 0) {
    return { ok: false, status: 403, reason: "not a presigned URL" };
  }
  if (!CONTENT_TYPE.test(contentType) || !FILE_NAME.test(fileName) || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, status: 403, reason: "not a presigned URL" };
  }
  const grant: Grant = { op, key, expires, length, contentType, fileName };
  const expected = Buffer.from(sign(secret, grant), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return { ok: false, status: 403, reason: "bad signature" };
  if (now > expires) return { ok: false, status: 403, reason: "expired" };
  return { ok: true, grant };
}

/** Shortest accepted configured secret, in characters. */
export const MIN_SECRET_LENGTH = 32;

/**
 * The signing secret of an installation: the configured one, else a random one generated once and
 * kept in `<dir>/.signing-secret` (mode 0600, never a storage key since keys cannot start with a dot).
 */
export async function loadSigningSecret(dir: string, configured?: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, "utf8");
  const file = path.join(dir, ".signing-secret");
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      await fs.writeFile(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const text = (await fs.readFile(file, "utf8")).trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} does not hold a secret; delete it to make a new one`);
    return Buffer.from(text, "hex");
  } catch (error) {
    throw new StartupError(`Could not read or create the storage signing secret: ${describeError(error)}`);
  }
}
