/**
 * What the gallery opens on: the most striking comparison the visitor may see, chosen by the
 * server from measurements (the pair of planes, without and with shortcuts, whose non-convexity
 * differs most), shown side by side with its numbers and a way into the full comparison.
 */
import { useEffect, useState } from "react";
import type { FeaturedComparisonQuery } from "../api/gql/graphql";
import { request } from "../api/graphql";
import { FEATURED_COMPARISON } from "../api/series-ops";
import { formatValue } from "../plot/scale";
import { Link } from "../router";

type Featured = NonNullable<FeaturedComparisonQuery["featuredComparison"]>;

/** A surface's side of the comparison: its name without the experiment's name before it. */
export function sideName(experimentName: string, surfaceName: string): string {
  const prefix = `${experimentName}: `;
  return surfaceName.startsWith(prefix) ? surfaceName.slice(prefix.length) : surfaceName;
}

export function Featured() {
  const [featured, setFeatured] = useState<Featured | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    // Nothing to feature (or no answer) leaves the gallery as it is.
    request(FEATURED_COMPARISON, {}, controller.signal).then((data) => setFeatured(data.featuredComparison ?? null), () => undefined);
    return () => controller.abort();
  }, []);
  if (!featured) return null;
  const { experiment, surfaces } = featured;
  const sides = surfaces.map((s) => ({ ...s, side: sideName(experiment.name, s.name), nc: s.statistics?.nonConvexity ?? null }));
  return (
    <section className="featured" aria-labelledby="featured-title" data-state="ready">
      <h2 id="featured-title">Featured: {experiment.name}</h2>
      <div className="featured-pair">
        {sides.map((s) => (
          <figure key={s.id}>
            <Link href={`/surfaces/${s.id}`} className="thumb" aria-label={`Open ${s.side}`}>
              {s.thumbnailUrl ? <img src={s.thumbnailUrl} alt={`Loss surface of ${s.side}`} /> : <span className="muted">no preview</span>}
            </Link>
            <figcaption><strong>{s.side}</strong> <span className="muted">non-convexity {s.nc === null ? "–" : formatValue(s.nc)}</span></figcaption>
          </figure>
        ))}
      </div>
      <p className="small">
        Of the comparisons you can see, these two planes differ most in non-convexity (the share of points where the surface curves down in some direction): {formatValue(featured.contrast)} more
        on the left. <Link href={`/compare?ids=${surfaces.map((s) => s.id).join(",")}`}>Compare them on one colour scale</Link> or open <Link href={`/experiments/${experiment.id}`}>the whole experiment</Link>, with what each plane measured.
      </p>
    </section>
  );
}
