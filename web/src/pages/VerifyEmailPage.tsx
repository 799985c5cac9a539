/** Where a verification link lands: verifies the address once, signed in or not. */
import { useEffect, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { VERIFY_EMAIL } from "../api/ops";
import { useSession } from "../api/session";
import { ErrorBox, Loading } from "../components/feedback";
import { Link } from "../router";

// A token works once: a second render (React's development double effects) must not spend it again.
const attempts = new Map<string, Promise<void>>();

export function VerifyEmailPage({ token }: { token: string }) {
  const { user } = useSession();
  const [state, setState] = useState<{ kind: "working" } | { kind: "done" } | { kind: "error"; message: string }>({ kind: "working" });
  useEffect(() => {
    if (!token) {
      setState({ kind: "error", message: "This link is incomplete. Open the link from the email again." });
      return;
    }
    let attempt = attempts.get(token);
    if (!attempt) {
      attempt = mutate(VERIFY_EMAIL, { token }, "verifyEmail").then(() => undefined);
      attempts.set(token, attempt);
    }
    let live = true;
    attempt.then(
      () => live && setState({ kind: "done" }),
      (e: unknown) => live && setState({ kind: "error", message: describeError(e) }),
    );
    return () => {
      live = false;
    };
  }, [token]);
  return (
    <section className="auth card" aria-labelledby="verify-title">
      <h1 id="verify-title">Email address</h1>
      {state.kind === "working" && <Loading what="Verifying your address" />}
      {state.kind === "done" && (
        <div className="callout ok" role="status">
          Your email address is verified. {user ? <Link href="/invitations">See your invitations</Link> : <Link href="/signin?next=/invitations">Sign in to see your invitations</Link>}
        </div>
      )}
      {state.kind === "error" && (
        <>
          <ErrorBox message={state.message} />
          <p className="muted">{user ? <Link href="/account">Send a new link from your account page</Link> : <Link href="/signin?next=/account">Sign in to send a new link</Link>}</p>
        </>
      )}
    </section>
  );
}
