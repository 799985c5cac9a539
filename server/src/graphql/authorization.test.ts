/**
 * The authorization matrix: every query and mutation of the schema, called by every kind of
 * caller (`testing/callers.ts`), against the expected outcome, driven by one table. A field
 * missing from the table fails the suite, so a new resolver cannot ship without its row. What
 * links, public projects and email fields reveal has its own suite, `disclosure.test.ts`.
 */
import "reflect-metadata";
import { GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GraphQLResponse, TestClient } from "../testing/api.js";
import {
  CALLERS, type Caller, type Fixture, type Outcome, LINE, TRAIN, freshAnnotation, freshDataset, freshModel, freshRun, freshSurface, invite, join, secondSession,
  startCallers, surfaceLink, unique,
} from "../testing/callers.js";
import { mlpFiles, text } from "../testing/uploads.js";
import { createSchema } from "./schema.js";

interface Row {
  /** The GraphQL document; its single top-level field is the one under test. */
  document: string;
  /** Variables, possibly creating fresh objects for this caller. */
  variables?: (fx: Fixture, caller: Caller) => Promise<Record<string, unknown>> | Record<string, unknown>;
  expect: Record<Caller, Outcome>;
}

/** A second surface of the fixture's project, for comparisons. */
let second: Promise<string> | undefined;
const secondSurface = (fx: Fixture) => (second ??= freshSurface(fx));

/** A second model of the fixture's architecture, and a queued curve to it from the fixture's model. */
let modelB: Promise<string> | undefined;
const CURVE = { options: { epochs: 1, points: 3 } };
const curveInput = async (fx: Fixture) => ({ projectId: fx.projectId, modelAId: await fx.modelId(), modelBId: await (modelB ??= freshModel(fx)), datasetId: await fx.datasetId(), ...CURVE });
const freshCurve = async (fx: Fixture) =>
  (await fx.owner.data(`mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { curve { id } } }`, { input: await curveInput(fx) })).connectModels.curve.id as string;

/** Outcome shorthands. */
const everyone: Record<Caller, Outcome> = {
  anonymous: "ok",
  other: "ok",
  viewer: "ok",
  editor: "ok",
  owner: "ok",
  link: "ok",
  surfaceLink: "ok",
  rotatedLink: "ok",
  revokedLink: "ok",
  token: "ok",
  revoked: "UNAUTHENTICATED",
};
/** Every caller gets `outcome`. */
const mapOutcomes = (outcome: Outcome): Record<Caller, Outcome> => Object.fromEntries(Object.keys(everyone).map((caller) => [caller, outcome])) as Record<Caller, Outcome>;
/** Links are held by anonymous callers: to what needs an account they are anonymous. */
const signedIn: Record<Caller, Outcome> = {
  ...everyone,
  anonymous: "UNAUTHENTICATED",
  link: "UNAUTHENTICATED",
  surfaceLink: "UNAUTHENTICATED",
  rotatedLink: "UNAUTHENTICATED",
  revokedLink: "UNAUTHENTICATED",
};
/**
 * Readers of the project: members and the project link. A surface link opens its one surface and
 * nothing else; a rotated or revoked link opens nothing.
 */
const readers: Record<Caller, Outcome> = {
  ...everyone,
  anonymous: "NOT_FOUND",
  other: "NOT_FOUND",
  surfaceLink: "NOT_FOUND",
  rotatedLink: "NOT_FOUND",
  revokedLink: "NOT_FOUND",
};
/** Readers of the one surface a surface link was made for. */
const surfaceReaders: Record<Caller, Outcome> = { ...readers, surfaceLink: "ok" };
const managers: Record<Caller, Outcome> = {
  anonymous: "NOT_FOUND",
  other: "NOT_FOUND",
  viewer: "FORBIDDEN",
  editor: "FORBIDDEN",
  owner: "ok",
  // A share token only ever grants reading; to a change it is as if the project did not exist.
  link: "NOT_FOUND",
  surfaceLink: "NOT_FOUND",
  rotatedLink: "NOT_FOUND",
  revokedLink: "NOT_FOUND",
  token: "ok",
  revoked: "UNAUTHENTICATED",
};

/** Editors and owners change content; nobody else learns it exists unless they may read it. */
const writers: Record<Caller, Outcome> = { ...managers, editor: "ok" };
/** Creating needs a signed-in caller first of all. */
const creators: Record<Caller, Outcome> = {
  ...writers,
  anonymous: "UNAUTHENTICATED",
  link: "UNAUTHENTICATED",
  surfaceLink: "UNAUTHENTICATED",
  rotatedLink: "UNAUTHENTICATED",
  revokedLink: "UNAUTHENTICATED",
};
/** Answering an invitation addressed to `other`: only they may; to anyone else it does not exist. */
const invitee: Record<Caller, Outcome> = {
  ...signedIn,
  other: "ok",
  viewer: "NOT_FOUND",
  editor: "NOT_FOUND",
  owner: "NOT_FOUND",
  token: "NOT_FOUND",
};

const TABLE: Record<string, Row> = {
  health: { document: `{ health { status } }`, expect: everyone },
  me: { document: `{ me { id } }`, expect: everyone },
  signInOptions: { document: `{ signInOptions { __typename } }`, expect: everyone },
  workers: { document: `{ workers(first: 5) { nodes { id backend } } }`, expect: signedIn },
  apiTokens: { document: `{ apiTokens(first: 5) { nodes { id } } }`, expect: signedIn },
  storageUsage: { document: `{ storageUsage { usedBytes quotaBytes } }`, expect: signedIn },
  projects: { document: `{ projects(first: 5) { nodes { id } } }`, expect: signedIn },
  project: {
    document: `query ($id: ID!) { project(id: $id) { id owner { id } members(first: 5) { nodes { role } } surfaceLinks(first: 5) { nodes { id } } compareLinks(first: 5) { nodes { id } } invitations(first: 5) { nodes { id } } } }`,
    variables: (fx) => ({ id: fx.projectId }),
    expect: readers,
  },

  model: { document: `query ($id: ID!) { model(id: $id) { id checkpoints(first: 2) { nodes { step } } } }`, variables: async (fx) => ({ id: await fx.modelId() }), expect: readers },
  models: { document: `query ($p: ID!) { models(projectId: $p, first: 5) { nodes { id } } }`, variables: (fx) => ({ p: fx.projectId }), expect: readers },
  dataset: { document: `query ($id: ID!) { dataset(id: $id) { id } }`, variables: async (fx) => ({ id: await fx.datasetId() }), expect: readers },
  datasets: { document: `query ($p: ID!) { datasets(projectId: $p, first: 5) { nodes { id } } }`, variables: (fx) => ({ p: fx.projectId }), expect: readers },

  surface: {
    document: `query ($id: ID!) { surface(id: $id) { id annotations(first: 2) { nodes { id } } } }`,
    variables: async (fx) => ({ id: await fx.surfaceId() }),
    expect: surfaceReaders,
  },
  // The gallery answers everyone, with what each may see (checked in the surfaces suite).
  gallery: { document: `{ gallery(first: 5) { nodes { id } } }`, expect: everyone },
  compare: {
    document: `query ($ids: [ID!]!) { compare(ids: $ids) { min } }`,
    variables: async (fx) => ({ ids: [await fx.surfaceId(), await freshSurface(fx)] }),
    expect: readers,
  },

  trainingRun: { document: `query ($id: ID!) { trainingRun(id: $id) { id } }`, variables: async (fx) => ({ id: await freshRun(fx) }), expect: readers },
  curve: { document: `query ($id: ID!) { curve(id: $id) { id status values { t } annotations(first: 2) { nodes { id } } } }`, variables: async (fx) => ({ id: await freshCurve(fx) }), expect: readers },
  curves: { document: `query ($p: ID!) { curves(projectId: $p, first: 5) { nodes { id } } }`, variables: (fx) => ({ p: fx.projectId }), expect: readers },
  trainingRuns: { document: `query ($p: ID!) { trainingRuns(projectId: $p, first: 5) { nodes { id } } }`, variables: (fx) => ({ p: fx.projectId }), expect: readers },

  experiment: { document: `query ($id: ID!) { experiment(id: $id) { id runs { role } } }`, variables: async (fx) => ({ id: await fx.experimentId() }), expect: readers },
  // Like the gallery: everyone gets the in-progress experiments of the projects they may see.
  experimentsInProgress: { document: `{ experimentsInProgress(first: 5) { nodes { id } } }`, expect: everyone },
  featuredComparison: { document: `{ featuredComparison { contrast } }`, expect: everyone },
  experiments: { document: `query ($p: ID!) { experiments(projectId: $p, first: 5) { nodes { id } } }`, variables: (fx) => ({ p: fx.projectId }), expect: readers },

  signUp: {
    document: `mutation ($input: SignUpInput!) { signUp(input: $input) { ok error { code } } }`,
    variables: () => ({ input: { email: `${unique("new")}@example.org`, name: "New", password: "long enough pw" } }),
    expect: everyone,
  },
  signIn: {
    document: `mutation ($email: String!) { signIn(email: $email, password: "long enough pw") { ok error { code } } }`,
    variables: async (fx) => {
      const email = `${unique("returning")}@example.org`;
      await new TestClient(fx.api.url).signUp(email, "R", "long enough pw");
      return { email };
    },
    expect: everyone,
  },
  signOut: { document: `mutation { signOut { ok error { code } } }`, expect: everyone },
  // Email links: asking for one answers the same to anyone; a token that no email carried opens nothing for anyone.
  requestPasswordReset: {
    document: `mutation ($email: String!) { requestPasswordReset(email: $email) { ok error { code } } }`,
    variables: (fx, caller) => ({ email: caller === "owner" ? fx.emails.owner : `${unique("forgetful")}@example.org` }),
    expect: everyone,
  },
  resetPassword: {
    document: `mutation { resetPassword(token: "not-a-token-anyone-was-sent", password: "long enough pw") { ok error { code } } }`,
    expect: { ...mapOutcomes("BAD_USER_INPUT"), revoked: "UNAUTHENTICATED" },
  },
  verifyEmail: {
    document: `mutation { verifyEmail(token: "not-a-token-anyone-was-sent") { ok error { code } } }`,
    expect: { ...mapOutcomes("BAD_USER_INPUT"), revoked: "UNAUTHENTICATED" },
  },
  sendVerificationEmail: { document: `mutation { sendVerificationEmail { ok error { code } } }`, expect: signedIn },
  createApiToken: {
    document: `mutation { createApiToken(name: "t") { ok error { code } } }`,
    // Tokens come from a browser session only.
    expect: { ...signedIn, token: "FORBIDDEN" },
  },
  revokeApiToken: {
    document: `mutation ($id: ID!) { revokeApiToken(id: $id) { ok error { code } } }`,
    variables: async (fx) => {
      const created = await fx.owner.data(`mutation { createApiToken(name: "victim") { apiToken { id } } }`);
      return { id: created.createApiToken.apiToken.id };
    },
    // Another user's token id answers like a missing one.
    expect: { ...signedIn, other: "NOT_FOUND", viewer: "NOT_FOUND", editor: "NOT_FOUND" },
  },
  sessions: { document: `{ sessions(first: 5) { nodes { id current } } }`, expect: signedIn },
  mySharedProjects: { document: `{ mySharedProjects(first: 5) { nodes { id } } }`, expect: signedIn },
  // A visitor's export settings are kept by the browser: the server answers null, not an error.
  exportSettings: { document: `{ exportSettings { dpi theme } }`, expect: everyone },
  saveExportSettings: {
    document: `mutation { saveExportSettings(input: { dpi: 300, format: PDF, height: 2.5, theme: PAPER, unit: IN, width: 3.25 }) { ok error { code } } }`,
    expect: signedIn,
  },
  endSession: {
    document: `mutation ($id: ID!) { endSession(id: $id) { ok error { code } } }`,
    // A fresh session of the owner's, from another browser.
    variables: async (fx) => {
      const elsewhere = new TestClient(fx.api.url);
      await elsewhere.data(`mutation ($email: String!) { signIn(email: $email, password: "correct horse battery") { ok } }`, { email: fx.emails.owner });
      return { id: (await elsewhere.data(`{ sessions(first: 1) { nodes { id } } }`)).sessions.nodes[0].id };
    },
    // Another user's session id answers like a missing one; sessions are ended from a session only.
    expect: { ...signedIn, other: "NOT_FOUND", viewer: "NOT_FOUND", editor: "NOT_FOUND", token: "FORBIDDEN" },
  },
  // Run on each caller's main session, which it keeps: only sessions opened for other rows end.
  endOtherSessions: { document: `mutation { endOtherSessions { ok error { code } } }`, expect: { ...signedIn, token: "FORBIDDEN" } },
  // A wrong current password, so nobody's password changes: getting as far as checking it is the outcome.
  changePassword: {
    document: `mutation { changePassword(input: { currentPassword: "not the password", newPassword: "violet tangerine aqueduct" }) { ok error { code } } }`,
    expect: { ...signedIn, other: "BAD_USER_INPUT", viewer: "BAD_USER_INPUT", editor: "BAD_USER_INPUT", owner: "BAD_USER_INPUT", token: "FORBIDDEN" },
  },
  deleteAccount: {
    document: `mutation { deleteAccount(input: { password: "not the password" }) { ok error { code } } }`,
    expect: { ...signedIn, other: "BAD_USER_INPUT", viewer: "BAD_USER_INPUT", editor: "BAD_USER_INPUT", owner: "BAD_USER_INPUT", token: "FORBIDDEN" },
  },
  transferProjectOwnership: {
    document: `mutation ($p: ID!, $u: ID!) { transferProjectOwnership(projectId: $p, userId: $u) { ok error { code } } }`,
    variables: async (fx) => ({ p: (await fx.freshProject()).id, u: (await fx.clients.viewer.data(`{ me { id } }`)).me.id }),
    expect: managers,
  },
  createProject: { document: `mutation { createProject(input: { name: "p" }) { ok error { code } } }`, expect: signedIn },
  updateProject: {
    document: `mutation ($id: ID!) { updateProject(input: { id: $id, description: "changed" }) { ok error { code } } }`,
    variables: (fx) => ({ id: fx.projectId }),
    expect: managers,
  },
  deleteProject: {
    document: `mutation ($id: ID!) { deleteProject(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: (await fx.freshProject()).id }),
    expect: managers,
  },
  setProjectVisibility: {
    document: `mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: PUBLIC) { ok error { code } } }`,
    variables: async (fx) => ({ id: (await fx.freshProject()).id }),
    expect: managers,
  },
  rotateShareToken: {
    document: `mutation ($id: ID!) { rotateShareToken(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: (await fx.freshProject()).id }),
    expect: managers,
  },
  setProjectMember: {
    document: `mutation ($id: ID!, $email: String!) { setProjectMember(projectId: $id, email: $email, role: EDITOR) { ok error { code } } }`,
    // On a fresh project: the viewer, a member there, becomes an editor.
    variables: async (fx) => ({ id: (await fx.freshProject()).id, email: fx.emails.viewer }),
    expect: managers,
  },
  inviteProjectMember: {
    document: `mutation ($id: ID!, $email: String!) { inviteProjectMember(projectId: $id, email: $email, role: VIEWER) { ok error { code } } }`,
    variables: async (fx) => ({ id: (await fx.freshProject()).id, email: `${unique("invitee")}@example.org` }),
    expect: managers,
  },
  withdrawInvitation: {
    document: `mutation ($id: ID!) { withdrawInvitation(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await invite(fx, (await fx.freshProject()).id, `${unique("withdrawn")}@example.org`) }),
    expect: managers,
  },
  acceptInvitation: {
    document: `mutation ($id: ID!) { acceptInvitation(id: $id) { ok error { code } } }`,
    // An invitation to "other", on a fresh project so the main one keeps them a stranger.
    variables: async (fx) => ({ id: await invite(fx, (await fx.freshProject()).id, fx.emails.other) }),
    expect: invitee,
  },
  declineInvitation: {
    document: `mutation ($id: ID!) { declineInvitation(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await invite(fx, (await fx.freshProject()).id, fx.emails.other) }),
    expect: invitee,
  },
  myInvitations: { document: `{ myInvitations(first: 5) { nodes { id projectName } } }`, expect: signedIn },
  // The token is the capability: anyone holding it learns what it opens.
  sharedLink: {
    document: `query ($token: String!) { sharedLink(token: $token) { kind projectId } }`,
    variables: (fx) => ({ token: fx.shareToken }),
    expect: everyone,
  },
  createSurfaceLink: {
    document: `mutation ($id: ID!) { createSurfaceLink(surfaceId: $id, view: "mode=contour") { ok error { code } } }`,
    variables: async (fx) => ({ id: await fx.surfaceId() }),
    expect: writers,
  },
  revokeSurfaceLink: {
    document: `mutation ($id: ID!) { revokeSurfaceLink(id: $id) { ok error { code } } }`,
    // A link the owner made: the owner revokes it; an editor only their own.
    variables: async (fx) => ({ id: (await surfaceLink(fx)).id }),
    expect: managers,
  },
  createCompareLink: {
    document: `mutation ($ids: [ID!]!) { createCompareLink(surfaceIds: $ids, view: "panels=own") { ok error { code } } }`,
    variables: async (fx) => ({ ids: [await fx.surfaceId(), await secondSurface(fx)] }),
    expect: writers,
  },
  revokeCompareLink: {
    document: `mutation ($id: ID!) { revokeCompareLink(id: $id) { ok error { code } } }`,
    // A link the owner made: the owner revokes it; an editor only their own.
    variables: async (fx) => {
      const made = await fx.owner.data(`mutation ($ids: [ID!]!) { createCompareLink(surfaceIds: $ids) { link { id } } }`, { ids: [await fx.surfaceId(), await secondSurface(fx)] });
      return { id: made.createCompareLink.link.id };
    },
    expect: managers,
  },
  addBuiltinDataset: {
    document: `mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { ok error { code } } }`,
    variables: (fx) => ({ p: fx.projectId }),
    expect: creators,
  },
  deleteDataset: {
    document: `mutation ($id: ID!) { deleteDataset(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshDataset(fx) }),
    expect: writers,
  },
  deleteModel: {
    document: `mutation ($id: ID!) { deleteModel(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshModel(fx) }),
    expect: writers,
  },
  requestUpload: {
    document: `mutation ($p: ID!) { requestUpload(input: { projectId: $p, kind: MODEL, name: "m", files: [{ name: "model.json", size: 10 }] }) { ok error { code } } }`,
    variables: (fx) => ({ p: fx.projectId }),
    expect: creators,
  },
  completeUpload: {
    document: `mutation ($id: ID!) { completeUpload(id: $id) { ok error { code } } }`,
    variables: async (fx) => {
      // The owner requested and sent the files; only the uploader may complete.
      const files = await mlpFiles();
      const requested = await fx.owner.data(
        `mutation ($p: ID!, $a: Float!, $b: Float!) { requestUpload(input: { projectId: $p, kind: MODEL, name: "m", files: [{ name: "model.json", size: $a }, { name: "group1-shard1of1.bin", size: $b }] }) { upload { id files { name url } } } }`,
        { p: fx.projectId, a: text(files.modelJson).length, b: files.shards.get("group1-shard1of1.bin")!.length },
      );
      for (const target of requested.requestUpload.upload.files) {
        const bytes = target.name === "model.json" ? text(files.modelJson) : files.shards.get("group1-shard1of1.bin")!;
        await fetch(target.url, { method: "PUT", body: bytes });
      }
      return { id: requested.requestUpload.upload.id };
    },
    expect: { ...creators, viewer: "NOT_FOUND", editor: "NOT_FOUND" },
  },
  createSurface: {
    document: `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code } } }`,
    variables: async (fx) => ({ input: { projectId: fx.projectId, modelId: await fx.modelId(), datasetId: await fx.datasetId(), ...LINE } }),
    expect: creators,
  },
  createTrainingSeries: {
    document: `mutation ($id: ID!) { createTrainingSeries(surfaceId: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await fx.surfaceId() }),
    // No worker runs here, so the fixture's surface has no directions yet: writers pass the access check, then learn that.
    expect: { ...writers, editor: "BAD_USER_INPUT", owner: "BAD_USER_INPUT", token: "BAD_USER_INPUT" },
  },
  cancelSurface: {
    document: `mutation ($id: ID!) { cancelSurface(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshSurface(fx) }),
    expect: writers,
  },
  deleteSurface: {
    document: `mutation ($id: ID!) { deleteSurface(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshSurface(fx) }),
    expect: writers,
  },
  addAnnotation: {
    document: `mutation ($s: ID!) { addAnnotation(input: { surfaceId: $s, x: 0, y: 0, kind: NOTE, label: "hi" }) { ok error { code } } }`,
    variables: async (fx) => ({ s: await fx.surfaceId() }),
    expect: creators,
  },
  updateAnnotation: {
    document: `mutation ($id: ID!) { updateAnnotation(input: { id: $id, label: "edited" }) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshAnnotation(fx) }),
    expect: creators,
  },
  deleteAnnotation: {
    document: `mutation ($id: ID!) { deleteAnnotation(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshAnnotation(fx) }),
    expect: creators,
  },
  startTraining: {
    document: `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { code } } }`,
    variables: async (fx) => ({ input: { projectId: fx.projectId, datasetId: await fx.datasetId(), ...TRAIN } }),
    expect: creators,
  },
  cancelTraining: {
    document: `mutation ($id: ID!) { cancelTraining(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshRun(fx) }),
    expect: writers,
  },
  deleteTrainingRun: {
    document: `mutation ($id: ID!) { deleteTrainingRun(id: $id) { ok error { code } } }`,
    variables: async (fx) => {
      // Only a finished, failed or cancelled run can be deleted.
      const id = await freshRun(fx);
      await fx.owner.data(`mutation ($id: ID!) { cancelTraining(id: $id) { ok } }`, { id });
      return { id };
    },
    expect: writers,
  },
  surfaceCost: {
    document: `query ($m: ID!, $d: ID!) { surfaceCost(modelId: $m, datasetId: $d, points: 49) { __typename } }`,
    variables: async (fx) => ({ m: await fx.modelId(), d: await fx.datasetId() }),
    expect: readers,
  },
  connectModels: {
    document: `mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { ok error { code } } }`,
    variables: async (fx) => ({ input: await curveInput(fx) }),
    expect: creators,
  },
  cancelCurve: {
    document: `mutation ($id: ID!) { cancelCurve(id: $id) { ok error { code } } }`,
    variables: async (fx) => ({ id: await freshCurve(fx) }),
    expect: writers,
  },
  deleteCurve: {
    document: `mutation ($id: ID!) { deleteCurve(id: $id) { ok error { code } } }`,
    variables: async (fx) => {
      // Only a finished, failed or cancelled curve can be deleted.
      const id = await freshCurve(fx);
      await fx.owner.data(`mutation ($id: ID!) { cancelCurve(id: $id) { ok } }`, { id });
      return { id };
    },
    expect: writers,
  },
  eigenRatioCost: {
    document: `query ($m: ID!, $d: ID!) { eigenRatioCost(modelId: $m, datasetId: $d, points: 49) { hvps } }`,
    variables: async (fx) => ({ m: await fx.modelId(), d: await fx.datasetId() }),
    expect: readers,
  },
  computeModelCurvature: {
    document: `mutation ($input: ComputeCurvatureInput!) { computeModelCurvature(input: $input) { ok error { code } } }`,
    variables: async (fx) => ({ input: { modelId: await fx.modelId(), datasetId: await fx.datasetId(), samples: 20, topK: 1, traceProbes: 0, densityRuns: 0 } }),
    expect: creators,
  },
  startExperiment: {
    document: `mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { code } } }`,
    variables: async (fx) => ({ input: { projectId: fx.projectId, kind: "SKIP", datasetId: await fx.datasetId(), size: "SMALL" } }),
    expect: creators,
  },
  removeProjectMember: {
    document: `mutation ($id: ID!, $userId: ID!) { removeProjectMember(projectId: $id, userId: $userId) { ok error { code } } }`,
    variables: async (fx) => {
      const project = await fx.freshProject();
      const bystander = `${unique("bystander")}@example.org`;
      const client = new TestClient(fx.api.url);
      const userId = await client.signUp(bystander);
      await join(fx.owner, client, project.id, bystander, "VIEWER");
      return { id: project.id, userId };
    },
    expect: managers,
  },
};

function outcome(field: string, response: GraphQLResponse<Record<string, any>>): string {
  if (response.errors?.length) return response.errors[0]!.extensions?.code ?? "NO_CODE";
  const value = response.data?.[field];
  if (value && typeof value === "object" && "ok" in value && value.ok === false) return value.error?.code ?? "NO_CODE";
  return "ok";
}

describe("authorization matrix", () => {
  let fx: Fixture;

  beforeAll(async () => {
    fx = await startCallers();
  });

  afterAll(async () => fx?.api.stop());

  it("has a row for every query and mutation of the schema", async () => {
    const schema = await createSchema();
    const fields = [schema.getQueryType(), schema.getMutationType()]
      .filter((type): type is GraphQLObjectType => type !== null && type !== undefined)
      .flatMap((type) => Object.keys(type.getFields()));
    expect(fields.filter((field) => !(field in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((field) => !fields.includes(field))).toEqual([]);
  });

  for (const [field, row] of Object.entries(TABLE)) {
    it(`${field}`, async () => {
      const seen: Partial<Record<Caller, string>> = {};
      for (const caller of CALLERS) {
        const variables = row.variables ? await row.variables(fx, caller) : undefined;
        // signUp, signIn and signOut change the caller's session; run them on a second session of the caller.
        const client = ["signUp", "signIn", "signOut"].includes(field) ? await secondSession(fx, caller) : fx.clients[caller];
        seen[caller] = outcome(field, await client.request(row.document, variables));
      }
      expect(seen).toEqual(row.expect);
    });
  }
});
