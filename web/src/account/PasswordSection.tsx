/** Changing the password: the current one asked again; every other session is signed out. */
import { type FormEvent, useState } from "react";
import { CHANGE_PASSWORD } from "../api/account-ops";
import { describeError, mutate } from "../api/graphql";
import { Notice } from "../components/feedback";
import "./account.css";

export function PasswordSection({ onChanged }: { onChanged: () => void }) {
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    try {
      const { ended } = await mutate(CHANGE_PASSWORD, { input: { currentPassword: String(form.get("current") ?? ""), newPassword: String(form.get("next") ?? "") } }, "changePassword");
      const others = ended === 1 ? "1 other session was" : `${ended ?? 0} other sessions were`;
      setNotice({ message: `Password changed. ${others} signed out.`, tone: "ok" });
      formEl.reset();
      onChanged();
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  return (
    <section aria-labelledby="password-title" className="account-section">
      <h2 id="password-title">Password</h2>
      <p className="muted">Changing your password signs you out everywhere else: every other browser and device has to sign in again. API tokens keep working until you revoke them.</p>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label>
          Current password
          <input name="current" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password
          <input name="next" type="password" autoComplete="new-password" required minLength={8} maxLength={200} />
        </label>
        <div><button type="submit" className="primary">Change password</button></div>
      </form>
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
    </section>
  );
}
