/**
 * Reading a zip safely, for uploads and for models given as a zip. Before anything is extracted,
 * the central directory is checked: entry count, declared sizes, names that climb out (`..`),
 * absolute paths, and symbolic links. Extraction then counts the bytes it really produces, so an
 * archive that lies about its sizes (a zip bomb) is stopped at the limit instead of filling memory.
 * yauzl reads entries lazily and checks each against its declared size.
 */
import path from "node:path";
import yauzl, { type Entry, type ZipFile } from "yauzl";

import { DEFAULT_ZIP_LIMITS, type ZipLimits } from "./options.js";

export { DEFAULT_ZIP_LIMITS, type ZipLimits };

/** What is wrong with an archive: callers map it to their own error codes. */
export type ZipProblem = "malformed" | "too-large" | "unsafe";

/** A zip that cannot be read, or that breaks a limit or a safety rule; the message is for people. */
export class ZipError extends Error {
  constructor(readonly problem: ZipProblem, message: string) {
    super(message);
    this.name = "ZipError";
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function open(bytes: Uint8Array): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // Names are checked below with our own rules and messages, so yauzl leaves them raw.
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new ZipError("malformed", `The zip archive cannot be read: ${error?.message ?? "no archive"}`));
      else resolve(zip);
    });
  });
}

/** Every entry of the central directory, without reading any data. */
function entriesOf(zip: ZipFile, limits: ZipLimits): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on("entry", (entry: Entry) => {
      entries.push(entry);
      if (entries.length > limits.maxEntries) {
        zip.close();
        reject(new ZipError("too-large", `The archive holds more than ${limits.maxEntries} entries`));
        return;
      }
      zip.readEntry();
    });
    zip.on("end", () => resolve(entries));
    zip.on("error", (error: Error) => reject(new ZipError("malformed", `The zip archive cannot be read: ${error.message}`)));
    zip.readEntry();
  });
}

function nameOf(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  return typeof raw === "string" ? raw : raw.toString("utf8");
}

/**
 * The archive's regular files by their normalized path inside it (folders dropped), after every
 * check. Throws `ZipError`.
 */
export async function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Map<string, Uint8Array>> {
  const zip = await open(bytes);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipError("too-large", `The archive holds ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed`);
  }
  const entries = await entriesOf(zip, limits);
  let declared = 0;
  for (const entry of entries) {
    const name = nameOf(entry);
    if (name.includes("\0") || name.includes("\\")) throw new ZipError("unsafe", `The archive entry "${printable(name)}" has a forbidden character`);
    if (name.startsWith("/") || /^[a-zA-Z]:/.test(name)) throw new ZipError("unsafe", `The archive entry "${printable(name)}" has an absolute path`);
    if (name.split("/").includes("..")) throw new ZipError("unsafe", `The archive entry "${printable(name)}" points outside the archive`);
    const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
    if ((mode & S_IFMT) === S_IFLNK) throw new ZipError("unsafe", `The archive entry "${printable(name)}" is a symbolic link`);
    declared += entry.uncompressedSize;
    if (declared > limits.maxTotalBytes) {
      throw new ZipError("too-large", `The archive expands to more than ${limits.maxTotalBytes} bytes`);
    }
  }

  // Extraction counts what it really produces (native zlib, streamed): an archive that lies about
  // its sizes is stopped at the limit, and yauzl checks each entry against its declared size.
  const files = new Map<string, Uint8Array>();
  let produced = 0;
  for (const entry of entries) {
    const name = nameOf(entry);
    if (name.endsWith("/")) continue;
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) {
          reject(new ZipError("malformed", `The archive entry "${printable(name)}" is damaged: ${error?.message ?? "unreadable"}`));
          return;
        }
        stream.on("data", (chunk: Buffer) => {
          produced += chunk.length;
          if (produced > limits.maxTotalBytes) {
            stream.destroy();
            reject(new ZipError("too-large", `The archive expands to more than ${limits.maxTotalBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        stream.on("error", (streamError: Error) => reject(new ZipError("malformed", `The archive entry "${printable(name)}" is damaged: ${streamError.message}`)));
        stream.on("end", () => resolve());
      });
    });
    files.set(path.posix.normalize(name), new Uint8Array(Buffer.concat(chunks)));
  }
  zip.close();
  return files;
}

function printable(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}
