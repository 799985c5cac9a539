/** The signed-in user's sessions: where and when each was used, "this session" marked, sign out one or all others. */
import { useState } from "react";
import { END_OTHER_SESSIONS, END_SESSION, SESSIONS } from "../api/account-ops";
import { describeError, mutate } from "../api/graphql";
import { useQuery } from "../api/use-query";
import { ErrorBox, Loading, Notice } from "../components/feedback";

const when = (iso: string) => new Date(iso).toLocaleString();

export function SessionsSection() {
  const sessions = useQuery(SESSIONS, {});
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const run = async (work: () => Promise<string>) => {
    try {
      setNotice({ message: await work(), tone: "ok" });
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
    sessions.reload();
  };
  const endOne = (id: string, browser: string) =>
    run(async () => {
      await mutate(END_SESSION, { id }, "endSession");
      return `Signed out ${browser}.`;
    });
  const endOthers = () =>
    run(async () => {
      const { ended } = await mutate(END_OTHER_SESSIONS, {}, "endOtherSessions");
      return ended === 1 ? "Signed out 1 other session." : `Signed out ${ended ?? 0} other sessions.`;
    });
  const others = sessions.kind === "ready" ? sessions.data.sessions.nodes.filter((s) => !s.current).length : 0;
  return (
    <section aria-labelledby="sessions-title" className="account-section">
      <h2 id="sessions-title">Where you are signed in</h2>
      <p className="muted">Each browser you sign in with has its own session. Sign out any you do not recognise; its next request is signed out.</p>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      {sessions.kind === "loading" && <Loading what="Loading sessions" />}
      {sessions.kind === "error" && <ErrorBox message={sessions.message} code={sessions.code} onRetry={sessions.reload} />}
      {sessions.kind === "ready" && (
        <>
          <table className="table" aria-label="Sessions">
            <thead><tr><th scope="col">Browser</th><th scope="col">Address</th><th scope="col">Signed in</th><th scope="col">Last active</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {sessions.data.sessions.nodes.map((s) => (
                <tr key={s.id} data-current={s.current ? "true" : undefined}>
                  <td title={s.userAgent ?? undefined}>{s.browser}</td>
                  <td><code>{s.lastAddress ?? "unknown"}</code></td>
                  <td>{when(s.createdAt)}</td>
                  <td>{when(s.lastSeenAt)}</td>
                  <td>{s.current ? <span className="badge">this session</span> : <button type="button" onClick={() => void endOne(s.id, s.browser)}>Sign out</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {sessions.data.sessions.pageInfo.hasNextPage && <p className="muted">Only your 50 newest sessions are shown; signing out everywhere else ends them all.</p>}
          <p>
            <button type="button" className="danger" disabled={others === 0 && !sessions.data.sessions.pageInfo.hasNextPage} onClick={() => void endOthers()}>
              Sign out everywhere else
            </button>
          </p>
        </>
      )}
    </section>
  );
}
