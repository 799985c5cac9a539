/**
 * The GraphQL WebSocket: only pages of our own origin may open it with their cookies; it carries
 * subscriptions and nothing else; scripts authenticate with an API token in the connection params.
 */
import "reflect-metadata";
import { type Client, createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { TestClient, type TestApi, startTestApi } from "../testing/api.js";
import { mlpFiles, text, upload } from "../testing/uploads.js";
import { CREDENTIAL_ENDED_CLOSE, originAllowed, ownOrigins } from "./websocket.js";

const PROGRESS = `subscription ($id: ID!) { surfaceProgress(id: $id) { surfaceId status } }`;

interface Socket {
  client: Client;
  /** Resolves with the close code once the server closes the connection, if it does. */
  closed: Promise<number>;
  /** How many connections the client has opened (it opens another after a close). */
  opened(): number;
}

function socket(api: TestApi, options: { origin?: string; cookie?: string; connectionParams?: Record<string, unknown> }): Socket {
  let closed!: (code: number) => void;
  const done = new Promise<number>((resolve) => (closed = resolve));
  const headers: Record<string, string> = {};
  if (options.origin) headers.origin = options.origin;
  if (options.cookie) headers.cookie = options.cookie;
  const client = createClient({
    url: `${api.url.replace("http", "ws")}/graphql`,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
    connectionParams: options.connectionParams ?? {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closed((event as { code: number }).code), connected: () => void opened++ },
  });
  let opened = 0;
  return { client, closed: done, opened: () => opened };
}

/** Runs one operation to its end: its events, or the error it ended with. */
function run(s: Socket, query: string, variables: Record<string, unknown> = {}): Promise<{ events: unknown[]; error?: unknown }> {
  const events: unknown[] = [];
  return new Promise((resolve) => {
    s.client.subscribe(
      { query, variables },
      {
        next: (message) => events.push(message),
        error: (error) => resolve({ events, error }),
        complete: () => resolve({ events }),
      },
    );
  });
}

const errorCode = (error: unknown): string | undefined =>
  Array.isArray(error) ? (error[0] as { extensions?: { code?: string } }).extensions?.code : undefined;

describe("GraphQL over WebSocket", () => {
  let api: TestApi;
  let owner: TestClient;
  let cookie: string;
  let surfaceId: string;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    await owner.signUp("ws-owner@example.org");
    cookie = (owner as unknown as { cookie: string }).cookie;
    token = (await owner.data(`mutation { createApiToken(name: "ws") { token } }`)).createApiToken.token;
    const projectId = (await owner.data(`mutation { createProject(input: { name: "ws" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles();
    const model = await upload(owner, { projectId, kind: "MODEL" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const dataset = await owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
    const created = await owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
      input: { projectId, modelId: model.completed!.model!.id, datasetId: dataset.addBuiltinDataset.dataset.id, kind: "LINE", params: { x: { min: -1, max: 1, count: 3 } } },
    });
    surfaceId = created.createSurface.surface.id;
    // A cancelled surface's progress is one event and the end, so subscriptions here complete.
    await owner.data(`mutation ($id: ID!) { cancelSurface(id: $id) { ok } }`, { id: surfaceId });
  });
  afterAll(async () => api?.stop());

  it("refuses the upgrade from a page of a foreign origin, even with a valid session cookie", async () => {
    const port = new URL(api.url).port;
    for (const origin of [`http://127.0.0.1:${Number(port) + 1}`, "https://evil.example", "null"]) {
      const s = socket(api, { origin, cookie });
      const result = await run(s, PROGRESS, { id: surfaceId });
      expect(result.events).toEqual([]);
      expect(result.error).toBeDefined();
      await s.client.dispose();
    }
  });

  it("serves a subscription to a page of our own origin with its cookie", async () => {
    const s = socket(api, { origin: api.url, cookie });
    const result = await run(s, PROGRESS, { id: surfaceId });
    expect(result.error).toBeUndefined();
    expect(result.events).toEqual([{ data: { surfaceProgress: { surfaceId, status: "CANCELLED" } } }]);
    await s.client.dispose();
  });

  it("refuses queries and mutations over WebSocket", async () => {
    const s = socket(api, { origin: api.url, cookie });
    const before = (await owner.data(`{ apiTokens(first: 100) { nodes { id } } }`)).apiTokens.nodes.length;
    const mutation = await run(s, `mutation { createApiToken(name: "over ws") { token } }`);
    expect(errorCode(mutation.error)).toBe("FORBIDDEN");
    expect(mutation.events).toEqual([]);
    const query = await run(s, `{ me { id email } }`);
    expect(errorCode(query.error)).toBe("FORBIDDEN");
    expect((await owner.data(`{ apiTokens(first: 100) { nodes { id } } }`)).apiTokens.nodes.length).toBe(before);
    await s.client.dispose();
  });

  it("authenticates a script by API token in the connection params; a bad token closes the connection", async () => {
    const script = socket(api, { connectionParams: { authorization: `Bearer ${token}` } });
    const result = await run(script, PROGRESS, { id: surfaceId });
    expect(result.events).toEqual([{ data: { surfaceProgress: { surfaceId, status: "CANCELLED" } } }]);
    await script.client.dispose();

    // Without credentials the surface is as good as missing (the error is the stream's one result).
    const anonymous = socket(api, {});
    const refused = (await run(anonymous, PROGRESS, { id: surfaceId })).events as { errors?: unknown }[];
    expect(errorCode(refused[0]?.errors)).toBe("NOT_FOUND");
    await anonymous.client.dispose();

    const forged = socket(api, { connectionParams: { authorization: "Bearer la_forged" } });
    void run(forged, PROGRESS, { id: surfaceId });
    expect(await forged.closed).toBe(4403);
    await forged.client.dispose();
  });

  describe("a connection lasts no longer than its credential", () => {
    const PASSWORD = "lantern quarry velvet otter";
    /** A new user with a surface that stays queued (no worker here), so its subscription stays open. */
    async function userWithOpenSurface(email: string): Promise<{ client: TestClient; cookie: string; surfaceId: string }> {
      const client = new TestClient(api.url);
      await client.signUp(email, "Someone", PASSWORD);
      const projectId = (await client.data(`mutation { createProject(input: { name: "open" }) { project { id } } }`)).createProject.project.id;
      const files = await mlpFiles();
      const model = await upload(client, { projectId, kind: "MODEL" }, [
        { name: "model.json", bytes: text(files.modelJson) },
        { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
      ]);
      const dataset = await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
      const created = await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
        input: { projectId, modelId: model.completed!.model!.id, datasetId: dataset.addBuiltinDataset.dataset.id, kind: "LINE", params: { x: { min: -1, max: 1, count: 3 } } },
      });
      return { client, cookie: (client as unknown as { cookie: string }).cookie, surfaceId: created.createSurface.surface.id };
    }

    /** Opens the surface's progress and waits for its first event, so the subscription is live. */
    async function openProgress(options: { cookie?: string; connectionParams?: Record<string, unknown> }, surfaceId: string) {
      const s = socket(api, { origin: options.cookie ? api.url : undefined, ...options });
      let first!: () => void;
      const live = new Promise<void>((resolve) => (first = resolve));
      const events: unknown[] = [];
      s.client.subscribe({ query: PROGRESS, variables: { id: surfaceId } }, { next: (event) => (events.push(event), first()), error: () => undefined, complete: () => undefined });
      await live;
      expect(events).toEqual([{ data: { surfaceProgress: { surfaceId, status: "QUEUED" } } }]);
      return s;
    }

    it("closes on sign-out, while another session's connection stays open", async () => {
      const { client, cookie, surfaceId } = await userWithOpenSurface("ws-sign-out@example.org");
      const other = new TestClient(api.url);
      expect((await other.data(`mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { ok } }`, { e: "ws-sign-out@example.org", p: PASSWORD })).signIn.ok).toBe(true);
      const mine = await openProgress({ cookie }, surfaceId);
      const others = await openProgress({ cookie: (other as unknown as { cookie: string }).cookie }, surfaceId);
      await client.data(`mutation { signOut { ok } }`);
      expect(await mine.closed).toBe(CREDENTIAL_ENDED_CLOSE);
      // The other session's connection is untouched: it answers a new operation on the same connection.
      const missing = await run(others, PROGRESS, { id: "00000000-0000-0000-0000-000000000000" });
      expect(errorCode((missing.events[0] as { errors?: unknown }).errors)).toBe("NOT_FOUND");
      expect(others.opened()).toBe(1);
      await Promise.all([mine.client.dispose(), others.client.dispose()]);
    });

    it("closes the other sessions' connections on a password change", async () => {
      const { client, surfaceId } = await userWithOpenSurface("ws-password@example.org");
      const laptop = new TestClient(api.url);
      await laptop.data(`mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { ok } }`, { e: "ws-password@example.org", p: PASSWORD });
      const stolen = await openProgress({ cookie: (laptop as unknown as { cookie: string }).cookie }, surfaceId);
      const changed = await client.data(`mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { ok ended } }`, {
        input: { currentPassword: PASSWORD, newPassword: "a different and longer passphrase" },
      });
      expect(changed.changePassword).toEqual({ ok: true, ended: 1 });
      expect(await stolen.closed).toBe(CREDENTIAL_ENDED_CLOSE);
      await stolen.client.dispose();
    });

    it("closes a script's connection when its API token is revoked, and every connection when the account is deleted", async () => {
      const { client, cookie, surfaceId } = await userWithOpenSurface("ws-token@example.org");
      const created = (await client.data(`mutation { createApiToken(name: "script") { token apiToken { id } } }`)).createApiToken;
      const script = await openProgress({ connectionParams: { authorization: `Bearer ${created.token}` } }, surfaceId);
      const browser = await openProgress({ cookie }, surfaceId);
      await client.data(`mutation ($id: ID!) { revokeApiToken(id: $id) { ok } }`, { id: created.apiToken.id });
      expect(await script.closed).toBe(CREDENTIAL_ENDED_CLOSE);
      const deleted = await client.data(`mutation ($input: DeleteAccountInput!) { deleteAccount(input: $input) { ok error { code message } } }`, { input: { password: PASSWORD } });
      expect(deleted.deleteAccount.ok).toBe(true);
      expect(await browser.closed).toBe(CREDENTIAL_ENDED_CLOSE);
      await Promise.all([script.client.dispose(), browser.client.dispose()]);
    });
  });

  it("decides origins by PUBLIC_URL and ALLOWED_ORIGINS alone, never by the Host header", () => {
    const own = ownOrigins("https://atlas.example.org", true);
    expect(own).toEqual(["https://atlas.example.org"]);
    expect(originAllowed(undefined, own, [])).toBe(true);
    expect(originAllowed("https://atlas.example.org", own, [])).toBe(true);
    expect(originAllowed("http://atlas.example.org", own, [])).toBe(false);
    expect(originAllowed("http://localhost:4000", own, [])).toBe(false);
    expect(originAllowed("http://localhost:5173", own, ["http://localhost:5173"])).toBe(true);
    expect(originAllowed("null", own, [])).toBe(false);
    // An unset PUBLIC_URL is this machine's loopback, by name or by address, on the service's port.
    const local = ownOrigins("http://localhost:4000", false);
    for (const origin of ["http://localhost:4000", "http://127.0.0.1:4000", "http://[::1]:4000"]) expect(originAllowed(origin, local, [])).toBe(true);
    for (const origin of ["http://localhost:4001", "http://127.0.0.2:4000", "https://localhost:4000", "http://evil.example"]) expect(originAllowed(origin, local, [])).toBe(false);
    // Set explicitly, PUBLIC_URL is the one origin.
    expect(originAllowed("http://127.0.0.1:4000", ownOrigins("http://localhost:4000", true), [])).toBe(false);
  });
});
