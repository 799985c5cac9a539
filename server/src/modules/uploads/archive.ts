/**
 * Opening an uploaded zip safely. Before anything is extracted, the central directory is checked:
 * entry count, declared sizes, names that climb out (`..`), absolute paths, and symbolic links.
 * Extraction then counts the bytes it really produces, so an archive that lies about its sizes
 * (a zip bomb) is stopped at the limit instead of filling memory.
 */
import path from "node:path";
import JSZip from "jszip";
import { UploadRejection } from "./rejection.js";

export interface ArchiveLimits {
  /** Most entries (files and folders) an archive may hold. Default 2000. */
  maxEntries: number;
  /** Most bytes all entries may expand to. Default 1 GiB. */
  maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 2000, maxTotalBytes: 1024 * 1024 * 1024 };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

interface ZipEntryInternals {
  _data?: { uncompressedSize?: number };
}

/** The archive's regular files by their path inside it (folders dropped), after every check. */
export async function extractZip(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Map<string, Uint8Array>> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: true, createFolders: false });
  } catch (error) {
    throw new UploadRejection("MALFORMED_ARCHIVE", `The zip archive cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const entries = Object.values(zip.files);
  if (entries.length > limits.maxEntries) {
    throw new UploadRejection("ARCHIVE_TOO_LARGE", `The archive holds ${entries.length} entries; at most ${limits.maxEntries} are allowed`);
  }
  let declared = 0;
  for (const entry of entries) {
    const name = entry.name;
    if (name.includes("\0") || name.includes("\\")) throw new UploadRejection("UNSAFE_ARCHIVE", `The archive entry "${printable(name)}" has a forbidden character`);
    if (name.startsWith("/") || /^[a-zA-Z]:/.test(name)) throw new UploadRejection("UNSAFE_ARCHIVE", `The archive entry "${printable(name)}" has an absolute path`);
    if (name.split("/").includes("..")) throw new UploadRejection("UNSAFE_ARCHIVE", `The archive entry "${printable(name)}" points outside the archive`);
    const mode = typeof entry.unixPermissions === "number" ? entry.unixPermissions : 0;
    if ((mode & S_IFMT) === S_IFLNK) throw new UploadRejection("UNSAFE_ARCHIVE", `The archive entry "${printable(name)}" is a symbolic link`);
    declared += (entry as unknown as ZipEntryInternals)._data?.uncompressedSize ?? 0;
    if (declared > limits.maxTotalBytes) {
      throw new UploadRejection("ARCHIVE_TOO_LARGE", `The archive expands to more than ${limits.maxTotalBytes} bytes`);
    }
  }

  const files = new Map<string, Uint8Array>();
  let produced = 0;
  for (const entry of entries) {
    if (entry.dir) continue;
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = entry.nodeStream("nodebuffer");
      stream.on("data", (chunk: Buffer) => {
        produced += chunk.length;
        if (produced > limits.maxTotalBytes) {
          (stream as unknown as { destroy?: () => void }).destroy?.();
          reject(new UploadRejection("ARCHIVE_TOO_LARGE", `The archive expands to more than ${limits.maxTotalBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      stream.on("error", (error: Error) => reject(new UploadRejection("MALFORMED_ARCHIVE", `The archive entry "${printable(entry.name)}" is damaged: ${error.message}`)));
      stream.on("end", () => resolve());
    });
    files.set(path.posix.normalize(entry.name), new Uint8Array(Buffer.concat(chunks)));
  }
  return files;
}

function printable(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}
