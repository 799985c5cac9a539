import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";

const ME = `{ me { id email name } }`;
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code message field } user { id } } }`;
const CREATE_TOKEN = `mutation ($name: String!) { createApiToken(name: $name) { ok error { code message } token apiToken { id name prefix lastUsedAt revokedAt } } }`;

describe("accounts over HTTP", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.stop());

  it("signs up, reads me, signs out and in again with a fresh httpOnly SameSite session", async () => {
    const browser = new TestClient(api.url);
    const signUp = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation { signUp(input: { email: "Ada@Example.org", name: "Ada", password: "analytical engine" }) { ok user { id email } } }`,
      }),
    });
    const cookie = signUp.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^lossatlas_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // PUBLIC_URL here is http://localhost, where a Secure cookie would never come back.
    expect(cookie).not.toMatch(/Secure/i);
    const body = (await signUp.json()) as { data: { signUp: { ok: boolean; user: { email: string } } } };
    expect(body.data.signUp).toMatchObject({ ok: true, user: { email: "ada@example.org" } });

    expect((await browser.data(ME)).me).toBeNull();
    const first = await browser.data(SIGN_IN, { email: "ada@example.org", password: "analytical engine" });
    expect(first.signIn.ok).toBe(true);
    const cookieAfterFirst = (browser as unknown as { cookie: string }).cookie;
    expect((await browser.data(ME)).me).toMatchObject({ email: "ada@example.org", name: "Ada" });

    // Signing in again replaces the session id, and the old one stops working.
    await browser.data(SIGN_IN, { email: "ADA@example.org", password: "analytical engine" });
    const cookieAfterSecond = (browser as unknown as { cookie: string }).cookie;
    expect(cookieAfterSecond).not.toBe(cookieAfterFirst);
    const stale = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: cookieAfterFirst },
      body: JSON.stringify({ query: ME }),
    });
    expect(((await stale.json()) as { data: { me: unknown } }).data.me).toBeNull();

    await browser.data(`mutation { signOut { ok } }`);
    expect((await browser.data(ME)).me).toBeNull();
  });

  it("rejects wrong passwords, duplicate and malformed sign-ups with codes and fields", async () => {
    const client = new TestClient(api.url);
    await client.signUp("grace@example.org", "Grace");
    const wrong = await client.data(SIGN_IN, { email: "grace@example.org", password: "not her password" });
    expect(wrong.signIn).toMatchObject({ ok: false, user: null, error: { code: "UNAUTHENTICATED", message: "Wrong email or password" } });
    const unknown = await client.data(SIGN_IN, { email: "nobody@example.org", password: "whatever123" });
    expect(unknown.signIn.error).toEqual(wrong.signIn.error);

    const signUp = `mutation ($input: SignUpInput!) { signUp(input: $input) { ok error { code message field } } }`;
    // A taken email gets a refusal that does not say the email has an account.
    const taken = (await client.data(signUp, { input: { email: "GRACE@example.org", name: "G", password: "long enough pw" } })).signUp;
    expect(taken).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: null } });
    expect(taken.error.message).not.toMatch(/exist|taken|already|registered|in use/i);
    const cases = [
      [{ email: "not-an-email", name: "G", password: "long enough pw" }, "email", /valid email/],
      [{ email: "g2@example.org", name: "", password: "long enough pw" }, "name", /1 to 100/],
      [{ email: "g3@example.org", name: "G", password: "short" }, "password", /8 to 200/],
      [{ email: "g4@example.org", name: "G", password: "12345678" }, "password", /too easy to guess.*heavily used/],
    ] as const;
    for (const [input, field, message] of cases) {
      const result = (await client.data(signUp, { input })).signUp;
      expect(result.ok).toBe(false);
      expect(result.error.code).toBe("BAD_USER_INPUT");
      expect(result.error.field).toBe(field);
      expect(result.error.message).toMatch(message);
    }
  });

  it("locks out the client that guessed, never the right password from a client that has not failed", async () => {
    const owner = new TestClient(api.url).from("198.51.100.7");
    await owner.signUp("target@example.org", "T", "the right password");
    const attacker = new TestClient(api.url).from("203.0.113.66");
    for (let i = 0; i < 10; i++) {
      const wrong = await attacker.data(SIGN_IN, { email: "target@example.org", password: `guess number ${i}` });
      expect(wrong.signIn.error.code).toBe("UNAUTHENTICATED");
    }
    const blocked = await attacker.request(SIGN_IN, { email: "target@example.org", password: "the right password" });
    expect(blocked.data?.signIn).toMatchObject({ ok: false, error: { code: "TOO_MANY_REQUESTS" } });
    expect(Number(blocked.headers?.get("retry-after"))).toBeGreaterThan(0);
    // The owner, from their own address, signs in at once.
    const fromOwner = await new TestClient(api.url).from("198.51.100.7").data(SIGN_IN, { email: "target@example.org", password: "the right password" });
    expect(fromOwner.signIn.ok).toBe(true);
    // Another account is not affected for the attacker's client either.
    await owner.signUp("bystander2@example.org", "B", "another password");
    expect((await attacker.data(SIGN_IN, { email: "bystander2@example.org", password: "another password" })).signIn.ok).toBe(true);
  });

  it("API tokens: shown once, hashed at rest, record their use, revoked at once", async () => {
    const browser = new TestClient(api.url);
    const userId = await browser.signUp("linus@example.org");
    const created = (await browser.data(CREATE_TOKEN, { name: "laptop script" })).createApiToken;
    expect(created.ok).toBe(true);
    expect(created.token).toMatch(/^la_[\w-]{43}$/);
    expect(created.apiToken).toMatchObject({ name: "laptop script", prefix: created.token.slice(0, 9), lastUsedAt: null, revokedAt: null });

    const stored = await api.platform.pool.query("SELECT token_hash FROM api_tokens WHERE user_id = $1", [userId]);
    expect(Buffer.from(stored.rows[0].token_hash).toString("utf8")).not.toContain(created.token);
    expect(JSON.stringify(stored.rows)).not.toContain(created.token.slice(3));

    const script = new TestClient(api.url).withToken(created.token);
    expect((await script.data(ME)).me.id).toBe(userId);
    const listed = (await browser.data(`{ apiTokens(first: 10) { nodes { id lastUsedAt } pageInfo { hasNextPage } } }`)).apiTokens;
    expect(listed.nodes).toHaveLength(1);
    expect(listed.nodes[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);

    // A token cannot mint more tokens.
    const minted = (await script.data(CREATE_TOKEN, { name: "more" })).createApiToken;
    expect(minted).toMatchObject({ ok: false, token: null, error: { code: "FORBIDDEN" } });

    const revoked = (await browser.data(`mutation ($id: ID!) { revokeApiToken(id: $id) { ok apiToken { revokedAt } } }`, { id: created.apiToken.id })).revokeApiToken;
    expect(revoked.ok).toBe(true);
    expect(revoked.apiToken.revokedAt).not.toBeNull();
    const after = await script.request(ME);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const garbage = await new TestClient(api.url).withToken("la_forged").request(ME);
    expect(garbage.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("paginates tokens with cursors and rejects page sizes over 100", async () => {
    const browser = new TestClient(api.url);
    await browser.signUp("pager@example.org");
    for (let i = 0; i < 5; i++) await browser.data(CREATE_TOKEN, { name: `t${i}` });
    const page = `query ($after: String) { apiTokens(first: 2, after: $after) { nodes { name } pageInfo { endCursor hasNextPage } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const result: { apiTokens: { nodes: { name: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } } = await browser.data(page, { after });
      names.push(...result.apiTokens.nodes.map((n) => n.name));
      if (!result.apiTokens.pageInfo.hasNextPage) break;
      after = result.apiTokens.pageInfo.endCursor;
    }
    expect(names).toEqual(["t4", "t3", "t2", "t1", "t0"]);
    const tooMany = await browser.request(`{ apiTokens(first: 101) { nodes { id } } }`);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    const badCursor = await browser.request(`{ apiTokens(first: 1, after: "garbage") { nodes { id } } }`);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("a service behind https", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ PUBLIC_URL: "https://atlas.example.org" });
  });
  afterAll(async () => api?.stop());

  it("sends the session cookie Secure whenever PUBLIC_URL is https", async () => {
    const signUp = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `mutation { signUp(input: { email: "tls@example.org", name: "T", password: "analytical engine" }) { ok } }` }),
    });
    const cookie = signUp.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^lossatlas_session=[\w-]{43};/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    const signOut = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: cookie.split(";")[0]! },
      body: JSON.stringify({ query: `mutation { signOut { ok } }` }),
    });
    expect(signOut.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
  });
});

describe("rate limits per client address and per account", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_SIGN_IN_PER_MINUTE: "5", RATE_LIMIT_SIGN_UPS_PER_HOUR: "3", RATE_LIMIT_API_TOKENS_PER_HOUR: "2" });
  });
  afterAll(async () => api?.stop());

  it("refuses a client that tries many emails, with Retry-After, and spares other clients", async () => {
    const sprayer = new TestClient(api.url).from("203.0.113.9");
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sprayer.request(SIGN_IN, { email: `victim${i}@example.org`, password: "password123" })),
    );
    const limited = answers.filter((a) => a.data?.signIn.error?.code === "TOO_MANY_REQUESTS");
    expect(limited).toHaveLength(3);
    for (const answer of limited) expect(Number(answer.headers?.get("retry-after"))).toBeGreaterThan(0);
    const other = await new TestClient(api.url).from("198.51.100.20").data(SIGN_IN, { email: "victim0@example.org", password: "password123" });
    expect(other.signIn.error.code).toBe("UNAUTHENTICATED");
  });

  it("refuses parallel sign-ups from one client beyond the limit", async () => {
    const client = new TestClient(api.url).from("203.0.113.10");
    const signUp = `mutation ($input: SignUpInput!) { signUp(input: $input) { ok error { code } } }`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.withoutCookies().request(signUp, { input: { email: `burst${i}@example.org`, name: "B", password: "long enough pw" } })),
    );
    expect(answers.filter((a) => a.data?.signUp.ok)).toHaveLength(3);
    expect(answers.filter((a) => a.data?.signUp.error?.code === "TOO_MANY_REQUESTS")).toHaveLength(3);
  });

  it("counts API tokens per account, whichever address they come from", async () => {
    const browser = new TestClient(api.url).from("198.51.100.30");
    await browser.signUp("tokens@example.org");
    expect((await browser.data(CREATE_TOKEN, { name: "a" })).createApiToken.ok).toBe(true);
    expect((await browser.from("198.51.100.31").data(CREATE_TOKEN, { name: "b" })).createApiToken.ok).toBe(true);
    const third = await browser.from("198.51.100.32").data(CREATE_TOKEN, { name: "c" });
    expect(third.createApiToken).toMatchObject({ ok: false, error: { code: "TOO_MANY_REQUESTS" } });
  });
});
