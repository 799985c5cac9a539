/**
 * "What filter normalization fixes" (Li et al. 2018, Figures 2-4), pair by pair: both runs' test
 * errors, the interpolation between their minima (loss and accuracy on twin axes), their slices
 * without and with filter normalization (one curve style per run, basin width beside each), and
 * their planes likewise. The 1D figures are the exported line figure (plot/figure/line.ts) drawn
 * into the page, so what is seen is what a download gives.
 */
import { useEffect, useState } from "react";
import { loadSurface } from "../api/use-surface";
import type { Experiment } from "../api/training-types";
import { StatusBadge } from "../components/StatusBadge";
import { lineFigureSvg } from "../plot/figure/line";
import type { SurfaceGrid } from "../plot/grid";
import { chooseScale, valueStats } from "../plot/scale";
import { Link } from "../router";

type Pair = NonNullable<Experiment["pairs"]>[number];
type Panel = Pair["panels"][number];

const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;
const fmt = (v: number) => Number(v.toPrecision(2)).toString();

const testError = (side: Pair["sides"][number] | undefined) => (side?.testError == null ? "not measured" : pct(side.testError));

/** The heading of a panel, as the paper names its rows. */
export function panelTitle(panel: Pick<Panel, "kind" | "normalization">, roles: readonly string[]): string {
  if (panel.kind === "interpolation") return `Interpolation from ${roles[0]} (t = 0) to ${roles[1]} (t = 1)`;
  const what = panel.kind === "line" ? "1D slices" : "Planes";
  return `${what} ${panel.normalization === "FILTER" ? "with filter normalization" : "without normalization"}`;
}

/** A 1D panel's figure, once its surfaces' values are loaded. */
function LineFigure({ panel, pair, title }: { panel: Panel; pair: Pair; title: string }) {
  const roles = pair.sides.map((s) => s.role);
  const ready = panel.surfaces.length > 0 && panel.surfaces.every((s) => s.status === "READY");
  const key = panel.surfaces.map((s) => s.id).join(",");
  const [grids, setGrids] = useState<SurfaceGrid[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    Promise.all(panel.surfaces.map((s) => loadSurface(s.id, controller.signal))).then(
      (loaded) => setGrids(loaded.map((l) => l.grid)),
      (e: unknown) => { if (!controller.signal.aborted) setFailed(e instanceof Error ? e.message : String(e)); },
    );
    return () => controller.abort();
  }, [ready, key]); // eslint-disable-line react-hooks/exhaustive-deps
  if (failed) return <p className="muted small" role="alert">The values could not be loaded: {failed}</p>;
  if (!grids) return <p className="muted small">{ready ? "Loading the values…" : "Computing…"}</p>;
  const interpolation = panel.kind === "interpolation";
  const series = grids.map((grid, k) => ({ name: interpolation ? "training rows" : roles[k]!, grid }));
  const svg = lineFigureSvg({
    title,
    series,
    loss: chooseScale("linear", grids.map((g) => valueStats(g.loss)), { min: null, max: null, capped: false }).scale,
    xTitle: interpolation ? "t" : "a",
    // The surfaces measure the training rows; the held-out rows are measured by the runs themselves.
    ...(interpolation ? { subtitle: `On the training rows. Test error at t = 0: ${testError(pair.sides[0])}; at t = 1: ${testError(pair.sides[1])}` } : {}),
    ...(interpolation ? { markers: roles.map((name, k) => ({ name, x: k })) } : {}),
    theme: "paper",
    size: { width: 560, height: 320, unit: "px", dpi: 96 },
  });
  return <img className="norm-figure" data-testid="norm-line-figure" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={`${title}: loss (left axis) and accuracy (right axis) of ${series.map((s) => s.name).join(" and ")}`} />;
}

function PanelView({ panel, pair }: { panel: Panel; pair: Pair }) {
  const roles = pair.sides.map((s) => s.role);
  const title = panelTitle(panel, roles);
  const compare = panel.surfaces.length >= 2 ? `/compare?ids=${panel.surfaces.map((s) => s.id).join(",")}` : null;
  return (
    <article className={`run-card norm-panel${panel.kind === "interpolation" ? " wide" : ""}`} aria-label={title}>
      <header>
        <h4>{title}</h4>
        {compare && <Link href={compare}>Compare</Link>}
      </header>
      {panel.surfaces.length === 0 ? (
        <p className="muted small">Queued once both runs are trained.</p>
      ) : panel.kind === "plane" ? (
        <div className="norm-planes">
          {panel.surfaces.map((s, k) => (
            <figure key={s.id}>
              {s.thumbnailUrl ? <img src={s.thumbnailUrl} alt={`Plane of ${roles[k]}`} width={150} height={150} /> : <StatusBadge status={s.status} done={s.pointsDone} total={s.pointsTotal} />}
              <figcaption><Link href={`/surfaces/${s.id}`}>{roles[k]}</Link>{pair.sides[k]?.testError != null && <> · test error {pct(pair.sides[k]!.testError!)}</>}</figcaption>
            </figure>
          ))}
        </div>
      ) : (
        <LineFigure panel={panel} pair={pair} title={title} />
      )}
      {panel.kind === "line" && (
        <ul className="small norm-measures" aria-label={`Measures, ${title}`}>
          {panel.surfaces.map((s, k) => (
            <li key={s.id}>
              <Link href={`/surfaces/${s.id}`}>{roles[k]}</Link> ({k === 0 ? "solid" : "dashed"}): basin width {s.statistics?.basinWidth != null ? fmt(s.statistics.basinWidth) : "–"}
              {pair.sides[k]?.testError != null && <>, test error {pct(pair.sides[k]!.testError!)}</>}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

export function NormalizationPairs({ pairs }: { pairs: readonly Pair[] }) {
  return (
    <>
      {pairs.map((pair) => (
        <section key={pair.title} className="norm-pair" aria-label={pair.title}>
          <h2>{pair.title}</h2>
          <p className="norm-errors" data-testid="norm-test-errors">
            Test error on the held-out rows:{" "}
            {pair.sides.map((s, k) => (
              <span key={s.runId}>{k > 0 && "; "}<strong>{s.role}</strong> {s.testError == null ? "not measured yet" : pct(s.testError)}</span>
            ))}
          </p>
          <div className="run-grid n2">
            {pair.panels.map((panel) => <PanelView key={`${panel.kind}-${panel.normalization ?? ""}`} panel={panel} pair={pair} />)}
          </div>
        </section>
      ))}
    </>
  );
}
