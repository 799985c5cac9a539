/** Invitations to join projects, addressed to the signed-in user's email: accept or decline. */
import { useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { ACCEPT_INVITATION, DECLINE_INVITATION, MY_INVITATIONS } from "../api/ops";
import { useQuery } from "../api/use-query";
import { Empty, ErrorBox, Loading, Notice } from "../components/feedback";
import { navigate } from "../router";

/**
 * The list with its answers. `quiet`: render nothing while loading or when there are none (as a
 * section of the projects page).
 */
export function Invitations({ quiet = false, onAccepted }: { quiet?: boolean; onAccepted?: () => void }) {
  const invitations = useQuery(MY_INVITATIONS, {});
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  if (invitations.kind === "loading") return quiet ? null : <Loading what="Loading invitations" />;
  if (invitations.kind === "error") return <ErrorBox message={invitations.message} code={invitations.code} onRetry={invitations.reload} />;
  const nodes = invitations.data.myInvitations.nodes;
  if (nodes.length === 0 && quiet && !notice) return null;
  const answer = async (id: string, accept: boolean, projectId: string, projectName: string) => {
    try {
      if (accept) {
        await mutate(ACCEPT_INVITATION, { id }, "acceptInvitation");
        onAccepted?.();
        navigate(`/projects/${projectId}`);
        return;
      }
      await mutate(DECLINE_INVITATION, { id }, "declineInvitation");
      setNotice({ message: `Declined the invitation to ${projectName}.`, tone: "ok" });
      invitations.reload();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  return (
    <section aria-labelledby="invitations-title" className="invitations" data-testid="invitations">
      <h2 id="invitations-title">Invitations</h2>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      {nodes.length === 0 ? (
        <Empty>No invitations waiting.</Empty>
      ) : (
        <ul className="plain-list">
          {nodes.map((i) => (
            <li key={i.id}>
              <strong>{i.projectName}</strong>{" "}
              <span className="muted">as {i.role.toLowerCase()}, from {i.invitedBy?.name ?? "a former member"}</span>{" "}
              <button type="button" className="primary" onClick={() => void answer(i.id, true, i.projectId, i.projectName)}>Accept</button>{" "}
              <button type="button" onClick={() => void answer(i.id, false, i.projectId, i.projectName)}>Decline</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function InvitationsPage() {
  return (
    <section aria-labelledby="invitations-page-title">
      <h1 id="invitations-page-title">Invitations</h1>
      <Invitations />
    </section>
  );
}
