/**
 * Runs the real `lossatlas start` (or another command) as a child process, the way a user runs
 * `npm start`, on a fresh data folder and free ports.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { mailFolders } from "../../server/src/testing/api.js";
import { MAIN, REPO_ROOT } from "./paths.js";

export interface RuntimeFile {
  pid: number;
  url: string;
  databaseUrl: string;
  /** The file store's folder (or an S3 endpoint when one is configured). */
  storage: string;
  workers: { pid: number; id: string; backend: string }[];
}

export interface RunningStack {
  child: ChildProcess;
  runtime: RuntimeFile;
  dataDir: string;
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code once the launcher is gone. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** TCP ports a process listens on (Linux /proc), sorted. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the inode.
      if (fields[3] === "0A" && inodes.has(fields[9]!)) ports.add(parseInt(fields[1]!.split(":")[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** A fresh, empty data folder under the system temp dir. */
export function tempDataDir(prefix = "lossatlas-test-"): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Environment for a child: the test process's own, minus anything that would point it elsewhere. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|S3_|EMBEDDED_|PORT$|HOST$|PUBLIC_URL$|DATA_DIR$|WORKERS$|NODE_ENV$|VITEST)/.test(key)) delete env[key];
  }
  // Suites start many stacks; the demo project is computed only where a suite asks for it.
  return { ...env, LOG_LEVEL: "warn", DEMO_PROJECT: "false", ...extra };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lossatlas <args>` to completion (or until `timeoutMs`, then SIGKILL). */
export function runCommand(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, env: cleanEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the whole stack with `lossatlas start` and waits until runtime.json appears. */
export async function startStack(dataDir: string, env: Record<string, string> = {}, timeoutMs = 90_000): Promise<RunningStack> {
  const runtimeFile = path.join(dataDir, "runtime.json");
  await fs.rm(runtimeFile, { force: true });
  // Its own process group, like a command in a terminal: stop() then sends Ctrl-C's SIGINT to the
  // whole group, so the embedded PostgreSQL receives it too, exactly as from a keyboard.
  const child = spawn(process.execPath, [MAIN, "start"], {
    cwd: REPO_ROOT,
    env: cleanEnv({ DATA_DIR: dataDir, PORT: "0", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + timeoutMs;
  while (!existsSync(runtimeFile)) {
    if (child.exitCode !== null) throw new Error(`lossatlas start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`lossatlas start did not come up within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
  const runtime = JSON.parse(readFileSync(runtimeFile, "utf8")) as RuntimeFile;
  // With no SMTP configured the stack keeps its emails here: clients verify their address from them.
  mailFolders.set(runtime.url, path.join(dataDir, "mail"));
  return {
    child,
    runtime,
    dataDir,
    output: () => output,
    stop: async (stopTimeoutMs = 30_000) => {
      if (child.exitCode !== null) return child.exitCode;
      process.kill(-child.pid!, "SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** POSTs a GraphQL operation and returns the parsed body. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** Sends Ctrl-C's SIGINT to the process group of a stack started by startStack or spawnStart. */
export function pressCtrlC(child: ChildProcess): void {
  process.kill(-child.pid!, "SIGINT");
}

/**
 * Pids of live processes that belong to a data folder: named in their command line (PostgreSQL's
 * -D) or in their environment (DATA_DIR of the launcher and its workers).
 */
export function processesOf(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8");
      if (cmdline.includes(dataDir) || environ.split("\0").includes(`DATA_DIR=${dataDir}`)) found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** True when a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in the embedded cluster's postmaster.pid, if the file exists. */
export function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(file)) return undefined;
  return Number.parseInt(readFileSync(file, "utf8").split("\n")[0] ?? "", 10);
}

/** Polls `probe` every 100 ms until it gives a value (a probe that throws counts as none), for at most `ms`. */
export async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(100);
  }
}
