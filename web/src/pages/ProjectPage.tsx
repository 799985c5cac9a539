/**
 * One project: its surfaces, models and datasets, training runs and experiments, uploads, and
 * (owners) members and sharing. Opened through the project's share link (`shared` holds its
 * token), the same page is read-only and signed-out visitors can use it.
 */
import { DownloadButton } from "../components/DownloadButton";
import { type FormEvent, type ReactNode, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import {
  ADD_BUILTIN,
  INVITE_MEMBER,
  MEMBERS,
  PROJECT_PAGE,
  REMOVE_MEMBER,
  REVOKE_SURFACE_LINK,
  REVOKE_COMPARE_LINK,
  ROTATE_SHARE,
  SET_MEMBER,
  SET_VISIBILITY,
  WITHDRAW_INVITATION,
} from "../api/ops";
import type { MemberRole, Project, Visibility } from "../api/types";
import { useQuery } from "../api/use-query";
import { useSession } from "../api/session";
import { Empty, ErrorBox, Loading, Notice } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { UploadPanel } from "../components/UploadPanel";
import { Link, navigate } from "../router";
import { ProjectTraining } from "../training/ProjectTraining";
import { ProjectCurves } from "../curves/ProjectCurves";
import { parameterWords } from "../components/parameter-count";

/** @param missing shown instead of an error when the project is not found (a signed-out visitor is asked to sign in). */
export function ProjectPage({ id, shared, missing }: { id: string; shared?: string; missing?: ReactNode }) {
  const { user } = useSession();
  const page = useQuery(PROJECT_PAGE, { id });
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  if (page.kind === "loading") return <Loading what="Loading the project" />;
  if (page.kind === "error" && missing && page.code === "NOT_FOUND") return <>{missing}</>;
  if (page.kind === "error") return <ErrorBox message={page.message} code={page.code} onRetry={page.reload} />;
  const { project, models, datasets, gallery } = page.data;
  const canWrite = !shared && (project.myRole === "OWNER" || project.myRole === "EDITOR");
  // A signed-out visitor of a public project reads it like a link holder: no pages that need an account.
  const readOnly = Boolean(shared) || !user;
  const surfaceHref = (sid: string) => (shared ? `/share/${encodeURIComponent(shared)}/surfaces/${sid}` : `/surfaces/${sid}`);
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
      {shared ? (
        <p className="callout" data-testid="read-only-banner">You are viewing this project through a view-only link: you can look at everything, and change nothing.</p>
      ) : (
        user && <p className="crumbs"><Link href="/projects">Projects</Link> /</p>
      )}
      <h1 id="project-title">{project.name}</h1>
      <p className="muted">
        {project.description || "No description"} · owner {project.owner.name}
        {!shared && <> · you are <span className="badge">{project.myRole.toLowerCase()}</span></>}
      </p>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />

      <div className="section-head">
        <h2>Surfaces</h2>
        <div className="actions">
          {!shared && selected.length >= 2 && (
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
          <thead><tr>{!readOnly && <th scope="col"><span className="sr-only">Compare</span></th>}<th scope="col">Surface</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col" className="optional">Model · dataset</th></tr></thead>
          <tbody>
            {gallery.nodes.map((s) => (
              <tr key={s.id}>
                {!readOnly && <td><input type="checkbox" aria-label={`Select ${s.name} to compare`} checked={selected.includes(s.id)} onChange={() => toggle(s.id)} /></td>}
                <td><Link href={surfaceHref(s.id)}>{s.name}</Link></td>
                <td>{s.kind.toLowerCase()}</td>
                <td><StatusBadge status={s.status} done={s.pointsDone} total={s.pointsTotal} /></td>
                <td className="muted optional">{s.model?.name} · {s.dataset?.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="two-col">
        <div>
          <h2>Models</h2>
          {models.nodes.length === 0 ? <Empty>No models yet.</Empty> : (
            <ul className="plain-list" aria-label="Models">
              {models.nodes.map((m) => (
                <li key={m.id}>
                  <strong>{readOnly ? m.name : <Link href={`/models/${m.id}`}>{m.name}</Link>}</strong> <span className="muted">{parameterWords(m)} · {m.layers.length} layers · input [{m.inputShape.join(", ")}]</span>{" "}
                  <DownloadButton kind="model" id={m.id} />
                  {(m.notes ?? []).map((note) => <p key={note} className="muted small">{note}</p>)}
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

      {!shared && <ProjectTraining projectId={id} canWrite={canWrite} datasets={datasets.nodes} models={models.nodes} />}
      {!shared && <ProjectCurves projectId={id} canWrite={canWrite} datasets={datasets.nodes} models={models.nodes} />}

      {canWrite && (
        <>
          <h2>Upload</h2>
          <UploadPanel projectId={id} models={models.nodes} onUploaded={() => page.reload()} />
        </>
      )}
      {!shared && project.myRole === "OWNER" && <Sharing project={project} onChange={page.reload} />}
    </section>
  );
}

const VISIBILITY: Record<Visibility, { label: string; consequence: string }> = {
  PRIVATE: {
    label: "Members only",
    consequence:
      "Only you and the members below will see this project. The project link stops working at once. Links to single surfaces keep working until you revoke them below.",
  },
  LINK: {
    label: "Anyone with the project link",
    consequence:
      "Anyone holding the project link, signed in or not, will see every surface, model, dataset and note of this project, and members' names (never their emails). Nobody can change anything through it. You can replace the link or turn it off at any time.",
  },
  PUBLIC: {
    label: "Everyone",
    consequence:
      "Everyone, signed in or not, will see every surface, model, dataset and note of this project, and members' names (never their emails); its surfaces will appear in everyone's gallery. The project link, if any, stops working.",
  },
};

/** The owner's sharing panel: members and invitations, who may view, the project link and the links to single surfaces. */
function Sharing({ project, onChange }: { project: Project; onChange: () => void }) {
  const panel = useQuery(MEMBERS, { id: project.id });
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  // A visibility the owner picked, waiting for them to confirm its consequence.
  const [pending, setPending] = useState<Visibility | null>(null);
  const run = async (work: () => Promise<unknown>, ok: string) => {
    try {
      await work();
      setNotice({ message: ok, tone: "ok" });
      panel.reload();
      onChange();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  const invite = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const email = String(form.get("email") ?? "");
    void run(async () => {
      await mutate(INVITE_MEMBER, { projectId: project.id, email, role: form.get("role") as MemberRole }, "inviteProjectMember");
      formElement.reset();
    }, `Invitation for ${email} saved. Whoever signs in or signs up with this address can accept or decline it.`);
  };
  const confirmVisibility = (visibility: Visibility) =>
    void run(() => mutate(SET_VISIBILITY, { id: project.id, visibility }, "setProjectVisibility"), `Who may view: ${VISIBILITY[visibility].label.toLowerCase()}.`).then(() => setPending(null));
  const shareUrl = project.shareToken ? `${window.location.origin}/share/${encodeURIComponent(project.shareToken)}` : null;
  const data = panel.kind === "ready" ? panel.data.project : null;
  return (
    <section aria-labelledby="sharing-title" className="sharing-panel" data-testid="sharing-panel">
      <h2 id="sharing-title">Members and sharing</h2>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      {panel.kind === "loading" && <Loading what="Loading members and links" />}
      {panel.kind === "error" && <ErrorBox message={panel.message} />}
      <div className="two-col">
        <div>
          <h3>Members</h3>
          <form onSubmit={invite} className="inline-form" aria-label="Invite a member">
            <label className="grow">Email <input name="email" type="email" required /></label>
            <label>Role
              <select name="role" defaultValue="VIEWER"><option value="VIEWER">Viewer</option><option value="EDITOR">Editor</option></select>
            </label>
            <button type="submit">Invite</button>
          </form>
          <p className="muted small">People join only once they accept; nobody is told whether an address has an account.</p>
          {data && (data.members.nodes.length === 0 ? <Empty>Only you so far.</Empty> : (
            <ul className="plain-list" aria-label="Members">
              {data.members.nodes.map((m) => (
                <li key={m.user.id}>
                  {m.user.name} <span className="muted">{m.user.email}</span>{" "}
                  <select aria-label={`Role of ${m.user.name}`} value={m.role} onChange={(e) => void run(() => mutate(SET_MEMBER, { projectId: project.id, email: m.user.email ?? "", role: e.target.value as MemberRole }, "setProjectMember"), "Role changed.")}>
                    <option value="VIEWER">Viewer</option><option value="EDITOR">Editor</option>
                  </select>{" "}
                  <button type="button" onClick={() => void run(() => mutate(REMOVE_MEMBER, { projectId: project.id, userId: m.user.id }, "removeProjectMember"), "Member removed.")}>Remove</button>
                </li>
              ))}
            </ul>
          ))}
          {data && data.invitations.nodes.length > 0 && (
            <>
              <h3>Waiting for an answer</h3>
              <ul className="plain-list" aria-label="Pending invitations">
                {data.invitations.nodes.map((i) => (
                  <li key={i.id}>
                    {i.email} <span className="badge">{i.role.toLowerCase()}</span>{" "}
                    <button type="button" onClick={() => void run(() => mutate(WITHDRAW_INVITATION, { id: i.id }, "withdrawInvitation"), "Invitation withdrawn.")}>Withdraw</button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        <div>
          <h3>Who may view</h3>
          <fieldset className="visibility" aria-label="Who may view">
            {(Object.keys(VISIBILITY) as Visibility[]).map((v) => (
              <label key={v} className="radio">
                <input type="radio" name="visibility" value={v} checked={(pending ?? project.visibility) === v} onChange={() => setPending(v === project.visibility ? null : v)} />
                {VISIBILITY[v].label}{v === project.visibility && <span className="muted"> (now)</span>}
              </label>
            ))}
          </fieldset>
          {pending && (
            <div className="callout confirm" role="alertdialog" aria-labelledby="visibility-confirm" data-testid="visibility-confirm">
              <p id="visibility-confirm"><strong>{VISIBILITY[pending].label}:</strong> {VISIBILITY[pending].consequence}</p>
              <p className="actions">
                <button type="button" className="primary" onClick={() => confirmVisibility(pending)}>Change to “{VISIBILITY[pending].label}”</button>
                <button type="button" onClick={() => setPending(null)}>Keep it as it is</button>
              </p>
            </div>
          )}
          <h3>Project link</h3>
          {shareUrl ? (
            <div className="share-box">
              <p>Opens the whole project, read only, to anyone who has it.</p>
              <code data-testid="project-share-link">{shareUrl}</code>
              <p className="actions">
                <button type="button" onClick={() => void navigator.clipboard?.writeText(shareUrl).then(() => setNotice({ message: "Link copied.", tone: "ok" }))}>Copy link</button>
                <button type="button" onClick={() => void run(() => mutate(ROTATE_SHARE, { id: project.id }, "rotateShareToken"), "New link made; the old one no longer works.")}>Replace link</button>
                <button type="button" onClick={() => setPending("PRIVATE")}>Turn link off</button>
              </p>
            </div>
          ) : (
            <p className="muted">No project link. Choose “{VISIBILITY.LINK.label}” above to make one.</p>
          )}
          <h3>Links to single surfaces</h3>
          <p className="muted small">“Share view” on a surface makes one: it opens that surface alone, never the rest of the project.</p>
          {data && (data.surfaceLinks.nodes.length === 0 ? <Empty>No surface links.</Empty> : (
            <ul className="plain-list" aria-label="Surface links" data-testid="surface-links">
              {data.surfaceLinks.nodes.map((l) => (
                <li key={l.id}>
                  <a href={l.path}>{l.surfaceName}</a>{" "}
                  <span className="muted small">by {l.createdBy?.name ?? "a former member"} · {new Date(l.createdAt).toLocaleDateString()}</span>{" "}
                  <button type="button" onClick={() => void run(() => mutate(REVOKE_SURFACE_LINK, { id: l.id }, "revokeSurfaceLink"), `The link to ${l.surfaceName} no longer works.`)}>Revoke</button>
                </li>
              ))}
            </ul>
          ))}
          <h3>Links to comparisons</h3>
          <p className="muted small">“Share comparison” on the compare page makes one: it opens those surfaces side by side, never the rest of their projects.</p>
          {data && (data.compareLinks.nodes.length === 0 ? <Empty>No comparison links.</Empty> : (
            <ul className="plain-list" aria-label="Comparison links" data-testid="compare-links">
              {data.compareLinks.nodes.map((l) => {
                const names = l.surfaces.map((s) => s.name ?? "a surface of another project").join(" · ");
                return (
                  <li key={l.id}>
                    <a href={l.path}>{names}</a>{" "}
                    <span className="muted small">by {l.createdBy?.name ?? "a former member"} · {new Date(l.createdAt).toLocaleDateString()}</span>{" "}
                    <button type="button" onClick={() => void run(() => mutate(REVOKE_COMPARE_LINK, { id: l.id }, "revokeCompareLink"), `The link to the comparison of ${names} no longer works.`)}>Revoke</button>
                  </li>
                );
              })}
            </ul>
          ))}
        </div>
      </div>
    </section>
  );
}
