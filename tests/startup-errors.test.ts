/**
 * Misconfiguration must end in one clear line and a non-zero exit, never a stack trace, and must
 * leave nothing running.
 */
import net from "node:net";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand, tempDataDir } from "./support/stack.js";

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function expectCleanFailure(result: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stdout).not.toMatch(STACK_FRAME);
}

describe("startup errors", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("a DATABASE_URL nobody answers at", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const result = await runCommand(["start"], { DATA_DIR: dataDir, PORT: "0", DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none" });
    expectCleanFailure(result, /^lossatlas: Could not connect to PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .+$/m);
    expect(result.stderr).not.toContain("secret");
  });

  it("a DATABASE_URL that is not a postgres URL, with other bad values, lists every problem", async () => {
    const result = await runCommand(["serve"], { DATABASE_URL: "mysql://x", PORT: "http", WORKERS: "-2", S3_BUCKET: "Bad_Bucket" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Invalid configuration");
    expect(result.stderr).toMatch(/DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(result.stderr).toMatch(/PORT: must be a number \(got "http"\)/);
    expect(result.stderr).toMatch(/WORKERS: must not be negative/);
    expect(result.stderr).toMatch(/S3_BUCKET: must be a valid bucket name/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it("a port that is already in use", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "0.0.0.0", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    try {
      const result = await runCommand(["start"], { DATA_DIR: dataDir, PORT: String(port) });
      expectCleanFailure(result, new RegExp(`^lossatlas: Port ${port} on 0\\.0\\.0\\.0 is already in use by another program; choose another with PORT=<port>$`, "m"));
    } finally {
      blocker.close();
    }
  });

  it("serve and worker without the many-machine settings", async () => {
    const serve = await runCommand(["serve"], {});
    expectCleanFailure(serve, /needs DATABASE_URL and S3_ENDPOINT set/);
    const worker = await runCommand(["worker"], { DATABASE_URL: "postgres://u:p@127.0.0.1:1/x" });
    expectCleanFailure(worker, /needs S3_ENDPOINT set/);
  });

  it("an unknown command", async () => {
    const result = await runCommand(["frobnicate"], {});
    expectCleanFailure(result, /Unknown command "frobnicate"/);
  });
});
