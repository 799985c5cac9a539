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
 *   BENCH_DATA_DIR=/var/tmp/paper DEMO_SIZE=paper npm run bench:demo
 *                                       a demo longer than one sitting: the data folder is kept, and
 *                                       a later run on the same folder resumes the demo where it
 *                                       stopped (the service's own restart), counting only the time
 *                                       the stack ran; bench-demo.json in it holds the tally
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
/** A data folder kept between runs, so a demo of hours can be timed over several sittings. */
const KEPT_DIR = process.env.BENCH_DATA_DIR;

/** What a kept folder remembers between runs: the seconds the stack ran before, and when each experiment finished on that clock. */
interface Tally {
  size: string;
  secondsBefore: number;
  sittings: number;
  finished: Record<string, number>;
}

interface Experiment {
  kind: string;
  status: string;
  name: string;
  caption: string;
}

const EXPERIMENTS = `query ($p: ID!) { experiments(projectId: $p, first: 50) { nodes { kind status name caption } } }`;
/** What is left of a demo stopped before its end: runs not trained, surfaces not computed and the queue's estimate for them. */
const LEFT = `query ($p: ID!) { experiments(projectId: $p, first: 50) { nodes { status runs { status } surfaces { status pointsDone pointsTotal queue { estimatedSeconds } } } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const finished = (e: { status: string }) => e.status === "READY" || e.status === "FAILED";

interface LeftExperiment {
  status: string;
  runs: { status: string }[];
  surfaces: { status: string; pointsDone: number; pointsTotal: number; queue: { estimatedSeconds: number | null } | null }[];
}

/**
 * A demo stopped before its end, in a paragraph: experiments, runs and surfaces left, and the
 * queue's own estimate of when the last surface it has prepared is done (its tiles weighed by
 * their measured cost, at the workers' recent pace); runs still to train and surfaces not yet
 * prepared come on top of it.
 */
function describeLeft(left: LeftExperiment[], seconds: number): string {
  const runs = left.flatMap((e) => e.runs).filter((r) => r.status !== "READY" && r.status !== "FAILED").length;
  const surfaces = left.flatMap((e) => e.surfaces).filter((s) => s.status === "QUEUED" || s.status === "RUNNING");
  const prepared = surfaces.filter((s) => s.queue?.estimatedSeconds != null);
  const last = Math.max(0, ...prepared.map((s) => s.queue!.estimatedSeconds!));
  const points = surfaces.reduce((n, s) => n + s.pointsTotal - s.pointsDone, 0);
  return [
    `Stopped after ${(seconds / 60).toFixed(1)} minutes of running with ${left.length} experiment(s) unfinished:`,
    `${runs} training run(s) still to train, ${surfaces.length} surface(s) with ${points.toLocaleString("en-US")} points still to compute.`,
    prepared.length > 0
      ? `The queue estimates the last of them done in about ${last < 120 ? `${Math.round(last)} s` : `${(last / 60).toFixed(0)} minutes`} more at the workers' pace of the last ten minutes${runs > 0 ? ", before the surfaces of the runs still training" : ""}.`
      : "The queue has no estimate yet (the workers computed no tile in the last ten minutes).",
  ].join("\n");
}

async function readTally(file: string): Promise<Tally> {
  const fresh: Tally = { size: DEMO_SIZE, secondsBefore: 0, sittings: 0, finished: {} };
  const kept = existsSync(file) ? (JSON.parse(await fs.readFile(file, "utf8")) as Tally) : fresh;
  if (kept.size !== DEMO_SIZE) throw new Error(`${file} times DEMO_SIZE=${kept.size}, not ${DEMO_SIZE}: use another BENCH_DATA_DIR`);
  return kept;
}

async function main(): Promise<void> {
  const dataDir = KEPT_DIR ? path.resolve(KEPT_DIR) : await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-bench-demo-"));
  if (KEPT_DIR) await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tallyFile = path.join(dataDir, "bench-demo.json");
  const tally = await readTally(tallyFile);
  let child: ChildProcess | undefined;
  const started = performance.now();
  // On the demo's clock: the seconds of earlier sittings plus this one's.
  const seconds = () => tally.secondsBefore + (performance.now() - started) / 1000;
  const saveTally = async () => {
    if (!KEPT_DIR) return;
    await fs.writeFile(`${tallyFile}.tmp`, `${JSON.stringify({ ...tally, secondsBefore: seconds(), sittings: tally.sittings + 1 }, null, 2)}\n`);
    await fs.rename(`${tallyFile}.tmp`, tallyFile);
  };
  let report: (() => Promise<void>) | undefined;
  const stop = async () => {
    await report?.().catch(() => undefined);
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      process.kill(-child.pid, "SIGINT");
      await exited;
    }
    await saveTally();
    if (!KEPT_DIR) await fs.rm(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    // A folder stopped without a clean exit keeps the old stack's runtime file: wait for the new one.
    await fs.rm(path.join(dataDir, "runtime.json"), { force: true });
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
    if (tally.sittings > 0) process.stdout.write(`  resumed in ${dataDir} after ${tally.sittings} sitting(s), ${(tally.secondsBefore / 60).toFixed(1)} minutes of running so far\n`);
    report = async () => {
      const left = ((await client.data(LEFT, { p: projectId })).experiments.nodes as LeftExperiment[]).filter((e) => !finished(e));
      if (left.length === 0) return;
      process.stdout.write(`\n${describeLeft(left, seconds())}\n`);
    };
    const done = new Map<string, number>(Object.entries(tally.finished));
    for (const [kind, at] of done) process.stdout.write(`  ${at.toFixed(0).padStart(6)} s  finished in an earlier sitting: ${kind}\n`);
    let experiments: Experiment[] = [];
    for (;;) {
      experiments = (await client.data(EXPERIMENTS, { p: projectId })).experiments.nodes as Experiment[];
      for (const e of experiments.filter(finished)) {
        if (done.has(e.kind)) continue;
        done.set(e.kind, seconds());
        tally.finished[e.kind] = seconds();
        process.stdout.write(`  ${seconds().toFixed(0).padStart(6)} s  ${e.status.padEnd(6)} ${e.name}   (load ${os.loadavg()[0]!.toFixed(1)})\n`);
      }
      if (experiments.length > 0 && experiments.every(finished)) break;
      await saveTally();
      if (performance.now() - started > LIMIT_MS) throw new Error(`the demo did not finish within ${LIMIT_MS / 60_000} minutes`);
      await sleep(2000);
    }
    report = undefined;
    if (tally.sittings > 0) process.stdout.write(`\nRan in ${tally.sittings + 1} sittings; the times count only the minutes the stack ran.\n`);
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
