/**
 * `npm run bench:uploads`: how the API fares while it is handed hostile uploads. Starts
 * `lossatlas start` on a temporary data folder, then uploads a 50 MB deeply nested model.json and
 * a zip bomb (about 1 MB that inflates to 900 MiB), one after the other and then both at once,
 * while another client asks `/healthz` every 20 ms. Prints each upload's outcome and time, the
 * worst and 99th-percentile `/healthz` latency, and the API process's memory. A benchmark, not a
 * test: the numbers depend on the machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../main.js");

/** CRC-32 (IEEE), for the zip's headers. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]!;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A zip of stored files compressed with deflate (zlib, fast for the bomb's zeros). */
function zipOf(entries: { name: string; bytes: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, bytes } of entries) {
    const data = deflateRawSync(bytes, { level: 9 });
    const nameBytes = Buffer.from(name);
    const crc = crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(bytes.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface Stack {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

async function startStack(): Promise<Stack> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-bench-uploads-"));
  const child = spawn(process.execPath, [MAIN, "start"], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", WORKERS: "0", DEMO_PROJECT: "false", LOG_LEVEL: "warn", DATABASE_URL: "", S3_ENDPOINT: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const runtime = path.join(dataDir, "runtime.json");
  for (let i = 0; i < 1200 && !existsSync(runtime); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(runtime)) throw new Error("the stack did not start within 2 minutes");
  const { url } = JSON.parse(readFileSync(runtime, "utf8")) as { url: string };
  return { child, url, dataDir };
}

/** Resident memory of a process, in MiB: now and the peak so far. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const read = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: read("VmRSS"), peak: read("VmHWM") };
}

class Client {
  private cookie = "";
  constructor(private readonly url: string) {}
  async gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const set = response.headers.getSetCookie()[0];
    if (set) this.cookie = set.split(";")[0]!;
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }
}

async function uploadModel(client: Client, projectId: string, name: string, bytes: Uint8Array): Promise<{ outcome: string; seconds: number }> {
  const started = Date.now();
  const requested = (
    await client.gql(`mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { ok error { code } upload { id files { url contentType } } } }`, {
      input: { projectId, kind: "MODEL", name, files: [{ name, size: bytes.length }] },
    })
  ).requestUpload;
  if (!requested.ok) return { outcome: requested.error.code, seconds: (Date.now() - started) / 1000 };
  const file = requested.upload.files[0];
  const put = await fetch(file.url, { method: "PUT", body: bytes, headers: { "content-type": file.contentType } });
  if (!put.ok) return { outcome: `PUT ${put.status}`, seconds: (Date.now() - started) / 1000 };
  const completed = (await client.gql(`mutation ($id: ID!) { completeUpload(id: $id) { ok error { code } } }`, { id: requested.upload.id })).completeUpload;
  return { outcome: completed.ok ? "accepted" : completed.error.code, seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<void> {
  process.stdout.write("Building the hostile files...\n");
  const depth = 25_000_000;
  const nested = Buffer.concat([Buffer.alloc(depth, "["), Buffer.alloc(depth, "]")]);
  const bomb = zipOf([
    { name: "model.json", bytes: Buffer.from(`{"modelTopology":{"class_name":"Sequential","config":{"layers":[]}},"weightsManifest":[{"paths":["w.bin"],"weights":[]}]}`) },
    { name: "w.bin", bytes: new Uint8Array(900 * 1024 * 1024) },
  ]);
  process.stdout.write(`  nested model.json: ${(nested.length / 1e6).toFixed(0)} MB; zip bomb: ${(bomb.length / 1e6).toFixed(2)} MB inflating to 900 MiB\n`);

  const stack = await startStack();
  const pid = stack.child.pid!;
  try {
    const client = new Client(stack.url);
    await client.gql(`mutation { signUp(input: { email: "bench@example.org", name: "bench", password: "correct horse battery" }) { ok } }`);
    const projectId = (await client.gql(`mutation { createProject(input: { name: "bench" }) { project { id } } }`)).createProject.project.id as string;

    const latencies: number[] = [];
    let worst = 0;
    let peakRss = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        await fetch(`${stack.url}/healthz`).then((r) => r.arrayBuffer());
        const ms = performance.now() - started;
        latencies.push(ms);
        worst = Math.max(worst, ms);
        peakRss = Math.max(peakRss, memoryOf(pid).rss);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const before = memoryOf(pid);
    const rows: string[] = [];
    const run = async (label: string, uploads: Promise<{ outcome: string; seconds: number }>[]) => {
      const start = latencies.length;
      const results = await Promise.all(uploads);
      const window = latencies.slice(start).sort((a, b) => a - b);
      const p99 = window[Math.floor(window.length * 0.99)] ?? 0;
      rows.push(
        `| ${label} | ${results.map((r) => `${r.outcome} in ${r.seconds.toFixed(1)} s`).join("; ")} | ${window.length} | ${p99.toFixed(1)} | ${(window.at(-1) ?? 0).toFixed(1)} |`,
      );
    };
    await run("50 MB nested model.json", [uploadModel(client, projectId, "model.json", nested)]);
    await run("zip bomb (900 MiB inflated)", [uploadModel(client, projectId, "bomb.zip", bomb)]);
    await run("both at once", [uploadModel(client, projectId, "model.json", nested), uploadModel(client, projectId, "bomb.zip", bomb)]);
    probing = false;
    await probe;
    const after = memoryOf(pid);
    process.stdout.write(
      [
        "",
        "| upload | outcome | /healthz probes | p99 ms | worst ms |",
        "|---|---|---|---|---|",
        ...rows,
        "",
        `Worst /healthz latency over the whole run: ${worst.toFixed(1)} ms (${latencies.length} probes).`,
        `API process memory: ${before.rss.toFixed(0)} MiB before, at most ${peakRss.toFixed(0)} MiB sampled during, ${after.rss.toFixed(0)} MiB after (peak RSS since start ${after.peak.toFixed(0)} MiB).`,
        "",
      ].join("\n"),
    );
  } finally {
    stack.child.kill("SIGINT");
    await new Promise((resolve) => stack.child.once("exit", resolve));
    await fs.rm(stack.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
