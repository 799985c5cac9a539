/**
 * Tests that run the built server (worker processes, the `lossatlas` command) need `server/dist`.
 * Without it they fail, saying how to get it, rather than skip: a skipped test reads as a pass.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The absolute path of `server/dist/<file>`; throws when it has not been built. */
export function builtFile(file: string): string {
  const absolute = fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));
  if (!existsSync(absolute)) throw new Error(`${absolute} is missing: run npm run build first`);
  return absolute;
}
