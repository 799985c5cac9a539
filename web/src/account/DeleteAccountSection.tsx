/**
 * Deleting the account: what goes and what stays, said before; projects others are members of
 * handed over or deleted by choice; the password asked again. Afterwards the browser is signed out.
 */
import { type FormEvent, useState } from "react";
import { DELETE_ACCOUNT, MY_SHARED_PROJECTS } from "../api/account-ops";
import { describeError, mutate } from "../api/graphql";
import { useSession } from "../api/session";
import { useQuery } from "../api/use-query";
import { ErrorBox, Loading, Notice } from "../components/feedback";
import { Link, navigate } from "../router";
import { HandOver } from "./HandOver";
import "./account.css";

export function DeleteAccountSection() {
  const { setUser } = useSession();
  const shared = useQuery(MY_SHARED_PROJECTS, {});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await mutate(DELETE_ACCOUNT, { input: { password: String(form.get("password") ?? ""), deleteSharedProjects: form.get("deleteShared") === "on" } }, "deleteAccount");
      setUser(null);
      navigate("/signin", { replace: true });
    } catch (e) {
      setError(describeError(e));
      shared.reload();
      setBusy(false);
    }
  };
  const projects = shared.kind === "ready" ? shared.data.mySharedProjects.nodes : [];
  return (
    <section aria-labelledby="delete-title" className="danger-zone">
      <h2 id="delete-title">Delete account</h2>
      <p>
        Deleting your account removes, for good, the projects you own and everything in them (models, datasets, surfaces, training runs and their
        files), your memberships of other projects, your sessions, API tokens and the invitations you sent. What you added to other people&apos;s
        projects stays with those projects, without your name.
      </p>
      {shared.kind === "loading" && <Loading what="Checking your shared projects" />}
      {shared.kind === "error" && <ErrorBox message={shared.message} code={shared.code} onRetry={shared.reload} />}
      {projects.length > 0 && (
        <div className="callout" data-testid="shared-projects">
          <p><strong>Other people are members of projects you own.</strong> Hand each over to a member (you stay on as an editor until your account goes), or delete them with your account.</p>
          <table className="table" aria-label="Shared projects you own">
            <thead><tr><th scope="col">Project</th><th scope="col">Members</th><th scope="col">Hand over to</th></tr></thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id}>
                  <td><Link href={`/projects/${p.id}`}>{p.name}</Link></td>
                  <td>{p.memberCount}</td>
                  <td><HandOver projectId={p.id} projectName={p.name} onDone={shared.reload} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={(e) => void submit(e)} className="form wide">
        {projects.length > 0 && (
          <label className="check">
            <input type="checkbox" name="deleteShared" /> Also delete the shared projects above, for every member
          </label>
        )}
        <label>
          Your password, to confirm
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <div><button type="submit" className="danger" disabled={busy}>{busy ? "Deleting…" : "Delete my account"}</button></div>
      </form>
      <Notice message={error} tone="error" />
    </section>
  );
}
