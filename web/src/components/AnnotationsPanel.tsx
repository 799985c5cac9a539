/** Notes pinned on a surface or a curve's plane: a list, and a form to add (after a click on the plot), edit or delete one. */
import { type FormEvent, useEffect, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { ADD_ANNOTATION, DELETE_ANNOTATION, UPDATE_ANNOTATION } from "../api/ops";
import type { Annotation, AnnotationKind, CriticalPoint } from "../api/types";
import { formatValue } from "../plot/scale";
import { Empty, Notice } from "./feedback";

export interface Draft { id: string | null; x: number; y: number; kind: AnnotationKind; label: string; body: string }

interface Props {
  /** What the notes are pinned on: a surface, or the plane of a curve. */
  surfaceId?: string;
  curveId?: string;
  /** Where a click pins a note, told to writers; default "the contour view". */
  pickWhere?: string;
  annotations: Annotation[];
  canWrite: boolean;
  draft: Draft | null;
  setDraft: (d: Draft | null) => void;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onSaved: () => void;
  /** The grid's spacing along a and b: coordinates are shown to the digits it resolves. */
  steps?: { x: number; y: number };
}

/**
 * A coordinate to the digits the grid resolves: a spacing of 0.08 shows two decimals, 0.5 one, so
 * a grid point at 0 reads "0" and not "-5.55e-16" (the sum of steps that produced it).
 */
export function formatCoordinate(v: number, step: number | undefined): string {
  if (!Number.isFinite(v)) return "–";
  if (!step || !Number.isFinite(step) || step <= 0) return formatValue(v);
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step))));
  const rounded = Number(v.toFixed(decimals));
  return (Object.is(rounded, -0) ? 0 : rounded).toString();
}

/**
 * A new note where the plot was clicked; a click close to a shown critical point (within 3% of
 * the plane's width) snaps to it and takes its kind.
 */
export function draftAt(p: { a: number; b: number }, points: readonly Pick<CriticalPoint, "kind" | "x" | "y">[], grid: { xs: number[]; ys: number[] }): Draft {
  const spanX = (grid.xs[grid.xs.length - 1] ?? 1) - (grid.xs[0] ?? 0) || 1;
  const spanY = (grid.ys[grid.ys.length - 1] ?? 1) - (grid.ys[0] ?? 0) || 1;
  let best: (typeof points)[number] | null = null;
  let bestDistance = 0.03;
  for (const q of points) {
    const d = Math.hypot((q.x - p.a) / spanX, (q.y - p.b) / spanY);
    if (d <= bestDistance) {
      best = q;
      bestDistance = d;
    }
  }
  if (!best) return { id: null, x: p.a, y: p.b, kind: "NOTE", label: "", body: "" };
  return { id: null, x: best.x, y: best.y, kind: best.kind === "MAXIMUM" ? "NOTE" : best.kind, label: best.kind === "MAXIMUM" ? "maximum" : "", body: "" };
}

/** The notes to draw: the saved ones and, while a new one is being written, that one where it will go. */
export function pinsWithDraft(annotations: Annotation[], draft: Draft | null): Annotation[] {
  if (!draft || draft.id) return annotations;
  return [...annotations, { id: "draft", x: draft.x, y: draft.y, kind: draft.kind, label: draft.label || "new note", body: "", author: null, updatedAt: "" }];
}

export function AnnotationsPanel({ surfaceId, curveId, pickWhere = "the contour view", annotations, canWrite, draft, setDraft, selected, onSelect, onSaved, steps }: Props) {
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setNotice(null), [draft?.id, draft?.x, draft?.y]);
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!draft) return;
    setBusy(true);
    try {
      if (draft.id) {
        await mutate(UPDATE_ANNOTATION, { input: { id: draft.id, kind: draft.kind, label: draft.label, body: draft.body } }, "updateAnnotation");
        setNotice({ message: "Note saved.", tone: "ok" });
      } else {
        await mutate(ADD_ANNOTATION, { input: { surfaceId, curveId, x: draft.x, y: draft.y, kind: draft.kind, label: draft.label, body: draft.body } }, "addAnnotation");
        setNotice({ message: "Note pinned.", tone: "ok" });
      }
      setDraft(null);
      onSaved();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await mutate(DELETE_ANNOTATION, { id }, "deleteAnnotation");
      setNotice({ message: "Note deleted.", tone: "ok" });
      setDraft(null);
      onSaved();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  return (
    <aside className="annotations" aria-labelledby="annotations-title">
      <h2 id="annotations-title">Notes</h2>
      {canWrite ? <p className="muted small">Click {pickWhere} to pin a note.</p> : <p className="muted small">View only.</p>}
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      {draft && canWrite && (
        <form className="form" onSubmit={save} aria-label={draft.id ? "Edit note" : "New note"}>
          <p className="muted small">at a = {formatCoordinate(draft.x, steps?.x)}, b = {formatCoordinate(draft.y, steps?.y)}</p>
          <label>Kind
            <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as AnnotationKind })}>
              <option value="NOTE">Note</option><option value="MINIMUM">Minimum</option><option value="SADDLE">Saddle</option>
            </select>
          </label>
          <label>Label <input value={draft.label} required maxLength={120} onChange={(e) => setDraft({ ...draft, label: e.target.value })} autoFocus /></label>
          <label>Text <textarea value={draft.body} maxLength={5000} rows={3} onChange={(e) => setDraft({ ...draft, body: e.target.value })} /></label>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>{draft.id ? "Save" : "Pin note"}</button>
            <button type="button" onClick={() => setDraft(null)}>Cancel</button>
            {draft.id && <button type="button" className="danger" onClick={() => void remove(draft.id!)}>Delete</button>}
          </div>
        </form>
      )}
      {annotations.length === 0 ? (
        <Empty>No notes yet.</Empty>
      ) : (
        <ul className="plain-list notes">
          {annotations.map((n) => (
            <li key={n.id} className={n.id === selected ? "selected" : ""}>
              <button type="button" className="link-button" onClick={() => onSelect(n.id === selected ? null : n.id)}>
                <span className="badge">{n.kind.toLowerCase()}</span> <strong>{n.label}</strong>
              </button>
              <div className="muted small">({formatCoordinate(n.x, steps?.x)}, {formatCoordinate(n.y, steps?.y)}) · {n.author?.name ?? "deleted user"}</div>
              {n.body && <p className="small">{n.body}</p>}
              {canWrite && (
                <button type="button" className="link-button small" onClick={() => setDraft({ id: n.id, x: n.x, y: n.y, kind: n.kind, label: n.label, body: n.body })}>Edit</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
