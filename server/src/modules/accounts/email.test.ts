import "reflect-metadata";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, linkTokenInMailFolder, startTestApi } from "../../testing/api.js";
import { type TestSmtp, startTestSmtp } from "../../testing/smtp.js";
import { hashSecret } from "./secrets.js";

const ME = `{ me { id email emailVerified } }`;
const REQUEST = `mutation ($email: String!) { requestPasswordReset(email: $email) { ok error { code message field } } }`;
const RESET = `mutation ($token: String!, $password: String!) { resetPassword(token: $token, password: $password) { ok error { code message field } user { id email } } }`;
const VERIFY = `mutation ($token: String!) { verifyEmail(token: $token) { ok error { code message field } } }`;
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code } } }`;
const tokenOf = (link: string | undefined) => new URL(link!).searchParams.get("token")!;

describe("email through a real SMTP server", () => {
  let api: TestApi;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    api = await startTestApi({ SMTP_URL: smtp.url, MAIL_FROM: "Atlas <atlas@example.org>", PUBLIC_URL: "http://atlas.test" });
  });
  afterAll(async () => {
    await api?.stop();
    await smtp?.stop();
  });

  it("resets a password with a single-use link stored hashed, ending every session", async () => {
    const laptop = new TestClient(api.url);
    await laptop.signUp("reset@example.org", "Rhea", "original quiet harbour");
    const phone = new TestClient(api.url);
    expect((await phone.data(SIGN_IN, { email: "reset@example.org", password: "original quiet harbour" })).signIn.ok).toBe(true);

    const anonymous = new TestClient(api.url);
    expect((await anonymous.data(REQUEST, { email: "Reset@Example.org" })).requestPasswordReset).toEqual({ ok: true, error: null });
    const mail = await smtp.waitFor("reset@example.org", "new Loss Atlas password");
    expect(mail.link).toMatch(/^http:\/\/atlas\.test\/reset-password\?token=[\w-]{43}$/);
    const token = tokenOf(mail.link);

    // At rest: only the SHA-256 of the token.
    const stored = await api.api.services.pool.query<{ token_hash: Buffer }>(`SELECT token_hash FROM email_tokens WHERE purpose = 'password-reset'`);
    expect(stored.rows.map((r) => r.token_hash.toString("hex"))).toContain(hashSecret(token).toString("hex"));
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    // A weak password is refused and leaves the link usable.
    const weak = (await anonymous.data(RESET, { token, password: "password1" })).resetPassword;
    expect(weak).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "password" } });
    const done = (await anonymous.data(RESET, { token, password: "new violet lantern river" })).resetPassword;
    expect(done).toMatchObject({ ok: true, user: { email: "reset@example.org" } });
    // The browser that reset is signed in; the others are signed out.
    expect((await anonymous.data(ME)).me).toMatchObject({ email: "reset@example.org", emailVerified: true });
    expect((await laptop.data(ME)).me).toBeNull();
    expect((await phone.data(ME)).me).toBeNull();
    expect((await laptop.data(SIGN_IN, { email: "reset@example.org", password: "original quiet harbour" })).signIn.error.code).toBe("UNAUTHENTICATED");
    expect((await laptop.data(SIGN_IN, { email: "reset@example.org", password: "new violet lantern river" })).signIn.ok).toBe(true);

    // Single use.
    const again = (await new TestClient(api.url).data(RESET, { token, password: "another amber meadow" })).resetPassword;
    expect(again).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "token" } });
  });

  it("refuses an expired link", async () => {
    const client = new TestClient(api.url);
    await client.signUp("expiry@example.org", "Ezra", "slow granite compass");
    await client.data(REQUEST, { email: "expiry@example.org" });
    const token = tokenOf((await smtp.waitFor("expiry@example.org", "new Loss Atlas password")).link);
    await api.api.services.pool.query(`UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashSecret(token)]);
    const late = (await client.data(RESET, { token, password: "new violet lantern river" })).resetPassword;
    expect(late).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "token" } });
    expect(late.error.message).toMatch(/expired or was already used/);
  });

  it("answers an unknown address exactly as a known one, and sends it nothing", async () => {
    const client = new TestClient(api.url);
    await client.signUp("known@example.org", "Kim", "tidal copper orchard");
    const known = await client.data(REQUEST, { email: "known@example.org" });
    const unknown = await client.data(REQUEST, { email: "nobody-here@example.org" });
    expect(unknown).toEqual(known);
    await smtp.waitFor("known@example.org", "new Loss Atlas password");
    expect(smtp.received.some((m) => m.to === "nobody-here@example.org")).toBe(false);
    const malformed = (await client.data(REQUEST, { email: "not-an-address" })).requestPasswordReset;
    expect(malformed).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "email" } });
  });

  it("verifies the address from the sign-up email; an unverified account cannot join by invitation", async () => {
    const owner = new TestClient(api.url);
    await owner.signUp("lab-owner@example.org", "Olga", "bright cobalt meadow");
    const project = (await owner.data(`mutation { createProject(input: { name: "Mailed lab" }) { project { id } } }`)).createProject.project.id;
    const invited = await owner.data(
      `mutation ($id: ID!) { inviteProjectMember(projectId: $id, email: "student@example.org", role: VIEWER) { ok invitation { id } } }`,
      { id: project },
    );
    const invitationMail = await smtp.waitFor("student@example.org", "Mailed lab");
    expect(invitationMail.text).toContain("Olga invited you to join the project “Mailed lab” as viewer");
    expect(invitationMail.link).toBe("http://atlas.test/invitations");

    const student = new TestClient(api.url);
    await student.signUp("student@example.org", "Sam", "lunar basalt tramway");
    expect((await student.data(ME)).me.emailVerified).toBe(false);
    const accept = `mutation ($id: ID!) { acceptInvitation(id: $id) { ok error { code } } }`;
    const early = await student.data(accept, { id: invited.inviteProjectMember.invitation.id });
    expect(early.acceptInvitation).toMatchObject({ ok: false, error: { code: "EMAIL_NOT_VERIFIED" } });

    const token = tokenOf((await smtp.waitFor("student@example.org", "Verify your Loss Atlas email")).link);
    // Another user's view of Sam never says whether Sam is verified.
    expect((await new TestClient(api.url).data(VERIFY, { token })).verifyEmail).toEqual({ ok: true, error: null });
    expect((await student.data(ME)).me.emailVerified).toBe(true);
    expect((await student.data(VERIFY, { token })).verifyEmail).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "token" } });
    expect((await student.data(accept, { id: invited.inviteProjectMember.invitation.id })).acceptInvitation.ok).toBe(true);

    // Send again: nothing to send once verified.
    expect((await student.data(`mutation { sendVerificationEmail { ok sent } }`)).sendVerificationEmail).toEqual({ ok: true, sent: false });
  });
});

describe("email without SMTP", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.stop());

  it("keeps each message as an .eml file under $DATA_DIR/mail, whose link works", async () => {
    const client = new TestClient(api.url);
    await client.signUp("offline@example.org", "Otto", "quiet walnut satellite");
    const folder = path.join(api.platform.dataDir, "mail");
    const token = await linkTokenInMailFolder(folder, "offline@example.org", "/verify-email");
    const files = await fs.readdir(folder);
    expect(files.some((f) => f.endsWith(".eml"))).toBe(true);
    const eml = await fs.readFile(path.join(folder, files[0]!), "utf8");
    expect(eml).toMatch(/^Subject: Verify your Loss Atlas email address$/m);
    expect((await client.data(VERIFY, { token })).verifyEmail.ok).toBe(true);
    expect((await client.data(ME)).me.emailVerified).toBe(true);
  });
});

describe("account email limits", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_ACCOUNT_EMAILS_PER_HOUR: "2" });
  });
  afterAll(async () => api?.stop());

  it("limits reset requests per client address and per email address, with Retry-After", async () => {
    const client = new TestClient(api.url);
    const ask = (from: string, email: string) => client.from(from).request(REQUEST, { email });
    // One client, many addresses.
    expect((await ask("203.0.113.1", "a1@example.org")).data!.requestPasswordReset.ok).toBe(true);
    expect((await ask("203.0.113.1", "a2@example.org")).data!.requestPasswordReset.ok).toBe(true);
    const third = await ask("203.0.113.1", "a3@example.org");
    expect(third.data!.requestPasswordReset.error.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(third.headers!.get("retry-after"))).toBeGreaterThan(0);
    // One address, many clients.
    expect((await ask("203.0.113.2", "target@example.org")).data!.requestPasswordReset.ok).toBe(true);
    expect((await ask("203.0.113.3", "target@example.org")).data!.requestPasswordReset.ok).toBe(true);
    expect((await ask("203.0.113.4", "Target@Example.org")).data!.requestPasswordReset.error.code).toBe("TOO_MANY_REQUESTS");
    // Another address from a fresh client is unaffected.
    expect((await ask("203.0.113.5", "someone-else@example.org")).data!.requestPasswordReset.ok).toBe(true);
  });
});

describe("a mail server that is down", () => {
  let api: TestApi;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    api = await startTestApi({ SMTP_URL: "smtp://127.0.0.1:1" });
  });
  afterAll(async () => api?.stop());

  it("still signs up, and says so plainly when a link is asked for again", async () => {
    const client = new TestClient(api.url);
    await client.signUp("patient@example.org", "Pat", "orchid basalt voyage");
    const again = (await client.data(`mutation { sendVerificationEmail { ok sent error { code message } } }`)).sendVerificationEmail;
    expect(again).toMatchObject({ ok: false, sent: null, error: { code: "SERVICE_UNAVAILABLE", message: "The mail server did not take the message; try again in a few minutes" } });
    // Asking for a reset answers as ever: delivery happens after the answer.
    expect((await client.data(REQUEST, { email: "patient@example.org" })).requestPasswordReset).toEqual({ ok: true, error: null });
  });
});
