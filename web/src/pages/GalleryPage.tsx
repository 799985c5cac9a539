/** Thumbnails of every surface the user may see, with filters, search and infinite scroll. */
import { useEffect, useRef, useState } from "react";
import { describeError, request } from "../api/graphql";
import { GALLERY } from "../api/ops";
import type { GalleryFilterInput } from "../api/gql/graphql";
import type { SurfaceKind, SurfaceStatus, SurfaceSummary } from "../api/types";
import { Empty, ErrorBox, Loading } from "../components/feedback";
import { Featured } from "../components/Featured";
import { InProgress } from "../components/InProgress";
import { StatusBadge } from "../components/StatusBadge";
import { formatValue } from "../plot/scale";
import { Link, navigate } from "../router";

export function GalleryPage() {
  const [filter, setFilter] = useState<{ search: string; kind: string; status: string; frames: boolean }>({ search: "", kind: "", status: "", frames: false });
  const [items, setItems] = useState<SurfaceSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const sentinel = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const load = async (after: string | null, gen: number) => {
    setLoading(true);
    setError(null);
    try {
      const f: GalleryFilterInput = {};
      if (filter.search.trim()) f.search = filter.search.trim();
      if (filter.kind) f.kind = filter.kind as SurfaceKind;
      if (filter.status) f.status = filter.status as SurfaceStatus;
      if (filter.frames) f.frames = true;
      const data = await request(GALLERY, { after, filter: f });
      if (gen !== generation.current) return;
      setItems((old) => (after ? [...old, ...data.gallery.nodes] : data.gallery.nodes));
      setCursor(data.gallery.pageInfo.endCursor);
      setMore(data.gallery.pageInfo.hasNextPage);
    } catch (e) {
      if (gen === generation.current) setError(describeError(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };
  // A new filter starts over, after a short pause while typing.
  useEffect(() => {
    const gen = ++generation.current;
    const timer = setTimeout(() => void load(null, gen), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter.search, filter.kind, filter.status, filter.frames]);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !more || loading || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void load(cursor, generation.current);
    }, { rootMargin: "400px" });
    observer.observe(el);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursor, more, loading, error]);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= 4 ? s : [...s, id]));
  return (
    <section aria-labelledby="gallery-title">
      <div className="section-head">
        <h1 id="gallery-title">Gallery</h1>
        {selected.length >= 2 && <button type="button" className="primary" onClick={() => navigate(`/compare?ids=${selected.join(",")}`)}>Compare {selected.length}</button>}
      </div>
      <Featured />
      <InProgress />
      <div className="inline-form" role="search">
        <label className="grow">Search <input type="search" value={filter.search} onChange={(e) => setFilter({ ...filter, search: e.target.value })} placeholder="surface name" /></label>
        <label>Kind
          <select value={filter.kind} onChange={(e) => setFilter({ ...filter, kind: e.target.value })}>
            <option value="">any</option><option value="PLANE">2D plane</option><option value="LINE">1D slice</option><option value="INTERPOLATION">interpolation</option><option value="PCA">PCA plane</option>
          </select>
        </label>
        <label>Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="">any</option><option value="READY">ready</option><option value="RUNNING">running</option><option value="QUEUED">queued</option><option value="FAILED">failed</option>
          </select>
        </label>
        <label className="check" title="Each frame of a landscape over training is a surface of its own; they play in the viewer of their plane">
          <input type="checkbox" checked={filter.frames} onChange={(e) => setFilter({ ...filter, frames: e.target.checked })} /> Frames over training
        </label>
      </div>
      {error && <ErrorBox message={error} onRetry={() => void load(cursor, generation.current)} />}
      {!loading && !error && items.length === 0 && <Empty>No surfaces match. Create one from a project.</Empty>}
      <ul className="gallery">
        {items.map((s) => (
          <li key={s.id} className={`tile ${selected.includes(s.id) ? "selected" : ""}`}>
            <Link href={`/surfaces/${s.id}`} className="thumb" aria-label={`Open ${s.name}`}>
              {s.thumbnailUrl ? <img src={s.thumbnailUrl} alt="" loading="lazy" /> : <span className="muted">{s.status === "READY" ? "no preview" : s.status.toLowerCase()}</span>}
            </Link>
            <div className="tile-body">
              <strong>{s.name}</strong>
              <span className="muted small">{[s.kind.toLowerCase(), s.model?.name, s.dataset?.name].filter(Boolean).join(" · ")}</span>
              {s.experiment && <span className="small">Experiment: <Link href={`/experiments/${s.experiment.id}`}>{s.experiment.name}</Link></span>}
              <span className="small"><StatusBadge status={s.status} done={s.pointsDone} total={s.pointsTotal} /> {s.statistics?.loss.min != null && <>min loss {formatValue(s.statistics.loss.min)}</>}</span>
              <label className="small"><input type="checkbox" checked={selected.includes(s.id)} onChange={() => toggle(s.id)} /> compare</label>
            </div>
          </li>
        ))}
      </ul>
      <div ref={sentinel} aria-hidden="true" />
      {loading && <Loading what="Loading surfaces" />}
      {!more && items.length > 0 && <p className="muted small">That is all of them.</p>}
    </section>
  );
}
