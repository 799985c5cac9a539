/**
 * What compute backend a worker process can offer, found without loading TensorFlow itself:
 * the native TensorFlow bindings are optional (their install downloads libtensorflow), so they are
 * used only when present.
 */
import { createRequire } from "node:module";
import os from "node:os";

export type Backend = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export interface Capabilities {
  backend: Backend;
  /** Human-readable device, e.g. "CPU (WebAssembly SIMD, 1 thread)". */
  device: string;
  gpu: boolean;
}

const PACKAGE_OF: Record<Exclude<Backend, "cpu">, string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
};

/** True when the npm package can be resolved from the server package. */
export function isInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend a worker will use. `auto` prefers tensorflow-gpu, then tensorflow, then wasm, then
 * the plain cpu backend; an explicit choice that is not installed is an error.
 */
export function detectCapabilities(requested: Backend | "auto"): Capabilities {
  const order: Backend[] = requested === "auto" ? ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] : [requested];
  for (const backend of order) {
    if (backend !== "cpu" && !isInstalled(PACKAGE_OF[backend])) continue;
    return { backend, device: describeDevice(backend), gpu: backend === "tensorflow-gpu" };
  }
  const missing = requested === "auto" || requested === "cpu" ? "" : PACKAGE_OF[requested];
  throw new Error(`The ${requested} backend needs ${missing}, which is not installed`);
}

function describeDevice(backend: Backend): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  switch (backend) {
    case "tensorflow-gpu":
      return "NVIDIA GPU (CUDA, libtensorflow)";
    case "tensorflow":
      return `${cpu} (libtensorflow)`;
    case "wasm":
      return `${cpu} (WebAssembly SIMD, 1 thread)`;
    case "cpu":
      return `${cpu} (plain JavaScript)`;
  }
}

/** Most workers `WORKERS=auto` launches, however many cores the machine has. */
export const MAX_AUTO_WORKERS = 8;

/**
 * How many worker processes `start` launches for WORKERS (a number, or `auto`). A worker on
 * WebAssembly or plain JavaScript computes on one thread, so `auto` launches one per core (at
 * most MAX_AUTO_WORKERS) to use the machine; TensorFlow's native backends use every core, or the
 * GPU, from one process, so `auto` launches one there.
 */
export function workersToLaunch(count: number | "auto", requested: Backend | "auto", cores = os.availableParallelism()): number {
  if (count !== "auto") return count;
  let backend: Backend;
  try {
    backend = detectCapabilities(requested).backend;
  } catch {
    // The worker itself reports the missing package when it starts.
    return 1;
  }
  return backend === "wasm" || backend === "cpu" ? Math.max(1, Math.min(cores, MAX_AUTO_WORKERS)) : 1;
}
