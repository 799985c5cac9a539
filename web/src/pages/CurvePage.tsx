/**
 * One curve between two models: its settings, live progress while its bends train and the paths
 * are evaluated (the curveProgress subscription, or polling when the socket fails), then loss and
 * accuracy along t for the trained curve and the straight line, with their barrier heights; the
 * plane through A, B and theta with the notes pinned on it.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import "../curves/curves.css";
import { CANCEL_CURVE, CURVE_ANNOTATIONS, CURVE_PROGRESS, CURVE_QUERY } from "../api/curve-ops";
import { AnnotationsPanel, type Draft, draftAt, pinsWithDraft } from "../components/AnnotationsPanel";
import { describeError, mutate, request } from "../api/graphql";
import { subscribe } from "../api/subscribe";
import { TRAINING_CONTEXT } from "../api/training-ops";
import { useQuery } from "../api/use-query";
import { ErrorBox, Loading, Notice } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { CurveFigure } from "../curves/CurveFigure";
import { CurvePlaneFigure } from "../curves/CurvePlaneFigure";
import { barrierRows, type Curve, curveCsv, curveFigures, curveFinished, describeCurve, ensembleRows } from "../curves/curve-values";
import { Link } from "../router";
import { formatDate, StepProgress, useInterval } from "../training/status";
import { ProgressBar } from "../components/feedback";
import { ExportDialog } from "../components/ExportDialog";
import { CURVE_FIGURE_ASPECT, CURVE_PLANE_ASPECT, curveLineSvg, curvePlaneSvg } from "../curves/curve-export";
import type { FigureSize, FigureThemeName } from "../plot/figure/theme";

/** Of two answers about a curve, the later one: a curve only moves forward. */
export function latestCurve(old: Curve | null, next: Curve): Curve {
  if (!old || old.id !== next.id) return next;
  if (curveFinished(old.status) !== curveFinished(next.status)) return curveFinished(old.status) ? old : next;
  if (old.phase === "EVALUATING" && next.phase === "TRAINING") return old;
  if (next.stepsDone < old.stepsDone || (next.phase === old.phase && next.pointsDone < old.pointsDone)) return old;
  return next;
}

function useLiveCurve(id: string) {
  const [curve, setCurve] = useState<Curve | null>(null);
  const [error, setError] = useState<{ message: string; code?: string } | null>(null);
  const [live, setLive] = useState<"connecting" | "live" | "polling">("connecting");
  const load = useCallback(() => {
    request(CURVE_QUERY, { id }).then(
      (data) => { setCurve((old) => latestCurve(old, data.curve)); setError(null); },
      (e: unknown) => setError({ message: describeError(e), code: (e as { code?: string }).code }),
    );
  }, [id]);
  useEffect(() => {
    load();
    return subscribe(
      CURVE_PROGRESS,
      { id },
      (data) => { setCurve((old) => latestCurve(old, data.curveProgress)); setLive("live"); },
      () => setLive("polling"),
    );
  }, [id, load]);
  useInterval(load, 2000, live === "polling" && curve !== null && !curveFinished(curve.status));
  return { curve, setCurve, error, live, reload: load };
}

export function CurvePage({ id }: { id: string }) {
  const { curve, setCurve, error, live, reload } = useLiveCurve(id);
  const context = useQuery(TRAINING_CONTEXT, curve ? { id: curve.projectId } : null);
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const [busy, setBusy] = useState(false);
  /** The figure whose export dialog is open: a data set's along-t figure, or the plane. */
  const [exporting, setExporting] = useState<"train" | "test" | "plane" | null>(null);
  const notes = useQuery(CURVE_ANNOTATIONS, { id });
  const annotations = useMemo(() => (notes.kind === "ready" ? notes.data.curve.annotations.nodes : []), [notes]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // The note being pinned is drawn where it will go, as on a surface.
  const pins = useMemo(() => pinsWithDraft(annotations, draft), [annotations, draft]);
  if (!curve) return error ? <ErrorBox message={error.message} code={error.code} onRetry={reload} /> : <Loading what="Loading the curve" />;
  const ctx = context.kind === "ready" ? context.data : null;
  const canWrite = ctx?.project.myRole === "OWNER" || ctx?.project.myRole === "EDITOR";
  const modelName = (modelId: string) => ctx?.models.nodes.find((m) => m.id === modelId)?.name ?? "a model";
  const datasetName = (datasetId: string | null | undefined) => (datasetId ? ctx?.datasets.nodes.find((d) => d.id === datasetId)?.name ?? "a dataset" : "none");
  const active = !curveFinished(curve.status);
  const o = curve.options;
  const cancel = async () => {
    setBusy(true);
    try {
      const payload = await mutate(CANCEL_CURVE, { id: curve.id }, "cancelCurve");
      setCurve(payload.curve!);
      setNotice({ message: "The curve was stopped.", tone: "ok" });
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
    setBusy(false);
  };
  const v = curve.values;
  const downloadCsv = () => {
    if (!v) return;
    const url = URL.createObjectURL(new Blob([curveCsv(v)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${curve.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "curve"}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const figures = v ? curveFigures(v) : [];
  const slug = curve.name.replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase() || "curve";
  const exported = exporting === "plane" ? v?.plane ?? null : figures.find((f) => f.set === exporting) ?? null;
  const svgOf = (theme: FigureThemeName, size: FigureSize) => {
    if (exporting === "plane") return curvePlaneSvg(v!.plane!, curve.name, theme, size, annotations);
    return curveLineSvg(figures.find((f) => f.set === exporting)!, curve.name, theme, size);
  };
  const exportButton = (which: "train" | "test" | "plane", what: string) => (
    <button type="button" aria-expanded={exporting === which} onClick={() => setExporting(exporting === which ? null : which)}>Export {what}…</button>
  );
  const dialog = (which: readonly ("train" | "test" | "plane")[]) =>
    exporting && which.includes(exporting) && exported && (
      <ExportDialog
        key={exporting} slug={`${slug}-${exporting === "plane" ? "plane" : `along-t-${exporting}`}`} svgOf={svgOf}
        aspect={exporting === "plane" ? CURVE_PLANE_ASPECT : CURVE_FIGURE_ASPECT} onClose={() => setExporting(null)} onNotice={setNotice}
      />
    );
  const percent = curve.status === "READY" ? 100 : curve.phase === "EVALUATING" ? curve.pointsDone : curve.stepsDone;
  const badgeTotal = curve.phase === "EVALUATING" ? curve.pointsTotal ?? 0 : curve.stepsTotal ?? 0;
  return (
    <section aria-labelledby="curve-title">
      <p className="crumbs">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${curve.projectId}`}>{ctx?.project.name ?? "Project"}</Link> / curves /
      </p>
      <div className="section-head">
        <h1 id="curve-title">{curve.name}</h1>
        <div className="actions">
          <StatusBadge status={curve.status} done={curve.status === "READY" ? 1 : percent} total={curve.status === "READY" ? 1 : badgeTotal} />
          {canWrite && active && <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>Cancel</button>}
        </div>
      </div>
      <p className="muted">
        From <strong>{modelName(curve.modelAId)}</strong> (t = 0) to <strong>{modelName(curve.modelBId)}</strong> (t = 1). {describeCurve(o)}: its bends are trained to keep the
        loss low all along it (Garipov et al. 2018), shown beside the straight line between the two models.
      </p>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      <div className="live curve-live" data-testid="curve-progress">
        <StepProgress done={curve.stepsDone} total={curve.stepsTotal ?? null} label="Training the bends" />
        <span className="step-progress">
          <ProgressBar value={curve.pointsDone} max={curve.pointsTotal ?? 0} label="Evaluating the curve and the line" />
          <span className="small muted">{curve.pointsDone} / {curve.pointsTotal ?? "?"} points</span>
        </span>
        <span className="small muted" role="status">
          {curve.status === "QUEUED"
            ? "Waiting for a worker…"
            : active
              ? `${curve.phase === "EVALUATING" ? "Evaluating the curve and the line" : "Training the bends"}${live === "polling" ? " (updating every 2 s: the live connection failed)" : ""}`
              : curve.finishedAt ? `Finished ${formatDate(curve.finishedAt)}` : ""}
        </span>
      </div>
      {curve.status === "FAILED" && <ErrorBox message={curve.errorMessage ?? "The curve failed."} code={curve.errorCode ?? undefined} />}
      {curve.status === "CANCELLED" && <p className="callout">This curve was cancelled; the bends' checkpoints saved before that are kept.</p>}

      {v && (
        <>
          <div className="section-head">
            <h2>Barriers</h2>
            <button type="button" onClick={downloadCsv}>Download values (CSV)</button>
          </div>
          <p className="small muted">
            Barrier height: the highest loss along a path minus the mean of its two ends' (for accuracy, how far it drops below the ends' mean), over {v.t.length} values of t.
            {v.batchNormRecomputed && " BatchNorm's running statistics were recomputed on the training data at every point of both paths, never interpolated."}
          </p>
          <table className="table" aria-label="Barriers" data-testid="barriers">
            <thead><tr><th scope="col">Path</th><th scope="col">Data</th><th scope="col">Loss barrier</th><th scope="col">Accuracy drop</th></tr></thead>
            <tbody>
              {barrierRows(v).map((r) => (
                <tr key={`${r.path}-${r.set}`}><td>{r.path}</td><td>{r.set}</td><td>{r.loss}</td><td>{r.accuracy}</td></tr>
              ))}
            </tbody>
          </table>
          {v.ensemble && (
            <>
              <h2>Ensemble along the curve</h2>
              <p className="small muted">
                The {v.ensemble.members} models at evenly spaced t from 0 to 1 predict together by the mean of their softmax outputs (Garipov et al. 2018, section 5), against each end alone.
              </p>
              <table className="table" aria-label="Ensemble accuracy" data-testid="ensemble">
                <thead><tr><th scope="col">Data</th><th scope="col">Ensemble of {v.ensemble.members}</th><th scope="col">Model A</th><th scope="col">Model B</th></tr></thead>
                <tbody>{ensembleRows(v).map((r) => <tr key={r.set}><td>{r.set}</td><td>{r.ensemble}</td><td>{r.a}</td><td>{r.b}</td></tr>)}</tbody>
              </table>
            </>
          )}
          <h2>Loss and accuracy along t</h2>
          <div className="compare-grid">
            {figures.map((f) => <CurveFigure key={f.set} id={`curve-${curve.id}`} figure={f} />)}
          </div>
          <div className="actions">{figures.map((f) => <span key={f.set}>{exportButton(f.set, `${f.title.toLowerCase()} figure`)}</span>)}</div>
          {dialog(["train", "test"])}
          {v.plane && (
            <>
              <h2>The plane through A, B and θ</h2>
              <div className="viewer-body">
                <div className="viewer-plot">
                  <CurvePlaneFigure
                    id={`curve-${curve.id}`} plane={v.plane} batchNorm={v.batchNormRecomputed} notes={pins} selectedNote={selected}
                    onPick={canWrite ? (p) => setDraft(draftAt(p, [], v.plane!)) : undefined}
                  />
                  <div className="actions">{exportButton("plane", "plane figure")}</div>
                  {dialog(["plane"])}
                </div>
                <AnnotationsPanel
                  curveId={curve.id} pickWhere="the plane" annotations={annotations} canWrite={canWrite} draft={draft} setDraft={setDraft}
                  selected={selected} onSelect={setSelected} onSaved={notes.reload}
                />
              </div>
            </>
          )}
        </>
      )}

      <h2>Settings</h2>
      <dl className="settings">
        <dt>Curve</dt><dd>{describeCurve(o)}</dd>
        <dt>Training data</dt><dd>{datasetName(curve.datasetId)}{o.samples ? `, ${o.samples.toLocaleString()} samples` : ""}</dd>
        <dt>Test data</dt><dd>{datasetName(curve.testDatasetId)}</dd>
        <dt>Optimizer</dt><dd>{(o.optimizer ?? "MOMENTUM").toLowerCase()}, learning rate {o.learningRate ?? 0.05}, weight decay {o.weightDecay ?? 0}</dd>
        <dt>Batch size, epochs</dt><dd>{o.batchSize ?? 32}, {o.epochs ?? 10} (one t ~ U[0, 1] per batch)</dd>
        <dt>Points along t</dt><dd>{o.points ?? 61}</dd>
        <dt>Ensemble</dt><dd>{o.ensemble === 0 ? "none" : `${o.ensemble ?? 11} models along the curve`}</dd>
        <dt>Seed</dt><dd>{o.seed ?? 0}</dd>
        <dt>Created</dt><dd>{formatDate(curve.createdAt)}</dd>
      </dl>
    </section>
  );
}
