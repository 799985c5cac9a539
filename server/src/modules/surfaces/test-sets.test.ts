/**
 * Surfaces with a held-out test set, through the API and a real worker: each grid point is
 * evaluated on both sets in one job, and each set's values equal, point by point, those of a
 * surface computed on that set alone (a plane and an interpolation). Bad test data is refused.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "../../engine/npy.js";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, perturbed, upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const FIELDS = `id status errorMessage testDatasetId testDataset { id name }
  loss: values(metric: LOSS) accuracy: values(metric: ACCURACY)
  statistics { loss { min max } testLoss { min max mean } testAccuracy { min max } } criticalPoints { kind x y }`;
const TEST_FIELDS = `testLoss: values(metric: TEST_LOSS) testAccuracy: values(metric: TEST_ACCURACY)`;

interface Surface {
  id: string;
  status: string;
  errorMessage: string | null;
  testDatasetId: string | null;
  testDataset: { id: string; name: string } | null;
  loss: (number | null)[][];
  accuracy: (number | null)[][];
  testLoss?: (number | null)[][];
  testAccuracy?: (number | null)[][];
  statistics: { loss: { min: number; max: number }; testLoss: { min: number; max: number; mean: number } | null; testAccuracy: { min: number; max: number } | null };
  criticalPoints: { kind: string; x: number; y: number }[];
}

describe("surfaces with a test set", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let modelBId: string;
  let trainId: string;
  let testId: string;

  const dataset = async (name: string, pair: { x: Uint8Array; y: Uint8Array }, project = projectId) =>
    (await upload(client, { projectId: project, kind: "DATASET", name }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ])).completed!.dataset!.id as string;

  const create = async (input: Record<string, unknown>) =>
    (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code message field } surface { id testDatasetId } } }`, {
        input: { projectId, modelId, datasetId: trainId, ...input },
      })
    ).createSurface;

  const computed = async (input: Record<string, unknown>, withTest: boolean): Promise<Surface> => {
    const created = await create(input);
    expect(created.error).toBeNull();
    const done = (await untilStatus(
      `surface ${created.surface.id} to settle`,
      async () => (await client.data(`query ($id: ID!) { surface(id: $id) { ${FIELDS} ${withTest ? TEST_FIELDS : ""} } }`, { id: created.surface.id })).surface,
      SETTLED,
      { timeoutMs: 90_000, intervalMs: 100 },
    )) as Surface;
    expect(done.errorMessage).toBeNull();
    expect(done.status).toBe("READY");
    return done;
  };

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("splitter@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "held out" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles();
    modelId = (await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(files))).completed!.model!.id;
    modelBId = (await upload(client, { projectId, kind: "MODEL", name: "mlp moved" }, modelUploadFiles(perturbed(files, 0.3, 2)))).completed!.model!.id;
    trainId = await dataset("train", npyPair(60, 4, 3));
    // Other samples of the same shape and classes: cos instead of sin, another count.
    const rows = 35;
    const x = new Float32Array(rows * 4).map((_, i) => Math.cos(0.7 * i) * 1.5);
    const y = new Int32Array(rows).map((_, i) => (i * 2) % 3);
    testId = await dataset("test", { x: encodeNpy(x, [rows, 4]), y: encodeNpy(y, [rows]) });
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("a plane with a test set equals, point by point, planes computed on each set alone", async () => {
    const params = { x: { min: -1, max: 1, count: 7 }, y: { min: -0.5, max: 0.5, count: 5 }, seed: 3 };
    const both = await computed({ kind: "PLANE", name: "both", params, testDatasetId: testId }, true);
    const trainAlone = await computed({ kind: "PLANE", name: "train alone", params }, false);
    const testAlone = await computed({ kind: "PLANE", name: "test alone", params, datasetId: testId }, false);
    expect(both.testDatasetId).toBe(testId);
    expect(both.testDataset).toEqual({ id: testId, name: "test" });
    expect(trainAlone.testDatasetId).toBeNull();

    expect(both.loss).toEqual(trainAlone.loss);
    expect(both.accuracy).toEqual(trainAlone.accuracy);
    expect(both.testLoss).toEqual(testAlone.loss);
    expect(both.testAccuracy).toEqual(testAlone.accuracy);
    // Every point computed, and the two sets really differ.
    expect(both.testLoss!.flat().every((v) => v !== null && Number.isFinite(v))).toBe(true);
    expect(both.testLoss).not.toEqual(both.loss);
    // Statistics of both sets; critical points stay on the training loss.
    expect(both.statistics.loss).toEqual(trainAlone.statistics.loss);
    expect(both.statistics.testLoss!.min).toBeCloseTo(testAlone.statistics.loss.min, 6);
    expect(both.statistics.testLoss!.max).toBeCloseTo(testAlone.statistics.loss.max, 6);
    expect(trainAlone.statistics.testLoss).toBeNull();
    expect(both.criticalPoints).toEqual(trainAlone.criticalPoints);

    // A surface without test data has no test metric to show.
    const missing = await client.request(`query ($id: ID!) { surface(id: $id) { values(metric: TEST_LOSS) } }`, { id: trainAlone.id });
    expect(missing.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(missing.errors?.[0]?.message).toMatch(/without test data/);
  });

  it("an interpolation with a test set equals interpolations computed on each set alone", async () => {
    const params = { x: { min: -0.5, max: 1.5, count: 9 } };
    const both = await computed({ kind: "INTERPOLATION", modelBId, params, testDatasetId: testId }, true);
    const trainAlone = await computed({ kind: "INTERPOLATION", modelBId, params }, false);
    const testAlone = await computed({ kind: "INTERPOLATION", modelBId, params, datasetId: testId }, false);
    expect(both.loss).toEqual(trainAlone.loss);
    expect(both.accuracy).toEqual(trainAlone.accuracy);
    expect(both.testLoss).toEqual(testAlone.loss);
    expect(both.testAccuracy).toEqual(testAlone.accuracy);
    expect(both.testLoss).not.toEqual(both.loss);
  });

  it("refuses test data of another shape, other classes, the training data itself, or another project's", async () => {
    const otherShape = await dataset("five features", npyPair(20, 5, 3));
    const otherClasses = await dataset("two classes", npyPair(20, 4, 2));
    const line = { kind: "LINE", params: { x: { min: -1, max: 1, count: 5 } } };
    for (const [testDatasetId, pattern] of [
      [otherShape, /shape \[5\].*\[4\]/],
      [otherClasses, /2 classes but the training data has 3/],
      [trainId, /another dataset than the training data/],
    ] as const) {
      const refused = await create({ ...line, testDatasetId });
      expect(refused.error).toMatchObject({ code: "BAD_USER_INPUT", field: "testDatasetId" });
      expect(refused.error.message).toMatch(pattern);
    }
    // The cost stated beforehand counts both sets' samples.
    const cost = (await client.data(`query ($m: ID!, $d: ID!, $t: ID) { surfaceCost(modelId: $m, datasetId: $d, points: 10, samples: null, testDatasetId: $t) { samples testSamples } }`, { m: modelId, d: trainId, t: testId })).surfaceCost;
    expect(cost).toEqual({ samples: 60 + 35, testSamples: 35 });

    const map = await create({ kind: "EIGEN_RATIO", params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 } }, testDatasetId: testId });
    expect(map.error).toMatchObject({ code: "BAD_USER_INPUT", field: "testDatasetId" });

    // A dataset the caller cannot see in this project is not found, as for the training data.
    const elsewhere = (await client.data(`mutation { createProject(input: { name: "elsewhere" }) { project { id } } }`)).createProject.project.id;
    const foreign = await dataset("foreign", npyPair(20, 4, 3), elsewhere);
    const notHere = await create({ ...line, testDatasetId: foreign });
    expect(notHere.error).toMatchObject({ code: "NOT_FOUND" });
  });
});
