/**
 * Accounts, sign-in limits, the WebSocket and share links attacked as an adversary would, against
 * the real `lossatlas start` stack over real HTTP. Each case is an attack an outside probe of the
 * running service tried; each must now be refused.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { TestClient } from "../server/src/testing/api.js";
import { mlpFiles, text, upload } from "../server/src/testing/uploads.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { ok error { code message field } user { id } } }`;
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code message } user { id } } }`;

/** Opens the GraphQL WebSocket with these headers; resolves with the upgrade's status and, when it opened, whether graphql-ws acknowledged. */
function openSocket(url: string, headers: Record<string, string>): Promise<{ status: number; acknowledged: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace("http", "ws")}/graphql`, "graphql-transport-ws", { headers });
    socket.on("unexpected-response", (_request, response) => {
      resolve({ status: response.statusCode ?? 0, acknowledged: false });
      socket.terminate();
    });
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      resolve({ status: 101, acknowledged: message.type === "connection_ack" });
      socket.close();
    });
    socket.on("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe("accounts under attack", () => {
  let stack: RunningStack;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    // Nothing configured about proxies: the service is reached directly, as `npm start` runs it.
    stack = await startStack(dataDir, { WORKERS: "0", SIGN_IN_LOCKOUT_FAILURES: "3", RATE_LIMIT_SIGN_IN_PER_MINUTE: "1000", RATE_LIMIT_SIGN_UPS_PER_HOUR: "1000" });
    url = stack.runtime.url;
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("refuses weak passwords at sign-up, saying what is wrong with them", async () => {
    const client = new TestClient(url);
    for (const [i, password] of ["12345678", "password", "qwertyuiop", "weak-account-1"].entries()) {
      const email = i === 3 ? "weak-account@example.org" : `weak${i}@example.org`;
      const result = (await client.withoutCookies().data(SIGN_UP, { input: { email, name: "Weak", password } })).signUp;
      expect(result, password).toMatchObject({ ok: false, user: null, error: { code: "BAD_USER_INPUT", field: "password" } });
      expect(result.error.message).toMatch(/^This password is too easy to guess/);
    }
    const common = (await client.withoutCookies().data(SIGN_UP, { input: { email: "weak@example.org", name: "Weak", password: "password" } })).signUp;
    expect(common.error.message).toMatch(/heavily used password/);
    // No account was made: signing in with it fails like any wrong password.
    expect((await client.data(SIGN_IN, { email: "weak0@example.org", password: "12345678" })).signIn.error.code).toBe("UNAUTHENTICATED");
    // A strong one is accepted as before.
    const strong = (await client.withoutCookies().data(SIGN_UP, { input: { email: "strong@example.org", name: "Strong", password: "violet tugboat marmalade" } })).signUp;
    expect(strong.ok).toBe(true);
  });

  it("keeps the sign-in lockout whatever X-Forwarded-For says when no proxy is trusted", async () => {
    await new TestClient(url).signUp("locked@example.org", "Locked", "lighthouse keeper's ledger");
    const attacker = new TestClient(url);
    for (let i = 0; i < 3; i++) {
      expect((await attacker.data(SIGN_IN, { email: "locked@example.org", password: `guess number ${i}` })).signIn.error.code).toBe("UNAUTHENTICATED");
    }
    expect((await attacker.data(SIGN_IN, { email: "locked@example.org", password: "guess again" })).signIn.error.code).toBe("TOO_MANY_REQUESTS");
    // The probe's attack: a fresh forwarded address per attempt.
    for (let i = 1; i <= 5; i++) {
      const spoofed = attacker.from(`10.9.8.${i}`);
      const answer = await spoofed.request(SIGN_IN, { email: "locked@example.org", password: `forwarded guess ${i}` });
      expect(answer.data?.signIn.error.code, `X-Forwarded-For: 10.9.8.${i}`).toBe("TOO_MANY_REQUESTS");
    }
  });

  it("refuses a WebSocket from a foreign origin even when it names itself as the Host", async () => {
    const victim = new TestClient(url);
    await victim.signUp("ws-victim@example.org", "Victim", "quiet harbour at dawn");
    const cookie = (victim as unknown as { cookie: string }).cookie;
    const attack = await openSocket(url, { origin: "http://evil.example", host: "evil.example", cookie });
    expect(attack).toEqual({ status: 401, acknowledged: false });
    // Another port of the service's own host is another origin too.
    const port = Number(new URL(url).port);
    expect((await openSocket(url, { origin: `http://localhost:${port + 1}`, host: `localhost:${port + 1}`, cookie })).status).toBe(401);
    // The service's own origin (PUBLIC_URL) still opens it.
    expect(await openSocket(url, { origin: new URL(url).origin, cookie })).toEqual({ status: 101, acknowledged: true });
  });

  it("revokes the surface links a removed editor made, and names each link's creator", async () => {
    const owner = new TestClient(url);
    await owner.signUp("link-owner@example.org", "Olive Owner", "orchard of quiet pears");
    const projectId = (await owner.data(`mutation { createProject(input: { name: "Links" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles();
    const model = await upload(owner, { projectId, kind: "MODEL" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const dataset = await owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
    const surfaceId = (
      await owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
        input: {
          projectId,
          name: "Shared plane",
          modelId: model.completed!.model!.id,
          datasetId: dataset.addBuiltinDataset.dataset.id,
          kind: "PLANE",
          params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 } },
        },
      })
    ).createSurface.surface.id as string;

    const editor = new TestClient(url);
    const editorId = await editor.signUp("link-editor@example.org", "Eddie Editor", "granite staircase echo");
    await owner.data(`mutation ($p: ID!) { inviteProjectMember(projectId: $p, email: "link-editor@example.org", role: EDITOR) { ok } }`, { p: projectId });
    const invitation = (await editor.data(`{ myInvitations(first: 5) { nodes { id } } }`)).myInvitations.nodes[0].id;
    await editor.verifyEmail("link-editor@example.org", path.join(dataDir, "mail"));
    expect((await editor.data(`mutation ($id: ID!) { acceptInvitation(id: $id) { ok } }`, { id: invitation })).acceptInvitation.ok).toBe(true);

    const createLink = `mutation ($s: ID!) { createSurfaceLink(surfaceId: $s, view: "mode=3d") { ok error { code message } link { id path } } }`;
    const editorsLink = (await editor.data(createLink, { s: surfaceId })).createSurfaceLink.link;
    const ownersLink = (await owner.data(createLink, { s: surfaceId })).createSurfaceLink.link;
    const tokenOf = (path: string) => path.split("/")[2]!;
    const opens = async (path: string) => (await new TestClient(url).request(`query ($t: String!) { sharedLink(token: $t) { kind surfaceId } }`, { t: tokenOf(path) }));
    expect((await opens(editorsLink.path)).data?.sharedLink.surfaceId).toBe(surfaceId);

    // The sharing panel says whose link each one is.
    const panel = `query ($p: ID!) { project(id: $p) { surfaceLinks(first: 10, includeRevoked: true) { nodes { id revokedAt createdBy { name } } } } }`;
    const before = (await owner.data(panel, { p: projectId })).project.surfaceLinks.nodes as { id: string; revokedAt: string | null; createdBy: { name: string } | null }[];
    expect(before.find((l) => l.id === editorsLink.id)?.createdBy?.name).toBe("Eddie Editor");
    expect(before.find((l) => l.id === ownersLink.id)?.createdBy?.name).toBe("Olive Owner");

    await owner.data(`mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { ok } }`, { p: projectId, u: editorId });
    // The probe's attack: the removed editor's link, opened by anyone.
    const afterRemoval = await opens(editorsLink.path);
    expect(afterRemoval.data?.sharedLink ?? null).toBeNull();
    expect(afterRemoval.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    // The owner's own link still opens, and the panel shows the editor's as revoked.
    expect((await opens(ownersLink.path)).data?.sharedLink.surfaceId).toBe(surfaceId);
    const after = (await owner.data(panel, { p: projectId })).project.surfaceLinks.nodes as { id: string; revokedAt: string | null; createdBy: { name: string } | null }[];
    expect(after.find((l) => l.id === editorsLink.id)?.revokedAt).not.toBeNull();
    expect(after.find((l) => l.id === ownersLink.id)?.revokedAt).toBeNull();
  });
});
