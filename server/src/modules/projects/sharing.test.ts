import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { mlpFiles, text, upload } from "../../testing/uploads.js";

const LINE = { kind: "LINE", params: { x: { min: -1, max: 1, count: 3 } } };

describe("share links and invitations", () => {
  let api: TestApi;
  let owner: TestClient;
  let projectId: string;
  let shared: string;
  let unshared: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    await owner.signUp("sharer@example.org", "Sharer");
    projectId = (await owner.data(`mutation { createProject(input: { name: "private work" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles();
    const model = await upload(owner, { projectId, kind: "MODEL" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const dataset = await owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
    const make = async (name: string) =>
      (
        await owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
          input: { projectId, name, modelId: model.completed!.model!.id, datasetId: dataset.addBuiltinDataset.dataset.id, ...LINE },
        })
      ).createSurface.surface.id as string;
    shared = await make("shared one");
    unshared = await make("never shared");
  });
  afterAll(async () => api?.stop());

  it("'Share view' links one surface: the project stays private and nothing else opens", async () => {
    const made = await owner.data(
      `mutation ($id: ID!) { createSurfaceLink(surfaceId: $id, view: "mode=heatmap&metric=loss") { ok link { id path view surfaceName createdBy { name } } } }`,
      { id: shared },
    );
    const link = made.createSurfaceLink.link;
    expect(link).toMatchObject({ view: "mode=heatmap&metric=loss", surfaceName: "shared one", createdBy: { name: "Sharer" } });
    expect(link.path).toMatch(new RegExp(`^/share/[\\w-]+/surfaces/${shared}\\?mode=heatmap&metric=loss$`));
    const token = link.path.split("/")[2];

    const project = await owner.data(`query ($id: ID!) { project(id: $id) { visibility shareToken surfaceLinks(first: 10) { nodes { id surfaceId } } } }`, {
      id: projectId,
    });
    expect(project.project).toMatchObject({ visibility: "PRIVATE", shareToken: null, surfaceLinks: { nodes: [{ id: link.id, surfaceId: shared }] } });

    const stranger = new TestClient(api.url).withShareToken(token);
    expect((await stranger.data(`query ($id: ID!) { surface(id: $id) { name myRole } }`, { id: shared })).surface).toEqual({ name: "shared one", myRole: "SURFACE_LINK" });
    for (const [query, variables] of [
      [`query ($id: ID!) { surface(id: $id) { id } }`, { id: unshared }],
      [`query ($id: ID!) { project(id: $id) { id } }`, { id: projectId }],
      [`query ($id: ID!) { models(projectId: $id, first: 5) { nodes { id } } }`, { id: projectId }],
      [`query ($id: ID!) { datasets(projectId: $id, first: 5) { nodes { id } } }`, { id: projectId }],
      [`query ($id: ID!, $other: ID!) { compare(ids: [$id, $other]) { min } }`, { id: shared, other: unshared }],
    ] as const) {
      const answer = await stranger.request(query, variables);
      expect(answer.errors?.[0]?.extensions?.code, query).toBe("NOT_FOUND");
    }

    const revoked = await owner.data(`mutation ($id: ID!) { revokeSurfaceLink(id: $id) { ok link { revokedAt } } }`, { id: link.id });
    expect(revoked.revokeSurfaceLink.link.revokedAt).not.toBeNull();
    expect((await stranger.request(`query ($id: ID!) { surface(id: $id) { id } }`, { id: shared })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await stranger.request(`query ($t: String!) { sharedLink(token: $t) { kind } }`, { t: token })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("the project link gives the whole project read-only, and rotating it ends the old one at once", async () => {
    const on = await owner.data(`mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: LINK) { project { shareToken } } }`, { id: projectId });
    const token = on.setProjectVisibility.project.shareToken;
    const holder = new TestClient(api.url).withShareToken(token);
    expect((await holder.data(`query ($t: String!) { sharedLink(token: $t) { kind projectId } }`, { t: token })).sharedLink).toEqual({ kind: "PROJECT", projectId });
    const seen = await holder.data(`query ($id: ID!) { project(id: $id) { myRole } gallery(first: 10, filter: { projectId: $id }) { nodes { id } } }`, { id: projectId });
    expect(seen.project.myRole).toBe("LINK");
    expect(seen.gallery.nodes).toHaveLength(2);
    await owner.data(`mutation ($id: ID!) { rotateShareToken(id: $id) { ok } }`, { id: projectId });
    expect((await holder.request(`query ($id: ID!) { project(id: $id) { id } }`, { id: projectId })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    await owner.data(`mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: PRIVATE) { ok } }`, { id: projectId });
  });

  it("invites by email with the same answer whether the email has an account; the invitee decides", async () => {
    const member = new TestClient(api.url);
    await member.signUp("has-account@example.org", "Member");
    const invite = `mutation ($p: ID!, $e: String!) { inviteProjectMember(projectId: $p, email: $e, role: EDITOR) { ok error { code message } invitation { email role projectName } } }`;
    const known = (await owner.data(invite, { p: projectId, e: "has-account@example.org" })).inviteProjectMember;
    const unknown = (await owner.data(invite, { p: projectId, e: "no-account@example.org" })).inviteProjectMember;
    expect(known).toEqual({ ok: true, error: null, invitation: { email: "has-account@example.org", role: "EDITOR", projectName: "private work" } });
    expect(unknown).toEqual({ ok: true, error: null, invitation: { email: "no-account@example.org", role: "EDITOR", projectName: "private work" } });
    // Not a member until they say so.
    expect((await member.request(`query ($id: ID!) { project(id: $id) { id } }`, { id: projectId })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const setRole = `mutation ($p: ID!, $e: String!) { setProjectMember(projectId: $p, email: $e, role: VIEWER) { ok error { code message } } }`;
    const a = (await owner.data(setRole, { p: projectId, e: "has-account@example.org" })).setProjectMember;
    const b = (await owner.data(setRole, { p: projectId, e: "no-account@example.org" })).setProjectMember;
    expect(a).toEqual(b);

    const mine = (await member.data(`{ myInvitations(first: 10) { nodes { id projectId role } } }`)).myInvitations.nodes;
    expect(mine).toMatchObject([{ projectId, role: "EDITOR" }]);
    // Joined only by a verified address.
    await member.verifyEmail("has-account@example.org");
    expect((await member.data(`mutation ($id: ID!) { acceptInvitation(id: $id) { ok } }`, { id: mine[0].id })).acceptInvitation.ok).toBe(true);
    expect((await member.data(`query ($id: ID!) { project(id: $id) { myRole } }`, { id: projectId })).project.myRole).toBe("EDITOR");

    // Whoever signs up later with the invited email finds the invitation waiting, and may decline.
    const newcomer = new TestClient(api.url);
    await newcomer.signUp("no-account@example.org", "Newcomer");
    const waiting = (await newcomer.data(`{ myInvitations(first: 10) { nodes { id projectName } } }`)).myInvitations.nodes;
    expect(waiting).toMatchObject([{ projectName: "private work" }]);
    expect((await newcomer.data(`mutation ($id: ID!) { declineInvitation(id: $id) { ok } }`, { id: waiting[0].id })).declineInvitation.ok).toBe(true);
    expect((await newcomer.data(`{ myInvitations(first: 10) { nodes { id } } }`)).myInvitations.nodes).toEqual([]);
    expect((await newcomer.request(`query ($id: ID!) { project(id: $id) { id } }`, { id: projectId })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
