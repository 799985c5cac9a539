/**
 * `npm run bench:api`: the API under load on loopback, measured with autocannon.
 *
 * Starts the real `lossatlas start` (embedded PostgreSQL and object store, one worker) on a
 * temporary data folder, seeds one user with a project and a computed 21x21 plane, then measures
 * requests per second and p50/p99 latency of
 *   - anonymous `health`,
 *   - a signed-in gallery page (the web app's own query),
 *   - a surface's `values` (loss and accuracy rows),
 * each alone, and each again while 50 anonymous connections hammer `health`.
 * The hammering clients run in a process of their own (as they would on other machines), so their
 * bookkeeping does not delay the measured client's event loop; the load generators still share the
 * machine's CPUs with the server, so the numbers are a floor.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { TestClient } from "../testing/api.js";
import { mlpFiles, text, upload } from "../testing/uploads.js";

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "main.js");
const HAMMER_FLAG = "--hammer";
/** Seconds each measurement runs. */
const DURATION = Number(process.argv[2] === HAMMER_FLAG ? process.argv[4] : (process.argv[2] ?? 10));
/** Connections of the measured client, and of the hammering one. */
const CONNECTIONS = 10;
const HAMMER = 50;

const HEALTH = `{ health { status } }`;
// What the web app's gallery page sends (web/src/api/ops.ts, GALLERY with SurfaceSummaryFields).
const GALLERY = `query Gallery($after: String) { gallery(first: 12, after: $after) {
  nodes { id name kind status pointsDone pointsTotal thumbnailUrl createdAt projectId tags model { id name } dataset { id name } statistics { loss { min max } } }
  pageInfo { hasNextPage endCursor } } }`;
const VALUES = `query Values($id: ID!) { surface(id: $id) { loss: values(metric: LOSS) accuracy: values(metric: ACCURACY) } }`;

interface Stack {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

async function startStack(): Promise<Stack> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-bench-"));
  const child = spawn(process.execPath, [MAIN, "start"], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", WORKERS: "1", DEMO_PROJECT: "false", LOG_LEVEL: "fatal" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const runtimeFile = path.join(dataDir, "runtime.json");
  const deadline = Date.now() + 120_000;
  while (!existsSync(runtimeFile)) {
    if (child.exitCode !== null) throw new Error(`lossatlas start exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("lossatlas start did not come up within 120 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { url } = JSON.parse(readFileSync(runtimeFile, "utf8")) as { url: string };
  return { url, child, dataDir };
}

async function stopStack(stack: Stack): Promise<void> {
  const exited = new Promise((resolve) => stack.child.once("exit", resolve));
  process.kill(-stack.child.pid!, "SIGINT");
  await exited;
  await fs.rm(stack.dataDir, { recursive: true, force: true });
}

/** A signed-in user with one project and one computed surface; returns the cookie and the surface id. */
async function seed(url: string): Promise<{ cookie: string; surfaceId: string }> {
  const client = new TestClient(url);
  await client.signUp("bench@example.org", "Bench");
  const projectId = (await client.data(`mutation { createProject(input: { name: "bench" }) { project { id } } }`)).createProject.project.id as string;
  const files = await mlpFiles([4, 16, 3]);
  const model = await upload(client, { projectId, kind: "MODEL" }, [
    { name: "model.json", bytes: text(files.modelJson) },
    { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
  ]);
  const dataset = await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
  const grid = { min: -1, max: 1, count: 21 };
  const created = await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
    input: { projectId, modelId: model.completed!.model!.id, datasetId: dataset.addBuiltinDataset.dataset.id, kind: "PLANE", params: { x: grid, y: grid } },
  });
  const surfaceId = created.createSurface.surface.id as string;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { surface } = await client.data(`query ($id: ID!) { surface(id: $id) { status } }`, { id: surfaceId });
    if (surface.status === "READY") break;
    if (surface.status === "FAILED" || Date.now() > deadline) throw new Error(`the bench surface did not compute (${surface.status})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { cookie: (client as unknown as { cookie: string }).cookie, surfaceId };
}

function load(url: string, body: object, connections: number, headers: Record<string, string> = {}): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        connections,
        duration: DURATION,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

interface Row {
  scenario: string;
  "req/s": number;
  "p50 ms": number;
  "p99 ms": number;
  "non-2xx + errors": number;
}

const row = (scenario: string, result: autocannon.Result): Row => ({
  scenario,
  "req/s": Math.round(result.requests.average),
  "p50 ms": result.latency.p50,
  "p99 ms": result.latency.p99,
  "non-2xx + errors": result.non2xx + result.errors + result.timeouts,
});

/** Rows as an aligned text table: the scenario left, the numbers right. */
function table(rows: Row[]): string {
  const columns = Object.keys(rows[0]!) as (keyof Row)[];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")}\n`;
  return line(columns) + line(widths.map((w) => "-".repeat(w))) + rows.map((r) => line(columns.map((c) => String(r[c])))).join("");
}

/** `HAMMER` anonymous connections on `health` for DURATION seconds, in a child process; resolves to its result. */
function hammer(url: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), HAMMER_FLAG, url, String(DURATION)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as autocannon.Result) : reject(new Error(`the hammering process exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === HAMMER_FLAG) {
    process.stdout.write(JSON.stringify(await load(process.argv[3]!, { query: HEALTH }, HAMMER)));
    return;
  }
  const stack = await startStack();
  try {
    const { cookie, surfaceId } = await seed(stack.url);
    const scenarios: [string, object, Record<string, string>][] = [
      ["anonymous health", { query: HEALTH }, {}],
      ["signed-in gallery page", { query: GALLERY, variables: {} }, { cookie }],
      ["surface values (21x21, loss and accuracy)", { query: VALUES, variables: { id: surfaceId } }, { cookie }],
    ];
    const rows: Row[] = [];
    for (const [name, body, headers] of scenarios) {
      // A short warm-up, so the first measurement does not pay for JIT and pool growth.
      await new Promise<void>((resolve) => autocannon({ url: `${stack.url}/graphql`, method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), connections: 2, amount: 200 }, () => resolve()));
      rows.push(row(`${name}, alone (${CONNECTIONS} connections)`, await load(stack.url, body, CONNECTIONS, headers)));
    }
    for (const [name, body, headers] of scenarios) {
      const [measured, hammered] = await Promise.all([load(stack.url, body, CONNECTIONS, headers), hammer(stack.url)]);
      rows.push(row(`${name}, with ${HAMMER} anonymous clients on health`, measured));
      rows.push(row(`  (the ${HAMMER} health clients meanwhile)`, hammered));
    }
    process.stdout.write(`\nAPI under load on loopback, ${DURATION} s per measurement, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0]!.toFixed(1)}\n\n`);
    process.stdout.write(table(rows));
  } finally {
    await stopStack(stack);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
