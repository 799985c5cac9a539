/**
 * An eigen-ratio map (Li et al. 2018, section 6, Figure 7) as three heatmaps of one plane: the
 * Hessian's lambda_max, lambda_min and |lambda_min / lambda_max|, each with the loss contours of
 * the plane it maps laid over it when that plane is at hand (same directions, placed by (a, b)).
 */
import { useMemo } from "react";
import { Legend } from "../components/PlotControls";
import type { ColourMapName } from "./colormap";
import { type CurvatureMetric, finiteRange, type SurfaceGrid, unconvergedMask } from "./grid";
import { formatValue, makeScale, type ValueScale } from "./scale";
import { SurfacePlot } from "./SurfacePlot";

export const CURVATURE_TITLES: Record<CurvatureMetric, string> = { LAMBDA_MAX: "λmax", LAMBDA_MIN: "λmin", RATIO: "|λmin/λmax|" };

/** Colours of each metric: lambda_min on a diverging map centred on 0 (its sign is the point). */
export function curvatureScale(metric: CurvatureMetric, values: Float32Array): { scale: ValueScale; map: ColourMapName } {
  const range = finiteRange(values) ?? { min: 0, max: 1 };
  if (metric === "LAMBDA_MIN") {
    const m = Math.max(Math.abs(range.min), Math.abs(range.max)) || 1;
    return { scale: makeScale("linear", -m, m), map: "coolwarm" };
  }
  if (metric === "RATIO") return { scale: makeScale("linear", 0, Math.max(range.max, 1e-6)), map: "magma" };
  return { scale: makeScale("linear", range.min, range.max > range.min ? range.max : range.min + 1), map: "viridis" };
}

/**
 * What the hatching means, and how many points it marks; null when every point converged or
 * convergence was not recorded (maps made with a fixed number of steps).
 */
export function hatchingNote(grid: SurfaceGrid, maxSteps: number): string | null {
  const converged = grid.lanczos?.converged;
  if (!converged) return null;
  let unconverged = 0;
  let known = 0;
  for (const c of converged) {
    if (c === 0) unconverged++;
    if (c === 0 || c === 1) known++;
  }
  if (known === 0) return null;
  if (unconverged === 0) return `Every point converged (λmax and λmin within tolerance).`;
  return `Hatched: ${unconverged} of ${known} point${known === 1 ? "" : "s"} reached ${maxSteps} Lanczos steps before λmax and λmin converged; their |λmin| and ratio may be too small.`;
}

/** Mean of the finite values (the paper's summary of a ratio map); null when none. */
export function finiteMean(values: Float32Array): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) { sum += v; n++; }
  return n ? sum / n : null;
}

export function EigenRatioMaps({ id, grid, version, lossOf, maxSteps, metrics = ["LAMBDA_MAX", "LAMBDA_MIN", "RATIO"], height = 320 }: {
  id: string;
  grid: SurfaceGrid;
  version: number;
  /** The map's Lanczos step cap, for the legend of the hatching. */
  maxSteps: number;
  /** The loss grid of the plane this map belongs to, for its contours; null to draw none. */
  lossOf: SurfaceGrid | null;
  metrics?: CurvatureMetric[];
  height?: number;
}) {
  const curvature = grid.curvature;
  const scales = useMemo(
    () => (curvature ? metrics.map((m) => curvatureScale(m, curvature[m])) : []),
    [curvature, version, metrics.join(",")], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const contours = useMemo(() => (lossOf ? { grid: lossOf, values: lossOf.loss } : null), [lossOf]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` stands for the grid's contents.
  const hatched = useMemo(() => unconvergedMask(grid.lanczos), [grid.lanczos, version]);
  if (!curvature) return null;
  const note = hatchingNote(grid, maxSteps);
  return (
    <>
    <div className={`compare-grid n${metrics.length}`} data-testid="eigen-ratio-maps">
      {metrics.map((metric, k) => (
        <figure key={metric} className="compare-cell">
          <figcaption>
            {CURVATURE_TITLES[metric]}
            {metric === "RATIO" && <span className="muted small"> · mean {formatValue(finiteMean(curvature.RATIO))}</span>}
          </figcaption>
          <SurfacePlot
            id={`${id}-${metric.toLowerCase()}`}
            mode="2d"
            grid={grid}
            values={curvature[metric]}
            version={version}
            scale={scales[k]!.scale}
            colourMap={scales[k]!.map}
            lossContours={contours}
            hatched={hatched}
            height={height}
            label={`${CURVATURE_TITLES[metric]} over the plane${contours ? ", with the plane's loss contours" : ""}`}
          />
          <Legend scale={scales[k]!.scale} map={scales[k]!.map} title={CURVATURE_TITLES[metric]} />
        </figure>
      ))}
    </div>
    {note && (
      <p className="small legend-note" data-testid="hatching-legend" data-unconverged={note.startsWith("Hatched") ? "yes" : "no"}>
        {note.startsWith("Hatched") && <span className="hatch-swatch" aria-hidden="true" />}
        <span>{note}</span>
      </p>
    )}
    </>
  );
}
