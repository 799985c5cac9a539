/**
 * An eigen-ratio map (Li et al. 2018, section 6, Figure 7) as three heatmaps of one plane: the
 * Hessian's lambda_max, lambda_min and |lambda_min / lambda_max|, each with the loss contours of
 * the plane it maps laid over it when that plane is at hand (same directions, placed by (a, b)).
 */
import { useMemo } from "react";
import { Legend } from "../components/PlotControls";
import type { ColourMapName } from "./colormap";
import { type CurvatureMetric, finiteRange, type SurfaceGrid } from "./grid";
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

/** Mean of the finite values (the paper's summary of a ratio map); null when none. */
export function finiteMean(values: Float32Array): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) { sum += v; n++; }
  return n ? sum / n : null;
}

export function EigenRatioMaps({ id, grid, version, lossOf, metrics = ["LAMBDA_MAX", "LAMBDA_MIN", "RATIO"], height = 320 }: {
  id: string;
  grid: SurfaceGrid;
  version: number;
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
  if (!curvature) return null;
  return (
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
            height={height}
            label={`${CURVATURE_TITLES[metric]} over the plane${contours ? ", with the plane's loss contours" : ""}`}
          />
          <Legend scale={scales[k]!.scale} map={scales[k]!.map} title={CURVATURE_TITLES[metric]} />
        </figure>
      ))}
    </div>
  );
}
