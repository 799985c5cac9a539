import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const CURVATURE = `id status samples hvpsDone hvpsPlanned dimension topEigenvalues lambdaMin eigenRatio trace traceStandardError density { x density sigma nodes weights } method hvpErrorEstimate hvpStep eigenvaluesConverged backend errorMessage`;

describe("model curvature", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let irisId: string;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("curvature@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "c" }) { project { id } } }`)).createProject.project.id;
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles()));
    expect(model.outcome).toBe("ok");
    modelId = model.completed!.model!.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("is computed on a worker and read back as Model.curvature", async () => {
    expect((await client.data(`query ($id: ID!) { model(id: $id) { curvature { id } } }`, { id: modelId })).model.curvature).toBeNull();
    const started = (await client.data(`mutation ($input: ComputeCurvatureInput!) { computeModelCurvature(input: $input) { ok error { code message field } curvature { id status samples } } }`, {
      input: { modelId, datasetId: irisId, samples: 90, topK: 3, traceProbes: 6, densityRuns: 1 },
    })).computeModelCurvature;
    expect(started.ok, started.error?.message).toBe(true);
    expect(started.curvature.samples).toBe(90);
    const curvature = await untilStatus(
      "the model's curvature",
      async () => (await client.data(`query ($id: ID!) { model(id: $id) { curvature { ${CURVATURE} } } }`, { id: modelId })).model.curvature,
      SETTLED,
      { timeoutMs: 300_000, intervalMs: 250 },
    );
    expect(curvature.status, curvature.errorMessage).toBe("READY");
    // The 4-8-3 MLP's kernels: 4*8 + 8*3 weights (biases are left out under ignore biasbn).
    expect(curvature.dimension).toBe(56);
    expect(curvature.topEigenvalues).toHaveLength(3);
    expect(curvature.topEigenvalues[0]).toBeGreaterThan(0);
    expect(curvature.lambdaMin).toBeLessThanOrEqual(curvature.topEigenvalues[2]);
    expect(curvature.eigenRatio).toBeCloseTo(Math.abs(curvature.lambdaMin / curvature.topEigenvalues[0]), 10);
    expect(curvature.traceStandardError).toBeGreaterThan(0);
    expect(curvature.density.x).toHaveLength(200);
    expect(curvature.density.weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
    expect(curvature.hvpsDone).toBe(curvature.hvpsPlanned);
    expect(curvature.method).toBe("Richardson-extrapolated central differences of exact gradients");
    expect(curvature.hvpErrorEstimate).toBeGreaterThan(0);
    expect(curvature.hvpErrorEstimate).toBeLessThan(1e-2);
    expect(curvature.hvpStep).toBe(5e-3);
    expect(typeof curvature.eigenvaluesConverged).toBe("boolean");
    expect(curvature.backend).toMatch(/wasm|cpu/);
  });

  it("refuses options out of range and datasets of another shape", async () => {
    const bad = (await client.data(`mutation ($input: ComputeCurvatureInput!) { computeModelCurvature(input: $input) { ok error { code field } } }`, {
      input: { modelId, datasetId: irisId, topK: 0 },
    })).computeModelCurvature;
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe("BAD_USER_INPUT");
    const mnist = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const shape = (await client.data(`mutation ($input: ComputeCurvatureInput!) { computeModelCurvature(input: $input) { ok error { code field message } } }`, {
      input: { modelId, datasetId: mnist },
    })).computeModelCurvature;
    expect(shape.ok).toBe(false);
    expect(shape.error.field).toBe("datasetId");
  });
});
