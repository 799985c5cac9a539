/**
 * "Forgot password?": ask for a link by email, then choose a new password on the page it opens.
 * The first page says the same whatever the address, as the server does.
 */
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { REQUEST_PASSWORD_RESET, RESET_PASSWORD } from "../api/ops";
import { useSession } from "../api/session";
import { ErrorBox } from "../components/feedback";
import { Link, navigate } from "../router";

export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await mutate(REQUEST_PASSWORD_RESET, { email }, "requestPasswordReset");
      setSentTo(email);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="auth card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      {sentTo ? (
        <div className="callout ok" role="status">
          If an account uses <strong>{sentTo}</strong>, we have sent it a link to choose a new password. The link works once, for an hour.
        </div>
      ) : (
        <form onSubmit={submit} className="form">
          <p className="muted">Enter the address you signed up with; we will email you a link to choose a new password.</p>
          <label>
            Email
            <input name="email" type="email" required autoComplete="email" />
          </label>
          {error && <ErrorBox message={error} />}
          <button type="submit" className="primary" disabled={busy}>{busy ? "Please wait…" : "Email me a link"}</button>
        </form>
      )}
      <p className="muted"><Link href="/signin">Back to sign in</Link></p>
    </section>
  );
}

export function ResetPasswordPage({ token }: { token: string }) {
  const { setUser } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate(RESET_PASSWORD, { token, password }, "resetPassword");
      setUser(payload.user);
      navigate("/projects", { replace: true });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  if (!token) {
    return (
      <section className="auth card" aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        <ErrorBox message="This link is incomplete. Open the link from the email again, or ask for a new one." />
        <p className="muted"><Link href="/forgot-password">Ask for a new link</Link></p>
      </section>
    );
  }
  return (
    <section className="auth card" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <form onSubmit={submit} className="form">
        <label>
          New password
          <input name="password" type="password" required minLength={8} maxLength={200} autoComplete="new-password" aria-describedby="new-password-hint" />
        </label>
        <small className="muted" id="new-password-hint">8 characters or more, and hard to guess: a few uncommon words work well. Every device signed in to this account will be signed out.</small>
        {error && <ErrorBox message={error} />}
        <button type="submit" className="primary" disabled={busy}>{busy ? "Please wait…" : "Set the new password"}</button>
      </form>
      <p className="muted"><Link href="/forgot-password">Ask for a new link</Link></p>
    </section>
  );
}
