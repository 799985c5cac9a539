/**
 * COMPUTE_POINTS_IN_FLIGHT: a user whose unfinished surfaces already hold many points cannot queue
 * more beyond the limit (a clear COMPUTE_LIMIT), one surface alone always goes, and another user is
 * not affected. No worker runs, so queued surfaces stay queued. Real API and PostgreSQL.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, upload } from "../../testing/uploads.js";

describe("points in flight per user", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ COMPUTE_POINTS_IN_FLIGHT: "150" });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const user = async (email: string) => {
    const client = new TestClient(api.url);
    await client.signUp(email);
    const projectId = (await client.data(`mutation { createProject(input: { name: "limits" }) { project { id } } }`)).createProject.project.id as string;
    const modelId = (await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([4, 8, 3], 1)))).completed!.model!.id;
    const pair = npyPair(30, 4, 3);
    const datasetId = (
      await upload(client, { projectId, kind: "DATASET", name: "points" }, [
        { name: "x.npy", bytes: pair.x },
        { name: "y.npy", bytes: pair.y },
      ])
    ).completed!.dataset!.id;
    const create = async (count: number) =>
      (
        await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code message } surface { id } } }`, {
          input: { projectId, modelId, datasetId, kind: "PLANE", params: { x: { min: -1, max: 1, count }, y: { min: -1, max: 1, count } } },
        })
      ).createSurface as { ok: boolean; error: { code: string; message: string } | null; surface: { id: string } | null };
    return { client, create };
  };

  it("refuses a surface over the limit with COMPUTE_LIMIT, takes it again once room is made, and leaves other users alone", async () => {
    const alice = await user("alice@example.org");
    // One surface larger than the limit goes when nothing else is waiting.
    const big = await alice.create(13);
    expect(big.ok).toBe(true);
    const refused = await alice.create(3);
    expect(refused.ok).toBe(false);
    expect(refused.error!.code).toBe("COMPUTE_LIMIT");
    expect(refused.error!.message).toBe(
      "Your surfaces being computed still have 169 points to go; with this one's 9 that is over the 150 points one user may have queued at once. Wait for some to finish, or cancel one",
    );

    const bob = await user("bob@example.org");
    expect((await bob.create(9)).ok).toBe(true);
    expect((await bob.create(7)).ok).toBe(true);

    await alice.client.data(`mutation ($id: ID!) { cancelSurface(id: $id) { ok } }`, { id: big.surface!.id });
    expect((await alice.create(9)).ok).toBe(true);
  });
});
