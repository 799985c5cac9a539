/**
 * Every kind of caller of the API, each with its own relation to one project, for the suites that
 * check who may do what (`graphql/authorization.test.ts`, `graphql/disclosure.test.ts`).
 *
 * Callers include every scope of link: the project's link (`link`), a link to one surface of the
 * project (`surfaceLink`), a project link replaced by a new one (`rotatedLink`) and a revoked
 * surface link (`revokedLink`).
 */
import { type TestApi, TestClient, startTestApi } from "./api.js";
import { mlpFiles, text, upload } from "./uploads.js";

export const CALLERS = ["anonymous", "other", "viewer", "editor", "owner", "link", "surfaceLink", "rotatedLink", "revokedLink", "token", "revoked"] as const;
export type Caller = (typeof CALLERS)[number];
export type Outcome = "ok" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT";

export interface Fixture {
  api: TestApi;
  clients: Record<Caller, TestClient>;
  emails: Record<"owner" | "editor" | "viewer" | "other", string>;
  owner: TestClient;
  /** The main project's share link token. */
  shareToken: string;
  projectId: string;
  /** A fresh project shaped like the main one (members, share link), for destructive calls. */
  freshProject(): Promise<{ id: string; shareToken: string }>;
  /** A model and a dataset in the main project, made once. */
  modelId(): Promise<string>;
  datasetId(): Promise<string>;
  surfaceId(): Promise<string>;
  experimentId(): Promise<string>;
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now()}-${counter++}`;

export const freshModel = async (fx: Fixture) => {
  const files = await mlpFiles();
  const result = await upload(fx.owner, { projectId: fx.projectId, kind: "MODEL" }, [
    { name: "model.json", bytes: text(files.modelJson) },
    { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
  ]);
  return result.completed!.model!.id as string;
};
export const LINE = { kind: "LINE", params: { x: { min: -1, max: 1, count: 3 } } };
export const freshSurface = async (fx: Fixture) =>
  (
    await fx.owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
      input: { projectId: fx.projectId, modelId: await fx.modelId(), datasetId: await fx.datasetId(), ...LINE },
    })
  ).createSurface.surface.id as string;
export const freshAnnotation = async (fx: Fixture) =>
  (
    await fx.owner.data(`mutation ($s: ID!) { addAnnotation(input: { surfaceId: $s, x: 0, y: 0, kind: NOTE, label: "n" }) { annotation { id } } }`, {
      s: await fx.surfaceId(),
    })
  ).addAnnotation.annotation.id as string;

export const TRAIN = { architecture: { kind: "MLP", depth: 1, width: 4 }, options: { epochs: 1 } };
export const freshRun = async (fx: Fixture) =>
  (
    await fx.owner.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { run { id } } }`, {
      input: { projectId: fx.projectId, datasetId: await fx.datasetId(), ...TRAIN },
    })
  ).startTraining.run.id as string;

export const freshExperiment = async (fx: Fixture) =>
  (
    await fx.owner.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { experiment { id } } }`, {
      input: { projectId: fx.projectId, kind: "TRAJECTORY", datasetId: await fx.datasetId(), size: "SMALL" },
    })
  ).startExperiment.experiment.id as string;

export const freshDataset = async (fx: Fixture) =>
  (await fx.owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: fx.projectId })).addBuiltinDataset.dataset
    .id as string;

/** The owner invites `email` to a project; returns the invitation's id. */
export async function invite(fx: Fixture, projectId: string, email: string, role = "VIEWER"): Promise<string> {
  return (await inviteWith(fx.owner, projectId, email, role)) as string;
}

export async function inviteWith(owner: TestClient, projectId: string, email: string, role: string): Promise<string> {
  const invited = await owner.data(
    `mutation ($id: ID!, $email: String!, $role: MemberRole!) { inviteProjectMember(projectId: $id, email: $email, role: $role) { ok error { code message } invitation { id } } }`,
    { id: projectId, email, role },
  );
  if (!invited.inviteProjectMember.ok) throw new Error(JSON.stringify(invited.inviteProjectMember.error));
  return invited.inviteProjectMember.invitation.id as string;
}

/** `member` joins the project: the owner invites their email and they accept. */
export async function join(owner: TestClient, member: TestClient, projectId: string, email: string, role: string): Promise<void> {
  const id = await inviteWith(owner, projectId, email, role);
  // Invitations are joined only by a verified address.
  await member.verifyEmail(email);
  const accepted = await member.data(`mutation ($id: ID!) { acceptInvitation(id: $id) { ok error { code } } }`, { id });
  if (!accepted.acceptInvitation.ok) throw new Error(JSON.stringify(accepted.acceptInvitation.error));
}

/** A new link to the fixture's surface, made by the owner. */
export async function surfaceLink(fx: Fixture): Promise<{ id: string; token: string }> {
  const made = await fx.owner.data(`mutation ($id: ID!) { createSurfaceLink(surfaceId: $id, view: "mode=heatmap") { link { id path } } }`, {
    id: await fx.surfaceId(),
  });
  const { id, path } = made.createSurfaceLink.link as { id: string; path: string };
  return { id, token: decodeURIComponent(path.split("/")[2]!) };
}

/** Starts a test API and the callers of one project (see `CALLERS`); `fx.api.stop()` ends it. */
export async function startCallers(): Promise<Fixture> {
  const api = await startTestApi();
  const emails = { owner: "owner@example.org", editor: "editor@example.org", viewer: "viewer@example.org", other: "other@example.org" };
  const owner = new TestClient(api.url);
  const editor = new TestClient(api.url);
  const viewer = new TestClient(api.url);
  const other = new TestClient(api.url);
  await owner.signUp(emails.owner);
  await editor.signUp(emails.editor);
  await viewer.signUp(emails.viewer);
  await other.signUp(emails.other);
  // A stranger to the project, but one whose address is verified: invitations to it can be accepted.
  await other.verifyEmail(emails.other);
  const token = (await owner.data(`mutation { createApiToken(name: "matrix") { token } }`)).createApiToken.token as string;
  const revoked = await owner.data(`mutation { createApiToken(name: "revoked") { token apiToken { id } } }`);
  await owner.data(`mutation ($id: ID!) { revokeApiToken(id: $id) { ok } }`, { id: revoked.createApiToken.apiToken.id });

  const freshProject = async () => {
    const created = await owner.data(`mutation { createProject(input: { name: "matrix" }) { project { id } } }`);
    const id = created.createProject.project.id as string;
    await join(owner, editor, id, emails.editor, "EDITOR");
    await join(owner, viewer, id, emails.viewer, "VIEWER");
    const shared = await owner.data(`mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: LINK) { project { shareToken } } }`, { id });
    return { id, shareToken: shared.setProjectVisibility.project.shareToken as string };
  };
  const main = await freshProject();
  // A link replaced by a new one opens nothing from then on.
  const rotated = main.shareToken;
  const current = (await owner.data(`mutation ($id: ID!) { rotateShareToken(id: $id) { project { shareToken } } }`, { id: main.id })).rotateShareToken.project
    .shareToken as string;
  let model: Promise<string> | undefined;
  let dataset: Promise<string> | undefined;
  let surface: Promise<string> | undefined;
  let experiment: Promise<string> | undefined;
  const fx: Fixture = {
    experimentId: () => (experiment ??= freshExperiment(fx)),
    surfaceId: () => (surface ??= freshSurface(fx)),
    modelId: () => (model ??= freshModel(fx)),
    datasetId: () => (dataset ??= freshDataset(fx)),
    api,
    owner,
    emails,
    shareToken: current,
    projectId: main.id,
    freshProject,
    clients: {
      anonymous: new TestClient(api.url),
      other,
      viewer,
      editor,
      owner,
      link: new TestClient(api.url).withShareToken(current),
      // Filled in below, once the fixture's surface exists.
      surfaceLink: new TestClient(api.url),
      rotatedLink: new TestClient(api.url).withShareToken(rotated),
      revokedLink: new TestClient(api.url),
      token: new TestClient(api.url).withToken(token),
      revoked: new TestClient(api.url).withToken(revoked.createApiToken.token),
    },
  };
  fx.clients.surfaceLink = new TestClient(api.url).withShareToken((await surfaceLink(fx)).token);
  const gone = await surfaceLink(fx);
  await owner.data(`mutation ($id: ID!) { revokeSurfaceLink(id: $id) { ok } }`, { id: gone.id });
  fx.clients.revokedLink = new TestClient(api.url).withShareToken(gone.token);
  return fx;
}

export async function secondSession(fx: Fixture, caller: Caller): Promise<TestClient> {
  // Callers without a session get a copy with an empty cookie jar, so a sign-in stays there.
  if (caller !== "owner" && caller !== "editor" && caller !== "viewer" && caller !== "other") return fx.clients[caller].withoutCookies();
  const client = new TestClient(fx.api.url);
  await client.data(`mutation ($email: String!) { signIn(email: $email, password: "correct horse battery") { ok } }`, { email: fx.emails[caller] });
  return client;
}
