/**
 * Two to four surfaces side by side on one shared colour scale, with one camera for all of them,
 * and a difference view when two share a grid. The shared scale's default cap is chosen over all
 * of them so that the smoothest keeps its detail (see autoCap); each panel can also take its own. With `experiment=<id>`
 * the experiment's name and caption head the page and each plot is titled with its run's role.
 */
import { useEffect, useMemo, useState } from "react";
import type { ExperimentCaptionQuery } from "../api/gql/graphql";
import { ApiError, currentShareToken, describeError, request } from "../api/graphql";
import { ANNOTATIONS, COMPARE } from "../api/ops";
import { EXPERIMENT_CAPTION } from "../api/training-ops";
import type { Annotation, Surface } from "../api/types";
import { useQuery } from "../api/use-query";
import { loadSurface } from "../api/use-surface";
import { ExportDialog } from "../components/ExportDialog";
import { ErrorBox, Loading, Notice } from "../components/feedback";
import { ShareCompareButton } from "../components/ShareCompareButton";
import { type ComparePanel, compareAspect, compareSvg, differenceOf, PANEL_LETTERS } from "../plot/figure/compare";
import type { FigureSize, FigureThemeName } from "../plot/figure/theme";
import { Legend, PlotControls } from "../components/PlotControls";
import { type LanczosGrids, metricValues, type SurfaceGrid, unconvergedMask } from "../plot/grid";
import { chooseScale, formatValue, makeScale, type ScaleChoice, valueStats } from "../plot/scale";
import { type CameraState, SurfacePlot } from "../plot/SurfacePlot";
import { readSettings, type ViewSettings, writeSettings } from "../plot/view-settings";
import { Link, navigate, useLocation } from "../router";
import { axisTitlesOf, LinkGone, modesOf } from "./SurfacePage";
import { CURVATURE_TITLES, curvatureScale, finiteMean, hatchingNote } from "../plot/EigenRatioMaps";
import { LineComparison } from "../plot/LineComparison";
import { lineFigureSvg } from "../plot/figure/line";
import { MarkKey } from "../plot/MarkKey";

/** One hatching mask per map's grids, so the plot's layers are not rebuilt on every render. */
const masks = new WeakMap<LanczosGrids, Uint8Array | null>();
function maskOf(lanczos: LanczosGrids | undefined): Uint8Array | null {
  if (!lanczos) return null;
  if (!masks.has(lanczos)) masks.set(lanczos, unconvergedMask(lanczos));
  return masks.get(lanczos)!;
}

/** Most surfaces one comparison holds (the API's MAX_COMPARED, server/src/domain/compare.ts). */
const MAX_COMPARED = 10;

import { significantPoints as significant } from "../plot/significant";
import "../training/training.css";

/** Surface id to its run's role: an experiment's surfaces come in the order of its runs. */
export function rolesBySurface(e: ExperimentCaptionQuery["experiment"]): Map<string, string> {
  const roles = new Map<string, string>();
  // A comparison's eigen-ratio maps follow its planes, one per run (or per run of the last ones,
  // as a depth sweep's deepest pair) in the same order.
  const maps = e.surfaces.length - e.runs.length;
  e.surfaces.forEach((s, k) => {
    const role = k < e.runs.length ? e.runs[k]?.role : maps <= e.runs.length ? e.runs[k - maps]?.role : undefined;
    if (role) roles.set(s.id, role);
  });
  return roles;
}

interface Loaded { min: number | null; max: number | null; sameGrid: boolean; items: { surface: Surface; grid: SurfaceGrid }[] }

/**
 * What a visitor signed out, without a share link, sees at /compare when the surfaces are not
 * public (or none are named): what the page is, and the two ways in.
 */
export function CompareSignedOut({ next }: { next: string }) {
  return (
    <section aria-labelledby="compare-signed-out-title" className="link-gone" data-testid="compare-signed-out">
      <h1 id="compare-signed-out-title">Compare loss surfaces</h1>
      <p>
        This page shows two to ten loss surfaces side by side on one colour scale, with one camera for all of them, and for two
        surfaces on the same grid their difference A − B. The surfaces of this comparison are not public, so it opens for their
        project's members, or through a comparison's share link.
      </p>
      <ul>
        <li><Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link> to see it, if you are a member of the project (or <Link href="/signup">create an account</Link>).</li>
        <li>Were you sent a comparison? Open the link as you received it: it begins with <code>/share/</code> and opens signed out.</li>
        <li><Link href="/gallery">Browse the public gallery</Link> for surfaces anyone can open and compare.</li>
      </ul>
    </section>
  );
}

/** `signedOut`: no session and no share link; only public surfaces open, anything else explains itself. */
export function ComparePage({ signedOut = false }: { signedOut?: boolean } = {}) {
  const { path, query } = useLocation();
  const ids = (query.get("ids") ?? "").split(",").filter(Boolean);
  const settings = readSettings(query);
  const [state, setState] = useState<{ kind: "loading" } | { kind: "error"; message: string; gone?: boolean } | ({ kind: "ready" } & Loaded)>({ kind: "loading" });
  const [camera, setCamera] = useState<CameraState | null>(null);
  // The difference view rides in the URL with the other settings, so a link reopens it.
  const diff = query.get("diff") === "1";
  const shareToken = currentShareToken();
  const [exportOpen, setExportOpen] = useState(false);
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const key = ids.join(",");
  // Each surface's notes, for the exported figure (the panels on the page do not show them).
  const [notes, setNotes] = useState<Map<string, Annotation[]>>(new Map());
  useEffect(() => {
    if (!exportOpen) return;
    let live = true;
    Promise.all(ids.map((id) => request(ANNOTATIONS, { id }).then((r) => [id, r.surface.annotations.nodes] as const))).then(
      (all) => { if (live) setNotes(new Map(all)); },
      (e: unknown) => { if (live) setNotice({ message: `The surfaces' notes could not be loaded: ${describeError(e)}`, tone: "error" }); },
    );
    return () => { live = false; };
  }, [exportOpen, key]); // eslint-disable-line react-hooks/exhaustive-deps
  const experimentId = query.get("experiment");
  const experiment = useQuery(EXPERIMENT_CAPTION, experimentId ? { id: experimentId } : null);
  const roles = experiment.kind === "ready" ? rolesBySurface(experiment.data.experiment) : new Map<string, string>();
  // The experiment rides along when the view settings change.
  const base = `${path}?ids=${key}${experimentId ? `&experiment=${encodeURIComponent(experimentId)}` : ""}`;
  const viewOf = (s: ViewSettings, d: boolean) => {
    const q = writeSettings(s);
    if (d) q.set("diff", "1");
    return q.toString();
  };
  // A link holder opens each surface through the same link.
  const surfaceHref = (id: string) => (shareToken ? `/share/${encodeURIComponent(shareToken)}/surfaces/${id}` : `/surfaces/${id}`);
  useEffect(() => {
    if (ids.length < 2 || ids.length > MAX_COMPARED) {
      setState({ kind: "error", message: `Pick two to ${MAX_COMPARED} surfaces to compare (from the gallery or a project).` });
      return;
    }
    let cancelled = false;
    setState({ kind: "loading" });
    Promise.all([
      request(COMPARE, { ids, metric: settings.metric }),
      ...ids.map((id) => loadSurface(id)),
    ]).then(
      ([cmp, ...items]) => { if (!cancelled) setState({ kind: "ready", ...cmp.compare, items }); },
      // Through a link, a surface not found means the link was revoked.
      (e: unknown) => { if (!cancelled) setState({ kind: "error", message: describeError(e), gone: currentShareToken() !== null && e instanceof ApiError && e.code === "NOT_FOUND" }); },
    );
    return () => { cancelled = true; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, settings.metric]);
  const modes = state.kind === "ready" ? modesOf(state.items[0]!.surface) : ["2d" as const];
  const mode = settings.mode && modes.includes(settings.mode) ? settings.mode : modes[0]!;
  // Eigen-ratio maps are drawn as their |lambda_min/lambda_max| heatmap on their own scale, over the
  // loss contours of the plane beside them (the first loss surface of the same model on that plane).
  const stats = useMemo(() => (state.kind === "ready" ? state.items.map(({ grid }) => (grid.curvature ? null : valueStats(metricValues(grid, settings.metric)))) : []), [state, settings.metric]);
  const scaleOptions = { min: settings.min, max: settings.max, capped: settings.capped && settings.metric === "LOSS" };
  const shared = useMemo(() => chooseScale(settings.scale, stats.filter((s) => s !== null), scaleOptions), [settings.scale, settings.min, settings.max, settings.capped, settings.metric, stats]); // eslint-disable-line react-hooks/exhaustive-deps
  const own = useMemo(() => stats.map((s) => chooseScale(settings.scale, s ? [s] : [], scaleOptions)), [settings.scale, settings.min, settings.max, settings.capped, settings.metric, stats]); // eslint-disable-line react-hooks/exhaustive-deps
  const scaleOf = (k: number): ScaleChoice => (settings.ownScales ? own[k] ?? shared : shared);
  const scale = shared.scale;
  const valueTitle = settings.metric === "LOSS" ? "Loss" : "Accuracy";
  // Eigen-ratio maps share one |lambda_min/lambda_max| scale too (0 to the highest ratio of all).
  const sharedRatio = useMemo(() => {
    const ratios = state.kind === "ready" ? state.items.flatMap(({ grid }) => (grid.curvature ? [grid.curvature.RATIO] : [])) : [];
    if (ratios.length === 0) return null;
    const joined = new Float32Array(ratios.reduce((n, r) => n + r.length, 0));
    let offset = 0;
    for (const r of ratios) { joined.set(r, offset); offset += r.length; }
    return curvatureScale("RATIO", joined);
  }, [state]);
  const difference = useMemo(() => {
    if (state.kind !== "ready" || !state.sameGrid || state.items.length !== 2 || state.items.some((item) => item.grid.curvature)) return null;
    // A − B, first minus second, as the exported figure has it: negative where A is lower.
    const d = differenceOf(metricValues(state.items[0]!.grid, settings.metric), metricValues(state.items[1]!.grid, settings.metric));
    return { values: d.values, scale: makeScale("linear", -d.extent, d.extent) };
  }, [state, settings.metric]);

  const names = state.kind === "ready" ? state.items.map(({ surface }) => roles.get(surface.id) ?? surface.name) : [];
  // The whole comparison as one figure: every panel, their shared colour bar, and A − B.
  const svgOf = (theme: FigureThemeName, size: FigureSize): string => {
    if (state.kind !== "ready") return "";
    // 1D surfaces: one line plot, as on the page (LineComparison), each surface in its own stroke.
    if (mode === "1d") {
      const loss = chooseScale(settings.scale, state.items.map(({ grid }) => valueStats(grid.loss)), { min: settings.min, max: settings.max, capped: false }).scale;
      const heading = experimentId && experiment.kind === "ready" ? experiment.data.experiment.name : `Loss and accuracy: ${names.join(" vs ")}`;
      return lineFigureSvg({ title: heading, series: state.items.map(({ grid }, k) => ({ name: names[k]!, grid })), loss, xTitle: axisTitlesOf(state.items[0]!.surface)[0], theme, size });
    }
    const panels: ComparePanel[] = state.items.map(({ surface, grid }, k) => {
      const title = PANEL_LETTERS[k]!;
      if (grid.curvature) {
        // As on the page: the maps share one ratio scale (its bar after the last map) unless each has its own.
        const ownRatio = settings.ownScales || !sharedRatio;
        const ratio = ownRatio ? curvatureScale("RATIO", grid.curvature.RATIO) : sharedRatio;
        const lastMap = state.items.findLastIndex((item) => item.grid.curvature) === k;
        return { title, names: `${names[k]}: ${CURVATURE_TITLES.RATIO}`, data: { grid, values: grid.curvature.RATIO, scale: ratio.scale, map: ratio.map, axisTitles: axisTitlesOf(surface), valueTitle: CURVATURE_TITLES.RATIO }, bar: ownRatio || lastMap ? { scale: ratio.scale, map: ratio.map, title: CURVATURE_TITLES.RATIO, dataMax: null } : undefined };
      }
      const own = scaleOf(k);
      const lastShared = state.items.findLastIndex((item) => !item.grid.curvature) === k;
      return {
        title, names: names[k],
        data: { grid, values: metricValues(grid, settings.metric), scale: own.scale, map: settings.map, axisTitles: axisTitlesOf(surface), valueTitle, criticalPoints: significant(surface, grid), path: surface.path, annotations: notes.get(surface.id) ?? [] },
        bar: settings.ownScales || lastShared ? { scale: own.scale, map: settings.map, title: valueTitle, dataMax: settings.ownScales ? stats[k]?.max ?? null : shared.dataMax } : undefined,
      };
    });
    let note = settings.ownScales ? "Each panel on its own colour scale" : "One colour scale over the surfaces";
    if (difference) {
      // Under a cap, the difference is shown within the capped scale's span.
      const limit = shared.cap !== null ? shared.scale.max - shared.scale.min : Infinity;
      const d = differenceOf(metricValues(state.items[0]!.grid, settings.metric), metricValues(state.items[1]!.grid, settings.metric), limit);
      const dScale = makeScale("linear", -d.extent, d.extent);
      if (d.clipped) note += `; A − B shown within ±${formatValue(d.extent)}`;
      panels.push({ title: "A − B", names: `${names[0]} − ${names[1]}`, difference: true, data: { grid: state.items[0]!.grid, values: d.values, scale: dScale, map: "coolwarm", axisTitles: axisTitlesOf(state.items[0]!.surface), valueTitle: `${valueTitle} A − B` }, bar: { scale: dScale, map: "coolwarm", title: `${valueTitle}, A − B`, dataMax: null } });
    }
    const heading = experimentId && experiment.kind === "ready" ? experiment.data.experiment.name : `${valueTitle}: ${names.join(" vs ")}`;
    return compareSvg({ title: heading, subtitle: note, panels, theme, size });
  };
  const slug = names.join("-vs-").replace(/[^\w-]+/g, "-").toLowerCase().slice(0, 80) || "comparison";
  const panelCount = state.kind === "ready" ? state.items.length + (difference ? 1 : 0) : 2;

  // The kinds of critical point the panels show, for the key to their glyphs.
  const markKinds = state.kind === "ready" ? state.items.flatMap(({ surface, grid }) => (grid.curvature ? [] : significant(surface, grid).map((p) => p.kind))) : [];

  if (state.kind === "loading") return <Loading what="Loading the surfaces" />;
  if (state.kind === "error" && signedOut) return <CompareSignedOut next={path + window.location.search} />;
  if (state.kind === "error") return state.gone ? <LinkGone /> : <ErrorBox message={state.message} />;
  return (
    <section aria-labelledby="compare-title">
      {experimentId && experiment.kind === "ready" ? (
        <>
          <p className="crumbs"><Link href={`/experiments/${experiment.data.experiment.id}`}>Back to the experiment</Link></p>
          <h1 id="compare-title">{experiment.data.experiment.name}</h1>
          <div className="callout caption" data-testid="experiment-caption"><strong>What to look for.</strong> {experiment.data.experiment.caption}</div>
        </>
      ) : (
        <h1 id="compare-title">Compare {state.items.length} surfaces</h1>
      )}
      {experimentId && experiment.kind === "loading" && <Loading what="Loading the experiment" />}
      {experimentId && experiment.kind === "error" && <ErrorBox message={`The experiment could not be loaded: ${experiment.message}`} onRetry={experiment.reload} />}
      <p className="muted">{settings.ownScales ? "Each panel on its own colour scale" : "One colour scale over all of them"}; moving one camera moves them all.</p>
      <PlotControls settings={{ ...settings, mode }} onChange={(s) => { setCamera(null); navigate(`${base}&${viewOf(s, diff)}`, { replace: true }); }} modes={modes} mode={mode} />
      <label className="small"><input type="checkbox" checked={settings.ownScales} onChange={(e) => navigate(`${base}&${viewOf({ ...settings, ownScales: e.target.checked }, diff)}`, { replace: true })} /> Each panel on its own scale</label>
      {difference && (
        <label className="small"><input type="checkbox" checked={diff} onChange={(e) => navigate(`${base}&${viewOf(settings, e.target.checked)}`, { replace: true })} /> Difference view: A − B (first minus second)</label>
      )}
      <div className="actions">
        <button type="button" aria-expanded={exportOpen} onClick={() => setExportOpen(!exportOpen)}>Export figure…</button>
        {!shareToken && !signedOut && <ShareCompareButton surfaceIds={ids} view={viewOf({ ...settings, mode, camera }, diff && difference !== null)} />}
      </div>
      {exportOpen && <ExportDialog slug={slug} svgOf={svgOf} aspect={mode === "1d" ? 0.6 : compareAspect(panelCount)} onClose={() => setExportOpen(false)} onNotice={setNotice} />}
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      {mode !== "1d" && (diff || (!settings.ownScales && stats.some((st) => st !== null))) && (
        <Legend scale={diff && difference ? difference.scale : scale} map={diff ? "coolwarm" : settings.map} title={diff ? `${valueTitle}, A − B` : valueTitle} cap={diff ? null : shared.cap} dataMax={diff ? null : shared.dataMax} />
      )}
      {mode !== "1d" && !diff && markKinds.length > 0 && <p className="small legend-note"><MarkKey kinds={markKinds} /></p>}
      {mode === "1d" ? (
        <LineComparison items={state.items} roles={roles} xTitle={axisTitlesOf(state.items[0]!.surface)[0]} scaleKind={settings.scale} min={settings.min} max={settings.max} />
      ) : diff && difference ? (
        <div className="compare-grid one">
          <figure className="compare-cell" data-testid="difference-panel">
            <figcaption>
              <span className="panel-letter">A − B</span> <span className="muted small" data-testid="difference-direction">{names[0]} minus {names[1]}: below 0 where A is lower, above 0 where B is lower</span>
            </figcaption>
            <SurfacePlot id="difference" mode={mode} grid={state.items[0]!.grid} values={difference.values} version={1} scale={difference.scale} colourMap="coolwarm" camera={camera} onCameraChange={setCamera} label="A − B: difference of the two surfaces, first minus second" />
          </figure>
        </div>
      ) : (
        <div className={`compare-grid n${state.items.length}`}>
          {state.items.map(({ surface, grid }, k) => {
            const firstMap = state.items.findIndex((item) => item.grid.curvature);
            if (grid.curvature) {
              const ratio = settings.ownScales || !sharedRatio ? curvatureScale("RATIO", grid.curvature.RATIO) : sharedRatio;
              const plane = state.items.find((other) => !other.grid.curvature && other.surface.model?.id === surface.model?.id && (other.surface.id === surface.params.directionsFrom || surface.params.directionsFrom === other.surface.params.directionsFrom));
              const title = roles.has(surface.id) ? `${roles.get(surface.id)}: ${CURVATURE_TITLES.RATIO}` : `${surface.name}: ${CURVATURE_TITLES.RATIO}`;
              return (
                <figure key={surface.id} className="compare-cell" data-testid="compare-eigen-ratio">
                  <figcaption>
                    <span className="panel-letter">{PANEL_LETTERS[k]}</span> <Link className="role-title" href={surfaceHref(surface.id)} title={surface.name}>{title}</Link>
                    <span className="muted small"> · mean {formatValue(finiteMean(grid.curvature.RATIO))}</span>
                  </figcaption>
                  <SurfacePlot
                    id={`compare-${surface.id}`}
                    mode="2d"
                    grid={grid}
                    values={grid.curvature.RATIO}
                    version={1}
                    scale={ratio.scale}
                    colourMap={ratio.map}
                    lossContours={plane ? { grid: plane.grid, values: plane.grid.loss } : null}
                    hatched={maskOf(grid.lanczos)}
                    axisTitles={axisTitlesOf(surface)}
                    camera={mode === "2d" ? camera : null}
                    onCameraChange={mode === "2d" ? setCamera : undefined}
                    height={360}
                    label={`${title}${plane ? ", over the loss contours of its plane" : ""}`}
                  />
                  {(settings.ownScales || k === firstMap) && <Legend scale={ratio.scale} map={ratio.map} title={settings.ownScales ? CURVATURE_TITLES.RATIO : `${CURVATURE_TITLES.RATIO}, one scale for every map`} />}
                  {hatchingNote(grid, surface.params.lanczosSteps)?.startsWith("Hatched") && <p className="small legend-note"><span className="hatch-swatch" aria-hidden="true" /><span>{hatchingNote(grid, surface.params.lanczosSteps)}</span></p>}
                </figure>
              );
            }
            return (
            <figure key={surface.id} className="compare-cell">
              <figcaption>
                <span className="panel-letter">{PANEL_LETTERS[k]}</span>{" "}
                {roles.has(surface.id) ? (
                  // An experiment's surface names repeat the experiment's; its role says which side it is.
                  <Link className="role-title" href={surfaceHref(surface.id)} title={surface.name}>{roles.get(surface.id)}</Link>
                ) : (
                  <><Link href={surfaceHref(surface.id)}>{surface.name}</Link> <span className="muted small">{surface.model?.name}</span></>
                )}
              </figcaption>
              <SurfacePlot
                id={`compare-${surface.id}`}
                mode={mode}
                grid={grid}
                values={metricValues(grid, settings.metric)}
                version={1}
                scale={scaleOf(k).scale}
                colourMap={settings.map}
                criticalPoints={significant(surface, grid)}
                path={surface.path}
                axisTitles={axisTitlesOf(surface)}
                valueTitle={valueTitle}
                equalAspect={surface.kind === "PCA"}
                camera={camera}
                onCameraChange={setCamera}
                height={360}
                label={`${roles.get(surface.id) ?? surface.name}, ${mode} view`}
              />
              {settings.ownScales && <Legend scale={scaleOf(k).scale} map={settings.map} title={valueTitle} cap={scaleOf(k).cap} dataMax={stats[k]?.max ?? null} />}
            </figure>
            );
          })}
        </div>
      )}
    </section>
  );
}
