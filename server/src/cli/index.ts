/**
 * `lossatlas surface`, `pca`, `train`, `hessian`, `connect` and `bench`: the engine's command line, an
 * application over the engine's public API (one file per command). Bad input ends in a
 * StartupError (one line, exit 1); progress goes to stderr, results to files.
 */
import { StartupError } from "../errors.js";
import { EngineInputError } from "../engine/index.js";
import { benchCommand } from "./bench.js";
import { connectCommand } from "./connect.js";
import { hessianCommand } from "./hessian.js";
import { pcaCommand } from "./pca.js";
import { surfaceCommand } from "./surface.js";
import { trainCommand } from "./train.js";

export { surfaceDocument, writeNotes } from "./output.js";

/**
 * Runs one engine command with its arguments (after the command name). Bad input throws
 * StartupError, whose message the entry point prints alone before exiting 1.
 */
export async function runEngineCommand(command: "surface" | "pca" | "bench" | "train" | "hessian" | "connect", args: string[]): Promise<void> {
  try {
    if (command === "surface") await surfaceCommand(args);
    else if (command === "hessian") await hessianCommand(args);
    else if (command === "pca") await pcaCommand(args);
    else if (command === "train") await trainCommand(args);
    else if (command === "connect") await connectCommand(args);
    else await benchCommand(args);
  } catch (error) {
    if (error instanceof EngineInputError) throw new StartupError(error.message, { cause: error });
    throw error;
  }
}
