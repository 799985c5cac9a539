/** Stored files handed to users through short-lived presigned URLs. */
import path from "node:path";
import { type ObjectStore, isSafeStorageKey } from "../storage/object-store.js";

/** A stored file and the presigned URL it downloads from. */
export interface Download {
  /** File name as stored (chosen by the server). */
  name: string;
  /** Short-lived URL; the file downloads as an attachment. */
  url: string;
}

/** Content types by stored file name: what the server serves each validated file as. */
export function contentTypeOf(name: string): string {
  if (name.endsWith(".json")) return "application/json";
  if (name.endsWith(".csv")) return "text/csv";
  return "application/octet-stream";
}

/** Presigned downloads of the files stored under `prefix` (keys that are not safe are skipped). */
export async function presignDownloads(store: ObjectStore, prefix: string, files: readonly string[], expiresIn: number, label: string): Promise<Download[]> {
  const downloads: Download[] = [];
  for (const name of files) {
    const key = `${prefix}${name}`;
    if (!isSafeStorageKey(key)) continue;
    const fileName = `${label}-${path.posix.basename(name)}`;
    downloads.push({ name, url: await store.presignGet(key, expiresIn, { fileName, contentType: contentTypeOf(name) }) });
  }
  return downloads;
}
