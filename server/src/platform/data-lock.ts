/**
 * One Loss Atlas per data folder: two launchers sharing one PostgreSQL cluster and object store
 * would corrupt both. The lock is a pid file; a lock whose process is gone is stale and taken over.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { StartupError } from "../errors.js";
import { isProcessAlive } from "./processes.js";

export interface DataLock {
  release(): Promise<void>;
}

/** Takes the lock of `dataDir` for this process, or throws StartupError when another holds it. */
export async function lockDataDir(dataDir: string): Promise<DataLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, "lossatlas.pid");
  if (existsSync(file)) {
    const pid = Number.parseInt(await fs.readFile(file, "utf8"), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
      throw new StartupError(`Another Loss Atlas (pid ${pid}) is running on the data folder ${dataDir}; stop it first or set DATA_DIR`);
    }
  }
  await fs.writeFile(file, `${process.pid}\n`);
  return {
    release: async () => {
      const current = await fs.readFile(file, "utf8").catch(() => "");
      if (Number.parseInt(current, 10) === process.pid) await fs.rm(file, { force: true });
    },
  };
}
