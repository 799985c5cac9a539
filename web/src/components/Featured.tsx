/**
 * What the gallery opens on: the most striking comparison the visitor may see, chosen by the
 * server from measurements (the pair of planes, without and with shortcuts, whose non-convexity
 * differs most), drawn side by side as the compare view draws them (contours on one colour scale,
 * with their significant critical points), with its numbers and a way into the full comparison.
 */
import { useEffect, useMemo, useState } from "react";
import type { FeaturedComparisonQuery } from "../api/gql/graphql";
import type { Surface } from "../api/types";
import { request } from "../api/graphql";
import { FEATURED_COMPARISON } from "../api/series-ops";
import { loadSurface } from "../api/use-surface";
import type { SurfaceGrid } from "../plot/grid";
import { MarkKey } from "../plot/MarkKey";
import { chooseScale, formatValue, valueStats } from "../plot/scale";
import { significantPoints } from "../plot/significant";
import { SurfacePlot } from "../plot/SurfacePlot";
import { Link } from "../router";
import { Legend } from "./PlotControls";

type Featured = NonNullable<FeaturedComparisonQuery["featuredComparison"]>;

/** A surface's side of the comparison: its name without the experiment's name before it. */
export function sideName(experimentName: string, surfaceName: string): string {
  const prefix = `${experimentName}: `;
  return surfaceName.startsWith(prefix) ? surfaceName.slice(prefix.length) : surfaceName;
}

export function Featured() {
  const [featured, setFeatured] = useState<Featured | null>(null);
  const [planes, setPlanes] = useState<{ surface: Surface; grid: SurfaceGrid }[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    // Nothing to feature (or no answer) leaves the gallery as it is; until the planes' values
    // arrive (or if they cannot), their thumbnails stand in.
    request(FEATURED_COMPARISON, {}, controller.signal).then(
      (data) => {
        const found = data.featuredComparison ?? null;
        setFeatured(found);
        if (found) Promise.all(found.surfaces.map((s) => loadSurface(s.id, controller.signal))).then(setPlanes, () => undefined);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);
  // One colour scale over both planes, capped as the compare view caps it by default.
  const shared = useMemo(() => (planes ? chooseScale("linear", planes.map(({ grid }) => valueStats(grid.loss)), { min: null, max: null, capped: true }) : null), [planes]);
  if (!featured) return null;
  const { experiment, surfaces } = featured;
  const sides = surfaces.map((s) => ({ ...s, side: sideName(experiment.name, s.name), nc: s.statistics?.nonConvexity ?? null }));
  const marks = planes ? planes.map(({ surface, grid }) => significantPoints(surface, grid)) : [];
  const dataMax = planes ? Math.max(...planes.map(({ grid }) => valueStats(grid.loss)?.max ?? -Infinity)) : null;
  return (
    <section className="featured" aria-labelledby="featured-title" data-state="ready">
      <h2 id="featured-title">Featured: {experiment.name}</h2>
      <div className="featured-pair">
        {sides.map((s, k) => (
          <figure key={s.id}>
            {planes && shared ? (
              <SurfacePlot
                id={`featured-${s.id}`}
                mode="2d"
                grid={planes[k]!.grid}
                values={planes[k]!.grid.loss}
                version={1}
                scale={shared.scale}
                colourMap="viridis"
                criticalPoints={marks[k]}
                axisTitles={["a", "b"]}
                valueTitle="Loss"
                height={300}
                label={`Loss surface of ${s.side}`}
              />
            ) : (
              <Link href={`/surfaces/${s.id}`} className="thumb" aria-label={`Open ${s.side}`}>
                {s.thumbnailUrl ? <img src={s.thumbnailUrl} alt={`Loss surface of ${s.side}`} /> : <span className="muted">no preview</span>}
              </Link>
            )}
            <figcaption>
              <Link href={`/surfaces/${s.id}`}><strong>{s.side}</strong></Link> <span className="muted">non-convexity {s.nc === null ? "–" : formatValue(s.nc)}</span>
            </figcaption>
          </figure>
        ))}
      </div>
      {shared && (
        <div className="featured-legend">
          <Legend scale={shared.scale} map="viridis" title="Loss, one scale for both" cap={shared.cap} dataMax={dataMax} />
          {marks.flat().length > 0 && <p className="small legend-note"><MarkKey kinds={marks.flat().map((p) => p.kind)} /></p>}
        </div>
      )}
      <p className="small">
        Of the comparisons you can see, these two planes differ most in non-convexity (the share of points where the surface curves down in some direction): {formatValue(featured.contrast)} more
        on the left. <Link href={`/compare?ids=${surfaces.map((s) => s.id).join(",")}`}>Compare them on one colour scale</Link> or open <Link href={`/experiments/${experiment.id}`}>the whole experiment</Link>, with what each plane measured.
      </p>
    </section>
  );
}
