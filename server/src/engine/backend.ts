/**
 * Choosing and starting a TF.js backend. `auto` prefers native TensorFlow (GPU, then CPU) when
 * its optional package is installed, then WebAssembly, then the plain JS cpu backend: on the
 * machines we measured, wasm runs matmul about 40x faster than cpu.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { EngineInputError } from "./errors.js";

/** What a caller may ask for. */
export type BackendRequest = "auto" | "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
/** The backend actually running, as workers advertise it. */
export type BackendName = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export const BACKEND_REQUESTS: readonly BackendRequest[] = ["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"];

let active: BackendName | null = null;

/**
 * Loads an optional package by a name TypeScript cannot see, so the build does not depend on
 * it. The native packages download libtensorflow when installed, so they are never required.
 */
async function importOptional(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch (error) {
    failures.set(name, (error as Error).message.split("\n")[0] ?? String(error));
    return false;
  }
}

/** Why an optional package did not load, by package name (for the error of an explicit request). */
const failures = new Map<string, string>();

/** The package each native backend needs. */
const NATIVE_PACKAGES: Partial<Record<BackendName, string>> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

/**
 * One line on why an explicitly requested backend is missing: the package is not installed, or it
 * is and its native library failed to load (libtensorflow, or CUDA/cuDNN for the GPU build).
 */
function unavailable(name: BackendName): string {
  const pkg = NATIVE_PACKAGES[name];
  if (pkg === undefined) return `backend "${name}" is not available on this machine (is its package installed?)`;
  const why = failures.get(pkg);
  const missing = why === undefined || (/Cannot find (package|module)/.test(why) && why.includes(pkg));
  const needs = name === "tensorflow-gpu"
    ? `${pkg}@4.22.0 with libtensorflow 2.9.1 for GPUs, CUDA 11.2 and cuDNN 8.1 (infra/docker/worker-gpu.Dockerfile builds such an image; server/src/engine/README.md, "GPU")`
    : `${pkg}@4.22.0 with libtensorflow 2.9.1`;
  return missing
    ? `backend "${name}" is not available: ${pkg} is not installed; it needs ${needs}`
    : `backend "${name}" is not available: ${pkg} is installed but did not load (${why}); it needs ${needs}`;
}

async function tryStart(name: BackendName): Promise<boolean> {
  switch (name) {
    case "tensorflow-gpu":
      // tfjs-node-gpu registers itself under the backend name "tensorflow".
      return (await importOptional("@tensorflow/tfjs-node-gpu")) && (await tf.setBackend("tensorflow"));
    case "tensorflow":
      return (await importOptional("@tensorflow/tfjs-node")) && (await tf.setBackend("tensorflow"));
    case "wasm":
      try {
        await import("@tensorflow/tfjs-backend-wasm");
        return await tf.setBackend("wasm");
      } catch {
        return false;
      }
    case "cpu":
      return tf.setBackend("cpu");
  }
}

/**
 * Starts the requested backend (default `auto`) and returns the one running. Idempotent: a second
 * call with the same request reuses it. Throws EngineInputError when an explicit request cannot
 * be met (the package is not installed).
 */
export async function initBackend(request: BackendRequest = "auto"): Promise<BackendName> {
  if (!BACKEND_REQUESTS.includes(request)) {
    throw new EngineInputError(`unknown backend "${String(request)}" (choose one of ${BACKEND_REQUESTS.join(", ")})`);
  }
  // A worker starts several jobs at once (a preparation and a tile, say): they share one start.
  // Two overlapping starts of the wasm backend would make the second fail, and the surface with it.
  while (starting !== null) await starting.catch(() => undefined);
  const start = startBackend(request);
  starting = start;
  try {
    return await start;
  } finally {
    starting = null;
  }
}

/** The start in progress, if any. */
let starting: Promise<BackendName> | null = null;

async function startBackend(request: BackendRequest): Promise<BackendName> {
  // Production mode skips TF.js's debug checks and its "install tfjs-node" banner on stdout.
  tf.enableProdMode();
  if (active !== null && (request === "auto" || request === active) && tf.getBackend() !== undefined) return active;
  const order: BackendName[] = request === "auto" ? ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] : [request];
  for (const name of order) {
    if (await tryStart(name)) {
      active = name;
      return name;
    }
  }
  throw new EngineInputError(request === "auto" ? `no backend is available on this machine` : unavailable(request));
}

/** The backend started by initBackend, or null before it. */
export function activeBackend(): BackendName | null {
  return active;
}

/**
 * Measures the backend's own matmul throughput, in GFLOP/s (2*m*k*n per product), on an
 * m x k times k x n product (default 1024 x 1024 x 1024), best of `repeats` (default 5) timed
 * runs after one warm-up. The benchmark reports engine speed against this peak.
 */
export async function measureMatmulGflops(m = 1024, k = 1024, n = 1024, repeats = 5): Promise<number> {
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  try {
    const warm = tf.matMul(a, b);
    await warm.data();
    warm.dispose();
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      best = Math.min(best, (performance.now() - start) / 1000);
      c.dispose();
    }
    return (2 * m * k * n) / best / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}
