/** Hands one project to a member of it, chosen from its members. */
import { useState } from "react";
import { PROJECT_MEMBER_LIST, TRANSFER_OWNERSHIP } from "../api/account-ops";
import { describeError, mutate } from "../api/graphql";
import { useQuery } from "../api/use-query";
import { Notice } from "../components/feedback";

export function HandOver({ projectId, projectName, onDone }: { projectId: string; projectName: string; onDone: () => void }) {
  const members = useQuery(PROJECT_MEMBER_LIST, { id: projectId });
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (members.kind !== "ready") return <span className="muted">{members.kind === "loading" ? "…" : members.message}</span>;
  const nodes = members.data.project.members.nodes;
  const hand = async () => {
    try {
      await mutate(TRANSFER_OWNERSHIP, { projectId, userId: chosen }, "transferProjectOwnership");
      onDone();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <span className="inline-form">
      <select aria-label={`New owner of ${projectName}`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">Choose a member</option>
        {nodes.map((m) => (
          <option key={m.user.id} value={m.user.id}>{m.user.name}{m.user.email ? ` (${m.user.email})` : ""}</option>
        ))}
      </select>
      <button type="button" disabled={!chosen} onClick={() => void hand()}>Hand over</button>
      <Notice message={error} tone="error" />
    </span>
  );
}
