/** `lossatlas hessian`: the Hessian's eigenvalues, trace and density at a model, or its eigen-ratio map over a plane. */
import fs from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { StartupError } from "../errors.js";
import {
  axisValues, EigenRatioEvaluator, type FrozenMode, HVP_METHODS, HVP_SCHEMES, type HvpScheme, type IgnoreMode,
  type LoadedModel, loadDataset, loadDirection, loadModel, type LossSpec, MAP_LANCZOS_STEPS, MAP_TOLERANCE, modelCurvature, NORMALIZATIONS,
  type Normalization, parseAxis, type PreparedData, prepareData, resolveLoss, SurfaceCancelledError, surfacePlane,
} from "../engine/index.js";
import { type Args, choice, evaluationOptions, integer, one, parseCommandArgs, required, startBackend } from "./arguments.js";
import { progressBar, rows } from "./output.js";

const HESSIAN_USAGE = `Usage: lossatlas hessian --model M --data D [--top-k 5] [--trace] [--density] [--out curvature.json]
         [--probes 30] [--runs 3] [--steps 30] [--ignore biasbn|none] [--frozen move|still] [--seed 0] [--loss NAME]
         [--label COLUMN] [--samples N] [--sample-seed 0] [--batch-size 2000] [--backend auto]
         [--scheme richardson|central] [--step 0.005 (richardson) | 0.01 (central)]
   or: lossatlas hessian --model M --data D --x min:max:count --y min:max:count --out map.json
         [--dir-x DIR --dir-y DIR] [--norm filter|layer|weight|none] [--map-steps 80] [--map-tolerance 0.01]
         [...the options above]
         (the eigen-ratio map: lambda_max, lambda_min and |lambda_min/lambda_max| at every point of the plane
          that \`lossatlas surface\` with the same --seed, --norm and --ignore evaluates; each point runs
          Lanczos until both extreme values meet --map-tolerance, up to --map-steps, and says whether it did)
   --scheme and --step are for experts: Richardson extrapolation (4 gradients per Hessian-vector product)
   is accurate to about 1e-4 on the models we checked; a single central difference (2 gradients) at 0.01
   was 1-2% off.`;

/** `lossatlas hessian`: top-k eigenvalues and lambda_min of the loss's Hessian at the model, optionally its trace and density. */
export async function hessianCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(argv, {
    model: "one", data: "one", "top-k": "one", trace: "flag", density: "flag", out: "one", probes: "one", runs: "one", steps: "one",
    ignore: "one", frozen: "one", seed: "one", loss: "one", label: "one", samples: "one", "sample-seed": "one", "batch-size": "one",
    step: "one", backend: "one", help: "flag", x: "one", y: "one", "dir-x": "one", "dir-y": "one", norm: "one", "map-steps": "one",
    "map-tolerance": "one", scheme: "one",
  }, HESSIAN_USAGE);
  if (args === null) return; // --help
  const modelPath = required(args, "model", HESSIAN_USAGE);
  const dataSource = required(args, "data", HESSIAN_USAGE);
  const topK = integer(args, "top-k", 5, 1)!;
  const probes = integer(args, "probes", 30, 2)!;
  const runs = integer(args, "runs", 3, 1)!;
  const steps = integer(args, "steps", 30, 2)!;
  const { ignore, frozen, seed, samples, sampleSeed, batchSize } = evaluationOptions(args);
  const stepText = one(args, "step");
  const step = stepText === undefined ? undefined : Number(stepText);
  if (step !== undefined && !(step > 0 && step < 1)) throw new StartupError(`--step must be a number between 0 and 1 (got "${stepText}")`);
  const scheme = choice<HvpScheme>(args, "scheme", HVP_SCHEMES, "richardson");
  const backend = await startBackend(args);
  const model = await loadModel(modelPath, `model "${modelPath}"`);
  const data = await loadDataset(dataSource, {
    ...(one(args, "label") === undefined ? {} : { label: one(args, "label")! }),
    ...(samples === undefined ? {} : { samples, sampleSeed }),
  });
  const loss = resolveLoss(model, one(args, "loss"));
  const prepared = prepareData(model, data, loss);
  if (args.has("x")) {
    await eigenRatioMapCommand(args, model, prepared, loss, { ignore, frozen, seed, step, scheme, batchSize, backend, modelPath, dataSource, samples, sampleSeed });
    return;
  }
  const bar = new SingleBar({
    stream: process.stderr,
    format: "hessian [{bar}] {percentage}% | {value}/{total} Hessian-vector products | ETA {eta_formatted}",
    barsize: 30,
    hideCursor: process.stderr.isTTY === true,
    noTTYOutput: process.stderr.isTTY !== true,
    notTTYSchedule: 5000,
  });
  let started = false;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: Awaited<ReturnType<typeof modelCurvature>>;
  try {
    result = await modelCurvature(model, prepared, loss, {
      topK, ignore, frozen, seed, scheme, traceProbes: args.has("trace") ? probes : 0, densityRuns: args.has("density") ? runs : 0, densitySteps: steps,
      ...(batchSize === undefined ? {} : { batchSize }), ...(step === undefined ? {} : { step }),
    }, {
      signal: controller.signal,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.setTotal(total);
        bar.update(done);
      },
    });
  } catch (error) {
    if (error instanceof SurfaceCancelledError) throw new StartupError("Hessian computation cancelled");
    throw error;
  } finally {
    if (started) bar.stop();
    process.off("SIGINT", onSigint);
  }
  const e = result.eigenvalues;
  const lines = [
    `Hessian of the ${loss.name} loss over ${result.samples} samples, ${result.dimension} parameters (--ignore ${ignore}), ${backend} backend` +
      `${result.convGradient === "as a convolution" ? " (convolution filter gradients computed as convolutions)" : ""}`,
    `top ${e.top.length} eigenvalues: ${e.top.map((v) => v.toPrecision(6)).join(", ")}`,
    `lambda_min: ${e.lambdaMin.toPrecision(6)}   |lambda_min / lambda_max|: ${Math.abs(e.lambdaMin / e.top[0]!).toPrecision(4)}`,
    ...(result.trace ? [`trace: ${result.trace.trace.toPrecision(6)} ${result.trace.exact ? "(exact)" : `± ${result.trace.standardError.toPrecision(3)} (Hutchinson, ${result.trace.probes} probes)`}`] : []),
    ...(result.density ? [`density: ${result.density.nodes.length} quadrature nodes from ${result.density.runs} runs of ${result.density.steps} Lanczos steps`] : []),
    `${result.hvps} Hessian-vector products (${result.method}, step ${result.step} x ||theta||, ${result.gradients} gradients) in ${result.seconds.toFixed(1)} s, ${result.hvpsPerSecond.toFixed(2)} per second`,
    result.errorEstimate === null
      ? "error estimate: none (a single central difference has no estimate of its own; --scheme richardson gives one)"
      : `error estimate of the Hessian-vector products: ${result.errorEstimate.toExponential(1)} of lambda_max (an upper estimate; eigenvalues are off by about that much times lambda_max at most)`,
    ...(e.converged ? [] : [`warning: Lanczos stopped at ${e.steps} steps before every value met its tolerance (residuals: top ${e.topResiduals.map((r) => r.toExponential(1)).join(", ")}; lambda_min ${e.lambdaMinResidual.toExponential(1)})`]),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const out = one(args, "out");
  if (out) {
    await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await fs.writeFile(out, JSON.stringify({ model: modelPath, data: dataSource, loss: loss.name, sampleSeed: samples === undefined ? null : sampleSeed, ...result }));
  }
}

/** The eigen-ratio map of `lossatlas hessian --x ... --y ...` (Li et al. 2018, Figure 7). */
export async function eigenRatioMapCommand(
  args: Args,
  model: LoadedModel,
  prepared: PreparedData,
  loss: LossSpec,
  o: { ignore: IgnoreMode; frozen: FrozenMode; seed: number; step: number | undefined; scheme: HvpScheme; batchSize: number | undefined; backend: string; modelPath: string; dataSource: string; samples: number | undefined; sampleSeed: number },
): Promise<void> {
  const out = required(args, "out", HESSIAN_USAGE);
  const x = parseAxis(required(args, "x", HESSIAN_USAGE), "--x");
  const y = parseAxis(required(args, "y", HESSIAN_USAGE), "--y");
  const norm = choice<Normalization>(args, "norm", NORMALIZATIONS, "filter");
  const mapSteps = integer(args, "map-steps", MAP_LANCZOS_STEPS, 2)!;
  const toleranceText = one(args, "map-tolerance");
  const mapTolerance = toleranceText === undefined ? MAP_TOLERANCE : Number(toleranceText);
  if (!(mapTolerance > 0 && mapTolerance < 1)) throw new StartupError(`--map-tolerance must be a number between 0 and 1 (got "${toleranceText}")`);
  const dx = args.has("dir-x") ? await loadDirection(one(args, "dir-x")!, model, `direction "${one(args, "dir-x")}"`) : undefined;
  const dy = args.has("dir-y") ? await loadDirection(one(args, "dir-y")!, model, `direction "${one(args, "dir-y")}"`) : undefined;
  const plane = surfacePlane(model, { x, y, ...(dx ? { dx } : {}), ...(dy ? { dy } : {}), directions: { seed: o.seed, norm, ignore: o.ignore, frozen: o.frozen } });
  const xs = axisValues(x);
  const ys = axisValues(y);
  const points = new Float64Array(2 * xs.length * ys.length);
  ys.forEach((b, j) => xs.forEach((a, i) => {
    points[2 * (j * xs.length + i)] = a;
    points[2 * (j * xs.length + i) + 1] = b;
  }));
  const evaluator = EigenRatioEvaluator.create(model, prepared, loss, { origin: plane.origin, dx: plane.dx, dy: plane.dy }, {
    ignore: o.ignore, frozen: o.frozen, steps: mapSteps, tolerance: mapTolerance, seed: o.seed, scheme: o.scheme, ...(o.step === undefined ? {} : { step: o.step }), ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
  });
  const bar = progressBar("eigen-ratio map");
  bar.start(xs.length * ys.length, 0, { speed: "0" });
  const started = performance.now();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let values: Awaited<ReturnType<EigenRatioEvaluator["evaluate"]>>;
  try {
    values = await evaluator.evaluate(points, (done) => bar.update(done, { speed: (done / ((performance.now() - started) / 1000)).toFixed(2) }), () => controller.signal.aborted);
  } catch (error) {
    if (error instanceof SurfaceCancelledError) throw new StartupError("Hessian computation cancelled");
    throw error;
  } finally {
    bar.stop();
    process.off("SIGINT", onSigint);
  }
  const errorEstimate = evaluator.errorEstimate;
  evaluator.dispose();
  const unconverged = values.converged.reduce((n, c) => n + (c === 1 ? 0 : 1), 0);
  const seconds = (performance.now() - started) / 1000;
  const meanRatio = values.ratio.reduce((a, b) => a + b, 0) / values.ratio.length;
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await fs.writeFile(out, JSON.stringify({
    kind: "eigen-ratio", model: o.modelPath, data: o.dataSource, loss: loss.name, samples: prepared.count, sampleSeed: o.samples === undefined ? null : o.sampleSeed,
    directions: { seed: o.seed, norm, ignore: o.ignore, frozen: o.frozen, dirX: one(args, "dir-x") ?? null, dirY: one(args, "dir-y") ?? null },
    xs: Array.from(xs), ys: Array.from(ys), lanczosSteps: mapSteps, tolerance: mapTolerance,
    lambdaMax: rows(values.lambdaMax, xs.length, ys.length), lambdaMin: rows(values.lambdaMin, xs.length, ys.length), ratio: rows(values.ratio, xs.length, ys.length),
    steps: rows(values.steps, xs.length, ys.length), converged: rows(Float64Array.from(values.converged), xs.length, ys.length).map((r) => r.map((c) => c === 1)),
    unconverged, meanRatio, hvps: values.hvps, seconds, backend: o.backend, method: HVP_METHODS[o.scheme], errorEstimate,
  }));
  process.stderr.write(`eigen-ratio map: ${xs.length}x${ys.length} points, ${values.hvps} Hessian-vector products in ${seconds.toFixed(1)} s; mean |lambda_min/lambda_max| ${meanRatio.toPrecision(3)}; ` +
    `${unconverged === 0 ? "every point converged" : `${unconverged} point${unconverged === 1 ? "" : "s"} reached ${mapSteps} steps before converging (marked in "converged")`}; wrote ${out}\n`);
}
