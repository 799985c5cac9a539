/**
 * A surface's cost before it starts: FLOPs per grid point from the model's parameters and the
 * samples, seconds at the FLOP rate the workers reached, and the fair queue placing an unprepared
 * surface by that cost (a model 4000 times larger waits about 4000 times longer). Real API,
 * PostgreSQL, queue and an in-process worker.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, upload } from "../../testing/uploads.js";
import { until } from "../../testing/wait.js";
import { evaluatedSamples, pointFlops, pointSecondsAt } from "../../domain/point-cost.js";

const COST = `query ($m: ID!, $d: ID!, $points: Int!, $samples: Int) {
  surfaceCost(modelId: $m, datasetId: $d, points: $points, samples: $samples) { samples flopsPerPoint totalFlops secondsPerPoint estimatedSeconds }
}`;

describe("point cost", () => {
  it("is two FLOPs per weight per sample, over the subset when one is asked for", () => {
    expect(pointFlops(1000, 150)).toBe(300_000);
    expect(evaluatedSamples(150, null)).toBe(150);
    expect(evaluatedSamples(150, 40)).toBe(40);
    expect(evaluatedSamples(150, 1000)).toBe(150);
    expect(pointSecondsAt(300_000, 1e6)).toBeCloseTo(0.3);
    expect(pointSecondsAt(300_000, null)).toBeNull();
    expect(pointSecondsAt(300_000, 0)).toBeNull();
  });
});

describe("a surface's cost before it starts", () => {
  let api: TestApi;
  let owner: TestClient;
  let projectId: string;
  let small: { id: string; parameterCount: number };
  let large: { id: string; parameterCount: number };
  let datasetId: string;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    await owner.signUp("cost@example.org");
    projectId = (await owner.data(`mutation { createProject(input: { name: "cost" }) { project { id } } }`)).createProject.project.id;
    const model = async (sizes: number[], name: string) => {
      const id = (await upload(owner, { projectId, kind: "MODEL", name }, modelUploadFiles(await mlpFiles(sizes)))).completed!.model!.id as string;
      const parameterCount = (await owner.data(`query ($id: ID!) { model(id: $id) { parameterCount } }`, { id })).model.parameterCount as number;
      return { id, parameterCount };
    };
    small = await model([4, 8, 3], "small");
    large = await model([4, 512, 512, 3], "large");
    datasetId = (await owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const createSurface = async (modelId: string, kind: string, params: Record<string, unknown>) =>
    (await owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code message } surface { id } } }`, {
      input: { projectId, modelId, datasetId, kind, params },
    })).createSurface.surface.id as string;

  it("states FLOPs per point from the parameters and samples; no seconds before the workers computed anything", async () => {
    const all = (await owner.data(COST, { m: small.id, d: datasetId, points: 9 })).surfaceCost;
    expect(all).toEqual({ samples: 150, flopsPerPoint: 2 * small.parameterCount * 150, totalFlops: 9 * 2 * small.parameterCount * 150, secondsPerPoint: null, estimatedSeconds: null });
    expect((await owner.data(COST, { m: small.id, d: datasetId, points: 9, samples: 40 })).surfaceCost).toMatchObject({ samples: 40, flopsPerPoint: 2 * small.parameterCount * 40 });
    expect((await owner.data(COST, { m: small.id, d: datasetId, points: 9, samples: 1000 })).surfaceCost.samples).toBe(150);
  });

  it("answers NOT_FOUND to a caller who may not read the model, and BAD_USER_INPUT to nonsense", async () => {
    const stranger = new TestClient(api.url);
    await stranger.signUp("cost-stranger@example.org");
    expect((await stranger.request(COST, { m: small.id, d: datasetId, points: 9 })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await new TestClient(api.url).request(COST, { m: small.id, d: datasetId, points: 9 })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const bad = await owner.request(COST, { m: small.id, d: datasetId, points: 0 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "points" });
  });

  it("estimates seconds at the workers' measured FLOP rate, and the queue places unprepared surfaces by their own cost", async () => {
    worker = await startTestWorker(api);
    const measured = await createSurface(small.id, "LINE", { x: { min: -1, max: 1, count: 21 } });
    await until("the measured surface to be ready", async () => (await owner.data(`query ($id: ID!) { surface(id: $id) { status } }`, { id: measured })).surface.status, (s) => s === "READY", {
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    await worker.stop();
    worker = undefined;

    const smallCost = (await owner.data(COST, { m: small.id, d: datasetId, points: 81 })).surfaceCost;
    const largeCost = (await owner.data(COST, { m: large.id, d: datasetId, points: 81 })).surfaceCost;
    expect(smallCost.secondsPerPoint).toBeGreaterThan(0);
    expect(largeCost.estimatedSeconds).toBeCloseTo(81 * largeCost.secondsPerPoint, 6);
    // The same FLOP rate: the seconds scale with the parameters.
    expect(largeCost.secondsPerPoint / smallCost.secondsPerPoint).toBeCloseTo(large.parameterCount / small.parameterCount, 3);

    // No worker: both stay unprepared, and each is placed by its own cost, not by the average speed.
    const plane = { x: { min: -1, max: 1, count: 9 }, y: { min: -1, max: 1, count: 9 } };
    const [smallPlane, largePlane] = [await createSurface(small.id, "PLANE", plane), await createSurface(large.id, "PLANE", plane)];
    const queue = async (id: string) => (await owner.data(`query ($id: ID!) { surface(id: $id) { status queue { estimatedSeconds } } }`, { id })).surface;
    const [smallPlace, largePlace] = [await queue(smallPlane), await queue(largePlane)];
    expect(smallPlace.status).toBe("QUEUED");
    expect(largePlace.queue.estimatedSeconds).toBeGreaterThan(smallPlace.queue.estimatedSeconds);
    expect(Math.abs(largePlace.queue.estimatedSeconds - largeCost.estimatedSeconds)).toBeLessThanOrEqual(1);
  });
});
