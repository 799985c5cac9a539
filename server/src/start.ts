/**
 * `lossatlas start`: everything on one machine. Starts what is not configured (embedded
 * PostgreSQL; objects are files of the data folder unless S3 is configured), then the API and web app in this process and the workers as
 * child processes, and stops them in reverse order on Ctrl-C or SIGTERM.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type ApiHandle, type ResolvedEndpoints, type StorageLocation, configuredStorage, startApi } from "./api.js";
import { type Config, childEnvironment } from "./config.js";
import { redactUrl } from "./db/pool.js";
import { StartupError, describeError } from "./errors.js";
import { markStopping, onStopSignals, secondsStopping } from "./lifecycle.js";
import type { Logger } from "./logger.js";
import { ensureDemoProject } from "./modules/experiments/demo.js";
import { workersToLaunch } from "./modules/workers/capabilities.js";
import { lockDataDir } from "./platform/data-lock.js";
import { moveLegacyObjects } from "./platform/legacy-objects.js";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "./platform/embedded-postgres.js";
import { assertPortFree } from "./platform/ports.js";
import { VERSION } from "./version.js";

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.js");
const WORKER_READY_TIMEOUT_MS = 60_000;

/** Messages a worker child sends over its IPC channel. */
export type WorkerMessage = { type: "ready"; id: string; backend: string; device: string };

/** The running stack's addresses, for scripts and tests; removed at a clean stop. */
export interface RuntimeFile {
  pid: number;
  url: string;
  databaseUrl: string;
  /** Where objects live: the file store's folder, or the S3 endpoint. */
  storage: string;
  workers: { pid: number; id: string; backend: string }[];
}

interface SupervisedWorker {
  child: ChildProcess;
  info?: WorkerMessage;
}

export async function runStart(config: Config, log: Logger): Promise<void> {
  const lock = await lockDataDir(config.dataDir);
  const stack: { name: string; stop: () => Promise<void> }[] = [{ name: "data folder lock", stop: () => lock.release() }];
  let shuttingDown = false;
  const workers = new Set<SupervisedWorker>();

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (stopping ??= (async () => {
      shuttingDown = true;
      // Workers hand back what they cannot finish within the grace period; one that does not stop
      // in time is killed, and the queue gives its work to another.
      const workerLimitMs = Math.max(1, config.workers.shutdownGraceSeconds - 1) * 1000;
      await Promise.all([...workers].map((worker) => stopChild(worker.child, workerLimitMs)));
      for (const part of stack.reverse()) {
        log.debug({ part: part.name }, "stopping");
        await part.stop().catch((error: unknown) => log.warn({ err: error, part: part.name }, "shutdown step failed"));
      }
    })());

  // Signals are ours from the first moment: a Ctrl-C during start lets the current step finish,
  // then stops what has started, in order.
  let interrupted = false;
  let running = false;
  let fatal: StartupError | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  // A signal sent to the whole process group reaches us twice at once; only a second signal
  // given by a person (a moment later) skips the orderly stop (lifecycle.ts).
  onStopSignals(
    (signal) => {
      interrupted = true;
      process.stdout.write(`\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping Loss Atlas...\n`);
      if (running) shutdown().then(resolveStopped, resolveStopped);
    },
    { graceSeconds: config.workers.shutdownGraceSeconds },
  );
  const checkpoint = () => {
    if (interrupted) throw new Interrupted();
  };

  try {
    // Fail before starting anything when the web port is taken.
    if (config.http.port !== 0) await assertPortFree(config.http.port, config.http.host, "PORT");

    let postgres: EmbeddedPostgresHandle | undefined;
    if (!config.database.url) {
      postgres = await startEmbeddedPostgres(config.dataDir, config.database.embeddedPort, log);
      stack.push({ name: "embedded PostgreSQL", stop: () => postgres!.stop() });
      const supervised = postgres;
      supervised.onExit((code, signal) => {
        // Ctrl-C in a terminal reaches PostgreSQL and us at once: that is a stop, not a death.
        if (shuttingDown || interrupted) return;
        superviseRestart(supervised, { code, signal }, { restarts: config.database.embeddedRestarts, log, stopped: () => shuttingDown || interrupted }).catch((error: unknown) => {
          if (shuttingDown) return;
          // It cannot come back: stop everything, say why once, and exit non-zero.
          fatal = error instanceof StartupError ? error : new StartupError(String(error));
          markStopping();
          log.error("stopping everything: the embedded PostgreSQL cannot be started again");
          shutdown().then(resolveStopped, resolveStopped);
        });
      });
    }
    checkpoint();
    // Without S3 the objects are files in the data folder, written and served by this process and
    // read by the workers; no port is opened for them.
    const storage: StorageLocation = configuredStorage(config) ?? { kind: "files", dir: path.join(config.dataDir, "store") };
    if (storage.kind === "files") await moveLegacyObjects(config.dataDir, config.storage.bucket, storage.dir, log);
    const endpoints: ResolvedEndpoints = { databaseUrl: postgres?.url ?? config.database.url!, storage };

    const api: ApiHandle = await startApi(config, endpoints, log);
    stack.push({ name: "API", stop: () => api.stop() });
    // Workers of an earlier run on this machine that died without signing off.
    await api.services.workers.signOffDeadLocal();
    checkpoint();

    const workerEnv = childEnvironment({
      DATABASE_URL: endpoints.databaseUrl,
      ...(storage.kind === "files"
        ? { STORAGE_DIR: storage.dir, S3_ENDPOINT: "" }
        : { S3_ENDPOINT: storage.endpoint, S3_ACCESS_KEY_ID: storage.accessKeyId, S3_SECRET_ACCESS_KEY: storage.secretAccessKey }),
    });
    const launch = (): Promise<SupervisedWorker> => {
      const worker: SupervisedWorker = { child: spawnWorker(workerEnv) };
      workers.add(worker);
      worker.child.on("exit", (code, signal) => {
        workers.delete(worker);
        if (shuttingDown) return;
        // A worker that dies is replaced; its unfinished jobs go back to the queue on their own.
        log.error({ code, signal, pid: worker.child.pid }, "worker exited; starting a new one in 2 s");
        setTimeout(() => {
          if (!shuttingDown) launch().catch((error: unknown) => log.error({ err: error }, "could not restart a worker"));
        }, 2000).unref();
      });
      return waitForReady(worker);
    };
    const started = await Promise.all(Array.from({ length: workersToLaunch(config.workers.count, config.workers.backend) }, launch));
    checkpoint();
    // The health snapshot was taken before the workers registered: take it again now.
    await api.services.health.refresh();
    if (config.demo.enabled) await ensureDemoProject(api.services, config.demo.size, log);

    const url = config.http.port === 0 ? `http://localhost:${api.port}` : config.http.publicUrl;
    const runtime: RuntimeFile = {
      pid: process.pid,
      url,
      databaseUrl: endpoints.databaseUrl,
      storage: storage.kind === "files" ? storage.dir : storage.endpoint,
      workers: started.map((w) => ({ pid: w.child.pid ?? 0, id: w.info?.id ?? "", backend: w.info?.backend ?? "" })),
    };
    const runtimeFile = path.join(config.dataDir, "runtime.json");
    // Written whole, then renamed: a reader never sees half a file.
    await fs.writeFile(`${runtimeFile}.tmp`, `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
    await fs.rename(`${runtimeFile}.tmp`, runtimeFile);
    stack.splice(1, 0, { name: "runtime file", stop: () => fs.rm(runtimeFile, { force: true }) });

    printSummary({ config, url, endpoints, postgres, started });
    running = true;
    if (interrupted) shutdown().then(resolveStopped, resolveStopped);
  } catch (error) {
    await shutdown();
    if (error instanceof Interrupted || interrupted) {
      process.stdout.write("Loss Atlas stopped before it finished starting.\n");
      return;
    }
    throw error;
  }
  await stopped;
  if (fatal) throw fatal;
  process.stdout.write(`Loss Atlas stopped in ${secondsStopping().toFixed(1)} s.\n`);
}

/** Waits before each try to bring back the embedded PostgreSQL: 0.5 s, 1 s, 2 s, 4 s, then 8 s. */
export function restartDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 8000);
}

/**
 * Brings back an embedded PostgreSQL that died (killed, out of memory), with backoff. The API and
 * the workers keep their pools and queues meanwhile and reconnect by themselves: requests fail
 * with INTERNAL_SERVER_ERROR and health says DEGRADED with the database's error until it is back,
 * and work in flight is taken again by the queue and the sweeper. Rejects with one clear message
 * when every try failed.
 */
async function superviseRestart(
  postgres: EmbeddedPostgresHandle,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  options: { restarts: number; log: Logger; stopped: () => boolean },
): Promise<void> {
  const { log } = options;
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? "none"}`;
  // Our own handler of a Ctrl-C that reached PostgreSQL first gets its turn before we decide.
  await sleep(100);
  if (options.stopped()) return;
  log.error({ ...exit }, `the embedded PostgreSQL stopped (${how}); starting it again`);
  let reason = "";
  for (let attempt = 1; attempt <= options.restarts; attempt++) {
    const delay = restartDelayMs(attempt);
    await sleep(delay);
    if (options.stopped()) return;
    try {
      await postgres.restart();
      log.info({ attempt }, "the embedded PostgreSQL is back; the API and workers reconnect");
      return;
    } catch (error) {
      reason = describeError(error);
      log.warn({ attempt, of: options.restarts, reason }, "the embedded PostgreSQL did not start again yet");
    }
  }
  throw new StartupError(
    `The embedded PostgreSQL stopped (${how}) and could not be started again after ${options.restarts} tries: ${reason || "no reason given"}. Loss Atlas has stopped; its data folder is unchanged, and \`npm start\` starts it again once PostgreSQL can run.`,
  );
}

/** Thrown between start steps when a stop signal arrived meanwhile. */
class Interrupted extends Error {}

function spawnWorker(env: NodeJS.ProcessEnv): ChildProcess {
  // Its own process group: Ctrl-C reaches only the launcher, which stops workers in order.
  return fork(MAIN, ["worker"], { env, detached: true, stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

function waitForReady(worker: SupervisedWorker): Promise<SupervisedWorker> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new StartupError(`A worker did not start within ${WORKER_READY_TIMEOUT_MS / 1000} s`));
    }, WORKER_READY_TIMEOUT_MS);
    const onMessage = (message: WorkerMessage) => {
      if (message?.type !== "ready") return;
      worker.info = message;
      cleanup();
      resolve(worker);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new StartupError(`A worker exited during start (exit code ${code ?? "none"}); its error is printed above`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      worker.child.off("message", onMessage);
      worker.child.off("exit", onExit);
    };
    worker.child.on("message", onMessage);
    worker.child.once("exit", onExit);
  });
}

async function stopChild(child: ChildProcess, limitMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  await exited;
  clearTimeout(timer);
}

function printSummary(parts: {
  config: Config;
  url: string;
  endpoints: ResolvedEndpoints;
  postgres: EmbeddedPostgresHandle | undefined;
  started: SupervisedWorker[];
}): void {
  const { config, url, endpoints, postgres, started } = parts;
  const { storage } = endpoints;
  const rel = (p: string) => (p.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), p) : p);
  const backends = started.map((w) => w.info?.backend ?? "?");
  const lines = [
    "",
    `Loss Atlas ${VERSION} is running`,
    `  Web app          ${url}`,
    `  GraphQL API      ${url}/graphql`,
    postgres
      ? `  PostgreSQL       embedded, ${redactUrl(endpoints.databaseUrl)} (password in ${rel(path.join(config.dataDir, "postgres.json"))})`
      : `  PostgreSQL       ${redactUrl(endpoints.databaseUrl)}`,
    storage.kind === "files"
      ? `  Object storage   files in ${rel(storage.dir)} (browsers reach them through ${url}/storage)`
      : `  Object storage   ${storage.endpoint}, bucket ${config.storage.bucket}`,
    `  Workers          ${started.length}${backends.length ? ` (${backends.join(", ")})` : ""}`,
    `  Data folder      ${config.dataDir}`,
    "Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(lines.join("\n"));
}
