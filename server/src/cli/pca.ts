/** `lossatlas pca`: PCA directions of a training run's checkpoints, and the path over them. */
import fs from "node:fs/promises";
import path from "node:path";
import { StartupError } from "../errors.js";
import { IGNORE_MODES, type IgnoreMode, loadModel, pathAxes, pcaDirections, saveDirection } from "../engine/index.js";
import { choice, parseCommandArgs, required, startBackend } from "./arguments.js";

const PCA_USAGE = "Usage: lossatlas pca --checkpoints C1 C2 ... --final CF --out DIR [--ignore biasbn|none] [--backend auto]";

export async function pcaCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(argv, { checkpoints: "many", final: "one", out: "one", ignore: "one", backend: "one", help: "flag" }, PCA_USAGE);
  if (args === null) return; // --help
  const checkpoints = args.get("checkpoints");
  if (!checkpoints || checkpoints.length === 0) throw new StartupError(`--checkpoints is required\n${PCA_USAGE}`);
  const finalPath = required(args, "final", PCA_USAGE);
  const out = required(args, "out", PCA_USAGE);
  const ignore = choice<IgnoreMode>(args, "ignore", IGNORE_MODES, "biasbn");
  await startBackend(args);
  const final = await loadModel(finalPath, `final model "${finalPath}"`);
  const models = [];
  for (const c of checkpoints) models.push(await loadModel(c, `checkpoint "${c}"`));
  const pca = pcaDirections(final, models, ignore);
  await saveDirection(path.join(out, "x"), final, pca.dx, { axis: "x", kind: "pca", ignore, explainedVarianceRatio: pca.explainedVarianceRatio[0] });
  await saveDirection(path.join(out, "y"), final, pca.dy, { axis: "y", kind: "pca", ignore, explainedVarianceRatio: pca.explainedVarianceRatio[1] });
  // A grid that holds the whole path and the final model with a margin, for the follow-up command;
  // ends rounded outward to 3 significant digits.
  const fitted = pathAxes(pca.path);
  const round = (v: number, dir: "down" | "up") => {
    const unit = 10 ** (Math.floor(Math.log10(Math.abs(v) || 1)) - 2);
    return Number(((dir === "down" ? Math.floor(v / unit) : Math.ceil(v / unit)) * unit).toPrecision(3));
  };
  const range = (a: { min: number; max: number }) => `${round(a.min, "down")}:${round(a.max, "up")}:41`;
  const doc = {
    format: "lossatlas-pca",
    version: 1,
    final: finalPath,
    explainedVarianceRatio: pca.explainedVarianceRatio,
    ignore: pca.options.ignore,
    // Over the tensors the PCA covers: offPlane^2 + x^2 + y^2 = distance^2.
    path: [
      ...checkpoints.map((c, i) => ({ checkpoint: c, x: pca.path[i]!.x, y: pca.path[i]!.y, distance: pca.path[i]!.distance, offPlane: pca.path[i]!.offPlane })),
      { checkpoint: finalPath, x: 0, y: 0, distance: 0, offPlane: 0 },
    ],
    suggested: { x: range(fitted.x), y: range(fitted.y) },
    directions: final.onnx ? { x: path.join(out, "x.onnx"), y: path.join(out, "y.onnx") } : { x: path.join(out, "x"), y: path.join(out, "y") },
  };
  await fs.writeFile(path.join(out, "pca.json"), JSON.stringify(doc, null, 2));
  process.stderr.write(
    `pca: explained variance ${(pca.explainedVarianceRatio[0] * 100).toFixed(1)}% and ${(pca.explainedVarianceRatio[1] * 100).toFixed(1)}%; ` +
    `wrote ${doc.directions.x}, ${doc.directions.y} and ${path.join(out, "pca.json")}\n` +
    `next: lossatlas surface --model ${finalPath} --dir-x ${doc.directions.x} --dir-y ${doc.directions.y} --x ${doc.suggested.x} --y ${doc.suggested.y} --data ... --out surface.json\n`,
  );
}
