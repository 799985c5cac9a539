/**
 * A user's sessions over HTTP: listed with browser, address and "this session", ended one by one
 * or all but this one, ended by a password change; nobody else sees or ends them.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { summariseUserAgent } from "./sessions.service.js";

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.33 Safari/537.36";
const SESSIONS = `{ sessions(first: 10) { nodes { id browser userAgent lastAddress current createdAt lastSeenAt } pageInfo { hasNextPage endCursor } } }`;
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code message } } }`;
const ME = `{ me { id } }`;
const PASSWORD = "correct horse battery";

interface SessionNode {
  id: string;
  browser: string;
  userAgent: string | null;
  lastAddress: string | null;
  current: boolean;
}

describe("sessions", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.stop());

  /** One person signed in from two browsers: a laptop (signed up there) and a phone. */
  async function twoBrowsers(email: string) {
    const laptop = new TestClient(api.url, { userAgent: FIREFOX, address: "203.0.113.7" });
    await laptop.signUp(email);
    const phone = new TestClient(api.url, { userAgent: CHROME, address: "198.51.100.20" });
    expect((await phone.data(SIGN_IN, { email, password: PASSWORD })).signIn.ok).toBe(true);
    return { laptop, phone };
  }
  const sessionsOf = async (client: TestClient) => (await client.data(SESSIONS)).sessions.nodes as SessionNode[];

  it("summarises user agents in a few words", () => {
    expect(summariseUserAgent(FIREFOX)).toBe("Firefox 133 on Windows");
    expect(summariseUserAgent(CHROME)).toBe("Chrome 131 on Linux");
    expect(summariseUserAgent("curl/8.5.0")).toBe("curl");
    expect(summariseUserAgent(null)).toBe("Unknown browser");
  });

  it("lists the caller's sessions with browser and address, marking this one", async () => {
    const { laptop, phone } = await twoBrowsers("lister@example.org");
    const seenFromLaptop = await sessionsOf(laptop);
    expect(seenFromLaptop).toHaveLength(2);
    expect(seenFromLaptop.map((s) => [s.browser, s.lastAddress, s.current]).sort()).toEqual([
      ["Chrome 131 on Linux", "198.51.100.20", false],
      ["Firefox 133 on Windows", "203.0.113.7", true],
    ]);
    const seenFromPhone = await sessionsOf(phone);
    expect(seenFromPhone.find((s) => s.current)?.browser).toBe("Chrome 131 on Linux");
    // Pages of one hold one session, with a cursor to the next.
    const page = (await laptop.data(`{ sessions(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }`)).sessions;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = (await laptop.data(`query ($after: String) { sessions(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage } } }`, { after: page.pageInfo.endCursor })).sessions;
    expect(next.nodes[0].id).not.toBe(page.nodes[0].id);
    expect(next.pageInfo.hasNextPage).toBe(false);
    // Anonymous callers have no sessions to list.
    const anonymous = await new TestClient(api.url).request(SESSIONS);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("ends one session: its next request is signed out, the other stays", async () => {
    const { laptop, phone } = await twoBrowsers("ender@example.org");
    const phoneSession = (await sessionsOf(laptop)).find((s) => !s.current)!;
    const ended = (await laptop.data(`mutation ($id: ID!) { endSession(id: $id) { ok error { code } session { id browser } } }`, { id: phoneSession.id })).endSession;
    expect(ended).toMatchObject({ ok: true, session: { id: phoneSession.id, browser: "Chrome 131 on Linux" } });
    expect((await phone.data(ME)).me).toBeNull();
    expect((await laptop.data(ME)).me).not.toBeNull();
    expect((await sessionsOf(laptop)).map((s) => s.id)).not.toContain(phoneSession.id);
    // Ending it again: it is gone.
    const again = (await laptop.data(`mutation ($id: ID!) { endSession(id: $id) { ok error { code } } }`, { id: phoneSession.id })).endSession;
    expect(again).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("another account can neither see nor end someone's session (NOT_FOUND)", async () => {
    const { laptop } = await twoBrowsers("victim@example.org");
    const stranger = new TestClient(api.url);
    await stranger.signUp("stranger@example.org");
    const target = (await sessionsOf(laptop))[0]!;
    expect((await sessionsOf(stranger)).map((s) => s.id)).not.toContain(target.id);
    const attempt = (await stranger.data(`mutation ($id: ID!) { endSession(id: $id) { ok error { code } session { id } } }`, { id: target.id })).endSession;
    expect(attempt).toEqual({ ok: false, error: { code: "NOT_FOUND" }, session: null });
    expect((await laptop.data(ME)).me).not.toBeNull();
    expect(await sessionsOf(laptop)).toHaveLength(2);
  });

  it("signs out everywhere else, and refuses to do it with an API token", async () => {
    const { laptop, phone } = await twoBrowsers("everywhere@example.org");
    const tablet = new TestClient(api.url);
    await tablet.data(SIGN_IN, { email: "everywhere@example.org", password: PASSWORD });
    const token = (await laptop.data(`mutation { createApiToken(name: "script") { token } }`)).createApiToken.token as string;
    // A token lists the sessions, none of them its own, but cannot end them.
    const listed = (await laptop.withoutCookies().withToken(token).data(SESSIONS)).sessions.nodes as SessionNode[];
    expect(listed.map((s) => s.current)).toEqual([false, false, false]);
    const viaToken = (await laptop.withoutCookies().withToken(token).data(`mutation { endOtherSessions { ok error { code } ended } }`)).endOtherSessions;
    expect(viaToken).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await sessionsOf(laptop)).toHaveLength(3);

    const result = (await laptop.data(`mutation { endOtherSessions { ok ended } }`)).endOtherSessions;
    expect(result).toEqual({ ok: true, ended: 2 });
    expect((await phone.data(ME)).me).toBeNull();
    expect((await tablet.data(ME)).me).toBeNull();
    expect((await laptop.data(ME)).me).not.toBeNull();
    expect((await sessionsOf(laptop)).map((s) => s.current)).toEqual([true]);
  });

  it("a password change asks the current password and ends every other session", async () => {
    const { laptop, phone } = await twoBrowsers("changer@example.org");
    const CHANGE = `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { ok error { code field message } ended } }`;
    const wrong = (await laptop.data(CHANGE, { input: { currentPassword: "not it at all", newPassword: "violet tangerine aqueduct" } })).changePassword;
    expect(wrong).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "currentPassword" } });
    const weak = (await laptop.data(CHANGE, { input: { currentPassword: PASSWORD, newPassword: "password1" } })).changePassword;
    expect(weak).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "newPassword" } });
    expect((await phone.data(ME)).me).not.toBeNull();

    const changed = (await laptop.data(CHANGE, { input: { currentPassword: PASSWORD, newPassword: "violet tangerine aqueduct" } })).changePassword;
    expect(changed).toEqual({ ok: true, error: null, ended: 1 });
    expect((await phone.data(ME)).me).toBeNull();
    expect((await laptop.data(ME)).me).not.toBeNull();
    const fresh = new TestClient(api.url);
    expect((await fresh.data(SIGN_IN, { email: "changer@example.org", password: PASSWORD })).signIn.ok).toBe(false);
    expect((await fresh.data(SIGN_IN, { email: "changer@example.org", password: "violet tangerine aqueduct" })).signIn.ok).toBe(true);
  });

  it("records an API token's last use", async () => {
    const owner = new TestClient(api.url);
    await owner.signUp("tokens@example.org");
    const token = (await owner.data(`mutation { createApiToken(name: "script") { token } }`)).createApiToken.token as string;
    const before = (await owner.data(`{ apiTokens(first: 5) { nodes { lastUsedAt } } }`)).apiTokens.nodes[0];
    expect(before.lastUsedAt).toBeNull();
    await owner.withoutCookies().withToken(token).data(ME);
    const after = (await owner.data(`{ apiTokens(first: 5) { nodes { lastUsedAt } } }`)).apiTokens.nodes[0];
    expect(Date.now() - Date.parse(after.lastUsedAt)).toBeLessThan(60_000);
  });
});
