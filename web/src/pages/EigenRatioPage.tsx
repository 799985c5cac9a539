/**
 * Eigen-ratio maps on the surface page: the viewer of a map (three heatmaps, live while tiles
 * arrive, over the loss contours of the plane it maps) and, on a plane, the form that starts the
 * curvature map of that plane with its cost stated first.
 */
import { type FormEvent, useEffect, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { CANCEL_SURFACE, CREATE_SURFACE, EIGEN_RATIO_COST } from "../api/ops";
import type { Surface } from "../api/types";
import { useQuery } from "../api/use-query";
import { loadSurface } from "../api/use-surface";
import { ErrorBox, ProgressBar } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { CURVATURE_TITLES, EigenRatioMaps } from "../plot/EigenRatioMaps";
import type { CurvatureMetric, SurfaceGrid } from "../plot/grid";
import { formatValue } from "../plot/scale";
import { Link, navigate } from "../router";

/** The grids as CSV: a, b, lambda_max, lambda_min, ratio, Lanczos steps and convergence (1/0) per point. */
export function curvatureCsv(grid: SurfaceGrid): string {
  const lines = ["a,b,lambda_max,lambda_min,ratio,lanczos_steps,converged"];
  const c = grid.curvature;
  if (!c) return lines[0]!;
  const cell = (v: number) => (Number.isFinite(v) ? String(v) : "");
  for (let j = 0; j < grid.ny; j++) {
    for (let i = 0; i < grid.nx; i++) {
      const k = j * grid.nx + i;
      lines.push([grid.xs[i], grid.ys[j], cell(c.LAMBDA_MAX[k]!), cell(c.LAMBDA_MIN[k]!), cell(c.RATIO[k]!), cell(grid.lanczos?.steps[k] ?? Number.NaN), cell(grid.lanczos?.converged[k] ?? Number.NaN)].join(","));
    }
  }
  return lines.join("\n");
}

export function EigenRatioViewer({ surface, grid, version, live, canWrite }: { surface: Surface; grid: SurfaceGrid; version: number; live: boolean; canWrite: boolean }) {
  // The plane whose directions the map shares: its loss contours go over the heatmaps.
  const planeId = surface.params.directionsFrom;
  const [plane, setPlane] = useState<{ surface: Surface; grid: SurfaceGrid } | null>(null);
  const [overlay, setOverlay] = useState(true);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!planeId) return;
    let cancelled = false;
    loadSurface(planeId).then((p) => { if (!cancelled) setPlane(p); }, () => undefined);
    return () => { cancelled = true; };
  }, [planeId]);
  const stats = surface.statistics;
  const exportCsv = () => {
    const url = URL.createObjectURL(new Blob([curvatureCsv(grid)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${surface.name.replace(/[^\w-]+/g, "-").toLowerCase() || "eigen-ratio"}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section aria-labelledby="surface-title" className="viewer">
      <p className="crumbs"><Link href={`/projects/${surface.projectId}`}>Project</Link> /</p>
      <div className="section-head">
        <h1 id="surface-title">{surface.name}</h1>
        <StatusBadge status={surface.status} done={surface.pointsDone} total={surface.pointsTotal} />
      </div>
      <p className="muted">
        eigen-ratio map{surface.model && surface.dataset ? ` · ${surface.model.name} on ${surface.dataset.name}` : ""} · {grid.nx}×{grid.ny} points ·{" "}
        {surface.params.tolerance != null
          ? `Lanczos at each point until λmax and λmin meet a tolerance of ${surface.params.tolerance}, at most ${surface.params.lanczosSteps} steps (Hessian-vector products)`
          : `${surface.params.lanczosSteps} Lanczos steps (Hessian-vector products) per point, convergence not checked`}
        {surface.params.samples ? ` over ${surface.params.samples} samples` : ""}
        {plane ? <> · the curvature of <Link href={`/surfaces/${plane.surface.id}`}>{plane.surface.name}</Link></> : ""}
      </p>
      {(surface.status === "QUEUED" || surface.status === "RUNNING" || live) && (
        <div className="live" data-testid="live-progress">
          <ProgressBar value={surface.pointsDone} max={surface.pointsTotal} label="Map progress" />
          <span className="muted" aria-live="polite">{surface.status === "QUEUED" ? "Waiting for a worker…" : `${surface.pointsDone} of ${surface.pointsTotal} points`}</span>
          {canWrite && <button type="button" onClick={() => void mutate(CANCEL_SURFACE, { id: surface.id }, "cancelSurface").catch((e: unknown) => setError(describeError(e)))}>Cancel</button>}
        </div>
      )}
      {surface.status === "FAILED" && <ErrorBox message={`The map failed: ${surface.errorMessage ?? "unknown error"}`} />}
      {error && <ErrorBox message={error} />}
      {stats?.ratio && (
        <p data-testid="eigen-ratio-summary">
          Mean {CURVATURE_TITLES.RATIO} = <strong>{formatValue(stats.ratio.mean)}</strong> (0 where the Hessian has no negative eigenvalue: locally convex) ·
          {" "}{CURVATURE_TITLES.LAMBDA_MAX} from {formatValue(stats.lambdaMax?.min)} to {formatValue(stats.lambdaMax?.max)} ·
          {" "}{CURVATURE_TITLES.LAMBDA_MIN} from {formatValue(stats.lambdaMin?.min)} to {formatValue(stats.lambdaMin?.max)}
          {stats.lanczosSteps && <> · {formatValue(stats.lanczosSteps.mean)} Lanczos steps per point on average</>}
        </p>
      )}
      {plane && (
        <label className="small"><input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> Loss contours of the plane</label>
      )}
      <EigenRatioMaps id={`surface-${surface.id}`} grid={grid} version={version} maxSteps={surface.params.lanczosSteps} lossOf={overlay && plane ? plane.grid : null} />
      <div className="actions">
        <button type="button" onClick={exportCsv}>Export CSV</button>
        {surface.valuesUrl && <a className="button" href={surface.valuesUrl} download>Values file (float32 grids: λmax, λmin, ratio, Lanczos steps, converged)</a>}
      </div>
    </section>
  );
}

/** "about 40 s" or "about 3 min". */
function about(seconds: number): string {
  return seconds < 90 ? `about ${Math.max(1, Math.ceil(seconds))} s` : `about ${Math.ceil(seconds / 60)} min`;
}

/** Most Lanczos steps per point by default (the engine's MAP_LANCZOS_STEPS). */
export const MAP_LANCZOS_STEPS = 80;

/**
 * The cost of a map before it starts: at most points x the step cap, and what to expect from this
 * model's last map (each point stops once it converges); each product is four gradients.
 */
export function mapCostSentence(cost: { hvps: number; expectedHvps?: number | null; samples: number; estimatedSeconds?: number | null; basis?: string | null }, points: number, steps: number): string {
  const expected = cost.expectedHvps != null ? `, about ${cost.expectedHvps.toLocaleString()} expected from this model's last map` : "";
  const time = cost.estimatedSeconds != null ? `: ${about(cost.estimatedSeconds)} on one worker at ${cost.basis}.` : "; no speed measured on this model yet to estimate the time.";
  return `At most ${cost.hvps.toLocaleString()} Hessian-vector products (${points.toLocaleString()} points × up to ${steps} Lanczos steps; each point stops once it converges${expected}), each four gradients over ${cost.samples.toLocaleString()} samples${time}`;
}

/** On a plane's page: start the eigen-ratio map of this plane, its cost stated first. */
export function CurvatureMapForm({ plane }: { plane: Surface }) {
  const [count, setCount] = useState(7);
  const [steps, setSteps] = useState(MAP_LANCZOS_STEPS);
  const [samples, setSamples] = useState(plane.params.samples ?? 500);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const points = count * count;
  const cost = useQuery(EIGEN_RATIO_COST, plane.model && plane.dataset ? { modelId: plane.model.id, datasetId: plane.dataset.id, points, lanczosSteps: steps, samples } : null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!plane.model || !plane.dataset || !plane.params.y) return;
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate(CREATE_SURFACE, {
        input: {
          projectId: plane.projectId, kind: "EIGEN_RATIO", modelId: plane.model.id, datasetId: plane.dataset.id, name: `Curvature of ${plane.name}`.slice(0, 200),
          params: {
            x: { min: plane.params.x.min, max: plane.params.x.max, count }, y: { min: plane.params.y.min, max: plane.params.y.max, count },
            samples, lanczosSteps: steps, directionsFrom: plane.id, seed: plane.params.seed,
          },
        },
      }, "createSurface");
      navigate(`/surfaces/${payload.surface!.id}`);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <form className="card" aria-label="Curvature map of this plane" onSubmit={(e) => void submit(e)}>
      <h2>Curvature map of this plane</h2>
      <p className="small muted">The Hessian's λmax, λmin and |λmin/λmax| at each point of a coarser grid over the same plane (Li et al. 2018, Figure 7).</p>
      <label>Points per axis <input type="number" min={2} max={41} value={count} onChange={(e) => setCount(Number(e.target.value))} /></label>
      <label>Most Lanczos steps per point <input type="number" min={2} max={100} value={steps} onChange={(e) => setSteps(Number(e.target.value))} /></label>
      <label>Samples <input type="number" min={1} value={samples} onChange={(e) => setSamples(Number(e.target.value))} /></label>
      <p className="small muted" data-testid="eigen-ratio-cost">
        {cost.kind === "ready"
          ? <>{mapCostSentence(cost.data.eigenRatioCost, points, steps)}</>
          : cost.kind === "error" ? cost.message : "Estimating the cost…"}
      </p>
      {error && <ErrorBox message={error} />}
      <button type="submit" disabled={busy || !plane.model || !plane.dataset}>Compute curvature map</button>
    </form>
  );
}

export type { CurvatureMetric };
