/**
 * The landscape over training: the surfaces of one series (the same plane, centred on each
 * checkpoint of the model in turn) played as an animation with a slider and a play button, like
 * the "moving lands" videos. Frames load as they finish; the viewer draws the frame shown.
 */
import { useEffect, useRef, useState } from "react";
import type { SeriesFrameFieldsFragment } from "../api/gql/graphql";
import { describeError, mutate, request } from "../api/graphql";
import { CREATE_SERIES, SERIES } from "../api/series-ops";
import type { Surface, SurfaceStatus } from "../api/types";
import { loadSurface } from "../api/use-surface";
import type { SurfaceGrid } from "../plot/grid";
import { ErrorBox, Notice, ProgressBar } from "./feedback";

export interface SeriesFrame {
  id: string;
  step: number;
  surface: Surface;
  grid: SurfaceGrid;
}

/** What the viewer should draw: one frame, and all loaded frames (for one colour scale). */
export interface ShownFrame {
  frame: SeriesFrame;
  index: number;
  all: SeriesFrame[];
}

/** One surface of the series as listed: its status and the checkpoint it is centred on. */
type SeriesItem = SeriesFrameFieldsFragment;

const FINISHED: SurfaceStatus[] = ["READY", "FAILED", "CANCELLED"];
/** Milliseconds each frame stays on screen while playing. */
export const FRAME_MS = 900;
/** Seconds between looks at a series that is still being computed. */
const POLL_MS = 2000;

/** The index after `index` among frames that have values, wrapping around; -1 when none has. */
export function nextFrame(loaded: boolean[], index: number): number {
  for (let k = 1; k <= loaded.length; k++) {
    const candidate = (index + k) % loaded.length;
    if (loaded[candidate]) return candidate;
  }
  return -1;
}

export function TrainingSeries({ surface, canWrite, onShow }: { surface: Surface; canWrite: boolean; onShow: (shown: ShownFrame | null) => void }) {
  const [items, setItems] = useState<SeriesItem[] | null>(null);
  const [checkpoints, setCheckpoints] = useState(0);
  const [frames, setFrames] = useState<Record<string, SeriesFrame>>({});
  const [index, setIndex] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const loading = useRef(new Set<string>());

  // The series and its statuses; again every few seconds while frames are still computing.
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    request(SERIES, { id: surface.id }, controller.signal).then(
      (data) => {
        setItems(data.surface.series);
        setCheckpoints(data.surface.model?.checkpoints.nodes.length ?? 0);
        setError(null);
        if (data.surface.series.some((f) => !FINISHED.includes(f.status))) timer = setTimeout(() => setTick((t) => t + 1), POLL_MS);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(describeError(e));
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [surface.id, tick]);

  // Values of every finished frame, once each.
  useEffect(() => {
    for (const item of items ?? []) {
      if (item.status !== "READY" || frames[item.id] || loading.current.has(item.id)) continue;
      loading.current.add(item.id);
      loadSurface(item.id).then(
        ({ surface: s, grid }) => setFrames((old) => ({ ...old, [item.id]: { id: item.id, step: item.params.checkpointStep ?? 0, surface: s, grid } })),
        (e: unknown) => {
          loading.current.delete(item.id);
          setError(describeError(e));
        },
      );
    }
  }, [items, frames]);

  const ordered = items ?? [];
  const loaded = ordered.map((item) => Boolean(frames[item.id]));
  const loadedCount = loaded.filter(Boolean).length;

  // Tell the viewer what to draw whenever the choice or the loaded frames change.
  useEffect(() => {
    const all = ordered.map((item) => frames[item.id]).filter((f): f is SeriesFrame => Boolean(f));
    const frame = index === null ? undefined : frames[ordered[index]?.id ?? ""];
    onShow(frame && index !== null ? { frame, index, all } : null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `ordered` follows `items`.
  }, [index, frames, items]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setIndex((current) => {
        const next = nextFrame(loaded, current ?? -1);
        return next < 0 ? current : next;
      });
    }, FRAME_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restart only when the loaded set changes.
  }, [playing, loadedCount]);

  useEffect(() => () => onShow(null), []); // eslint-disable-line react-hooks/exhaustive-deps

  if (surface.kind !== "PLANE" && surface.kind !== "LINE") return null;
  if (error && items === null) return <ErrorBox message={error} onRetry={() => setTick((t) => t + 1)} />;
  if (items === null) return null;

  const create = async () => {
    setBusy(true);
    try {
      await mutate(CREATE_SERIES, { id: surface.id }, "createTrainingSeries");
      setTick((t) => t + 1);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (ordered.length === 0) {
    return (
      <section className="series" aria-labelledby="series-title">
        <h2 id="series-title">Landscape over training</h2>
        {checkpoints === 0 ? (
          <p className="muted small">The model has no checkpoints. Train it in its project, or upload checkpoints, to watch this plane change over training.</p>
        ) : canWrite && surface.status === "READY" && surface.params.checkpointStep === null ? (
          <>
            <p className="muted small">
              Compute this same plane, with the same directions, around each of the model&apos;s {checkpoints} checkpoints, then play them in order.
            </p>
            <button type="button" onClick={() => void create()} disabled={busy}>
              {busy ? "Queuing…" : `Compute over training (${checkpoints} checkpoints)`}
            </button>
          </>
        ) : (
          <p className="muted small">The model has {checkpoints} checkpoints; an editor can compute this plane over training once the surface is ready.</p>
        )}
        <Notice message={error} tone="error" />
      </section>
    );
  }

  const current = index === null ? null : ordered[index];
  const finished = ordered.filter((f) => FINISHED.includes(f.status)).length;
  const choose = (k: number) => {
    setPlaying(false);
    setIndex(k);
  };
  return (
    <section className="series" aria-labelledby="series-title">
      <h2 id="series-title">Landscape over training</h2>
      <p className="muted small">
        The same plane around each checkpoint, on one colour scale: watch the minimum form. {loadedCount} of {ordered.length} frames ready
        {finished < ordered.length ? ", more on the way" : ""}.
      </p>
      {finished < ordered.length && <ProgressBar value={finished} max={ordered.length} label="Frames computed" />}
      <div className="series-controls">
        <button
          type="button"
          onClick={() => {
            if (!playing && index === null) setIndex(nextFrame(loaded, -1) >= 0 ? nextFrame(loaded, -1) : null);
            setPlaying((p) => !p);
          }}
          disabled={loadedCount === 0}
          aria-pressed={playing}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <input
          type="range"
          min={0}
          max={ordered.length - 1}
          step={1}
          value={index ?? ordered.length - 1}
          onChange={(e) => choose(Number(e.target.value))}
          aria-label="Checkpoint"
          aria-valuetext={current ? `step ${current.params.checkpointStep}` : "this surface"}
        />
        <output data-testid="series-frame" aria-live="polite">
          {current ? (
            <>
              step <strong>{current.params.checkpointStep}</strong> · {index! + 1} of {ordered.length}
              {!loaded[index!] && <span className="muted"> (computing: {current.pointsDone} of {current.pointsTotal} points)</span>}
            </>
          ) : (
            <span className="muted">showing this surface</span>
          )}
        </output>
        {index !== null && (
          <button type="button" className="link-button" onClick={() => { setPlaying(false); setIndex(null); }}>
            Back to this surface
          </button>
        )}
      </div>
      <Notice message={error} tone="error" />
    </section>
  );
}
