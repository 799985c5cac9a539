/**
 * Entry of a forked surface worker process (see workers.ts): builds an evaluator from the init
 * message, then answers tiles until its parent disconnects.
 */
import { initBackend } from "./backend.js";
import { EngineInputError } from "./errors.js";
import { SurfaceEvaluator } from "./evaluator.js";
import { modelFromArtifacts } from "./network.js";
import type { FromWorker, ToWorker } from "./workers.js";

let evaluator: SurfaceEvaluator | null = null;

function reply(message: FromWorker): void {
  process.send?.(message);
}

function fail(error: unknown): void {
  reply({ type: "error", message: error instanceof Error ? error.message : String(error), input: error instanceof EngineInputError });
}

// Tiles are handled one at a time, in order; the chain keeps them from interleaving.
let queue = Promise.resolve();
process.on("message", (message: ToWorker) => {
  queue = queue.then(async () => {
    try {
      if (message.type === "init") {
        const { init } = message;
        await initBackend(init.backend);
        const model = await modelFromArtifacts(init.artifacts);
        evaluator = SurfaceEvaluator.create(model, init.data, init.loss, { origin: init.origin, dx: [...init.dx], dy: init.dy ? [...init.dy] : null }, init.options);
        // No warm-up point: it cost each worker a whole evaluation (0.5 s for the CNN of
        // bench:reference) whose result was thrown away; the first tile warms up instead.
        reply({ type: "ready", trickLayers: evaluator.trickLayers });
      } else if (evaluator) {
        const values = await evaluator.evaluate(message.points);
        reply({ type: "tile", id: message.id, loss: values!.loss, accuracy: values!.accuracy });
      }
    } catch (error) {
      fail(error);
    }
  });
});
process.on("disconnect", () => process.exit(0));
