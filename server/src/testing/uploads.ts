/**
 * Uploading through the real flow, as a browser or script does: requestUpload, a plain fetch PUT
 * to each presigned URL, completeUpload. Plus small valid models and datasets built in code.
 */
import { encodeNpy, initBackend } from "../engine/index.js";
import { artifactsOf, buildMlp, buildMlpBn, modelFiles } from "../engine/testing/index.js";
import { modelZip } from "../engine/testing/zip.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { TestClient } from "./api.js";

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  /** Declared size, when a test lies about it; default the true size. */
  declaredSize?: number;
  /** Skip the PUT, to test a file that never arrives. */
  skipPut?: boolean;
  /**
   * Write straight into this store instead of through the signed public URL, as a store that
   * checks no lengths would accept it (to test completion's own checks).
   */
  direct?: ObjectStore;
}

const REQUEST = `mutation ($input: RequestUploadInput!) {
  requestUpload(input: $input) { ok error { code message field } upload { id expiresAt files { name size url contentType } } }
}`;
const COMPLETE = `mutation ($id: ID!) {
  completeUpload(id: $id) {
    ok error { code message field }
    model { id name format parameterCount inputShape outputShape loss notes layers { name className params } }
    dataset { id name format rows inputShape targetShape classes classNames channelsLast }
    checkpoint { id step }
    direction { id name }
  }
}`;

export interface UploadOutcome {
  requested: { ok: boolean; error: { code: string; message: string; field: string | null } | null; upload: { id: string } | null };
  completed?: {
    ok: boolean;
    error: { code: string; message: string; field: string | null } | null;
    model: Record<string, any> | null;
    dataset: Record<string, any> | null;
    checkpoint: Record<string, any> | null;
    direction?: Record<string, any> | null;
  };
  /** The code of whichever step failed, or "ok". */
  outcome: string;
}

export async function upload(
  client: TestClient,
  input: { projectId: string; kind: "MODEL" | "DATASET" | "CHECKPOINT" | "DIRECTION"; name?: string; modelId?: string; step?: number; label?: string; channelsLast?: boolean },
  files: UploadFile[],
): Promise<UploadOutcome> {
  const requested = (
    await client.data(REQUEST, {
      input: { name: "test upload", ...input, files: files.map((f) => ({ name: f.name, size: f.declaredSize ?? f.bytes.length, contentType: "application/octet-stream" })) },
    })
  ).requestUpload;
  if (!requested.ok) return { requested, outcome: requested.error.code };
  for (const target of requested.upload.files as { name: string; url: string; contentType: string }[]) {
    const file = files.find((f) => f.name.endsWith(target.name))!;
    if (file.skipPut) continue;
    if (file.direct) {
      await file.direct.put(new URL(target.url).pathname.replace(/^\/storage\//, ""), file.bytes);
      continue;
    }
    const response = await fetch(target.url, { method: "PUT", body: file.bytes, headers: { "content-type": target.contentType } });
    if (!response.ok) throw new Error(`PUT ${target.name} answered ${response.status}: ${await response.text()}`);
  }
  const completed = (await client.data(COMPLETE, { id: requested.upload.id })).completeUpload;
  return { requested, completed, outcome: completed.ok ? "ok" : completed.error.code };
}

/** A small trained-shape MLP (4-8-3, softmax, sparse categorical crossentropy) as model.json + shard. */
export async function mlpFiles(sizes: number[] = [4, 8, 3], seed = 1): Promise<{ modelJson: string; shards: Map<string, Uint8Array>; zip: Uint8Array }> {
  await initBackend("cpu");
  const artifacts = await artifactsOf(buildMlp(sizes, seed), "sparse_categorical_crossentropy");
  return { ...modelFiles(artifacts), zip: await modelZip(artifacts) };
}

/** A 4-6-3 MLP with BatchNorm after its hidden layer (engine/testing's buildMlpBn), as model.json + shard. */
export async function bnMlpFiles(seed = 1): Promise<{ modelJson: string; shards: Map<string, Uint8Array> }> {
  await initBackend("cpu");
  return modelFiles(await artifactsOf(buildMlpBn(seed), "sparse_categorical_crossentropy"));
}

/** An MLP saved without a training config (uncompiled, as people upload models to train). */
export async function uncompiledMlpFiles(sizes: number[], seed = 1, outActivation = "softmax"): Promise<{ modelJson: string; shards: Map<string, Uint8Array> }> {
  await initBackend("cpu");
  return modelFiles(await artifactsOf(buildMlp(sizes, seed, outActivation)));
}

export const text = (value: string) => new TextEncoder().encode(value);

/** An NPY pair of `rows` samples of `features` float32 features and integer labels below `classes`. */
export function npyPair(rows: number, features: number, classes: number): { x: Uint8Array; y: Uint8Array } {
  const x = new Float32Array(rows * features).map((_, i) => Math.sin(i) * 2);
  const y = new Int32Array(rows).map((_, i) => i % classes);
  return { x: encodeNpy(x, [rows, features]), y: encodeNpy(y, [rows]) };
}

/**
 * The same model with every weight moved by `scale * sin(seed * (i + 1))`: same topology and
 * weight names, as checkpoints of one training run have.
 */
export function perturbed(files: { modelJson: string; shards: Map<string, Uint8Array> }, scale: number, seed: number) {
  const shards = new Map<string, Uint8Array>();
  for (const [name, bytes] of files.shards) {
    const copy = new Uint8Array(bytes);
    const weights = new Float32Array(copy.buffer);
    for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! + scale * Math.sin(seed * (i + 1));
    shards.set(name, copy);
  }
  return { modelJson: files.modelJson, shards };
}

/** model.json + shard of in-memory files, ready for `upload`. */
export function modelUploadFiles(files: { modelJson: string; shards: Map<string, Uint8Array> }): UploadFile[] {
  return [{ name: "model.json", bytes: text(files.modelJson) }, ...[...files.shards].map(([name, bytes]) => ({ name, bytes }))];
}

/**
 * A signed-up user's project named `name` with the benchmarks' workload uploaded: an MLP
 * 64-64-32-10 and 1,000 seeded points of 64 features in 10 classes.
 */
export async function benchProject(client: TestClient, name: string): Promise<{ projectId: string; modelId: string; datasetId: string }> {
  const projectId = (await client.data(`mutation ($name: String!) { createProject(input: { name: $name }) { project { id } } }`, { name })).createProject.project.id as string;
  const modelId = (await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([64, 64, 32, 10], 3)))).completed!.model!.id;
  const pair = npyPair(1000, 64, 10);
  const datasetId = (
    await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ])
  ).completed!.dataset!.id;
  return { projectId, modelId, datasetId };
}
