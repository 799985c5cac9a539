/** Sign in and sign up, one form that switches between the two. */
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { SIGN_IN, SIGN_UP } from "../api/ops";
import { useSession } from "../api/session";
import { ErrorBox } from "../components/feedback";
import { Link, navigate } from "../router";

export function AuthPage({ mode, next = "/projects" }: { mode: "signin" | "signup"; next?: string }) {
  const { setUser } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const payload =
        mode === "signin"
          ? await mutate(SIGN_IN, { email, password }, "signIn")
          : await mutate(SIGN_UP, { input: { email, password, name: String(form.get("name") ?? "") } }, "signUp");
      setUser(payload.user);
      navigate(next, { replace: true });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  // Switching between the two keeps where to go next (an invitation's link, say).
  const keep = next === "/projects" ? "" : `?next=${encodeURIComponent(next)}`;
  return (
    <section className="auth card" aria-labelledby="auth-title">
      <h1 id="auth-title">{mode === "signin" ? "Sign in" : "Create an account"}</h1>
      <form onSubmit={submit} className="form">
        {mode === "signup" && (
          <label>
            Name
            <input name="name" required autoComplete="name" maxLength={120} />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input name="password" type="password" required minLength={mode === "signup" ? 8 : 1} autoComplete={mode === "signup" ? "new-password" : "current-password"} />
          {mode === "signup" && <small className="muted">8 characters or more, and hard to guess: a few uncommon words work well</small>}
          {mode === "signin" && <small><Link href="/forgot-password">Forgot password?</Link></small>}
        </label>
        {error && <ErrorBox message={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Please wait…" : mode === "signin" ? "Sign in" : "Sign up"}
        </button>
      </form>
      <p className="muted">
        {mode === "signin" ? (
          <>New here? <Link href={`/signup${keep}`}>Create an account</Link></>
        ) : (
          <>Have an account? <Link href={`/signin${keep}`}>Sign in</Link></>
        )}
      </p>
    </section>
  );
}
