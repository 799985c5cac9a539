/**
 * Single sign-on against a real OpenID provider (`oidc-provider`, started here) and the real API
 * on real PostgreSQL, over real HTTP redirects followed by a cookie-keeping client: sign-in,
 * linking to a password account by verified email, and every refusal: an unverified email, a
 * domain not allowed, a replayed callback, a state never issued, a tampered nonce and a code
 * from another sign-in (PKCE).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApi, TestClient, startTestApi } from "../server/src/testing/api.js";
import { RedirectingClient, type TestOidcProvider, startTestOidcProvider } from "./support/oidc-provider.js";

const ME = `{ me { id email name emailVerified } }`;
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code } user { id } } }`;

describe("single sign-on with OpenID Connect", () => {
  let provider: TestOidcProvider;
  let api: TestApi;
  /** Where browsers reach the service, as the provider's redirect URI names it. */
  let publicUrl: string;
  let callbackPrefix: string;

  beforeAll(async () => {
    provider = await startTestOidcProvider();
    const providers = [{ id: "lab", name: "Lab account", issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowedDomains: ["lab.example.org"] }];
    api = await startTestApi({ OIDC_PROVIDERS: JSON.stringify(providers) });
    publicUrl = api.api.services.publicUrl;
    callbackPrefix = `${publicUrl}/auth/oidc/lab/callback`;
    provider.serve([callbackPrefix]);
    provider.accounts.set("ada", { email: "ada@lab.example.org", email_verified: true, name: "Ada Lovelace" });
    provider.accounts.set("bob", { email: "Bob@lab.example.org", email_verified: true, name: "Bob at the lab" });
    provider.accounts.set("carol", { email: "carol@lab.example.org", email_verified: true, name: "Carol" });
    provider.accounts.set("unverified", { email: "dan@lab.example.org", email_verified: false, name: "Dan" });
    provider.accounts.set("outsider", { email: "eve@elsewhere.example.com", email_verified: true, name: "Eve" });
  });

  afterAll(async () => {
    await api?.stop();
    await provider?.stop();
  });

  /** Starts a sign-in and signs in at the provider as `login`; returns the callback URL it sends the browser to, not yet opened. */
  async function callbackFor(browser: RedirectingClient, login: string, tamper?: (authorizationUrl: URL) => void): Promise<string> {
    const start = await browser.fetch(`${publicUrl}/auth/oidc/lab/start?next=${encodeURIComponent("/projects?tab=mine")}`);
    expect(start.status).toBe(303);
    const authorization = new URL(start.headers.get("location")!);
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    tamper?.(authorization);
    const page = await browser.follow(authorization.href);
    expect(page.response?.status).toBe(200);
    expect(await page.response!.text()).toContain("Test provider: sign in");
    const back = await browser.follow(`${page.url}/login`, (next) => next.startsWith(callbackPrefix), { method: "POST", form: { login } });
    expect(back.url.startsWith(callbackPrefix)).toBe(true);
    return back.url;
  }

  /** Opens the callback; returns where it sends the browser. */
  async function open(browser: RedirectingClient, callback: string): Promise<string> {
    const response = await browser.fetch(callback);
    expect(response.status).toBe(303);
    return response.headers.get("location")!;
  }

  async function me(browser: RedirectingClient): Promise<{ id: string; email: string; name: string; emailVerified: boolean } | null> {
    const response = await fetch(`${publicUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: browser.cookieHeader(publicUrl) },
      body: JSON.stringify({ query: ME }),
    });
    return ((await response.json()) as { data: { me: never } }).data.me;
  }

  it("lists the provider and password sign-in for the sign-in page", async () => {
    const options = await new TestClient(api.url).data(`{ signInOptions { password providers { id name startPath } } }`);
    expect(options.signInOptions).toEqual({ password: true, providers: [{ id: "lab", name: "Lab account", startPath: "/auth/oidc/lab/start" }] });
  });

  it("signs in through the provider, creating a verified account without a password", async () => {
    const browser = new RedirectingClient();
    const next = await open(browser, await callbackFor(browser, "ada"));
    expect(next).toBe("/projects?tab=mine");
    const session = browser.cookies(publicUrl).get("lossatlas_session");
    expect(session).toBeTruthy();
    expect(await me(browser)).toMatchObject({ email: "ada@lab.example.org", name: "Ada Lovelace", emailVerified: true });
    // No password was set, so none signs in.
    const guess = await new TestClient(api.url).data(SIGN_IN, { email: "ada@lab.example.org", password: "" });
    expect(guess.signIn.error.code).toBe("UNAUTHENTICATED");
    // Signing in again finds the same account through the linked identity.
    const again = new RedirectingClient();
    await open(again, await callbackFor(again, "ada"));
    expect((await me(again))!.id).toBe((await me(browser))!.id);
    const identities = await api.platform.pool.query(`SELECT provider, user_id FROM oidc_identities WHERE email = 'ada@lab.example.org'`);
    expect(identities.rows).toEqual([{ provider: "lab", user_id: (await me(browser))!.id }]);
  });

  it("links to an existing password account with the same verified email, which keeps its password", async () => {
    const owner = new TestClient(api.url);
    const id = await owner.signUp("bob@lab.example.org", "Bob", "orchard ladder quartz wombat");
    await owner.verifyEmail("bob@lab.example.org");
    const browser = new RedirectingClient();
    await open(browser, await callbackFor(browser, "bob"));
    expect(await me(browser)).toMatchObject({ id, email: "bob@lab.example.org", name: "Bob" });
    expect((await new TestClient(api.url).data(SIGN_IN, { email: "bob@lab.example.org", password: "orchard ladder quartz wombat" })).signIn.ok).toBe(true);
    // The owner's own session goes on.
    expect((await owner.data(ME)).me.id).toBe(id);
  });

  it("takes an account whose address was never verified away from whoever signed it up", async () => {
    // Someone signs up with Carol's address before she ever comes, and never proves it.
    const squatter = new TestClient(api.url);
    const id = await squatter.signUp("carol@lab.example.org", "Not Carol", "squatting on someone's address");
    const browser = new RedirectingClient();
    await open(browser, await callbackFor(browser, "carol"));
    expect(await me(browser)).toMatchObject({ id, email: "carol@lab.example.org", emailVerified: true });
    // The squatter's session and password are gone.
    expect((await squatter.data(ME)).me).toBeNull();
    expect((await new TestClient(api.url).data(SIGN_IN, { email: "carol@lab.example.org", password: "squatting on someone's address" })).signIn.error.code).toBe("UNAUTHENTICATED");
  });

  it("makes one account when a person's first two sign-ins finish at once", async () => {
    provider.accounts.set("twice", { email: "twice@lab.example.org", email_verified: true, name: "Twice" });
    const [phone, laptop] = [new RedirectingClient(), new RedirectingClient()];
    const callbacks = await Promise.all([callbackFor(phone, "twice"), callbackFor(laptop, "twice")]);
    expect(await Promise.all([open(phone, callbacks[0]!), open(laptop, callbacks[1]!)])).toEqual(["/projects?tab=mine", "/projects?tab=mine"]);
    const [a, b] = await Promise.all([me(phone), me(laptop)]);
    expect(a!.id).toBe(b!.id);
    expect((await api.platform.pool.query(`SELECT 1 FROM users WHERE email = 'twice@lab.example.org'`)).rowCount).toBe(1);
  });

  it("refuses an email the provider does not mark verified", async () => {
    const browser = new RedirectingClient();
    expect(await open(browser, await callbackFor(browser, "unverified"))).toBe("/signin?error=SSO_EMAIL_UNVERIFIED");
    expect(browser.cookies(publicUrl).has("lossatlas_session")).toBe(false);
    expect((await api.platform.pool.query(`SELECT 1 FROM users WHERE email = 'dan@lab.example.org'`)).rowCount).toBe(0);
  });

  it("refuses an email outside the allowed domains", async () => {
    const browser = new RedirectingClient();
    expect(await open(browser, await callbackFor(browser, "outsider"))).toBe("/signin?error=SSO_DOMAIN_NOT_ALLOWED");
    expect(await me(browser)).toBeNull();
    expect((await api.platform.pool.query(`SELECT 1 FROM users WHERE email = 'eve@elsewhere.example.com'`)).rowCount).toBe(0);
  });

  it("refuses a replayed callback, in the same browser or another", async () => {
    const browser = new RedirectingClient();
    const callback = await callbackFor(browser, "ada");
    const state = browser.cookies(publicUrl).get("lossatlas_sso_state")!;
    expect(await open(browser, callback)).toBe("/projects?tab=mine");
    // The same code and state again, even with the state cookie put back.
    const attacker = new RedirectingClient();
    attacker.cookies(publicUrl).set("lossatlas_sso_state", state);
    expect(await open(attacker, callback)).toBe("/signin?error=SSO_STATE_INVALID");
    expect(await me(attacker)).toBeNull();
    browser.cookies(publicUrl).set("lossatlas_sso_state", state);
    browser.cookies(publicUrl).delete("lossatlas_session");
    expect(await open(browser, callback)).toBe("/signin?error=SSO_STATE_INVALID");
    expect(await me(browser)).toBeNull();
  });

  it("refuses a callback whose state was never issued, or that another browser started", async () => {
    const browser = new RedirectingClient();
    const callback = new URL(await callbackFor(browser, "ada"));
    // A forged state, with a cookie to match it.
    const forged = new RedirectingClient();
    forged.cookies(publicUrl).set("lossatlas_sso_state", "forged-state-value-0123456789");
    const wrong = new URL(callback);
    wrong.searchParams.set("state", "forged-state-value-0123456789");
    expect(await open(forged, wrong.href)).toBe("/signin?error=SSO_STATE_INVALID");
    // The real callback, sent to a victim's browser that never started a sign-in (login CSRF).
    const victim = new RedirectingClient();
    expect(await open(victim, callback.href)).toBe("/signin?error=SSO_STATE_INVALID");
    expect(await me(victim)).toBeNull();
    // A callback without any state.
    expect(await open(new RedirectingClient(), `${callbackPrefix}?code=abc`)).toBe("/signin?error=SSO_STATE_INVALID");
  });

  it("refuses an ID token for another nonce (a tampered authorization request)", async () => {
    const browser = new RedirectingClient();
    const callback = await callbackFor(browser, "ada", (url) => url.searchParams.set("nonce", "the-attackers-own-nonce"));
    expect(await open(browser, callback)).toBe("/signin?error=SSO_REJECTED");
    expect(await me(browser)).toBeNull();
  });

  it("refuses a code from another sign-in injected into the victim's callback (PKCE)", async () => {
    const attacker = new RedirectingClient();
    const attackersCode = new URL(await callbackFor(attacker, "outsider")).searchParams.get("code")!;
    const victim = new RedirectingClient();
    const victimsCallback = new URL(await callbackFor(victim, "ada"));
    victimsCallback.searchParams.set("code", attackersCode);
    expect(await open(victim, victimsCallback.href)).toBe("/signin?error=SSO_REJECTED");
    expect(await me(victim)).toBeNull();
  });

  it("answers an unknown provider and a provider's refusal on the sign-in page", async () => {
    const unknown = await new RedirectingClient().fetch(`${publicUrl}/auth/oidc/nobody/start`);
    expect(unknown.headers.get("location")).toBe("/signin?error=NOT_FOUND");
    // The person cancels at the provider: it comes back with error=access_denied and the state.
    const browser = new RedirectingClient();
    const callback = new URL(await callbackFor(browser, "ada"));
    callback.searchParams.delete("code");
    callback.searchParams.delete("iss");
    callback.searchParams.set("error", "access_denied");
    expect(await open(browser, callback.href)).toBe("/signin?error=SSO_REJECTED");
  });
});

describe("password sign-in turned off", () => {
  let provider: TestOidcProvider;
  let api: TestApi;

  beforeAll(async () => {
    provider = await startTestOidcProvider();
    const providers = [{ id: "lab", name: "Lab account", issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret }];
    api = await startTestApi({ OIDC_PROVIDERS: JSON.stringify(providers), PASSWORD_SIGN_IN: "false" });
  });

  afterAll(async () => {
    await api?.stop();
    await provider?.stop();
  });

  it("refuses password sign-up, sign-in and reset with PASSWORD_SIGN_IN_DISABLED", async () => {
    const client = new TestClient(api.url);
    expect((await client.data(`{ signInOptions { password providers { id } } }`)).signInOptions).toEqual({ password: false, providers: [{ id: "lab" }] });
    const signUp = await client.data(`mutation ($input: SignUpInput!) { signUp(input: $input) { ok error { code message } } }`, {
      input: { email: "someone@example.org", name: "Someone", password: "orchard ladder quartz wombat" },
    });
    expect(signUp.signUp).toMatchObject({ ok: false, error: { code: "PASSWORD_SIGN_IN_DISABLED" } });
    expect((await client.data(SIGN_IN, { email: "someone@example.org", password: "x" })).signIn.error.code).toBe("PASSWORD_SIGN_IN_DISABLED");
    const reset = await client.data(`mutation { requestPasswordReset(email: "someone@example.org") { ok error { code } } }`);
    expect(reset.requestPasswordReset.error.code).toBe("PASSWORD_SIGN_IN_DISABLED");
  });
});
