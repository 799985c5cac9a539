/**
 * What each kind of caller (`testing/callers.ts`) learns beyond the authorization matrix: a surface
 * link shows its one surface and nothing else of the project, emails reach only the user
 * themself and the owner, and a public project shows display names only.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLERS, type Caller, type Fixture, freshAnnotation, invite, startCallers, surfaceLink, unique } from "../testing/callers.js";

describe("what links, public projects and email fields disclose", () => {
  let fx: Fixture;

  beforeAll(async () => {
    fx = await startCallers();
  });

  afterAll(async () => fx?.api.stop());

  it("shows a surface link its one surface and nothing else of the project", async () => {
    const client = fx.clients.surfaceLink;
    const seen = await client.data(`query ($id: ID!) { surface(id: $id) { id myRole projectId model { id } modelB { id } dataset { id } series { id } } }`, {
      id: await fx.surfaceId(),
    });
    expect(seen.surface).toMatchObject({ myRole: "SURFACE_LINK", model: null, modelB: null, dataset: null, series: [] });
    const gallery = await client.data(`query ($p: ID!) { gallery(first: 10, filter: { projectId: $p }) { nodes { id } } }`, { p: fx.projectId });
    expect(gallery.gallery.nodes).toEqual([]);
    const link = await client.data(`query ($t: String!) { sharedLink(token: $t) { kind surfaceId view } }`, {
      t: (client as unknown as { credentials: { shareToken: string } }).credentials.shareToken,
    });
    expect(link.sharedLink).toEqual({ kind: "SURFACE", surfaceId: await fx.surfaceId(), view: "mode=heatmap" });
    for (const caller of ["rotatedLink", "revokedLink"] as const) {
      const token = (fx.clients[caller] as unknown as { credentials: { shareToken: string } }).credentials.shareToken;
      const gone = await fx.clients[caller].request(`query ($t: String!) { sharedLink(token: $t) { kind } }`, { t: token });
      expect(gone.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    }
  });

  it("shows emails to the user themself and to the owner for the members they manage, to nobody else", async () => {
    await freshAnnotation(fx);
    await surfaceLink(fx);
    const pending = `${unique("pending")}@example.org`;
    await invite(fx, fx.projectId, pending);
    // Every field of the schema that can hold an email, reachable from one project.
    const query = `query ($p: ID!, $s: ID!) {
      me { email }
      project(id: $p) {
        owner { email }
        members(first: 20) { nodes { user { email } } }
        surfaceLinks(first: 20) { nodes { createdBy { email } } }
        invitations(first: 20) { nodes { email invitedBy { email } } }
      }
      surface(id: $s) { annotations(first: 20) { nodes { author { email } } } }
    }`;
    const emailsIn = (value: unknown): string[] => [...new Set(JSON.stringify(value ?? null).match(/[\w.+-]+@[\w.-]+/g) ?? [])].sort();
    const seen: Partial<Record<Caller, string[]>> = {};
    for (const caller of CALLERS) {
      const response = await fx.clients[caller].request(query, { p: fx.projectId, s: await fx.surfaceId() });
      seen[caller] = emailsIn(response.data);
    }
    const { owner, editor, viewer, other } = fx.emails;
    const all = [owner, editor, viewer, pending].sort();
    expect(seen).toEqual({
      anonymous: [],
      // A stranger's query fails as a whole: the project is NOT_FOUND to them.
      other: [],
      viewer: [viewer],
      editor: [editor],
      owner: all,
      link: [],
      surfaceLink: [],
      rotatedLink: [],
      revokedLink: [],
      token: all,
      revoked: [],
    });

    // The invitee sees their own address, not the inviter's.
    const project = await fx.freshProject();
    await invite(fx, project.id, other);
    const mine = await fx.clients.other.data(`{ myInvitations(first: 50) { nodes { projectId email invitedBy { name email } } } }`);
    const invitation = mine.myInvitations.nodes.find((n: { projectId: string }) => n.projectId === project.id);
    expect(invitation).toEqual({ projectId: project.id, email: other, invitedBy: { name: "owner", email: null } });
  });

  it("a public project: anyone reads it with display names only; only its members change it", async () => {
    const project = await fx.freshProject();
    await fx.owner.data(`mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: PUBLIC) { ok } }`, { id: project.id });
    const read = `query ($id: ID!) { project(id: $id) { myRole shareToken owner { name email } members(first: 10) { nodes { user { name email } } } } }`;
    for (const caller of ["anonymous", "other", "surfaceLink", "revokedLink"] as const) {
      const seen = (await fx.clients[caller].data(read, { id: project.id })).project;
      expect(seen.myRole).toBe("PUBLIC");
      expect(seen.shareToken).toBeNull();
      expect(seen.owner).toEqual({ name: "owner", email: null });
      expect(seen.members.nodes.map((n: { user: { email: string | null } }) => n.user.email)).toEqual([null, null]);
    }
    const rename = `mutation ($id: ID!) { updateProject(input: { id: $id, name: "mine now" }) { ok error { code } } }`;
    expect((await fx.clients.anonymous.data(rename, { id: project.id })).updateProject.error.code).toBe("UNAUTHENTICATED");
    expect((await fx.clients.other.data(rename, { id: project.id })).updateProject.error.code).toBe("FORBIDDEN");
    const link = `mutation ($id: ID!) { createSurfaceLink(surfaceId: $id) { ok error { code } } }`;
    expect((await fx.clients.other.data(link, { id: await fx.surfaceId() })).createSurfaceLink.error.code).toBe("NOT_FOUND");
  });
});
