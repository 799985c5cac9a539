/**
 * Sign in and sign up, one form that switches between the two, and a button for each single
 * sign-on provider. A provider's sign-in that was refused comes back here as `?error=<code>`.
 */
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { SIGN_IN_OPTIONS } from "../api/account-ops";
import { SIGN_IN, SIGN_UP } from "../api/ops";
import { useSession } from "../api/session";
import { useQuery } from "../api/use-query";
import { ErrorBox } from "../components/feedback";
import { Link, navigate } from "../router";

/** What a refused single sign-on says, by the code the server sent back (docs/ERRORS.md). */
export const SIGN_IN_ERRORS: Record<string, string> = {
  SSO_STATE_INVALID: "That sign-in link has expired or was already used. Start again with the button below.",
  SSO_REJECTED: "The provider did not confirm the sign-in (it was cancelled, or its answer failed our checks). Try again.",
  SSO_EMAIL_UNVERIFIED: "Your provider does not say that your email address is verified. Verify it there, then sign in again.",
  SSO_DOMAIN_NOT_ALLOWED: "Sign-in with this provider is open to the organisation's email addresses only.",
  SSO_UNAVAILABLE: "The provider could not be reached. Try again in a moment.",
  NOT_FOUND: "That sign-in provider is not configured here.",
  TOO_MANY_REQUESTS: "Too many sign-in attempts from here. Wait a minute, then try again.",
  PASSWORD_SIGN_IN_DISABLED: "Password sign-in is turned off here; use your organisation's sign-in.",
  INTERNAL_SERVER_ERROR: "Something went wrong while signing you in. Try again.",
};

function refusedSignIn(): { code: string; message: string } | null {
  const code = new URLSearchParams(window.location.search).get("error");
  if (!code) return null;
  return { code, message: SIGN_IN_ERRORS[code] ?? "The sign-in did not succeed. Try again." };
}

/** One button per provider; each is a full page load, since the provider is another site. */
function ProviderButtons({ providers, next, mode }: { providers: { id: string; name: string; startPath: string }[]; next: string; mode: "signin" | "signup" }) {
  if (providers.length === 0) return null;
  return (
    <div className="sso" aria-label="Single sign-on">
      {providers.map((provider) => (
        <a key={provider.id} className="button sso-button" href={`${provider.startPath}?next=${encodeURIComponent(next)}`}>
          {mode === "signin" ? "Sign in" : "Sign up"} with {provider.name}
        </a>
      ))}
    </div>
  );
}

export function AuthPage({ mode, next = "/projects" }: { mode: "signin" | "signup"; next?: string }) {
  const { setUser } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refused] = useState(refusedSignIn);
  const options = useQuery(SIGN_IN_OPTIONS, {});
  const providers = options.kind === "ready" ? options.data.signInOptions.providers : [];
  const password = options.kind !== "ready" || options.data.signInOptions.password;
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
      {refused && <ErrorBox message={refused.message} code={refused.code} />}
      <ProviderButtons providers={providers} next={next} mode={mode} />
      {providers.length > 0 && password && <p className="sso-or muted">or with your email and a password</p>}
      {password && <form onSubmit={submit} className="form">
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
      </form>}
      {password && <p className="muted">
        {mode === "signin" ? (
          <>New here? <Link href={`/signup${keep}`}>Create an account</Link></>
        ) : (
          <>Have an account? <Link href={`/signin${keep}`}>Sign in</Link></>
        )}
      </p>}
    </section>
  );
}
