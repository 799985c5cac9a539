/**
 * Deleting an account takes everything only it owns, objects in the store included, and leaves
 * everyone else's alone; a project others are members of is handed over or deleted by choice.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { join } from "../../testing/callers.js";
import { mlpFiles, modelUploadFiles, upload } from "../../testing/uploads.js";

const PASSWORD = "correct horse battery";
const DELETE = `mutation ($input: DeleteAccountInput!) { deleteAccount(input: $input) { ok error { code message field } deletedProjects } }`;
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code } } }`;
const SHARED = `{ mySharedProjects(first: 10) { nodes { id name memberCount } pageInfo { hasNextPage } } }`;

describe("account deletion", () => {
  let api: TestApi;
  let modelFiles: ReturnType<typeof modelUploadFiles>;
  beforeAll(async () => {
    api = await startTestApi();
    modelFiles = modelUploadFiles(await mlpFiles([4, 8, 3]));
  });
  afterAll(async () => api?.stop());

  const allKeys = async () => (await api.platform.store.list("", 100_000)).sort();
  const project = async (client: TestClient, name: string) =>
    (await client.data(`mutation ($name: String!) { createProject(input: { name: $name }) { project { id } } }`, { name })).createProject.project.id as string;
  const addModel = async (client: TestClient, projectId: string) => {
    const done = await upload(client, { projectId, kind: "MODEL", name: "m" }, modelFiles);
    expect(done.outcome).toBe("ok");
    return done.completed!.model!.id as string;
  };
  /** An upload whose files arrived but which was never completed: its objects wait under uploads/. */
  const pendingUpload = async (client: TestClient, projectId: string) => {
    const file = modelFiles[0]!;
    const requested = (
      await client.data(`mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { ok error { message } upload { id files { url contentType } } } }`, {
        input: { projectId, kind: "MODEL", name: "half", files: [{ name: file.name, size: file.bytes.length, contentType: "application/octet-stream" }] },
      })
    ).requestUpload;
    expect(requested.ok, JSON.stringify(requested.error)).toBe(true);
    const target = requested.upload.files[0];
    expect((await fetch(target.url, { method: "PUT", body: file.bytes, headers: { "content-type": target.contentType } })).ok).toBe(true);
    return requested.upload.id as string;
  };

  it("removes the account's projects, uploads and objects, hands shared projects over first, and keeps everyone else's", async () => {
    const leaver = new TestClient(api.url);
    const leaverId = await leaver.signUp("leaver@example.org");
    const stayer = new TestClient(api.url);
    const stayerId = await stayer.signUp("stayer@example.org");

    // The leaver's own project, a project shared with the stayer, and a membership of the stayer's.
    const alone = await project(leaver, "alone");
    await addModel(leaver, alone);
    const shared = await project(leaver, "shared with stayer");
    await addModel(leaver, shared);
    await join(leaver, stayer, shared, "stayer@example.org", "EDITOR");
    const theirs = await project(stayer, "the stayer's");
    await addModel(stayer, theirs);
    await join(stayer, leaver, theirs, "leaver@example.org", "EDITOR");
    const madeThere = await addModel(leaver, theirs);
    const pending = await pendingUpload(leaver, theirs);
    await leaver.data(`mutation ($id: ID!) { inviteProjectMember(projectId: $id, email: "later@example.org", role: VIEWER) { ok } }`, { id: alone });
    const other = await api.platform.pool.query(`SELECT count(*)::int AS n FROM project_invitations WHERE invited_by = $1`, [leaverId]);
    expect(other.rows[0].n).toBe(1);

    const before = await allKeys();
    const leaversKeys = before.filter((key) => key.startsWith(`projects/${alone}/`) || key.startsWith(`uploads/${pending}/`));
    expect(leaversKeys.filter((key) => key.startsWith("uploads/"))).toHaveLength(1);
    expect(leaversKeys.length).toBeGreaterThan(1);

    // The password is asked again, and only from a browser session.
    const wrong = (await leaver.data(DELETE, { input: { password: "not my password" } })).deleteAccount;
    expect(wrong).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT", field: "password" } });
    const token = (await leaver.data(`mutation { createApiToken(name: "t") { token } }`)).createApiToken.token as string;
    const viaToken = (await leaver.withoutCookies().withToken(token).data(DELETE, { input: { password: PASSWORD } })).deleteAccount;
    expect(viaToken).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    // A project with other members stops the deletion, by name.
    expect((await leaver.data(SHARED)).mySharedProjects.nodes).toEqual([{ id: shared, name: "shared with stayer", memberCount: 1 }]);
    const refused = (await leaver.data(DELETE, { input: { password: PASSWORD } })).deleteAccount;
    expect(refused).toMatchObject({ ok: false, deletedProjects: null, error: { code: "OWNS_SHARED_PROJECTS", field: "deleteSharedProjects" } });
    expect(refused.error.message).toContain(`"shared with stayer"`);
    expect(refused.error.message).not.toContain(`"alone"`);
    expect(await allKeys()).toEqual(before);

    // Handing it over: only the owner may, and only to a member.
    const TRANSFER = `mutation ($p: ID!, $u: ID!) { transferProjectOwnership(projectId: $p, userId: $u) { ok error { code field } project { id myRole } } }`;
    expect((await stayer.data(TRANSFER, { p: shared, u: stayerId })).transferProjectOwnership.error.code).toBe("FORBIDDEN");
    const outsider = new TestClient(api.url);
    const outsiderId = await outsider.signUp("outsider@example.org");
    expect((await outsider.data(TRANSFER, { p: shared, u: outsiderId })).transferProjectOwnership.error.code).toBe("NOT_FOUND");
    expect((await leaver.data(TRANSFER, { p: shared, u: outsiderId })).transferProjectOwnership.error).toEqual({ code: "BAD_USER_INPUT", field: "userId" });
    const handed = (await leaver.data(TRANSFER, { p: shared, u: stayerId })).transferProjectOwnership;
    expect(handed).toMatchObject({ ok: true, project: { id: shared, myRole: "EDITOR" } });
    expect((await leaver.data(SHARED)).mySharedProjects.nodes).toEqual([]);

    const deleted = (await leaver.data(DELETE, { input: { password: PASSWORD } })).deleteAccount;
    expect(deleted).toEqual({ ok: true, error: null, deletedProjects: 1 });

    // The account's objects are gone, everyone else's untouched, key for key.
    const after = await allKeys();
    expect(after).toEqual(before.filter((key) => !leaversKeys.includes(key)));
    expect(after.some((key) => key.startsWith(`projects/${shared}/`))).toBe(true);
    expect(after.some((key) => key.startsWith(`projects/${theirs}/models/${madeThere}/`))).toBe(true);

    // Signed out, unable to sign in, and no row of it left.
    expect((await leaver.data(`{ me { id } }`)).me).toBeNull();
    expect((await new TestClient(api.url).data(SIGN_IN, { email: "leaver@example.org", password: PASSWORD })).signIn.ok).toBe(false);
    expect((await leaver.withoutCookies().withToken(token).request(`{ me { id } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const rows = await api.platform.pool.query(
      `SELECT (SELECT count(*) FROM users WHERE id = $1)::int + (SELECT count(*) FROM sessions WHERE user_id = $1)::int
            + (SELECT count(*) FROM api_tokens WHERE user_id = $1)::int + (SELECT count(*) FROM project_members WHERE user_id = $1)::int
            + (SELECT count(*) FROM uploads WHERE user_id = $1)::int + (SELECT count(*) FROM projects WHERE owner_id = $1)::int
            + (SELECT count(*) FROM project_invitations WHERE invited_by = $1)::int AS n`,
      [leaverId],
    );
    expect(rows.rows[0].n).toBe(0);

    // The stayer keeps the handed-over project and the model the leaver made in theirs.
    expect((await stayer.data(`query ($id: ID!) { project(id: $id) { myRole } }`, { id: shared })).project.myRole).toBe("OWNER");
    expect((await stayer.data(`query ($id: ID!) { model(id: $id) { id } }`, { id: madeThere })).model.id).toBe(madeThere);
  });

  it("deletes shared projects too when asked, and their members lose them", async () => {
    const leaver = new TestClient(api.url);
    await leaver.signUp("bold@example.org");
    const member = new TestClient(api.url);
    await member.signUp("member@example.org");
    const shared = await project(leaver, "going");
    await addModel(leaver, shared);
    await join(leaver, member, shared, "member@example.org", "VIEWER");
    expect((await allKeys()).some((key) => key.startsWith(`projects/${shared}/`))).toBe(true);

    const deleted = (await leaver.data(DELETE, { input: { password: PASSWORD, deleteSharedProjects: true } })).deleteAccount;
    expect(deleted).toEqual({ ok: true, error: null, deletedProjects: 1 });
    expect((await allKeys()).filter((key) => key.startsWith(`projects/${shared}/`))).toEqual([]);
    const seen = await member.request(`query ($id: ID!) { project(id: $id) { id } }`, { id: shared });
    expect(seen.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
