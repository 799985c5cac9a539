/**
 * The object store of one-machine mode: plain files under one folder of the data folder, in this
 * process. No port is opened; browsers reach objects only through the API's `/storage` route,
 * which checks a URL signed with this installation's secret and then performs that one operation
 * here itself. Writes go to a temporary file and are renamed into place, so a reader (another
 * process, a worker) sees an object whole or not at all.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StartupError, describeError } from "../errors.js";
import { type DownloadAs, type ObjectStore, UnsafeKeyError, assertStorageKey, assertStoragePrefix, safeDownloadName } from "./object-store.js";
import { type Grant, signGrant, verifyGrant, type Verdict } from "./signed-urls.js";

export interface FileStoreOptions {
  /** The store's folder; created with mode 0700. */
  dir: string;
  /** Signs presigned URLs; without it the store cannot presign (workers never need to). */
  secret?: Buffer;
  /** Base of presigned URLs, e.g. `http://localhost:4000` (`/storage/<key>` is appended). */
  publicUrl?: () => string;
}

/** Temporary files live here until renamed; its name can never be a key (keys start alphanumeric). */
const TMP = ".tmp";

/** Raised when a streamed upload has another length than signed. */
export class LengthMismatchError extends Error {
  constructor(readonly expected: number, readonly received: number) {
    super(received > expected ? `more than the ${expected} bytes signed` : `${received} of the ${expected} bytes signed`);
    this.name = "LengthMismatchError";
  }
}

/** Raised by an exclusive write when the object already exists; the existing object is untouched. */
export class ObjectExistsError extends Error {
  constructor() {
    super("the object already exists");
    this.name = "ObjectExistsError";
  }
}

export class FileObjectStore implements ObjectStore {
  readonly dir: string;
  readonly description: string;

  constructor(private readonly options: FileStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.description = `files in ${this.dir}`;
  }

  /** The absolute path of a key, proved to lie inside the store. */
  private pathOf(key: string): string {
    assertStorageKey(key);
    const full = path.resolve(this.dir, ...key.split("/"));
    if (!full.startsWith(`${this.dir}${path.sep}`)) throw new UnsafeKeyError(key);
    return full;
  }

  private presign(grant: Omit<Grant, "expires">, expiresIn: number): string {
    const { secret, publicUrl } = this.options;
    if (!secret || !publicUrl) throw new Error("this file store was opened without a signing secret");
    const query = signGrant(secret, { ...grant, expires: Math.floor(Date.now() / 1000) + expiresIn });
    return `${publicUrl()}/storage/${grant.key}?${query}`;
  }

  async presignPut(key: string, size: number, contentType: string, expiresIn: number): Promise<string> {
    assertStorageKey(key);
    return this.presign({ op: "put", key, length: size, contentType, fileName: "" }, expiresIn);
  }

  async presignGet(key: string, expiresIn: number, as: DownloadAs): Promise<string> {
    assertStorageKey(key);
    return this.presign({ op: "get", key, length: 0, contentType: as.contentType, fileName: safeDownloadName(as.fileName) }, expiresIn);
  }

  /** Checks a presigned URL of this store (see `verifyGrant`). */
  verify(key: string, query: URLSearchParams): Verdict {
    if (!this.options.secret) return { ok: false, status: 403, reason: "no signing secret" };
    return verifyGrant(this.options.secret, key, query);
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const stat = await fs.stat(this.pathOf(key));
      return stat.isFile() ? stat.size : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await fs.readFile(this.pathOf(key)));
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return undefined;
      throw error;
    }
  }

  /** A stream of the object's bytes with its size, or undefined when it does not exist. */
  async openRead(key: string): Promise<{ size: number; stream: ReadStream } | undefined> {
    const size = await this.size(key);
    if (size === undefined) return undefined;
    return { size, stream: createReadStream(this.pathOf(key)) };
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.pathOf(key);
    await this.writeAtomically(target, async (temp) => {
      await fs.writeFile(temp, body, { mode: 0o600 });
    });
  }

  /**
   * Streams exactly `length` bytes into the object; anything more or less is refused and leaves
   * the object as it was (the temporary file is removed). With `exclusive`, an object that
   * already exists, or appears while the bytes arrive, is kept and ObjectExistsError raised.
   */
  async putStream(key: string, body: Readable, length: number, options: { exclusive?: boolean } = {}): Promise<void> {
    const target = this.pathOf(key);
    if (options.exclusive && (await this.size(key)) !== undefined) throw new ObjectExistsError();
    await this.writeAtomically(
      target,
      async (temp) => {
        let received = 0;
        const counted = async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length;
            if (received > length) throw new LengthMismatchError(length, received);
            yield chunk;
          }
        };
        const out = createWriteStream(temp, { mode: 0o600 });
        try {
          await pipeline(body, counted, out);
        } finally {
          // A refused stream destroys the file while it may still be opening: wait until it is
          // closed, so the temporary file exists (and is removed) before the refusal is reported.
          if (!out.closed) await once(out, "close").catch(() => undefined);
        }
        if (received !== length) throw new LengthMismatchError(length, received);
      },
      options.exclusive ?? false,
    );
  }

  /** Writes into a temporary file, then moves it into place whole; `exclusive` never replaces one. */
  private async writeAtomically(target: string, write: (temp: string) => Promise<void>, exclusive = false): Promise<void> {
    const temp = path.join(this.dir, TMP, randomUUID());
    try {
      await write(temp);
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      if (exclusive) {
        // link() fails when the target exists, where rename() would replace it: of two writers
        // racing for one object, exactly one wins.
        await fs.link(temp, target).catch((error: NodeJS.ErrnoException) => {
          throw error.code === "EEXIST" ? new ObjectExistsError() : error;
        });
        await fs.rm(temp, { force: true });
      } else {
        await fs.rename(temp, target);
      }
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.pathOf(key);
    await fs.rm(target, { force: true });
    await this.pruneEmptyParents(path.dirname(target));
  }

  /** Removes folders left empty by deletes, up to the store's root. */
  private async pruneEmptyParents(folder: string): Promise<void> {
    let current = folder;
    while (current.startsWith(`${this.dir}${path.sep}`)) {
      try {
        await fs.rmdir(current);
      } catch {
        return; // not empty, or already gone
      }
      current = path.dirname(current);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix, Number.MAX_SAFE_INTEGER);
    for (const key of keys) await fs.rm(this.pathOf(key), { force: true });
    if (prefix.endsWith("/")) {
      const folder = this.pathOf(prefix.slice(0, -1));
      await fs.rm(folder, { recursive: true, force: true });
      await this.pruneEmptyParents(path.dirname(folder));
    }
    return keys.length;
  }

  async list(prefix: string, limit = 1000): Promise<string[]> {
    assertStoragePrefix(prefix);
    // Walk only the deepest folder the prefix names whole.
    const cut = prefix.lastIndexOf("/");
    const base = cut < 0 ? "" : prefix.slice(0, cut);
    const keys: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(relative ? this.pathOf(relative) : this.dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (keys.length >= limit) return;
        if (entry.name.startsWith(".")) continue;
        const key = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          keys.push(key);
        }
      }
    };
    await walk(base);
    return keys;
  }

  async bytesUnder(prefix: string): Promise<number> {
    let total = 0;
    for (const key of await this.list(prefix, Number.MAX_SAFE_INTEGER)) total += (await this.size(key)) ?? 0;
    return total;
  }

  async ensureBucket(): Promise<void> {
    try {
      await fs.mkdir(path.join(this.dir, TMP), { recursive: true, mode: 0o700 });
      await fs.chmod(this.dir, 0o700);
      // Temporary files of a write cut short by a crash are never read: clear the old ones.
      const tmp = path.join(this.dir, TMP);
      for (const name of await fs.readdir(tmp)) {
        const stat = await fs.stat(path.join(tmp, name)).catch(() => undefined);
        if (stat && Date.now() - stat.mtimeMs > 3600_000) await fs.rm(path.join(tmp, name), { force: true });
      }
    } catch (error) {
      throw new StartupError(`Could not use the object store folder ${this.dir}: ${describeError(error)}`);
    }
  }

  async ping(): Promise<void> {
    await fs.access(this.dir);
  }

  destroy(): void {}
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
