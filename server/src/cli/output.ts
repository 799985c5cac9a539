/** What the commands write: the surface document, notes on the terminal, progress bars on stderr. */
import { SingleBar } from "cli-progress";
import type { SurfaceResult } from "../engine/index.js";

/** Turns NaN (accuracy of regression losses) into null, which JSON can hold. */
export function rows(values: Float64Array, nx: number, ny: number): (number | null)[][] {
  return Array.from({ length: ny }, (_, j) => Array.from(values.subarray(j * nx, (j + 1) * nx), (v) => (Number.isFinite(v) ? v : null)));
}

/** The surface.json document: values as arrays of rows (loss[j][i] is at xs[i], ys[j]). */
export function surfaceDocument(result: SurfaceResult, options: Record<string, unknown>): Record<string, unknown> {
  const nx = result.xs.length;
  const ny = result.ys.length;
  return {
    format: "lossatlas-surface",
    version: 1,
    kind: result.kind,
    xs: [...result.xs],
    ys: [...result.ys],
    loss: rows(result.loss, nx, ny),
    accuracy: rows(result.accuracy, nx, ny),
    lossFunction: result.lossSpec,
    options,
    directions: { x: result.directionMetadata.x, y: result.directionMetadata.y, cosine: result.cosine },
    modelPositions: result.modelPositions,
    modelChecks: result.modelChecks,
    criticalPoints: result.criticalPoints,
    samples: result.samples,
    backend: result.backend,
    workers: result.workers,
    firstLayerTrick: result.trickLayers,
    movedTensors: result.movedTensors,
    notes: result.notes,
    timings: result.timings,
  };
}

export function progressBar(label: string): SingleBar {
  return new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} points | {speed} points/s | ETA {eta_formatted}`,
    barsize: 30,
    hideCursor: process.stderr.isTTY === true,
    // Without a terminal (logs, CI) print a plain line every few seconds instead of redrawing.
    noTTYOutput: process.stderr.isTTY !== true,
    notTTYSchedule: 5000,
    etaBuffer: 50,
  });
}

/**
 * Prints what the user should know about a surface to the terminal, not only into the JSON: a
 * folded BatchNorm (the export dropped the layers a researcher may mean to study) comes first.
 */
export function writeNotes(notes: readonly string[]): void {
  const folded = (n: string) => /fold/i.test(n);
  for (const note of [...notes.filter(folded), ...notes.filter((n) => !folded(n))]) process.stderr.write(`note: ${note}\n`);
}
