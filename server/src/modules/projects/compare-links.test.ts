import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { join } from "../../testing/callers.js";
import { mlpFiles, text, upload } from "../../testing/uploads.js";

const LINE = { kind: "LINE", params: { x: { min: -1, max: 1, count: 3 } } };
const CREATE = `mutation ($ids: [ID!]!, $view: String) {
  createCompareLink(surfaceIds: $ids, view: $view) { ok error { code message } link { id path view surfaces { id name } createdBy { name } } }
}`;
const LISTED = `query ($id: ID!) { project(id: $id) { compareLinks(first: 10, includeRevoked: true) { nodes { id revokedAt createdBy { name } surfaces { id name } } } } }`;
const code = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.[0]?.extensions?.code;
const tokenOf = (path: string) => decodeURIComponent(path.split("/")[2]!);

describe("comparison links", () => {
  let api: TestApi;
  let owner: TestClient;
  let editor: TestClient;
  let viewer: TestClient;
  let projectId: string;
  let a: string;
  let b: string;
  let outside: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    editor = new TestClient(api.url);
    viewer = new TestClient(api.url);
    await owner.signUp("comparer@example.org", "Comparer");
    await editor.signUp("compare-editor@example.org", "Editor");
    await viewer.signUp("compare-viewer@example.org", "Viewer");
    projectId = (await owner.data(`mutation { createProject(input: { name: "skip connections" }) { project { id } } }`)).createProject.project.id;
    await join(owner, editor, projectId, "compare-editor@example.org", "EDITOR");
    await join(owner, viewer, projectId, "compare-viewer@example.org", "VIEWER");
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
    a = await make("with skips");
    b = await make("without skips");
    outside = await make("not in the comparison");
  });
  afterAll(async () => api?.stop());

  it("opens exactly its surfaces, in order, with its settings, signed out; nothing else; until revoked", async () => {
    const view = "panels=own&metric=ACCURACY&diff=1&view=2d";
    const made = (await owner.data(CREATE, { ids: [b, a], view })).createCompareLink;
    expect(made).toMatchObject({ ok: true, link: { view, createdBy: { name: "Comparer" }, surfaces: [{ id: b, name: "without skips" }, { id: a, name: "with skips" }] } });
    expect(made.link.path).toMatch(new RegExp(`^/share/[\\w-]+/compare\\?ids=${b},${a}&${view}$`));
    const token = tokenOf(made.link.path);

    const stranger = new TestClient(api.url).withShareToken(token);
    expect((await stranger.data(`query ($t: String!) { sharedLink(token: $t) { kind projectId surfaceIds view } }`, { t: token })).sharedLink).toEqual({
      kind: "COMPARE",
      projectId: null,
      surfaceIds: [b, a],
      view,
    });
    const seen = await stranger.data(`query ($ids: [ID!]!) { compare(ids: $ids, metric: ACCURACY) { sameGrid surfaces { name myRole } } }`, { ids: [b, a] });
    expect(seen.compare).toEqual({ sameGrid: true, surfaces: [{ name: "without skips", myRole: "SURFACE_LINK" }, { name: "with skips", myRole: "SURFACE_LINK" }] });
    for (const [query, variables] of [
      [`query ($id: ID!) { surface(id: $id) { id } }`, { id: outside }],
      [`query ($id: ID!, $other: ID!) { compare(ids: [$id, $other]) { min } }`, { id: a, other: outside }],
      [`query ($id: ID!) { project(id: $id) { id } }`, { id: projectId }],
      [`query ($id: ID!) { models(projectId: $id, first: 5) { nodes { id } } }`, { id: projectId }],
      [`query ($id: ID!) { datasets(projectId: $id, first: 5) { nodes { id } } }`, { id: projectId }],
    ] as const) {
      expect(code(await stranger.request(query, variables)), query).toBe("NOT_FOUND");
    }
    // The gallery of a link holder lists nothing of the project.
    expect((await stranger.data(`query ($id: ID!) { gallery(first: 10, filter: { projectId: $id }) { nodes { id } } }`, { id: projectId })).gallery.nodes).toEqual([]);
    // No project's visibility changed.
    expect((await owner.data(`query ($id: ID!) { project(id: $id) { visibility } }`, { id: projectId })).project.visibility).toBe("PRIVATE");

    // Listed on the project's sharing panel with its maker; a viewer sees none.
    expect((await owner.data(LISTED, { id: projectId })).project.compareLinks.nodes).toContainEqual(
      expect.objectContaining({ id: made.link.id, revokedAt: null, createdBy: { name: "Comparer" } }),
    );
    expect((await viewer.data(LISTED, { id: projectId })).project.compareLinks.nodes).toEqual([]);

    // Only the owner (or its maker) revokes it.
    const byEditor = await editor.data(`mutation ($id: ID!) { revokeCompareLink(id: $id) { ok error { code } } }`, { id: made.link.id });
    expect(byEditor.revokeCompareLink).toEqual({ ok: false, error: { code: "FORBIDDEN" } });
    const revoked = await owner.data(`mutation ($id: ID!) { revokeCompareLink(id: $id) { ok link { revokedAt } } }`, { id: made.link.id });
    expect(revoked.revokeCompareLink.link.revokedAt).not.toBeNull();
    expect(code(await stranger.request(`query ($id: ID!) { surface(id: $id) { id } }`, { id: a }))).toBe("NOT_FOUND");
    expect(code(await stranger.request(`query ($t: String!) { sharedLink(token: $t) { kind } }`, { t: token }))).toBe("NOT_FOUND");
  });

  it("is made only by someone who may share every one of its surfaces, from two to ten different ones", async () => {
    const outcome = async (client: TestClient, ids: string[]) => {
      const answer = await client.request(CREATE, { ids });
      return code(answer) ?? (answer.data?.createCompareLink.ok ? "ok" : answer.data?.createCompareLink.error.code);
    };
    expect(await outcome(viewer, [a, b])).toBe("FORBIDDEN");
    expect(await outcome(new TestClient(api.url), [a, b])).toBe("NOT_FOUND");
    // Someone with a project of their own cannot pull another's surface into their link.
    const stranger = new TestClient(api.url);
    await stranger.signUp("compare-stranger@example.org");
    expect(await outcome(stranger, [a, b])).toBe("NOT_FOUND");
    expect(await outcome(owner, [a])).toBe("BAD_USER_INPUT");
    expect(await outcome(owner, [a, a])).toBe("BAD_USER_INPUT");
    // Eleven are too many, whatever they are.
    expect(await outcome(owner, Array.from({ length: 11 }, (_, k) => `00000000-0000-0000-0000-${String(k).padStart(12, "0")}`))).toBe("BAD_USER_INPUT");
    expect(await outcome(owner, [a, b, outside, "00000000-0000-0000-0000-000000000000"])).toBe("NOT_FOUND");
    const tooLong = await owner.data(CREATE, { ids: [a, b], view: "x=<script>" });
    expect(tooLong.createCompareLink.error.code).toBe("BAD_USER_INPUT");
  });

  it("goes with its maker's membership", async () => {
    const made = (await editor.data(CREATE, { ids: [a, b], view: "panels=own" })).createCompareLink.link;
    const token = tokenOf(made.path);
    const holder = new TestClient(api.url).withShareToken(token);
    expect((await holder.data(`query ($id: ID!) { surface(id: $id) { name } }`, { id: a })).surface.name).toBe("with skips");
    // An editor sees the links they made, and none of the owner's.
    const own = (await editor.data(LISTED, { id: projectId })).project.compareLinks.nodes;
    expect(own.map((l: { id: string }) => l.id)).toEqual([made.id]);

    const editorId = (await editor.data(`{ me { id } }`)).me.id;
    await owner.data(`mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { ok } }`, { p: projectId, u: editorId });
    expect(code(await holder.request(`query ($id: ID!) { surface(id: $id) { id } }`, { id: a }))).toBe("NOT_FOUND");
    expect(code(await holder.request(`query ($t: String!) { sharedLink(token: $t) { kind } }`, { t: token }))).toBe("NOT_FOUND");
    const listed = (await owner.data(LISTED, { id: projectId })).project.compareLinks.nodes.find((l: { id: string }) => l.id === made.id);
    expect(listed).toMatchObject({ createdBy: { name: "Editor" }, revokedAt: expect.any(String) });
  });
});
