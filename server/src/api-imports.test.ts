/**
 * The API process never loads TF.js: it starts in a fraction of the time, and its memory is the
 * API's. Surfaces are computed by workers and uploads validated in child processes; the API only
 * queues and spawns them. This imports the built API entry (`npm test` builds first) in a process
 * of its own, with a module hook recording every module it resolves.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const API_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/api.js");

// Runs in the loader's thread: reports each resolved URL to the process's main thread.
const HOOK = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}
`;

// Runs first in the child: registers the hook and collects what it reports.
const REGISTER = `
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
globalThis.resolvedUrls = [];
port1.on("message", (url) => globalThis.resolvedUrls.push(url));
port1.unref();
register("./hook.mjs", import.meta.url, { data: { port: port2 }, transferList: [port2] });
`;

// Imports the API entry, waits for the last reports, prints them.
const MAIN = `
await import(process.argv[2]);
let seen = -1;
while (seen !== globalThis.resolvedUrls.length) {
  seen = globalThis.resolvedUrls.length;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
process.stdout.write(JSON.stringify(globalThis.resolvedUrls));
process.exit(0);
`;

describe("the API process", () => {
  let dir: string;
  let urls: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "api-imports-"));
    await writeFile(path.join(dir, "hook.mjs"), HOOK);
    await writeFile(path.join(dir, "register.mjs"), REGISTER);
    await writeFile(path.join(dir, "main.mjs"), MAIN);
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", pathToFileURL(path.join(dir, "register.mjs")).href, path.join(dir, "main.mjs"), pathToFileURL(API_ENTRY).href], {
      maxBuffer: 64 * 1024 * 1024,
    });
    urls = JSON.parse(stdout) as string[];
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads its own dependencies (the hook sees them)", () => {
    expect(urls.some((url) => url.includes("/@apollo/server/"))).toBe(true);
    expect(urls.some((url) => url.endsWith("/dist/graphql/schema.js"))).toBe(true);
  });

  it("loads no TF.js", () => {
    expect(urls.filter((url) => url.includes("/@tensorflow/"))).toEqual([]);
  });
});
