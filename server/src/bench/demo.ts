/**
 * `npm run bench:demo`: how long a fresh `npm start` takes to compute its demo project. Starts the
 * real `lossatlas start` (DEMO_SIZE, default standard; WORKERS, default auto, as `npm start`) on a
 * temporary data folder and prints, as each experiment finishes, its seconds from the start of the
 * stack, then the total and each caption's measured part. A benchmark, not a test: the numbers
 * depend on the machine and its load, which it prints beside them.
 *
 *   DEMO_SIZE=small npm run bench:demo
 *   BENCH_KEEP=1 npm run bench:demo     keeps the stack (and its data folder) running afterwards,
 *                                       to look at the figures; Ctrl-C stops it
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TestClient } from "../testing/api.js";

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../main.js");
const DEMO_SIZE = process.env.DEMO_SIZE ?? "standard";
const WORKERS = process.env.WORKERS ?? "auto";
const KEEP = process.env.BENCH_KEEP === "1";
/** Longest the bench waits for the whole demo. */
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MINUTES ?? 240) * 60_000;

interface Experiment {
  kind: string;
  status: string;
  name: string;
  caption: string;
}

const EXPERIMENTS = `query ($p: ID!) { experiments(projectId: $p, first: 50) { nodes { kind status name caption } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const finished = (e: Experiment) => e.status === "READY" || e.status === "FAILED";

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-bench-demo-"));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      process.kill(-child.pid, "SIGINT");
      await exited;
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    child = spawn(process.execPath, [MAIN, "start"], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: process.env.PORT ?? "0", WORKERS, DEMO_PROJECT: "true", DEMO_SIZE, LOG_LEVEL: "fatal" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    const runtimeFile = path.join(dataDir, "runtime.json");
    while (!existsSync(runtimeFile)) {
      if (child.exitCode !== null) throw new Error(`lossatlas start exited with ${child.exitCode}`);
      await sleep(200);
    }
    const { url, workers } = JSON.parse(readFileSync(runtimeFile, "utf8")) as { url: string; workers: { backend: string }[] };
    const client = new TestClient(url);
    let projectId: string | undefined;
    while (!projectId) {
      // The demo's first surfaces appear in the gallery once its first runs have trained.
      projectId = (await client.data(`{ gallery(first: 1) { nodes { projectId } } }`).catch(() => null))?.gallery.nodes[0]?.projectId as string | undefined;
      if (!projectId) await sleep(500);
    }
    process.stdout.write(`Demo (DEMO_SIZE=${DEMO_SIZE}, WORKERS=${WORKERS}: ${workers.length} ${workers[0]?.backend ?? ""} worker(s), ${os.availableParallelism()} CPUs) at ${url}\n`);
    const done = new Map<string, number>();
    let experiments: Experiment[] = [];
    for (;;) {
      experiments = (await client.data(EXPERIMENTS, { p: projectId })).experiments.nodes as Experiment[];
      for (const e of experiments.filter(finished)) {
        if (done.has(e.kind)) continue;
        done.set(e.kind, seconds());
        process.stdout.write(`  ${seconds().toFixed(0).padStart(6)} s  ${e.status.padEnd(6)} ${e.name}   (load ${os.loadavg()[0]!.toFixed(1)})\n`);
      }
      if (experiments.length > 0 && experiments.every(finished)) break;
      if (performance.now() - started > LIMIT_MS) throw new Error(`the demo did not finish within ${LIMIT_MS / 60_000} minutes`);
      await sleep(2000);
    }
    process.stdout.write(`\nWhole demo: ${(seconds() / 60).toFixed(1)} minutes from start (load average ${os.loadavg().map((l) => l.toFixed(1)).join(", ")}).\n\n`);
    for (const e of experiments) process.stdout.write(`${e.name}\n  ${e.caption.slice(e.caption.indexOf("Measured")).replace(/\n/g, " ")}\n\n`);
    if (KEEP) {
      process.stdout.write(`Still running at ${url} (data in ${dataDir}); Ctrl-C stops it.\n`);
      await new Promise(() => undefined);
    }
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
