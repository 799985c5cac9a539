/**
 * `lossatlas <command>`: the entry of every process role.
 *   start        everything on one machine (embedded PostgreSQL and object store unless configured)
 *   serve        the API and web app alone (needs DATABASE_URL and S3_*)
 *   worker       one compute worker (needs DATABASE_URL and S3_*)
 *   migrate      apply database migrations and exit
 *   emit-schema  write schema/schema.graphql from the server's classes
 *   surface, pca, bench   the engine on files (cli/)
 */
import "reflect-metadata";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configuredEndpoints, startApi } from "./api.js";
import { ConfigError, type Config, loadConfig } from "./config.js";
import { migrate } from "./db/migrate.js";
import { connectDatabase } from "./db/pool.js";
import { StartupError, describeError } from "./errors.js";
import { printSchemaFile } from "./graphql/schema.js";
import { markStopping, onStopSignals, secondsStopping } from "./lifecycle.js";
import { type Logger, createLogger } from "./logger.js";
import { runStart, type WorkerMessage } from "./start.js";
import { VERSION } from "./version.js";
import { startWorker } from "./worker.js";

/** The committed schema file, relative to this module in src/ or dist/. */
export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schema/schema.graphql");

const USAGE = `Loss Atlas ${VERSION}

Usage: lossatlas <command>

Commands:
  start         run everything on one machine: embedded PostgreSQL and object storage
                (unless DATABASE_URL / S3_ENDPOINT are set), the API and web app, and workers
  serve         run the API and web app alone (needs DATABASE_URL and S3_*)
  worker        run one compute worker (needs DATABASE_URL and S3_*)
  migrate       apply pending database migrations (needs DATABASE_URL)
  emit-schema   write schema/schema.graphql from the server's GraphQL classes
  surface       compute a loss surface from files, without the service (see --help)
  pca           PCA directions and optimizer path of a training run's checkpoints
  train         train a zoo model (MLP, residual MLP, CNN) and save its checkpoints
  bench         time the engine (npm run bench)
  hessian       Hessian eigenvalues, trace and eigenvalue density of the loss at a model
  connect       train a low-loss curve between two models; loss along it and along the line
  help          print this text

Configuration comes from the environment; see .env.example.
`;

export async function run(argv: string[]): Promise<void> {
  const [command = "help", ...rest] = argv;
  try {
    switch (command) {
      case "start":
        return await withConfig("start", runStart);
      case "serve":
        return await withConfig("api", serve);
      case "worker":
        return await withConfig("worker", worker);
      case "migrate":
        return await withConfig("migrate", migrateOnly);
      case "surface":
      case "pca":
      case "train":
      case "hessian":
      case "connect":
      case "bench": {
        // Loaded only for these commands: the engine brings TensorFlow.js with it.
        const { runEngineCommand } = await import("./cli/index.js");
        return await runEngineCommand(command, rest);
      }
      case "emit-schema":
        return await emitSchema(rest.includes("--check"));
      case "validate-upload": {
        // Internal: the API forks this to validate one upload away from its event loop.
        const { runValidationProcess } = await import("./validation/process.js");
        return await runValidationProcess();
      }
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return;
      default:
        throw new StartupError(`Unknown command "${command}". Run \`lossatlas help\` for the list.`);
    }
  } catch (error) {
    fail(error);
  }
}

async function withConfig(role: string, body: (config: Config, log: Logger) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const log = createLogger(role, config.logLevel);
  process.on("unhandledRejection", (reason) => {
    log.fatal({ err: reason }, "unhandled rejection");
    process.exit(1);
  });
  try {
    await body(config, log);
  } catch (error) {
    if (!(error instanceof StartupError)) log.debug({ err: error }, "unexpected error");
    throw error;
  }
}

async function serve(config: Config, log: Logger): Promise<void> {
  const signal = untilStopSignal(config);
  const api = await startApi(config, configuredEndpoints(config), log);
  log.info({ port: api.port }, "API listening");
  await signal;
  await api.stop();
  log.info({ seconds: Number(secondsStopping().toFixed(2)) }, "API stopped");
}

async function worker(config: Config, log: Logger): Promise<void> {
  const signal = untilStopSignal(config);
  const handle = await startWorker(config, configuredEndpoints(config), log);
  const launched = typeof process.send === "function";
  if (launched && process.connected) {
    const ready: WorkerMessage = { type: "ready", id: handle.id, backend: handle.capabilities.backend, device: handle.capabilities.device };
    process.send!(ready);
  }
  // A worker started by `lossatlas start` goes when its launcher goes, even if that was killed.
  if (!launched || process.connected) {
    await Promise.race([signal, ...(launched ? [new Promise<void>((resolve) => process.once("disconnect", () => resolve()))] : [])]);
  }
  markStopping();
  await handle.stop();
  process.exit(0);
}

/** Resolves on the first stop signal; later ones and the deadline are lifecycle.ts's. */
function untilStopSignal(config: Config): Promise<void> {
  return new Promise((resolve) => onStopSignals(() => resolve(), { graceSeconds: config.workers.shutdownGraceSeconds }));
}

async function migrateOnly(config: Config, log: Logger): Promise<void> {
  if (!config.database.url) throw new StartupError("migrate needs DATABASE_URL; `lossatlas start` migrates the embedded database itself");
  const pool = await connectDatabase(config.database.url, log, { max: 1 });
  try {
    const applied = await migrate(pool);
    process.stdout.write(applied.length ? `Applied migrations ${applied.join(", ")}\n` : "Database is up to date\n");
  } finally {
    await pool.end();
  }
}

async function emitSchema(check: boolean): Promise<void> {
  const sdl = await printSchemaFile();
  if (check) {
    const committed = await fs.readFile(SCHEMA_FILE, "utf8").catch(() => "");
    if (committed !== sdl) throw new StartupError(`${path.relative(process.cwd(), SCHEMA_FILE)} is stale; run \`npm run schema\` and commit it`);
    process.stdout.write("schema/schema.graphql is up to date\n");
    return;
  }
  await fs.writeFile(SCHEMA_FILE, sdl);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}

/** Prints one clear message (never a stack trace) and exits non-zero. */
function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`lossatlas: ${error.message}\n`);
  } else if (error instanceof StartupError) {
    process.stderr.write(`lossatlas: ${error.message}\n`);
  } else {
    process.stderr.write(`lossatlas: unexpected error: ${describeError(error)}\n  (run with LOG_LEVEL=debug for details)\n`);
  }
  process.exit(1);
}

// Run when this module is the process's entry (`node server/dist/main.js start`), not when imported.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run(process.argv.slice(2));
}
