/**
 * `npm run bench:reference`: Loss Atlas against the authors' way of computing a loss surface
 * (Li et al. 2018, github.com/tomgoldstein/loss-landscape) in PyTorch, on the same CPU, with the
 * same network, weights, samples and filter-normalized directions:
 *
 * - MLP 784-128-64-10 on 2,000 MNIST digits;
 * - CNN on 32x32x3 images: conv16-BN-ReLU-maxpool-conv32-BN-ReLU-GAP-dense10, 2,000 seeded
 *   Gaussian images with seeded labels (the timing does not depend on what the pixels show);
 *
 * each on a 21x21 grid over [-1, 1]^2. The PyTorch side (scripts/bench-reference.py) runs the
 * authors' loop (eval mode, mean cross-entropy, batch size 128, weights theta + a*dx + b*dy set
 * at every point) with torch.set_num_threads(2); the Loss Atlas side is `lossatlas surface` with
 * one process and with `--workers 2`. Each configuration runs `--repeats` times (default 3),
 * interleaved, and the medians are compared; the surfaces must agree (max relative difference
 * of the losses printed). When PyTorch is not installed, only the Loss Atlas side runs.
 * A benchmark, not a test: CI does not need PyTorch.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { axisValues, type Dataset, type Direction, encodeNpy, initBackend, loadDataset, type LoadedModel, modelFromArtifacts, randomDirection, saveDirection } from "../engine/index.js";
import { artifactsOf, buildImageCnn, buildMlp, randomDataset, writeModelFolder } from "../engine/testing/index.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.resolve(HERE, "../main.js");
const PYTHON_SCRIPT = path.resolve(HERE, "../../../scripts/bench-reference.py");

const USAGE = `Usage: npm run bench:reference -- [--repeats 3] [--cases cnn,mlp] [--grid 21] [--samples 2000]
    [--threads 2] [--workers 2] [--python python3] [--backend wasm] [--dir DIR] [--out result.json]`;

interface Options {
  repeats: number;
  cases: string[];
  grid: number;
  samples: number;
  threads: number;
  workers: number;
  /** The Python to run the PyTorch side with; null: find one (see findTorch). */
  python: string | null;
  backend: string;
  dir: string | null;
  out: string | null;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { repeats: 3, cases: ["cnn", "mlp"], grid: 21, samples: 2000, threads: 2, workers: 2, python: null, backend: "wasm", dir: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (flag === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    const int = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a positive integer (got "${value}")`);
      return n;
    };
    switch (flag) {
      case "--repeats": o.repeats = int(); break;
      case "--grid": o.grid = int(); break;
      case "--samples": o.samples = int(); break;
      case "--threads": o.threads = int(); break;
      case "--workers": o.workers = int(); break;
      case "--cases": o.cases = value.split(",").map((c) => c.trim()).filter((c) => c.length > 0); break;
      case "--python": o.python = value; break;
      case "--backend": o.backend = value; break;
      case "--dir": o.dir = value; break;
      case "--out": o.out = value; break;
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
    i++;
  }
  for (const c of o.cases) if (c !== "cnn" && c !== "mlp") throw new Error(`--cases takes cnn and/or mlp (got "${c}")`);
  return o;
}

interface Case {
  readonly key: "mlp" | "cnn";
  readonly name: string;
  readonly model: LoadedModel;
  readonly data: Dataset;
}

async function makeCase(key: "mlp" | "cnn", samples: number): Promise<Case> {
  if (key === "mlp") {
    return {
      key, name: "MLP 784-128-64-10, MNIST",
      model: await modelFromArtifacts(await artifactsOf(buildMlp([784, 128, 64, 10]), "sparse_categorical_crossentropy")),
      data: await loadDataset("builtin:mnist", { samples, sampleSeed: 0 }),
    };
  }
  return {
    key, name: "CNN 32x32x3 c16-BN-c32-BN-GAP-d10",
    model: await modelFromArtifacts(await artifactsOf(buildImageCnn(16, 32), "sparse_categorical_crossentropy")),
    data: randomDataset(samples, [32, 32, 3], 10, 3),
  };
}

/** Writes the model, data and directions for both sides; returns the folder. */
async function exportCase(c: Case, folder: string, xs: Float64Array, dx: Direction, dy: Direction): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  await writeModelFolder(path.join(folder, "model"), c.model.artifacts);
  await fs.mkdir(path.join(folder, "data"), { recursive: true });
  await fs.writeFile(path.join(folder, "data", "x.npy"), encodeNpy(c.data.x, [c.data.count, ...c.data.sampleShape]));
  await fs.writeFile(path.join(folder, "data", "y.npy"), encodeNpy(c.data.y, [c.data.count]));
  const metadata = { kind: "random" as const, seed: 0, norm: "filter" as const, ignore: "biasbn" as const };
  await saveDirection(path.join(folder, "dx"), c.model, dx, { ...metadata, axis: "x" });
  await saveDirection(path.join(folder, "dy"), c.model, dy, { ...metadata, axis: "y" });
  // The PyTorch side reads raw float32: theta, dx, dy, each parameter at its offset.
  const total = c.model.params.reduce((s, p) => s + p.size, 0);
  const blob = new Float32Array(3 * total);
  let offset = 0;
  const params = c.model.params.map((p, i) => {
    blob.set(c.model.theta[i]!, offset);
    blob.set(dx[i]!, total + offset);
    blob.set(dy[i]!, 2 * total + offset);
    const layerClass = c.model.steps.find((s) => Object.values(s.params).includes(i))?.className ?? "";
    const entry = { name: p.name, layerClass, key: p.key, shape: p.shape, offset, size: p.size };
    offset += p.size;
    return entry;
  });
  await fs.writeFile(path.join(folder, "params.f32"), new Uint8Array(blob.buffer));
  await fs.writeFile(path.join(folder, "x.f32"), new Uint8Array(c.data.x.buffer, c.data.x.byteOffset, c.data.x.byteLength));
  await fs.writeFile(path.join(folder, "y.f32"), new Uint8Array(c.data.y.buffer, c.data.y.byteOffset, c.data.y.byteLength));
  await fs.writeFile(path.join(folder, "case.json"), JSON.stringify({
    case: c.key, xs: [...xs], ys: [...xs], samples: c.data.count, inputShape: c.model.inputShape, params,
  }));
}

/** Runs a command; resolves with its wall time and the tail of its stderr. */
function runCommand(command: string, args: string[]): Promise<{ code: number; seconds: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, seconds: (performance.now() - started) / 1000, stderr }));
  });
}

interface Run {
  /** Seconds of the surface itself: PyTorch's loop; Loss Atlas' setup + compute (its `timings.totalMs`). */
  readonly seconds: number;
  /** Seconds of the whole command, process start and loading included. */
  readonly wall: number;
  readonly loss: number[];
  readonly accuracy: number[];
}

/** The PyTorch loops: the authors' as written (a DataLoader), and the same over batches made once. */
type TorchLoop = "dataloader" | "batches";

async function runTorch(o: Options, folder: string, loop: TorchLoop): Promise<Run> {
  const r = await runCommand(o.python!, [PYTHON_SCRIPT, folder, String(o.threads), loop]);
  if (r.code !== 0) throw new Error(`the PyTorch side (${loop}) failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const doc = JSON.parse(await fs.readFile(path.join(folder, `torch-${loop}.json`), "utf8")) as { seconds: number; loss: number[][]; accuracy: number[][] };
  return { seconds: doc.seconds, wall: r.seconds, loss: doc.loss.flat(), accuracy: doc.accuracy.flat() };
}

async function runLossAtlas(o: Options, folder: string, workers: number): Promise<Run> {
  const out = path.join(folder, `surface-${workers}.json`);
  const axis = `-1:1:${o.grid}`;
  const r = await runCommand(process.execPath, [
    MAIN, "surface", "--model", path.join(folder, "model"), "--data", path.join(folder, "data"),
    "--dir-x", path.join(folder, "dx"), "--dir-y", path.join(folder, "dy"), "--x", axis, "--y", axis,
    "--workers", String(workers), "--backend", o.backend, "--out", out,
  ]);
  if (r.code !== 0) throw new Error(`lossatlas surface --workers ${workers} failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const doc = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][]; accuracy: number[][]; timings: { totalMs: number } };
  return { seconds: doc.timings.totalMs / 1000, wall: r.seconds, loss: doc.loss.flat(), accuracy: doc.accuracy.flat() };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function maxRelative(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-12));
  return worst;
}

function maxAbsolute(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/**
 * The first Python that imports torch and numpy, with torch's version: the one given, else
 * `python3` on the PATH, then Debian's /usr/bin/python3 (where python3-torch installs, which a
 * pyenv or virtualenv python3 earlier on the PATH does not see).
 */
function findTorch(python: string | null): { python: string; version: string; blas: string[] } | null {
  for (const candidate of python === null ? ["python3", "/usr/bin/python3"] : [python]) {
    const r = spawnSync(candidate, ["-c", TORCH_PROBE], { encoding: "utf8" });
    if (r.status === 0) {
      const [version = "", blas = ""] = r.stdout.trim().split("\n");
      return { python: candidate, version: version.trim(), blas: blas.split(";").filter(Boolean) };
    }
  }
  return null;
}

/** Prints torch's version, then the BLAS libraries the process has mapped after a product. */
const TORCH_PROBE = [
  "import torch, numpy",
  "torch.ones(64, 64) @ torch.ones(64, 64)",
  "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l})",
  "print(torch.__version__)",
  "print(';'.join(libs))",
].join("\n");

/**
 * Debian's reference BLAS (libblas3, `/blas/libblas.so`), which Debian's torch uses unless an
 * optimized one is installed: 10-20 times slower than OpenBLAS here, so it is no fair reference.
 */
function referenceBlas(libraries: readonly string[]): boolean {
  return libraries.some((l) => /\/blas\/libblas\.so/.test(l));
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [
    `| ${header.map((h, i) => pad(h, widths[i]!)).join(" | ")} |`,
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map((r) => `| ${r.map((c, i) => pad(c, widths[i]!)).join(" | ")} |`),
  ];
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const found = findTorch(o.python);
  const torchVersion = found?.version ?? null;
  if (found !== null) o.python = found.python;
  const load = os.loadavg();
  write(`Loss Atlas vs the authors' PyTorch loop: ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, load average ${load.map((l) => l.toFixed(1)).join(" ")}`);
  write(torchVersion === null
    ? `PyTorch: not available to ${o.python ?? "python3 or /usr/bin/python3"} (install python3-torch, or pass --python); only the Loss Atlas side runs, no ratios.`
    : `PyTorch ${torchVersion} (${o.python}) with torch.set_num_threads(${o.threads}); Loss Atlas backend ${o.backend}; grid ${o.grid}x${o.grid} over [-1, 1]^2; ${o.samples} samples; ${o.repeats} repeat${o.repeats > 1 ? "s" : ""} each, interleaved; medians below.`);
  if (found !== null) {
    write(`PyTorch's BLAS: ${found.blas.length > 0 ? found.blas.join(", ") : "none mapped (built in)"}`);
    if (referenceBlas(found.blas)) {
      write("WARNING: PyTorch runs on Debian's reference BLAS, 10-20x slower than an optimized one; install OpenBLAS");
      write("(`apt-get install libopenblas0-pthread`) for a fair comparison. The PyTorch column below is not.");
    }
  }
  await initBackend("cpu"); // only to build the models here; the surfaces run in their own processes
  const root = o.dir ?? await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-bench-reference-"));
  const xs = axisValues({ min: -1, max: 1, count: o.grid });
  const results: Record<string, unknown>[] = [];
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const key of o.cases as ("mlp" | "cnn")[]) {
    const c = await makeCase(key, o.samples);
    const folder = path.join(root, key);
    const dx = randomDirection(c.model, { seed: 0, norm: "filter", ignore: "biasbn" }, 0);
    const dy = randomDirection(c.model, { seed: 0, norm: "filter", ignore: "biasbn" }, 1);
    await exportCase(c, folder, xs, dx, dy);
    const torch: Run[] = [];
    const batched: Run[] = [];
    const one: Run[] = [];
    const many: Run[] = [];
    for (let r = 0; r < o.repeats; r++) {
      if (torchVersion !== null) {
        torch.push(await runTorch(o, folder, "dataloader"));
        write(`  ${c.name}, repeat ${r + 1}: PyTorch, DataLoader ${torch.at(-1)!.seconds.toFixed(1)} s`);
        batched.push(await runTorch(o, folder, "batches"));
        write(`  ${c.name}, repeat ${r + 1}: PyTorch, batches made once ${batched.at(-1)!.seconds.toFixed(1)} s`);
      }
      one.push(await runLossAtlas(o, folder, 1));
      write(`  ${c.name}, repeat ${r + 1}: Loss Atlas 1 process ${one.at(-1)!.seconds.toFixed(1)} s (command ${one.at(-1)!.wall.toFixed(1)} s)`);
      many.push(await runLossAtlas(o, folder, o.workers));
      write(`  ${c.name}, repeat ${r + 1}: Loss Atlas --workers ${o.workers} ${many.at(-1)!.seconds.toFixed(1)} s (command ${many.at(-1)!.wall.toFixed(1)} s)`);
    }
    const points = o.grid * o.grid;
    const loaderS = torch.length > 0 ? median(torch.map((r) => r.seconds)) : Number.NaN;
    const batchesS = batched.length > 0 ? median(batched.map((r) => r.seconds)) : Number.NaN;
    // The targets are judged against PyTorch's faster loop.
    const tS = Math.min(loaderS, batchesS);
    const oneS = median(one.map((r) => r.seconds));
    const manyS = median(many.map((r) => r.seconds));
    const agree = torch.length > 0 ? Math.max(maxRelative(one[0]!.loss, torch[0]!.loss), maxRelative(one[0]!.loss, batched[0]!.loss)) : Number.NaN;
    const accuracyGap = torch.length > 0 ? maxAbsolute(one[0]!.accuracy, torch[0]!.accuracy) : Number.NaN;
    const processes = maxRelative(many[0]!.loss, one[0]!.loss);
    const fmt = (s: number) => (Number.isNaN(s) ? "-" : s.toFixed(1));
    const ratio = (s: number) => (Number.isNaN(tS) ? "-" : `${(tS / s).toFixed(2)}x`);
    rows.push([
      c.name, fmt(loaderS), fmt(batchesS), fmt(oneS), fmt(manyS), Number.isNaN(tS) ? "-" : (points / tS).toFixed(1), (points / oneS).toFixed(1), (points / manyS).toFixed(1),
      ratio(oneS), ratio(manyS), Number.isNaN(agree) ? "-" : agree.toExponential(1), processes.toExponential(1),
    ]);
    if (!Number.isNaN(tS)) {
      if (key === "cnn") verdicts.push(`CNN: Loss Atlas --workers ${o.workers} ${manyS <= tS ? "is no slower than" : "is SLOWER than"} PyTorch's faster loop (${fmt(manyS)} s vs ${fmt(tS)} s).`);
      else {
        const best = Math.min(oneS, manyS);
        verdicts.push(`MLP: Loss Atlas (faster of its two rows) is ${(tS / best).toFixed(2)}x as fast as PyTorch's faster loop: ${tS / best >= 1.5 ? "at least" : "LESS than"} 1.5x.`);
      }
      if (agree > 1e-5) verdicts.push(`${c.name}: the surfaces differ by ${agree.toExponential(2)} relative (more than 1e-5).`);
    }
    results.push({
      case: key, name: c.name, grid: o.grid, samples: c.data.count, torchSeconds: torch.map((r) => r.seconds), torchWallSeconds: torch.map((r) => r.wall),
      torchBatchesSeconds: batched.map((r) => r.seconds), torchBatchesWallSeconds: batched.map((r) => r.wall),
      lossAtlas1Seconds: one.map((r) => r.seconds), lossAtlas1WallSeconds: one.map((r) => r.wall),
      lossAtlasWorkersSeconds: many.map((r) => r.seconds), lossAtlasWorkersWallSeconds: many.map((r) => r.wall),
      maxRelativeLossDifference: agree, maxAccuracyDifference: accuracyGap, workersVsOneProcess: processes,
    });
  }
  write("");
  for (const line of table(
    ["network", "PyTorch DataLoader s", "PyTorch batches s", "LA 1 proc s", `LA --workers ${o.workers} s`, "PyTorch pts/s", "LA 1 pts/s", `LA ${o.workers} pts/s`, "PyTorch/LA 1", `PyTorch/LA ${o.workers}`, "max rel diff vs PyTorch", `1 vs ${o.workers} procs`],
    rows,
  )) write(line);
  write("");
  write("Seconds: medians. PyTorch: its surface loop (weights set and data evaluated at every point), not Python's start or `import torch`;");
  write("DataLoader: the authors' loop as written; batches: the same over batches of 128 made once. PyTorch pts/s and the ratios use the faster of the two.");
  write("Loss Atlas: the surface's own total (setup, upload, worker start and compute; `timings.totalMs` of `lossatlas surface`), not Node's start");
  write("or reading the files (the per-run lines above give whole-command times as well). Ratios above 1x: Loss Atlas is faster.");
  write(`max rel diff: the largest relative difference of the ${o.grid * o.grid} mean losses between PyTorch and Loss Atlas (1 process), first repeat.`);
  for (const v of verdicts) write(v);
  if (o.out) await fs.writeFile(o.out, JSON.stringify({ cores: os.availableParallelism(), cpu: os.cpus()[0]?.model, loadAverage: load, torch: torchVersion, blas: found?.blas ?? null, options: o, results }, null, 2));
  if (o.dir === null) await fs.rm(root, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:reference: ${(error as Error).message}\n`);
  process.exit(1);
});
