/** `lossatlas bench` (`npm run bench`): the engine's benchmark (bench/engine.ts) from the command line. */
import { StartupError } from "../errors.js";
import { BENCH_PARTS, type BenchPart, runBenchmark } from "../bench/engine.js";
import type { BackendRequest } from "../engine/index.js";
import { integer, list, one, parseCommandArgs, startBackend } from "./arguments.js";
import { progressBar } from "./output.js";

const BENCH_USAGE = `Usage: lossatlas bench [--workers N] [--quick] [--naive-points 5] [--out bench.json] [--backend auto]
                      [--resnet] [--cases ${BENCH_PARTS.join(",")}] [--processes 1,2]
  --resnet     add the ResNet-20 rows (ONNX and its TF.js twin; hours on a CPU)
  --cases      run only these parts (default: all but resnet, which --resnet adds)
  --processes  process counts of the surface rows (default: 1 and --workers, which defaults to the cores)`;

export async function benchCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(argv, { workers: "one", quick: "flag", "naive-points": "one", out: "one", backend: "one", help: "flag", resnet: "flag", cases: "one", processes: "one" }, BENCH_USAGE);
  if (args === null) return; // --help
  const parts = list(args, "cases", (item) => {
    if (!(BENCH_PARTS as readonly string[]).includes(item)) throw new StartupError(`--cases: unknown part "${item}" (known: ${BENCH_PARTS.join(", ")})`);
    return item as BenchPart;
  });
  const processes = list(args, "processes", (item) => {
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new StartupError(`--processes: each count must be an integer from 1 to 64 (got "${item}")`);
    return n;
  });
  const backend = await startBackend(args);
  const out = one(args, "out");
  await runBenchmark({
    backend: backend as Exclude<BackendRequest, "auto">,
    workers: integer(args, "workers", undefined, 1),
    quick: args.has("quick"),
    resnet: args.has("resnet"),
    parts,
    processes,
    naivePoints: integer(args, "naive-points", 5, 1)!,
    write: (line) => process.stdout.write(`${line}\n`),
    progress: (label, total) => {
      const bar = progressBar(label);
      bar.start(total, 0, { speed: "0" });
      const started = performance.now();
      return {
        update: (done: number) => bar.update(done, { speed: (done / ((performance.now() - started) / 1000)).toFixed(1) }),
        stop: () => bar.stop(),
      };
    },
    ...(out === undefined ? {} : { out }),
  });
}
