/** The account's address: verified or not, with "Send again" for the link. */
import { useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { EMAIL_VERIFIED, SEND_VERIFICATION_EMAIL } from "../api/ops";
import { useQuery } from "../api/use-query";
import { ErrorBox, Notice } from "./feedback";

export function EmailVerification({ email }: { email: string | null | undefined }) {
  const state = useQuery(EMAIL_VERIFIED, {});
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const [busy, setBusy] = useState(false);
  if (state.kind === "loading") return null;
  if (state.kind === "error") return <ErrorBox message={state.message} code={state.code} onRetry={state.reload} />;
  const verified = state.data.me?.emailVerified ?? false;
  const sendAgain = async () => {
    setBusy(true);
    try {
      const payload = await mutate(SEND_VERIFICATION_EMAIL, {}, "sendVerificationEmail");
      setNotice(payload.sent ? { message: `Sent a new link to ${email ?? "your address"}.`, tone: "ok" } : { message: "Your address is already verified.", tone: "ok" });
      state.reload();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="email-verification" data-testid="email-verification" data-state={verified ? "verified" : "unverified"}>
      <p>
        <span className={verified ? "badge status-ready" : "badge"}>{verified ? "verified" : "unverified"}</span>{" "}
        {verified ? (
          <span className="muted">You have confirmed that this address is yours.</span>
        ) : (
          <>
            <span className="muted">Open the link we emailed you. Until then you cannot accept invitations to projects.</span>{" "}
            <button type="button" onClick={() => void sendAgain()} disabled={busy}>Send again</button>
          </>
        )}
      </p>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
    </div>
  );
}
