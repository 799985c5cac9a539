/**
 * `npm run bench:queue [-- workers demo-points]`: how long a new user's 41x41 surface waits while the demo
 * computes. Starts the real `lossatlas start` with the demo project (DEMO_SIZE, default standard, as a fresh `npm start`) on a
 * temporary data folder; a new user uploads a model and a dataset, waits until the demo's surfaces have tiles waiting with every worker mid-tile and
 * have at least 2000 points (or `demo-points`) to go, and queues a 41x41 plane. Prints, from the database's own
 * timestamps: seconds from queued to its first tile started, to its first tile finished, and to
 * ready, with the demo's backlog at the time. A benchmark, not a test: the numbers depend on the
 * machine and its load.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { DEMO_EMAIL } from "../domain/demo.js";
import { TestClient } from "../testing/api.js";
import { benchProject } from "../testing/uploads.js";

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../main.js");
const WORKERS = Number(process.argv[2] ?? 1);
/** Points the demo must still have to compute when the new surface is queued. */
/** Surfaces of the demo: created by its system account. */
const DEMO_OWNED = (alias: string) => `${alias}.created_by IN (SELECT id FROM users WHERE email = '${DEMO_EMAIL}')`;
const MIN_DEMO_POINTS = Number(process.argv[3] ?? 2000);
/** BENCH_LOG=FILE: the stack's log, at debug level, goes there (to see where the time went). */
const LOG_FILE = process.env.BENCH_LOG;
/** `small` (minutes) or `standard`, the demo a fresh `npm start` computes. */
const DEMO_SIZE = process.env.DEMO_SIZE ?? "standard";

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-bench-queue-"));
  let child: ChildProcess | undefined;
  let db: pg.Pool | undefined;
  // Ctrl-C stops the stack too (it runs in its own process group).
  process.once("SIGINT", () => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, "SIGINT");
    process.exit(130);
  });
  try {
    child = spawn(process.execPath, [MAIN, "start"], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: "0", WORKERS: String(WORKERS), DEMO_PROJECT: "true", DEMO_SIZE, LOG_LEVEL: LOG_FILE ? "debug" : "fatal" },
      stdio: ["ignore", LOG_FILE ? openSync(LOG_FILE, "w") : "ignore", "inherit"],
      detached: true,
    });
    const runtimeFile = path.join(dataDir, "runtime.json");
    await until("lossatlas start", 180_000, async () => (existsSync(runtimeFile) ? true : undefined));
    const runtime = JSON.parse(readFileSync(runtimeFile, "utf8")) as { url: string; databaseUrl: string };
    db = new pg.Pool({ connectionString: runtime.databaseUrl, max: 2 });
    db.on("error", () => undefined);

    // The demo's surfaces not computed yet: queued (not prepared) or running, with points to go.
    const backlog = async () =>
      (
        await db!.query<{ surfaces: number; tiles: number; inFlight: number; points: number }>(
          `SELECT count(*)::int AS surfaces,
                  (SELECT count(*)::int FROM surface_tiles t JOIN surfaces d ON d.id = t.surface_id
                    WHERE ${DEMO_OWNED("d")} AND d.status = 'running' AND t.finished_at IS NULL) AS tiles,
                  (SELECT count(*)::int FROM surface_tiles t JOIN surfaces d ON d.id = t.surface_id
                    WHERE ${DEMO_OWNED("d")} AND d.status = 'running' AND t.finished_at IS NULL AND t.started_at IS NOT NULL) AS "inFlight",
                  COALESCE(sum(s.points_total - s.points_done), 0)::int AS points
             FROM surfaces s WHERE ${DEMO_OWNED("s")} AND s.status IN ('queued', 'running')`,
        )
      ).rows[0]!;

    const client = new TestClient(runtime.url);
    await client.signUp("newcomer@example.org");
    const { projectId, modelId, datasetId } = await benchProject(client, "mine");
    // The demo trains first, then queues its surfaces: wait until they have tiles waiting and
    // every worker is in the middle of one of them, the case a newcomer meets.
    const before = await until("the demo's surfaces to be queued", 900_000, async () => {
      const b = await backlog();
      return b.points >= MIN_DEMO_POINTS && b.tiles >= 10 && b.inFlight >= WORKERS ? b : undefined;
    });
    const atQueue = await backlog();
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name: "mine", params: { x: { min: -1, max: 1, count: 41 }, y: { min: -1, max: 1, count: 41 } } },
      })
    ).createSurface;
    if (!created.ok) throw new Error(created.error.message);
    const id = created.surface.id as string;
    const place = (await client.data(`query ($id: ID!) { surface(id: $id) { queue { position surfacesAhead estimatedSeconds } } }`, { id })).surface.queue;
    const timing = async () =>
      (
        await db!.query<{ status: string; started: number | null; first: number | null; ready: number | null; prepared: number | null }>(
          `SELECT s.status,
                  extract(epoch FROM s.started_at - s.created_at)::float8 AS prepared,
                  extract(epoch FROM (SELECT min(started_at) FROM surface_tiles WHERE surface_id = s.id) - s.created_at)::float8 AS started,
                  extract(epoch FROM (SELECT min(finished_at) FROM surface_tiles WHERE surface_id = s.id) - s.created_at)::float8 AS first,
                  extract(epoch FROM s.finished_at - s.created_at)::float8 AS ready
             FROM surfaces s WHERE s.id = $1`,
          [id],
        )
      ).rows[0]!;
    const done = await until("the new surface to be ready", 900_000, async () => {
      const t = await timing();
      if (t.status === "failed") throw new Error("the new surface failed");
      return t.status === "ready" ? t : undefined;
    });
    const after = await backlog();
    const s = (v: number | null) => (v === null ? "-" : `${v.toFixed(1)} s`);
    process.stdout.write(
      `\nA new user's 41x41 plane (MLP 64-64-32-10, 1000 samples) queued while the demo computes\n` +
        `${WORKERS} worker(s), ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}\n\n` +
        `  demo backlog when it first had work waiting         ${before.surfaces} surfaces, ${before.tiles} tiles (${before.inFlight} computing), ${before.points} points\n` +
        `  demo backlog when the new surface was queued        ${atQueue.surfaces} surfaces, ${atQueue.tiles} tiles (${atQueue.inFlight} computing), ${atQueue.points} points\n` +
        `  queue place told at once                            position ${place?.position ?? "-"}, ${place?.surfacesAhead ?? "-"} ahead, estimate ${place?.estimatedSeconds ?? "-"} s\n` +
        `  queued -> prepared (tiles cut and queued)           ${s(done.prepared)}\n` +
        `  queued -> first tile started                        ${s(done.started)}\n` +
        `  queued -> first tile finished (first points shown)  ${s(done.first)}\n` +
        `  queued -> ready                                     ${s(done.ready)}\n` +
        `  demo backlog when it was ready                      ${after.surfaces} surfaces, ${after.tiles} tiles, ${after.points} points\n\n`,
    );
  } finally {
    await db?.end().catch(() => undefined);
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      process.kill(-child.pid, "SIGINT");
      await exited;
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:queue failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
