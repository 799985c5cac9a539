/**
 * The command line's options, read with node:util's parseArgs (its tokens, so that the commands keep
 * their own rules): `--name value` or `--name=value`, a value may start with a dash (`--x -1:1:5`),
 * an option named twice is refused, and a list option takes every value up to the next option
 * (`--checkpoints C1 C2 C3`). Every problem is a StartupError: one line, exit 1.
 */
import { parseArgs as parseNodeArgs } from "node:util";
import { StartupError } from "../errors.js";
import {
  BACKEND_REQUESTS, type BackendRequest, FROZEN_MODES, type FrozenMode, IGNORE_MODES, type IgnoreMode, initBackend,
} from "../engine/index.js";

/** How an option takes values: exactly one, one or more (up to the next option), or none. */
export type OptionKind = "one" | "many" | "flag";

/** Each given option's values, by name without the dashes. */
export type Args = Map<string, string[]>;

/** Reads `args` against the `known` options; `usage` follows the errors that need it. */
export function parseArgs(args: readonly string[], known: Record<string, OptionKind>, usage: string): Args {
  const options = Object.fromEntries(
    Object.entries(known).map(([name, kind]) => [name, { type: kind === "flag" ? ("boolean" as const) : ("string" as const) }]),
  );
  // Not strict: parseArgs would refuse values that start with a dash; the checks are ours, below.
  const { tokens } = parseNodeArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const out: Args = new Map();
  let current: string | null = null;
  let lastIndex = -1;
  for (const token of tokens) {
    if (token.index === lastIndex) continue; // the rest of a short-option group such as "-abc"
    lastIndex = token.index;
    if (token.kind === "option-terminator") throw new StartupError(`unknown option --\n${usage}`);
    if (token.kind === "option" && token.rawName.startsWith("--")) {
      const name = token.name;
      const kind = known[name];
      if (kind === undefined) throw new StartupError(`unknown option --${name}\n${usage}`);
      if (out.has(name)) throw new StartupError(`--${name} is given twice`);
      // parseArgs gives a value option the next argument whatever it is; another option is not its value.
      const value = kind === "flag" || token.value === undefined || (!token.inlineValue && token.value.startsWith("--")) ? undefined : token.value;
      if (kind !== "flag" && value === undefined) throw new StartupError(`--${name} needs a value`);
      out.set(name, value === undefined ? [] : [value]);
      current = kind === "many" && !token.inlineValue ? name : null;
      continue;
    }
    // A positional, or a word with one dash (a value to these commands, e.g. a path "-x" in a list).
    const raw = args[token.index]!;
    if (current === null) throw new StartupError(`unexpected argument "${raw}"\n${usage}`);
    out.get(current)!.push(raw);
  }
  return out;
}

/** parseArgs for a command that takes --help: prints `usage` to stdout and returns null for it. */
export function parseCommandArgs(args: readonly string[], known: Record<string, OptionKind>, usage: string): Args | null {
  const parsed = parseArgs(args, known, usage);
  if (!parsed.has("help")) return parsed;
  process.stdout.write(`${usage}\n`);
  return null;
}

export function one(args: Args, name: string): string | undefined {
  return args.get(name)?.[0];
}

export function required(args: Args, name: string, usage: string): string {
  const v = one(args, name);
  if (v === undefined) throw new StartupError(`--${name} is required\n${usage}`);
  return v;
}

export function integer(args: Args, name: string, fallback: number | undefined, min: number): number | undefined {
  const v = one(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new StartupError(`--${name} must be an integer of at least ${min} (got "${v}")`);
  return n;
}

export function choice<T extends string>(args: Args, name: string, allowed: readonly T[], fallback: T): T {
  const v = one(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new StartupError(`--${name} must be one of ${allowed.join(", ")} (got "${v}")`);
  return v as T;
}

/** A comma-separated list, each item checked by `parse` (which throws StartupError). */
export function list<T>(args: Args, name: string, parse: (item: string) => T): T[] | undefined {
  const v = one(args, name);
  if (v === undefined) return undefined;
  const items = v.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new StartupError(`--${name} is a comma-separated list without empty items (got "${v}")`);
  return items.map(parse);
}

/** Starts the backend --backend names (default auto); returns the one it started. */
export async function startBackend(args: Args): Promise<string> {
  const request = choice<BackendRequest>(args, "backend", BACKEND_REQUESTS, "auto");
  return initBackend(request);
}

/** What `surface` and `hessian` both read: what moves (--ignore, --frozen), --seed, the sample subset and --batch-size. */
export function evaluationOptions(args: Args): {
  ignore: IgnoreMode; frozen: FrozenMode; seed: number; samples: number | undefined; sampleSeed: number; batchSize: number | undefined;
} {
  return {
    ignore: choice<IgnoreMode>(args, "ignore", IGNORE_MODES, "biasbn"),
    frozen: choice<FrozenMode>(args, "frozen", FROZEN_MODES, "move"),
    seed: integer(args, "seed", 0, -(2 ** 31))!,
    samples: integer(args, "samples", undefined, 1),
    sampleSeed: integer(args, "sample-seed", 0, -(2 ** 31))!,
    batchSize: integer(args, "batch-size", undefined, 1),
  };
}
