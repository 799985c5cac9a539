/** The signed-in user's account: sessions, password, personal API tokens (created, shown once, revoked), deletion. */
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { API_TOKENS, CREATE_TOKEN, REVOKE_TOKEN } from "../api/ops";
import { useSession } from "../api/session";
import type { ApiTokenInfo } from "../api/types";
import { useQuery } from "../api/use-query";
import { EmailVerification } from "../components/EmailVerification";
import { Empty, ErrorBox, Loading, Notice } from "../components/feedback";
import { DeleteAccountSection } from "../account/DeleteAccountSection";
import { PasswordSection } from "../account/PasswordSection";
import { SessionsSection } from "../account/SessionsSection";

export function AccountPage() {
  const { user } = useSession();
  const tokens = useQuery(API_TOKENS, {});
  const [secret, setSecret] = useState<string | null>(null);
  // A password change signs other sessions out: the list is loaded again.
  const [sessionsEpoch, setSessionsEpoch] = useState(0);
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const name = String(new FormData(formEl).get("name") ?? "").trim();
    try {
      const payload = await mutate(CREATE_TOKEN, { name }, "createApiToken");
      setSecret(payload.token);
      setNotice({ message: `Token “${name}” created. Copy it now: it will not be shown again.`, tone: "ok" });
      formEl.reset();
      tokens.reload();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  const revoke = async (token: ApiTokenInfo) => {
    try {
      await mutate(REVOKE_TOKEN, { id: token.id }, "revokeApiToken");
      setNotice({ message: `Token “${token.name}” revoked.`, tone: "ok" });
      tokens.reload();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      {user && <p>{user.name} · <span className="muted">{user.email}</span></p>}
      {user && <EmailVerification email={user.email} />}
      <SessionsSection key={sessionsEpoch} />
      <PasswordSection onChanged={() => setSessionsEpoch((n) => n + 1)} />
      <h2>API tokens</h2>
      <p className="muted">Scripts send a token as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/graphql</code>.</p>
      <form onSubmit={create} className="inline-form">
        <label>
          Token name
          <input name="name" required maxLength={100} placeholder="e.g. notebook" />
        </label>
        <button type="submit" className="primary">Create token</button>
      </form>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      {secret && (
        <div className="callout secret">
          <code data-testid="new-token">{secret}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setNotice({ message: "Copied to the clipboard.", tone: "ok" }))}>Copy</button>
          <button type="button" className="link-button" onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      {tokens.kind === "loading" && <Loading what="Loading tokens" />}
      {tokens.kind === "error" && <ErrorBox message={tokens.message} code={tokens.code} onRetry={tokens.reload} />}
      {tokens.kind === "ready" &&
        (tokens.data.apiTokens.nodes.length === 0 ? (
          <Empty>No tokens yet.</Empty>
        ) : (
          <table className="table">
            <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Last used</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {tokens.data.apiTokens.nodes.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td><code>{t.prefix}…</code></td>
                  <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
                  <td>{t.revokedAt ? <span className="badge">revoked</span> : <button type="button" onClick={() => void revoke(t)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <DeleteAccountSection />
    </section>
  );
}
