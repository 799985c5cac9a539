/** The projects the user owns or belongs to, and a form to create one. */
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { CREATE_PROJECT, PROJECTS } from "../api/ops";
import { useQuery } from "../api/use-query";
import { Empty, ErrorBox, Loading } from "../components/feedback";
import { Link, navigate } from "../router";
import { Invitations } from "./InvitationsPage";

export function ProjectsPage() {
  const projects = useQuery(PROJECTS, {});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate(
        CREATE_PROJECT,
        { input: { name: String(form.get("name") ?? "").trim(), description: String(form.get("description") ?? "") } },
        "createProject",
      );
      // ok: true carries the new project.
      navigate(`/projects/${payload.project!.id}`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="projects-title">
      <h1 id="projects-title">Projects</h1>
      <Invitations quiet onAccepted={projects.reload} />
      <form onSubmit={create} className="inline-form" aria-label="New project">
        <label>
          Project name
          <input name="name" required maxLength={120} />
        </label>
        <label className="grow">
          Description
          <input name="description" maxLength={2000} />
        </label>
        <button type="submit" className="primary" disabled={busy}>Create project</button>
      </form>
      {error && <ErrorBox message={error} />}
      {projects.kind === "loading" && <Loading what="Loading projects" />}
      {projects.kind === "error" && <ErrorBox message={projects.message} code={projects.code} onRetry={projects.reload} />}
      {projects.kind === "ready" &&
        (projects.data.projects.nodes.length === 0 ? (
          <Empty>No projects yet: create one above, then upload a model and a dataset.</Empty>
        ) : (
          <ul className="cards project-list">
            {projects.data.projects.nodes.map((p) => (
              <li key={p.id} className="card">
                <h3><Link href={`/projects/${p.id}`}>{p.name}</Link></h3>
                <p className="muted">{p.description || "No description"}</p>
                <p><span className="badge">{p.myRole.toLowerCase()}</span> <span className="badge">{p.visibility.toLowerCase()}</span></p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
