/**
 * Data folders made before the file store kept their objects in the layout of the S3 server they
 * used then (`objects/<bucket>/<path>/<name>._S3rver_object` plus metadata files). At the first
 * start of this version those objects move, whole, to the file store under their own keys, so an
 * upgrade loses nothing. Keys that are not safe storage keys are left where they are and logged.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../logger.js";
import { isSafeStorageKey } from "../storage/object-store.js";

const OBJECT_SUFFIX = "._S3rver_object";

/** Moves objects from `<dataDir>/objects/<bucket>` into `storeDir`; how many moved. */
export async function moveLegacyObjects(dataDir: string, bucket: string, storeDir: string, log: Logger): Promise<number> {
  const legacy = path.join(dataDir, "objects", bucket);
  const exists = await fs.stat(legacy).then((s) => s.isDirectory(), () => false);
  if (!exists) return 0;
  let moved = 0;
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${decodeURIComponent(entry.name)}/`);
      else if (entry.name.endsWith(OBJECT_SUFFIX)) {
        const key = `${prefix}${decodeURIComponent(entry.name.slice(0, -OBJECT_SUFFIX.length))}`;
        if (!isSafeStorageKey(key)) {
          log.warn({ key: key.slice(0, 200) }, "left an old object with an unusable key in place");
          continue;
        }
        const target = path.join(storeDir, ...key.split("/"));
        await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await fs.rename(full, target);
        moved++;
      }
    }
  };
  await walk(legacy, "");
  // What is left is the old server's metadata (and any unusable keys, kept for inspection).
  await fs.rename(legacy, `${legacy}.migrated-${Date.now()}`);
  if (moved) log.info({ moved, from: legacy, to: storeDir }, "moved objects of an earlier version into the file store");
  return moved;
}
