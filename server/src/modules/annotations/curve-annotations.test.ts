/**
 * Notes on a curve's plane over the API: the owner pins, edits and lists them; a viewer reads them
 * and is refused writing; a note is given for a surface or a curve, not both; and the notes go
 * with their curve when it is deleted. No worker runs: a queued (then cancelled) curve holds notes.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, perturbed, upload } from "../../testing/uploads.js";

const ADD = `mutation ($input: AddAnnotationInput!) { addAnnotation(input: $input) { ok error { code field } annotation { id surfaceId curveId x y kind label } } }`;
const LIST = `query ($id: ID!) { curve(id: $id) { annotations(first: 10) { nodes { id label x y author { name } } pageInfo { hasNextPage } } } }`;

describe("notes on a curve's plane", () => {
  let api: TestApi;
  let owner: TestClient;
  let viewer: TestClient;
  let projectId: string;
  let curveId: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    await owner.signUp("planes@example.org");
    projectId = (await owner.data(`mutation { createProject(input: { name: "plane notes" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles([4, 8, 3], 1);
    const a = (await upload(owner, { projectId, kind: "MODEL", name: "a" }, modelUploadFiles(files))).completed!.model!.id;
    const b = (await upload(owner, { projectId, kind: "MODEL", name: "b" }, modelUploadFiles(perturbed(files, 0.3, 5)))).completed!.model!.id;
    const pair = npyPair(40, 4, 3);
    const datasetId = (await upload(owner, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ])).completed!.dataset!.id;
    const started = await owner.data(`mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { ok error { message } curve { id } } }`, {
      input: { projectId, modelAId: a, modelBId: b, datasetId, options: { epochs: 1, points: 3 } },
    });
    expect(started.connectModels.ok, started.connectModels.error?.message).toBe(true);
    curveId = started.connectModels.curve.id;

    viewer = new TestClient(api.url);
    await viewer.signUp("plane-viewer@example.org");
    const invited = await owner.data(`mutation ($p: ID!) { inviteProjectMember(projectId: $p, email: "plane-viewer@example.org", role: VIEWER) { invitation { id } } }`, { p: projectId });
    await viewer.verifyEmail("plane-viewer@example.org");
    await viewer.data(`mutation ($id: ID!) { acceptInvitation(id: $id) { ok } }`, { id: invited.inviteProjectMember.invitation.id });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  it("pins, edits and lists notes on the plane; a viewer reads them and is refused writing", async () => {
    const added = await owner.data(ADD, { input: { curveId, x: 0.5, y: 0.25, kind: "SADDLE", label: "bend" } });
    expect(added.addAnnotation).toMatchObject({ ok: true, annotation: { surfaceId: null, curveId, x: 0.5, y: 0.25, kind: "SADDLE", label: "bend" } });
    const noteId = added.addAnnotation.annotation.id;

    const both = await owner.data(ADD, { input: { curveId, surfaceId: curveId, x: 0, y: 0, kind: "NOTE", label: "two owners" } });
    expect(both.addAnnotation).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "surfaceId" } });
    const neither = await owner.data(ADD, { input: { x: 0, y: 0, kind: "NOTE", label: "no owner" } });
    expect(neither.addAnnotation).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT" } });
    const blank = await owner.data(ADD, { input: { curveId, x: 0, y: 0, kind: "NOTE", label: "  " } });
    expect(blank.addAnnotation).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "label" } });

    const edited = await owner.data(`mutation ($id: ID!) { updateAnnotation(input: { id: $id, label: "the bend", x: 0.6 }) { ok annotation { label x y } } }`, { id: noteId });
    expect(edited.updateAnnotation).toEqual({ ok: true, annotation: { label: "the bend", x: 0.6, y: 0.25 } });

    const seen = await viewer.data(LIST, { id: curveId });
    expect(seen.curve.annotations).toEqual({ nodes: [{ id: noteId, label: "the bend", x: 0.6, y: 0.25, author: { name: "planes" } }], pageInfo: { hasNextPage: false } });

    const refusedAdd = await viewer.data(ADD, { input: { curveId, x: 0, y: 0, kind: "NOTE", label: "mine" } });
    expect(refusedAdd.addAnnotation).toMatchObject({ ok: false, error: { code: "FORBIDDEN" }, annotation: null });
    const refusedEdit = await viewer.data(`mutation ($id: ID!) { updateAnnotation(input: { id: $id, label: "mine" }) { ok error { code } } }`, { id: noteId });
    expect(refusedEdit.updateAnnotation.error.code).toBe("FORBIDDEN");
    const refusedDelete = await viewer.data(`mutation ($id: ID!) { deleteAnnotation(id: $id) { ok error { code } } }`, { id: noteId });
    expect(refusedDelete.deleteAnnotation.error.code).toBe("FORBIDDEN");
    // Nothing the viewer tried changed the notes.
    expect((await owner.data(LIST, { id: curveId })).curve.annotations.nodes.map((n: { label: string }) => n.label)).toEqual(["the bend"]);

    // A stranger learns nothing of the note.
    const stranger = new TestClient(api.url);
    await stranger.signUp("plane-stranger@example.org");
    const hidden = await stranger.data(`mutation ($id: ID!) { updateAnnotation(input: { id: $id, label: "x" }) { ok error { code } } }`, { id: noteId });
    expect(hidden.updateAnnotation.error.code).toBe("NOT_FOUND");

    const removed = await owner.data(`mutation ($id: ID!) { deleteAnnotation(id: $id) { ok deletedId } }`, { id: noteId });
    expect(removed.deleteAnnotation).toEqual({ ok: true, deletedId: noteId });
    expect((await owner.data(LIST, { id: curveId })).curve.annotations.nodes).toEqual([]);
  });

  it("deletes the notes with their curve", async () => {
    const added = await owner.data(ADD, { input: { curveId, x: 0, y: 0, kind: "NOTE", label: "goes with the curve" } });
    expect(added.addAnnotation.ok).toBe(true);
    const noteId = added.addAnnotation.annotation.id;
    expect((await owner.data(`mutation ($id: ID!) { cancelCurve(id: $id) { ok } }`, { id: curveId })).cancelCurve.ok).toBe(true);
    expect((await owner.data(`mutation ($id: ID!) { deleteCurve(id: $id) { ok } }`, { id: curveId })).deleteCurve.ok).toBe(true);
    const gone = await owner.data(`mutation ($id: ID!) { updateAnnotation(input: { id: $id, label: "still here?" }) { ok error { code } } }`, { id: noteId });
    expect(gone.updateAnnotation.error.code).toBe("NOT_FOUND");
  });
});
