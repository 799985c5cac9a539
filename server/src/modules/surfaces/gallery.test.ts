/** The gallery issues a fixed number of SQL statements, however many surfaces a page holds. */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { mlpFiles, npyPair, text, upload } from "../../testing/uploads.js";

const PAGE = `{ gallery(first: 100) { nodes { id name kind status myRole tags pointsDone pointsTotal xs ys params { x { count } }
  model { name parameterCount } modelB { name } dataset { name rows } statistics { loss { min } } criticalPoints { kind } thumbnailUrl } pageInfo { hasNextPage } } }`;

describe("gallery(first: 100)", () => {
  let api: TestApi;
  let client: TestClient;
  let create: () => Promise<void>;

  beforeAll(async () => {
    api = await startTestApi();
    client = new TestClient(api.url);
    await client.signUp("gallery@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "g" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles();
    const model = await upload(client, { projectId, kind: "MODEL", name: "m" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const pair = npyPair(20, 4, 3);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "d" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    const input = { projectId, modelId: model.completed!.model!.id, datasetId: dataset.completed!.dataset!.id, kind: "LINE", params: { x: { min: -1, max: 1, count: 5 } } };
    create = async () => {
      const result = await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok } }`, { input });
      expect(result.createSurface.ok).toBe(true);
    };
  });
  afterAll(async () => api?.stop());

  async function statementsFor(query: string): Promise<number> {
    const pool = api.api.services.pool;
    const original = pool.query.bind(pool);
    let count = 0;
    pool.query = ((...args: Parameters<typeof original>) => {
      count++;
      return original(...args);
    }) as typeof pool.query;
    try {
      await client.data(query);
    } finally {
      pool.query = original;
    }
    return count;
  }

  it("costs the same number of statements for 3 surfaces as for 60", async () => {
    for (let i = 0; i < 3; i++) await create();
    const few = await statementsFor(PAGE);
    for (let i = 0; i < 57; i++) await create();
    const many = await statementsFor(PAGE);
    expect(many).toBe(few);
    // Session lookup, the page, and one batch each for models and datasets.
    expect(many).toBeLessThanOrEqual(6);
  });
});
