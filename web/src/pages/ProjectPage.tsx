/**
 * One project: its surfaces, models and datasets, training runs and experiments, uploads, and
 * (owners) members and sharing.
 */
import { DownloadButton } from "../components/DownloadButton";
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { ADD_BUILTIN, MEMBERS, PROJECT_PAGE, REMOVE_MEMBER, ROTATE_SHARE, SET_MEMBER, SET_VISIBILITY } from "../api/ops";
import type { MemberRole, Project, Visibility } from "../api/types";
import { useQuery } from "../api/use-query";
import { Empty, ErrorBox, Loading, Notice } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { UploadPanel } from "../components/UploadPanel";
import { Link, navigate } from "../router";
import { ProjectTraining } from "../training/ProjectTraining";

export function ProjectPage({ id }: { id: string }) {
  const page = useQuery(PROJECT_PAGE, { id });
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  if (page.kind === "loading") return <Loading what="Loading the project" />;
  if (page.kind === "error") return <ErrorBox message={page.message} code={page.code} onRetry={page.reload} />;
  const { project, models, datasets, gallery } = page.data;
  const canWrite = project.myRole === "OWNER" || project.myRole === "EDITOR";
  const addBuiltin = async (dataset: "IRIS" | "MNIST") => {
    try {
      await mutate(ADD_BUILTIN, { projectId: id, dataset }, "addBuiltinDataset");
      setNotice({ message: `${dataset === "IRIS" ? "Iris" : "MNIST"} added.`, tone: "ok" });
      page.reload();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  const toggle = (sid: string) => setSelected((s) => (s.includes(sid) ? s.filter((x) => x !== sid) : s.length >= 4 ? s : [...s, sid]));
  return (
    <section aria-labelledby="project-title">
      <p className="crumbs"><Link href="/projects">Projects</Link> /</p>
      <h1 id="project-title">{project.name}</h1>
      <p className="muted">
        {project.description || "No description"} · owner {project.owner.name} · you are <span className="badge">{project.myRole.toLowerCase()}</span>
      </p>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />

      <div className="section-head">
        <h2>Surfaces</h2>
        <div className="actions">
          {selected.length >= 2 && (
            <button type="button" onClick={() => navigate(`/compare?ids=${selected.join(",")}`)}>Compare {selected.length} selected</button>
          )}
          {canWrite && models.nodes.length > 0 && datasets.nodes.length > 0 && (
            <Link className="button primary" href={`/projects/${id}/new-surface`}>New surface</Link>
          )}
        </div>
      </div>
      {gallery.nodes.length === 0 ? (
        <Empty>
          {!canWrite ? "No surfaces yet." : models.nodes.length && datasets.nodes.length ? "No surfaces yet: press New surface to compute one." : "No surfaces yet: upload a model and a dataset (or add Iris), then create one."}
        </Empty>
      ) : (
        <table className="table">
          <thead><tr><th scope="col"><span className="sr-only">Compare</span></th><th scope="col">Surface</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col" className="optional">Model · dataset</th></tr></thead>
          <tbody>
            {gallery.nodes.map((s) => (
              <tr key={s.id}>
                <td><input type="checkbox" aria-label={`Select ${s.name} to compare`} checked={selected.includes(s.id)} onChange={() => toggle(s.id)} /></td>
                <td><Link href={`/surfaces/${s.id}`}>{s.name}</Link></td>
                <td>{s.kind.toLowerCase()}</td>
                <td><StatusBadge status={s.status} done={s.pointsDone} total={s.pointsTotal} /></td>
                <td className="muted optional">{s.model.name} · {s.dataset.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="two-col">
        <div>
          <h2>Models</h2>
          {models.nodes.length === 0 ? <Empty>No models yet.</Empty> : (
            <ul className="plain-list">
              {models.nodes.map((m) => (
                <li key={m.id}>
                  <strong>{m.name}</strong> <span className="muted">{m.parameterCount.toLocaleString()} parameters · {m.layers.length} layers · input [{m.inputShape.join(", ")}]</span>{" "}
                  <DownloadButton kind="model" id={m.id} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h2>Datasets</h2>
          {datasets.nodes.length === 0 ? <Empty>No datasets yet.</Empty> : (
            <ul className="plain-list">
              {datasets.nodes.map((d) => (
                <li key={d.id}>
                  <strong>{d.name}</strong> <span className="muted">{d.format} · {d.rows.toLocaleString()} rows · input [{d.inputShape.join(", ")}]{d.classes ? ` · ${d.classes} classes` : ""}</span>
                  {d.format !== "builtin" && (
                    <>
                      {" "}
                      <DownloadButton kind="dataset" id={d.id} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {canWrite && (
            <p className="actions">
              <button type="button" onClick={() => void addBuiltin("IRIS")}>Add Iris</button>
              <button type="button" onClick={() => void addBuiltin("MNIST")}>Add MNIST</button>
            </p>
          )}
        </div>
      </div>

      <ProjectTraining projectId={id} canWrite={canWrite} datasets={datasets.nodes} models={models.nodes} />

      {canWrite && (
        <>
          <h2>Upload</h2>
          <UploadPanel projectId={id} models={models.nodes} onUploaded={() => page.reload()} />
        </>
      )}
      {project.myRole === "OWNER" && <Sharing project={project} onChange={page.reload} />}
    </section>
  );
}

function Sharing({ project, onChange }: { project: Project; onChange: () => void }) {
  const members = useQuery(MEMBERS, { id: project.id });
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const run = async (work: () => Promise<unknown>, ok: string) => {
    try {
      await work();
      setNotice({ message: ok, tone: "ok" });
      members.reload();
      onChange();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    void run(() => mutate(SET_MEMBER, { projectId: project.id, email, role: form.get("role") as MemberRole }, "setProjectMember"), `${email} added.`);
  };
  const shareUrl = project.shareToken ? `${window.location.origin}/share/${project.shareToken}` : null;
  return (
    <>
      <h2>Members and sharing</h2>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      <div className="two-col">
        <div>
          <form onSubmit={add} className="inline-form" aria-label="Add member">
            <label className="grow">Email <input name="email" type="email" required /></label>
            <label>Role
              <select name="role" defaultValue="VIEWER"><option value="VIEWER">Viewer</option><option value="EDITOR">Editor</option></select>
            </label>
            <button type="submit">Add</button>
          </form>
          {members.kind === "loading" && <Loading what="Loading members" />}
          {members.kind === "error" && <ErrorBox message={members.message} />}
          {members.kind === "ready" && (members.data.project.members.nodes.length === 0 ? <Empty>Only you so far.</Empty> : (
            <ul className="plain-list">
              {members.data.project.members.nodes.map((m) => (
                <li key={m.user.id}>
                  {m.user.name} <span className="muted">{m.user.email}</span>{" "}
                  <select aria-label={`Role of ${m.user.email}`} value={m.role} onChange={(e) => void run(() => mutate(SET_MEMBER, { projectId: project.id, email: m.user.email, role: e.target.value as MemberRole }, "setProjectMember"), "Role changed.")}>
                    <option value="VIEWER">Viewer</option><option value="EDITOR">Editor</option>
                  </select>{" "}
                  <button type="button" onClick={() => void run(() => mutate(REMOVE_MEMBER, { projectId: project.id, userId: m.user.id }, "removeProjectMember"), "Member removed.")}>Remove</button>
                </li>
              ))}
            </ul>
          ))}
        </div>
        <div>
          <label>
            Who may view
            <select
              aria-label="Visibility"
              value={project.visibility}
              onChange={(e) => void run(() => mutate(SET_VISIBILITY, { id: project.id, visibility: e.target.value as Visibility }, "setProjectVisibility"), "Visibility changed.")}
            >
              <option value="PRIVATE">Members only</option>
              <option value="LINK">Anyone with the link</option>
              <option value="PUBLIC">Everyone</option>
            </select>
          </label>
          {shareUrl ? (
            <div className="share-box">
              <p>Share link (view only) is <strong>on</strong>.</p>
              <code data-testid="project-share-link">{shareUrl}</code>
              <p className="actions">
                <button type="button" onClick={() => void navigator.clipboard?.writeText(shareUrl).then(() => setNotice({ message: "Link copied.", tone: "ok" }))}>Copy link</button>
                <button type="button" onClick={() => void run(() => mutate(ROTATE_SHARE, { id: project.id }, "rotateShareToken"), "New link made; the old one no longer works.")}>New link</button>
                <button type="button" onClick={() => void run(() => mutate(SET_VISIBILITY, { id: project.id, visibility: "PRIVATE" }, "setProjectVisibility"), "Share link turned off.")}>Turn link off</button>
              </p>
            </div>
          ) : (
            <p className="muted">Share link is off. Choose “Anyone with the link” to turn it on.</p>
          )}
        </div>
      </div>
    </>
  );
}

