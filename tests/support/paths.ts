import path from "node:path";
import { fileURLToPath } from "node:url";
import { builtFile } from "../../server/src/testing/built.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The built entry of every process role; `npm test` builds it first (pretest), and without it every suite here fails saying so. */
export const MAIN = builtFile("main.js");
/** Screenshots and other artefacts of the suites, for people to look at. */
export const TEST_OUTPUT = path.join(REPO_ROOT, "test-output");
