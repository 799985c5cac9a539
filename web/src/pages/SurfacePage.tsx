/** The surface viewer: live progress, 2D contours / 3D mesh / 1D line, notes, exports and sharing. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { currentShareToken, describeError, mutate, request } from "../api/graphql";
import { ANNOTATIONS, CANCEL_SURFACE, CREATE_SURFACE_LINK, SURFACE_QUEUE } from "../api/ops";
import type { Surface } from "../api/types";
import { useQuery } from "../api/use-query";
import { useSurface } from "../api/use-surface";
import { AnnotationsPanel, type Draft, draftAt, pinsWithDraft } from "../components/AnnotationsPanel";
import { ExportDialog } from "../components/ExportDialog";
import { ErrorBox, Loading, Notice, ProgressBar } from "../components/feedback";
import { Legend, PlotControls } from "../components/PlotControls";
import { StatusBadge } from "../components/StatusBadge";
import { type ShownFrame, TrainingSeries } from "../components/TrainingSeries";
import { figurePng, surfaceGlb, surfaceSvg, surfaceVtp } from "../plot/export";
import type { FigureSize, FigureThemeName } from "../plot/figure/theme";
import { countFinite, gridToCsv, gridToJson, type MetricName, metricTitle, metricValues, type SurfaceGrid, TEST_METRICS, valueAt } from "../plot/grid";
import { surfaceSeries } from "../plot/line-layers";
import { LineLegend } from "../plot/LineLegend";
import { MarkKey } from "../plot/MarkKey";
import { mainMinimum } from "../plot/overlay-layers";
import { chooseScale, formatValue, significanceSpan, valueStats } from "../plot/scale";
import { type CameraState, type PlotMode, SurfacePlot } from "../plot/SurfacePlot";
import { readSettings, type ViewSettings, writeSettings } from "../plot/view-settings";
import { Link, navigate, useLocation } from "../router";
import { CurvatureMapForm, EigenRatioViewer } from "./EigenRatioPage";

export function SurfacePage({ id }: { id: string }) {
  const state = useSurface(id);
  if (state.kind === "loading") return <Loading what="Loading the surface" />;
  if (state.kind === "error" && state.code === "NOT_FOUND" && currentShareToken()) return <LinkGone />;
  if (state.kind === "error") return <ErrorBox message={state.message} code={state.code} onRetry={state.reload} />;
  if (state.surface.kind === "EIGEN_RATIO") {
    const canWrite = !currentShareToken() && (state.surface.myRole === "OWNER" || state.surface.myRole === "EDITOR");
    return <EigenRatioViewer surface={state.surface} grid={state.grid} version={state.version} live={state.live} canWrite={canWrite} />;
  }
  return <Viewer surface={state.surface} grid={state.grid} version={state.version} live={state.live} />;
}

/** What a revoked, rotated or mistyped share link shows. */
export function LinkGone() {
  return (
    <section aria-labelledby="gone-title" className="link-gone">
      <h1 id="gone-title">This link no longer works</h1>
      <p>Its owner revoked it or replaced it with a new one, or it was copied incompletely. Ask whoever shared it for a new link.</p>
      <p><Link href="/gallery">Browse the public gallery</Link> · <Link href="/signin">Sign in</Link></p>
    </section>
  );
}

export function modesOf(surface: Pick<Surface, "kind">): PlotMode[] {
  return surface.kind === "LINE" || surface.kind === "INTERPOLATION" ? ["1d"] : ["2d", "3d"];
}

/** Stops of the significance slider: persistence as a fraction of the capped loss range (significanceSpan). */
const PERSISTENCE_STOPS = [0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];
/** Shown by default: points of at least 1% of the range (the API's own default). */
const DEFAULT_PERSISTENCE = 0.01;
/** The metrics a 2D view offers: the training set's, and the test set's where the surface has one. */
const TRAIN_METRICS: readonly MetricName[] = ["LOSS", "ACCURACY"];
const ALL_METRICS: readonly MetricName[] = [...TRAIN_METRICS, ...TEST_METRICS];
/** " (test: name)" for a surface with a test set that the caller may see, else "". */
const testOf = (surface: Surface) => (surface.testDataset ? ` (test: ${surface.testDataset.name})` : "");
const nearestStop = (fraction: number) => PERSISTENCE_STOPS.reduce((best, v, k) => (Math.abs(v - fraction) < Math.abs(PERSISTENCE_STOPS[best]! - fraction) ? k : best), 0);

function Viewer({ surface, grid, version, live }: { surface: Surface; grid: SurfaceGrid; version: number; live: boolean }) {
  const { path, query } = useLocation();
  const settings = readSettings(query);
  const modes = modesOf(surface);
  const mode = settings.mode && modes.includes(settings.mode) ? settings.mode : modes[0]!;
  const setSettings = useCallback((s: ViewSettings) => navigate(`${path}?${writeSettings(s).toString()}`, { replace: true }), [path]);
  // The camera moves every frame while dragging: keep it here, and write it to the address only
  // once it rests (browsers throttle rapid history updates).
  const [camera, setCamera] = useState<CameraState | null>(settings.camera);
  const cameraTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(settings);
  latest.current = { ...settings, mode };
  useEffect(() => setCamera(settings.camera), [mode]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => clearTimeout(cameraTimer.current), []);
  const moveCamera = (next: CameraState) => {
    setCamera(next);
    clearTimeout(cameraTimer.current);
    cameraTimer.current = setTimeout(() => setSettings({ ...latest.current, camera: next }), 300);
  };
  const axisTitles = axisTitlesOf(surface);
  const shareToken = currentShareToken();
  const canWrite = !shareToken && (surface.myRole === "OWNER" || surface.myRole === "EDITOR");
  const notes = useQuery(ANNOTATIONS, { id: surface.id });
  const annotations = notes.kind === "ready" ? notes.data.surface.annotations.nodes : [];
  const [hover, setHover] = useState<{ a: number; b: number } | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const plotBox = useRef<HTMLDivElement>(null);

  // A frame of the landscape over training, when one is chosen, is drawn in place of the surface,
  // on one colour scale over every loaded frame so the animation shows the landscape change.
  const [shown, setShown] = useState<ShownFrame | null>(null);
  const viewGrid = shown?.frame.grid ?? grid;
  // The surface whose values are drawn: its statistics and critical points go with the picture.
  const drawn = shown?.frame.surface ?? surface;
  const viewVersion = shown ? -1 - shown.index : version;
  // A line plot shows loss and accuracy together, on the loss's (uncapped) scale and accuracy's own;
  // with a test set, train solid and test dashed. The test set's metrics only where it has one.
  const hasTest = viewGrid.test !== undefined;
  const metrics = hasTest ? ALL_METRICS : TRAIN_METRICS;
  const metric = mode === "1d" ? "LOSS" : metrics.includes(settings.metric) ? settings.metric : "LOSS";
  const values = metricValues(viewGrid, metric);
  const lines = useMemo(() => surfaceSeries(surface.name, viewGrid), [surface.name, viewGrid]);
  const ownStats = useMemo(() => valueStats(values), [values, viewVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  // The line plot's loss axis spans the test loss too.
  const testStats = useMemo(() => (mode === "1d" && viewGrid.test ? valueStats(viewGrid.test.loss) : null), [mode, viewGrid, viewVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  // A frame of the landscape over training is drawn on one scale over every loaded frame.
  const seriesStats = useMemo(() => (shown ? shown.all.map((f) => valueStats(metricValues(f.grid, metric))) : null), [shown?.all, metric]); // eslint-disable-line react-hooks/exhaustive-deps
  const choice = useMemo(
    () => chooseScale(settings.scale, seriesStats ?? (testStats ? [ownStats, testStats] : [ownStats]), { min: settings.min, max: settings.max, capped: settings.capped && metric === "LOSS" && mode !== "1d" }),
    [settings.scale, settings.min, settings.max, settings.capped, metric, mode, ownStats, seriesStats, testStats],
  );
  const scale = choice.scale;
  const valueTitle = metricTitle(metric);
  // Critical points of the loss grid, at least the chosen persistence (a fraction of its range).
  const lossStats = useMemo(() => valueStats(viewGrid.loss), [viewGrid, viewVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const persistenceFraction = settings.persistence ?? DEFAULT_PERSISTENCE;
  const allPoints = drawn.criticalPoints;
  const shownPoints = useMemo(() => {
    const floor = persistenceFraction * significanceSpan(lossStats);
    return allPoints.filter((p) => p.persistence == null || p.persistence >= floor);
  }, [allPoints, persistenceFraction, lossStats]);
  const basinOf = mode === "2d" && metric === "LOSS" ? mainMinimum(shownPoints) : null;
  const readout = hover ? valueAt(viewGrid, values, hover.a, mode === "1d" ? 0 : hover.b) : null;
  const done = countFinite(viewGrid.loss);
  const pins = useMemo(() => pinsWithDraft(annotations, draft), [annotations, draft]);

  const download = (name: string, href: string) => {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    a.click();
  };
  const exportText = (name: string, text: string, type: string) => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    download(name, url);
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const exportBytes = (name: string, bytes: ArrayBuffer, type: string) => {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    download(name, url);
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  // A point that holds one model's weights with another's BatchNorm statistics is labelled so.
  const markers = useMemo(() => (surface.modelPositions ?? []).map((m) => ({ name: markerName(m), x: m.x, y: m.y, loss: m.ownLoss ?? m.loss ?? null })), [surface.modelPositions]);
  const slug = surface.name.replace(/[^\w-]+/g, "-").toLowerCase() || "surface";
  const figureText = {
    title: surface.name,
    // A link to this surface alone does not show its model and dataset.
    subtitle: `${surface.kind.toLowerCase()}${surface.model && surface.dataset ? ` · ${surface.model.name} on ${surface.dataset.name}${testOf(surface)}` : ""} · ${mode === "1d" && hasTest ? "train and test" : valueTitle.toLowerCase()}${shown ? ` · step ${shown.frame.step}` : ""}`,
    axisTitles, valueTitle,
  };
  const svgOf = (theme: FigureThemeName, size: FigureSize) => surfaceSvg({
    ...figureText, grid: viewGrid, values, scale, map: settings.map, dataMax: choice.dataMax,
    criticalPoints: shownPoints, basinOf, path: surface.path, markers, annotations, theme, size,
  });
  const [dialog, setDialog] = useState(false);
  // The 3D view has no vector figure: its PNG redraws the plot at 2 device pixels per CSS pixel,
  // waits for that frame, frames it as a figure and goes back to the screen's resolution.
  const [exporting, setExporting] = useState(false);
  // One file per request: the plot can report several frames (and the fallback can fire) before
  // the page leaves the exporting state.
  const captured = useRef(false);
  const pending = useRef<{ theme: FigureThemeName; resolve: (b: Blob) => void; reject: (e: Error) => void } | null>(null);
  const rasterOf = (theme: FigureThemeName) => new Promise<Blob>((resolve, reject) => {
    pending.current = { theme, resolve, reject };
    captured.current = false;
    setExporting(true);
  });
  const capture = () => {
    if (captured.current) return;
    captured.current = true;
    const job = pending.current;
    pending.current = null;
    const canvas = plotBox.current?.querySelector("canvas");
    if (canvas && job) {
      const png = figurePng(canvas, figureText, { scale, map: settings.map, dataMax: choice.dataMax, showBar: mode !== "1d" }, canvas.width / Math.max(1, canvas.clientWidth), job.theme);
      job.resolve(new Blob([Uint8Array.from(atob(png.slice(png.indexOf(",") + 1)), (c) => c.charCodeAt(0))], { type: "image/png" }));
    } else job?.reject(new Error("the plot is not drawn"));
    setExporting(false);
  };
  // Frames drawn before the canvas took its new size do not count; a browser that will not draw
  // at twice the size gets the screen's resolution after a while rather than nothing.
  const finishExport = () => {
    const canvas = plotBox.current?.querySelector("canvas");
    if (canvas && canvas.width >= 1.9 * canvas.clientWidth) capture();
  };
  useEffect(() => {
    if (!exporting) return;
    const fallback = setTimeout(capture, 4000);
    return () => clearTimeout(fallback);
  }, [exporting]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section aria-labelledby="surface-title" className="viewer">
      {!shareToken && (
        <nav className="crumbs" aria-label="Breadcrumb" data-testid="breadcrumb">
          <Link href={`/projects/${surface.projectId}`}>{surface.project?.name ?? "Project"}</Link> /{" "}
          {surface.experiment && <><Link href={`/experiments/${surface.experiment.id}`}>{surface.experiment.name}</Link> /</>}
        </nav>
      )}
      <div className="section-head">
        <h1 id="surface-title">{surface.name}</h1>
        <StatusBadge status={surface.status} done={surface.pointsDone} total={surface.pointsTotal} />
      </div>
      <p className="muted">
        {surface.kind.toLowerCase()}{surface.model && surface.dataset ? ` · ${surface.model.name} on ${surface.dataset.name}${testOf(surface)}` : ""} · {grid.nx}{grid.ny > 1 ? `×${grid.ny}` : ""} points · {directionsOf(surface)}
        {drawn.statistics?.nonConvexity != null && (
          <> · <abbr title={NON_CONVEXITY_DEFINITION} data-testid="non-convexity">non-convexity</abbr> {formatValue(drawn.statistics.nonConvexity)}</>
        )}
        {shown ? ` · showing step ${shown.frame.step}` : ""}
      </p>
      {(surface.notes ?? []).length > 0 && (
        <div className="callout" data-testid="surface-notes">
          {/* A folded BatchNorm first: it changes what the whole surface means. */}
          {[...surface.notes.filter((n) => /fold/i.test(n)), ...surface.notes.filter((n) => !/fold/i.test(n))].map((note) => <p key={note} className="small">{note}</p>)}
        </div>
      )}
      {(surface.status === "QUEUED" || surface.status === "RUNNING" || live) && (
        <div className="live" data-testid="live-progress">
          <ProgressBar value={surface.pointsDone} max={surface.pointsTotal} label="Surface progress" />
          <span className="muted" aria-live="polite">{surface.status === "QUEUED" ? "Waiting for a worker…" : `${surface.pointsDone} of ${surface.pointsTotal} points`}</span>
          {(surface.status === "QUEUED" || surface.status === "RUNNING") && <QueuePlace id={surface.id} pointsDone={surface.pointsDone} />}
          {canWrite && <button type="button" onClick={() => void mutate(CANCEL_SURFACE, { id: surface.id }, "cancelSurface").catch((e: unknown) => setNotice({ message: describeError(e), tone: "error" }))}>Cancel</button>}
        </div>
      )}
      {surface.status === "FAILED" && <ErrorBox message={`The surface failed: ${surface.errorMessage ?? "unknown error"}`} />}
      {surface.status === "CANCELLED" && <p className="callout">This surface was cancelled.</p>}
      <Notice message={notice?.message ?? null} tone={notice?.tone} />

      <PlotControls settings={{ ...settings, metric }} onChange={setSettings} modes={modes} mode={mode} metrics={metrics} />
      <div className="viewer-body">
        <div className="viewer-plot" ref={plotBox}>
          {done === 0 ? (
            <div className="plot placeholder" style={{ height: 460 }}><Loading what="Waiting for the first values" /></div>
          ) : (
            <SurfacePlot
              id={`surface-${surface.id}`}
              mode={mode}
              grid={viewGrid}
              values={values}
              version={viewVersion}
              scale={scale}
              colourMap={settings.map}
              criticalPoints={shownPoints}
              basinOf={basinOf}
              path={surface.path}
              axisTitles={axisTitles}
              valueTitle={valueTitle}
              lines={mode === "1d" ? lines : undefined}
              equalAspect={surface.kind === "PCA"}
              pixelRatio={exporting ? 2 : undefined}
              onRendered={exporting ? () => finishExport() : undefined}
              annotations={pins}
              selectedAnnotation={selected}
              markers={markers}
              camera={camera}
              onCameraChange={moveCamera}
              onHover={setHover}
              onPick={canWrite && mode !== "1d" ? (p) => setDraft(draftAt(p, shownPoints, viewGrid)) : undefined}
              label={`${valueTitle.toLowerCase()} of ${surface.name}, ${mode} view`}
            />
          )}
          <div className="plot-footer">
            {mode === "1d" ? <LineLegend names={lines.map((l) => l.name)} /> : <Legend scale={scale} map={settings.map} title={valueTitle} cap={choice.cap} dataMax={choice.dataMax} />}
            <p className="readout" data-testid="readout" aria-live="polite">
              {readout ? <>{axisTitles[0]} = {formatValue(viewGrid.xs[readout.i])}{mode !== "1d" && <>, {axisTitles[1]} = {formatValue(viewGrid.ys[readout.j])}</>}, {valueTitle.toLowerCase()} = <strong>{formatValue(readout.value)}</strong>{mode === "1d" && <>, accuracy = {formatValue(viewGrid.accuracy[readout.i])}{viewGrid.test && <>; test loss = {formatValue(viewGrid.test.loss[readout.i])}, test accuracy = {formatValue(viewGrid.test.accuracy[readout.i])}</>}</>}</> : <span className="muted">Point at the plot for values</span>}
            </p>
          </div>
          {mode === "1d" && (surface.modelPositions?.length ?? 0) > 0 && (
            <p className="muted small" data-testid="line-legend">
              <span className="swatch saddle" /> {valueTitle.toLowerCase()} along {axisTitles[0]} · <span className="swatch model" /> models: {surface.modelPositions!.map((m) => modelLegend(m, axisTitles[0] ?? "t")).join("; ")}
            </p>
          )}
          {mode !== "1d" && allPoints.length > 0 && (
            <div className="persistence muted small critical-legend">
              <MarkKey kinds={shownPoints.map((p) => p.kind)} notes={annotations.length > 0} />
              <label>
                Significance
                <input
                  type="range" min={0} max={PERSISTENCE_STOPS.length - 1} step={1}
                  value={nearestStop(persistenceFraction)}
                  aria-valuetext={`persistence of at least ${formatValue(persistenceFraction * 100)}% of the capped loss range`}
                  onChange={(e) => setSettings({ ...settings, mode, camera, persistence: PERSISTENCE_STOPS[Number(e.target.value)]! })}
                />
              </label>
              <span data-testid="critical-count">
                {shownPoints.length} of {allPoints.length} points with persistence ≥ {formatValue(persistenceFraction * 100)}% of the capped loss range
                {basinOf ? ` · outlined: the basin of the main minimum (${formatValue(basinOf.value)}, ${formatValue(basinOf.persistence)} deep)` : ""}
              </span>
            </div>
          )}
          <div className="actions">
            <button type="button" aria-expanded={dialog} onClick={() => setDialog(!dialog)} disabled={done === 0}>Export figure…</button>
            {mode !== "1d" && <button type="button" onClick={() => exportText(`${slug}.vtp`, surfaceVtp(viewGrid, metric, choice.cap ?? settings.max), "application/xml")} disabled={done === 0}>Export VTP</button>}
            {mode !== "1d" && <button type="button" onClick={() => exportBytes(`${slug}.glb`, surfaceGlb(viewGrid, values, scale, settings.map, surface.name), "model/gltf-binary")} disabled={done === 0}>Export glTF</button>}
            <button type="button" onClick={() => exportText(`${slug}.csv`, gridToCsv(grid), "text/csv")}>Export CSV</button>
            <button type="button" onClick={() => exportText(`${slug}.json`, gridToJson(grid), "application/json")}>Export JSON</button>
            {!shareToken && (canWrite || surface.project?.visibility === "PUBLIC") && <ShareButton surface={surface} settings={{ ...settings, mode, camera }} onNotice={setNotice} />}
          </div>
          {dialog && done > 0 && (
            <ExportDialog
              slug={`${slug}-${mode}`} svgOf={mode === "3d" ? null : svgOf} rasterOf={rasterOf}
              aspect={mode === "1d" ? 0.7 : 0.86} onClose={() => setDialog(false)} onNotice={setNotice}
            />
          )}
          {surface.kind === "PCA" && surface.path && surface.path.length > 0 && <PathTable surface={surface} />}
          {canWrite && surface.kind === "PLANE" && surface.status === "READY" && <CurvatureMapForm plane={surface} />}
          <TrainingSeries key={surface.id} surface={surface} canWrite={canWrite} onShow={setShown} />
        </div>
        <AnnotationsPanel
          steps={gridSteps(surface.params)}
          surfaceId={surface.id}
          annotations={annotations}
          canWrite={canWrite}
          draft={draft}
          setDraft={setDraft}
          selected={selected}
          onSelect={setSelected}
          onSaved={notes.reload}
        />
      </div>
    </section>
  );
}

/** The grid's spacing along each axis (a 1D surface's b is unused). */
function gridSteps(params: Surface["params"]): { x: number; y: number } {
  const step = (axis: { min: number; max: number; count: number } | null | undefined) => (axis && axis.count > 1 ? (axis.max - axis.min) / (axis.count - 1) : 0);
  return { x: step(params.x), y: step(params.y) };
}

/**
 * A view-only link to this surface alone, opening this exact view. It never changes who may see
 * the project: it is listed on the project's sharing panel, where it can be revoked.
 */
function ShareButton({ surface, settings, onNotice }: { surface: Surface; settings: ViewSettings; onNotice: (n: { message: string; tone: "ok" | "error" }) => void }) {
  const [link, setLink] = useState<string | null>(null);
  const make = async () => {
    try {
      const view = writeSettings(settings).toString();
      // Anyone may open a public project's surface: its own address is the link, and nobody needs
      // to sign in (or may make a link) to give it.
      if (surface.myRole !== "OWNER" && surface.myRole !== "EDITOR" && surface.project?.visibility === "PUBLIC") {
        const url = `${window.location.origin}/surfaces/${surface.id}${view ? `?${view}` : ""}`;
        setLink(url);
        await navigator.clipboard?.writeText(url).catch(() => undefined);
        onNotice({ message: "This surface is public: its link, with this view, is ready (copied if the browser allowed it).", tone: "ok" });
        return;
      }
      const payload = await mutate(CREATE_SURFACE_LINK, { surfaceId: surface.id, view }, "createSurfaceLink");
      const url = `${window.location.origin}${payload.link!.path}`;
      setLink(url);
      await navigator.clipboard?.writeText(url).catch(() => undefined);
      onNotice({ message: "A view-only link to this surface alone is ready (copied if the browser allowed it). The project's other surfaces stay private; revoke the link on the project's sharing panel.", tone: "ok" });
    } catch (e) {
      onNotice({ message: describeError(e), tone: "error" });
    }
  };
  return (
    <>
      <button type="button" onClick={() => void make()}>Share view</button>
      {link && <input className="share-link" readOnly value={link} aria-label="Share link" data-testid="share-link" onFocus={(e) => e.target.select()} />}
    </>
  );
}

/**
 * How the surface's directions were made, for the header: a PCA plane's are the first two
 * principal components of the checkpoints, unit vectors with no normalization; random ones are
 * normalized as the params say.
 */
export function directionsOf(surface: Pick<Surface, "kind" | "explainedVariance"> & { params: Pick<Surface["params"], "norm" | "ignore"> & Partial<Pick<Surface["params"], "runningStats">> }): string {
  if (surface.kind === "INTERPOLATION") {
    return (surface.params.runningStats ?? "MOVE") === "MOVE"
      ? "every state moves from model A to model B, BatchNorm running statistics included"
      : `only the weights move; BatchNorm running statistics stay model ${surface.params.runningStats === "HOLD_A" ? "A" : "B"}'s`;
  }
  if (surface.kind !== "PCA") return `${surface.params.norm.toLowerCase()} normalization`;
  const [v1, v2] = surface.explainedVariance ?? [];
  const explained = v1 != null && v2 != null ? `, explaining ${(v1 * 100).toFixed(1)}% and ${(v2 * 100).toFixed(1)}% of their variance` : "";
  const over = surface.params.ignore === "BIASBN" ? " over the weights (biases and BatchNorm left out)" : "";
  return `directions: the first two principal components (unit vectors) of the checkpoints${over}${explained}`;
}

/** Axis names: "PC1 (61.2%)" on a PCA plane, the interpolation parameter t, else a and b. */
export function axisTitlesOf(surface: Pick<Surface, "kind" | "explainedVariance">): [string, string] {
  if (surface.kind === "PCA") {
    const [v1, v2] = surface.explainedVariance ?? [];
    const pct = (v: number | undefined) => (v == null ? "" : ` (${(v * 100).toFixed(1)}%)`);
    return [`PC1${pct(v1)}`, `PC2${pct(v2)}`];
  }
  if (surface.kind === "INTERPOLATION") return ["t", "b"];
  return ["a", "b"];
}

/**
 * The optimizer's path, checkpoint by checkpoint, with how far each lies off the plane: the
 * path drawn on the plane is a projection, and the distances say how much of it the plane holds.
 */
function PathTable({ surface }: { surface: Surface }) {
  const path = surface.path ?? [];
  const worst = Math.max(0, ...path.map((p) => p.offPlaneFraction ?? 0));
  return (
    <details className="path-table" open={path.length <= 12}>
      <summary>
        Optimizer path: {path.length} checkpoints, up to {formatValue(worst * 100)}% of their distance from the final model lies off this plane
      </summary>
      <p className="muted small">Distances are over the tensors the PCA covers: off the plane² + PC1² + PC2² = from the final model².</p>
      <table className="table compact">
        <thead><tr><th scope="col">Step</th><th scope="col">PC1</th><th scope="col">PC2</th><th scope="col">From the final model</th><th scope="col">Off the plane</th><th scope="col">Share off the plane</th></tr></thead>
        <tbody>
          {path.map((p) => (
            <tr key={p.step}>
              <td>{p.step}</td>
              <td>{formatValue(p.x)}</td>
              <td>{formatValue(p.y)}</td>
              <td>{p.fromFinal == null ? "–" : formatValue(p.fromFinal)}</td>
              <td>{p.distance == null ? "–" : formatValue(p.distance)}</td>
              <td>{p.offPlaneFraction == null ? "–" : `${formatValue(p.offPlaneFraction * 100)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** "about 40 s; 3 surfaces ahead of yours", asked again every few seconds and at every tile. */
function QueuePlace({ id, pointsDone }: { id: string; pointsDone: number }) {
  const [place, setPlace] = useState<{ position: number; surfacesAhead: number; estimatedSeconds: number | null; waitingFor: string | null } | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 5000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    request(SURFACE_QUEUE, { id }, controller.signal).then(
      ({ surface }) => setPlace(surface.queue ?? null),
      () => undefined,
    );
    return () => controller.abort();
  }, [id, tick, pointsDone]);
  if (!place) return null;
  if (place.waitingFor) {
    return (
      <span className="muted" data-testid="queue-place">
        waiting for {place.waitingFor}
      </span>
    );
  }
  const ahead = place.surfacesAhead === 0 ? "no surface ahead of yours" : `${place.surfacesAhead} ${place.surfacesAhead === 1 ? "surface" : "surfaces"} ahead of yours`;
  return (
    <span className="muted" data-testid="queue-place">
      {place.estimatedSeconds === null ? "" : `about ${formatDuration(place.estimatedSeconds)}; `}
      {ahead}
    </span>
  );
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

type Position = Surface["modelPositions"][number];

/** A model's marker: its name, or what the point holds when it is not that model. */
export function markerName(m: Pick<Position, "name" | "runningStatsOf">): string {
  return m.runningStatsOf ? `${m.name} weights, ${m.runningStatsOf} BN stats` : m.name;
}

/** "A at t = 0 (loss 1.799; the model alone 1.799)": where each model is and that it was checked. */
export function modelLegend(m: Position, axis: string): string {
  const where = `${markerName(m)} at ${axis} = ${formatValue(m.x)}`;
  if (m.runningStatsOf) return `${where} (not model ${m.name}: its weights with model ${m.runningStatsOf}'s BatchNorm running statistics)`;
  if (m.loss == null || m.ownLoss == null) return where;
  // Four significant digits: enough to see the two agree (they are equal to float32 rounding).
  return `${where} (loss ${m.loss.toPrecision(4)}; the model alone ${m.ownLoss.toPrecision(4)})`;
}

/**
 * What the surface's "non-convexity" number is (compute/curvature.ts), for its tooltip: after Li et
 * al. (2018, section 6), from the surface's own values, not the network's Hessian.
 */
export const NON_CONVEXITY_DEFINITION =
  "Non-convexity: at every interior point of the grid, |λmin/λmax| of the surface's own 2×2 Hessian (finite differences of the plotted loss) when λmin < 0, and 0 where the surface is locally convex; averaged over the grid. 0 for a convex bowl, 1 for a saddle everywhere. The network's own curvature is in eigen-ratio maps.";
