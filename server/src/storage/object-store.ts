/**
 * Object storage behind one interface, with two drivers: `FileObjectStore` (one machine: files
 * under the data folder, reached by browsers only through the API's `/storage` route) and
 * `S3ObjectStore` (AWS S3, MinIO or any S3-compatible store, which checks its own signatures).
 *
 * Keys are always chosen by the server: `assertStorageKey` is the one rule every driver applies
 * before touching anything, so a key can never climb out of its prefix or out of the store.
 */

/** What a presigned download looks like to the browser: always an attachment of a server-chosen type. */
export interface DownloadAs {
  /** File name offered to the browser (sanitised to letters, digits, `.`, `_`, `-`). */
  fileName: string;
  /** Content type chosen by the server from the validated kind, never from the upload. */
  contentType: string;
}

export interface ObjectStore {
  /** For logs and the start summary: where objects live. */
  readonly description: string;
  /**
   * A URL that lets its holder PUT exactly this object, of exactly `size` bytes and this content
   * type, for `expiresIn` seconds. Nothing else: no other key, length, method or header.
   */
  presignPut(key: string, size: number, contentType: string, expiresIn: number): Promise<string>;
  /** A URL to GET this object for `expiresIn` seconds, served as an attachment (see `DownloadAs`). */
  presignGet(key: string, expiresIn: number, as: DownloadAs): Promise<string>;
  /** Size in bytes of an object, or undefined when it does not exist. */
  size(key: string): Promise<number | undefined>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes an object whole (readers never see half of it). */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix`; how many there were. */
  deletePrefix(prefix: string): Promise<number>;
  /** Keys under a prefix, sorted (at most `limit`, default 1000), for tests and housekeeping. */
  list(prefix: string, limit?: number): Promise<string[]>;
  /** Total bytes of the objects under a prefix (quota accounting of stored results). */
  bytesUnder(prefix: string): Promise<number>;
  /** Creates the bucket or folder when missing; a clear StartupError when the store is unreachable. */
  ensureBucket(): Promise<void>;
  /** One cheap check that the store answers. */
  ping(): Promise<void>;
  destroy(): void;
}

/** Raised for a key that breaks the rules below; callers treat it as "no such object". */
export class UnsafeKeyError extends Error {
  constructor(key: string) {
    super(`unsafe storage key "${key.replace(/[^\x20-\x7e]/g, "?").slice(0, 120)}"`);
    this.name = "UnsafeKeyError";
  }
}

/** Longest key accepted, in characters. */
export const MAX_KEY_LENGTH = 512;

// Segments start with a letter or digit (so never `.`, `..` or a hidden file) and use only letters,
// digits, `.`, `_` and `-`: no `%`, backslash, NUL, colon, space or absolute path can appear.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** True when `key` is one the server could have issued: `a/b/c.bin` with safe segments. */
export function isSafeStorageKey(key: string): boolean {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return key.split("/").every((segment) => SEGMENT.test(segment));
}

/** Throws `UnsafeKeyError` unless `isSafeStorageKey(key)`; returns the key. */
export function assertStorageKey(key: string): string {
  if (!isSafeStorageKey(key)) throw new UnsafeKeyError(key);
  return key;
}

/** A prefix is a key followed by `/`, or empty (the whole store, for listings in tests). */
export function assertStoragePrefix(prefix: string): string {
  if (prefix === "") return prefix;
  const body = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (!isSafeStorageKey(body)) throw new UnsafeKeyError(prefix);
  return prefix;
}

/** A file name safe inside a `Content-Disposition` header. */
export function safeDownloadName(name: string): string {
  const cleaned = name.replace(/[^\w.-]/g, "_").replace(/^\.+/, "").slice(0, 120);
  return cleaned || "download";
}
