/**
 * Several processes split one surface: wasm in Node runs on one thread, so N processes on N
 * cores are about N times faster. Each worker gets the model's files, the prepared data and the
 * plane once, then takes tiles of points as it finishes the previous one (so a slow worker
 * does not hold up the others).
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BackendName } from "./backend.js";
import type { PreparedData } from "./data.js";
import { EngineInputError } from "./errors.js";
import type { EvaluatorOptions, PointValues } from "./evaluator.js";
import type { LossSpec } from "./loss.js";
import type { LayersArtifacts } from "./model-types.js";

/** Everything a worker process needs, sent once with structured clone (typed arrays stay binary). */
export interface WorkerInit {
  readonly backend: BackendName;
  readonly artifacts: LayersArtifacts;
  readonly data: PreparedData;
  readonly loss: LossSpec;
  readonly origin: readonly Float32Array[];
  readonly dx: readonly Float32Array[];
  readonly dy: readonly Float32Array[] | null;
  readonly options: EvaluatorOptions;
}

export type ToWorker =
  | { type: "init"; init: WorkerInit }
  | { type: "tile"; id: number; points: Float64Array };
export type FromWorker =
  | { type: "ready"; trickLayers: string[] }
  | { type: "tile"; id: number; loss: Float64Array; accuracy: Float64Array }
  | { type: "error"; message: string; input: boolean };

/**
 * The compiled worker module. Under a TypeScript runner (tests) this file is src/engine/*.ts and
 * the worker must come from the build output, as Node cannot fork a .ts file by itself.
 */
function workerModule(): string {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith(".ts")
    ? here.replace(/([\\/])src([\\/]engine[\\/])workers\.ts$/, "$1dist$2surface-worker.js")
    : here.replace(/workers\.js$/, "surface-worker.js");
  if (!existsSync(compiled)) throw new Error(`worker module ${compiled} is missing; build the server first (npx tsc -p server/tsconfig.json)`);
  return compiled;
}

export class WorkerPool {
  /** Ends the current run early (close() calls it, so a cancelled run settles instead of hanging). */
  private stopRun: (() => void) | null = null;

  private constructor(private readonly children: ChildProcess[], readonly trickLayers: string[]) {}

  /** Forks `count` workers (default machine cores) and waits until each holds the model and data. */
  static async start(count: number, init: WorkerInit): Promise<WorkerPool> {
    const module = workerModule();
    const children: ChildProcess[] = [];
    try {
      const ready = [];
      for (let w = 0; w < count; w++) {
        const child = fork(module, [], { serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
        children.push(child);
        ready.push(new Promise<string[]>((resolve, reject) => {
          child.once("message", (m: FromWorker) => (m.type === "ready" ? resolve(m.trickLayers) : reject(workerError(m))));
          child.once("exit", (code) => reject(new Error(`surface worker exited with code ${code} while starting`)));
        }));
        child.send({ type: "init", init } satisfies ToWorker);
      }
      // The trick layers follow from the shapes (or init.options.trickLayers), so all workers agree.
      const tricks = await Promise.all(ready);
      for (const c of children) c.removeAllListeners("exit");
      return new WorkerPool(children, tricks[0] ?? []);
    } catch (error) {
      for (const c of children) c.kill();
      throw error;
    }
  }

  /**
   * Evaluates `tiles` (each (a, b) pairs), calling onTile as each comes back, in completion order.
   * Stops handing out tiles once `shouldStop` returns true.
   */
  async run(tiles: readonly Float64Array[], onTile: (index: number, values: PointValues) => void, shouldStop: () => boolean): Promise<void> {
    let next = 0;
    const stops: (() => void)[] = [];
    this.stopRun = () => { for (const stop of stops) stop(); };
    await Promise.all(this.children.map((child) => new Promise<void>((resolve, reject) => {
      stops.push(() => {
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve();
      });
      const give = () => {
        if (next >= tiles.length || shouldStop()) {
          child.off("message", onMessage);
          child.off("exit", onExit);
          resolve();
          return;
        }
        const id = next++;
        child.send({ type: "tile", id, points: tiles[id]! } satisfies ToWorker);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === "tile") {
          onTile(m.id, { loss: m.loss, accuracy: m.accuracy });
          give();
        } else if (m.type === "error") {
          reject(workerError(m));
        }
      };
      const onExit = (code: number | null) => reject(new Error(`surface worker exited with code ${code}`));
      child.on("message", onMessage);
      child.on("exit", onExit);
      give();
    })));
  }

  /** Ends every worker process; a run in progress returns without its remaining tiles. */
  close(): void {
    this.stopRun?.();
    this.stopRun = null;
    for (const c of this.children) {
      c.removeAllListeners();
      c.kill();
    }
  }
}

function workerError(m: FromWorker): Error {
  if (m.type !== "error") return new Error("unexpected message from surface worker");
  return m.input ? new EngineInputError(m.message) : new Error(`surface worker failed: ${m.message}`);
}
