import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareData } from "../../engine/data.js";
import { axisValues } from "../../engine/pure.js";
import { EigenRatioEvaluator } from "../../engine/hessian.js";
import { loadModel } from "../../engine/network.js";
import { resolveLoss, surfacePlane } from "../../engine/surface.js";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, upload } from "../../testing/uploads.js";
import { untilStatus } from "../../testing/wait.js";

const AXIS = { min: -0.5, max: 0.5, count: 3 };
const SAMPLES = 60;

/** Reads a surface until it is ready (or failed), with a generous deadline for a busy machine. */
function untilDone(client: TestClient, id: string): Promise<{ status: string; errorMessage: string | null; pointsDone: number }> {
  return untilStatus(`surface ${id}`, async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage pointsDone } }`, { id })).surface);
}

describe("eigen-ratio maps", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let irisId: string;
  let files: Awaited<ReturnType<typeof mlpFiles>>;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("eigen@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "e" }) { project { id } } }`)).createProject.project.id;
    files = await mlpFiles();
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(files));
    expect(model.outcome).toBe("ok");
    modelId = model.completed!.model!.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const create = async (kind: string, params: Record<string, unknown>) =>
    (await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code field message } surface { id pointsTotal } } }`, {
      input: { projectId, kind, modelId, datasetId: irisId, params },
    })).createSurface;

  it("maps lambda_max, lambda_min and their ratio over a plane, equal to the engine's EigenRatioEvaluator", async () => {
    const cost = (await client.data(`query ($m: ID!, $d: ID!) { eigenRatioCost(modelId: $m, datasetId: $d, points: 9, samples: ${SAMPLES}) { hvps expectedHvps samples estimatedSeconds basis } }`, {
      m: modelId, d: irisId,
    })).eigenRatioCost;
    // At most the step cap per point; nothing measured yet on this model.
    expect(cost).toEqual({ hvps: 9 * 80, expectedHvps: null, samples: SAMPLES, estimatedSeconds: null, basis: null });

    // The curvature map of a plane: the plane's own directions, shared.
    const plane = await create("PLANE", { x: AXIS, y: AXIS, samples: SAMPLES });
    expect(plane.ok, plane.error?.message).toBe(true);
    expect((await untilDone(client, plane.surface.id)).status).toBe("READY");
    const map = await create("EIGEN_RATIO", { x: AXIS, y: AXIS, samples: SAMPLES, directionsFrom: plane.surface.id });
    expect(map.ok, map.error?.message).toBe(true);
    expect(map.surface.pointsTotal).toBe(9);
    const done = await untilDone(client, map.surface.id);
    expect(done.status, done.errorMessage ?? "").toBe("READY");

    const read = (await client.data(
      `query ($id: ID!) { surface(id: $id) { kind params { lanczosSteps tolerance } lambdaMax: values(metric: LAMBDA_MAX) lambdaMin: values(metric: LAMBDA_MIN) ratio: values(metric: RATIO)
         steps: values(metric: LANCZOS_STEPS) converged: values(metric: CONVERGED)
         statistics { ratio { mean } lambdaMax { max } loss { min } unconvergedPoints lanczosSteps { mean max } } valuesUrl } }`,
      { id: map.surface.id },
    )).surface;
    expect(read.kind).toBe("EIGEN_RATIO");
    expect(read.params).toEqual({ lanczosSteps: 80, tolerance: 0.01 });
    expect(read.statistics.loss.min).toBeNull();

    // The same numbers computed here by the engine directly: the same model, samples, plane and Lanczos start.
    const model = await loadModel({ modelJson: files.modelJson, shards: files.shards }, "mlp");
    const loss = resolveLoss(model, undefined);
    const data = prepareData(model, await loadDataset("builtin:iris", { samples: SAMPLES, sampleSeed: 0 }), loss);
    const { dx, dy } = surfacePlane(model, { x: AXIS, y: AXIS, directions: { seed: 0, norm: "filter", ignore: "biasbn", frozen: "move" } });
    const evaluator = EigenRatioEvaluator.create(model, data, loss, { origin: model.theta, dx, dy }, { ignore: "biasbn", frozen: "move", steps: 80, tolerance: 0.01, seed: 0 });
    const xs = axisValues(AXIS);
    const points = new Float64Array(18);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) points.set([xs[i]!, xs[j]!], 2 * (j * 3 + i));
    const direct = await evaluator.evaluate(points);
    evaluator.dispose();
    expect(direct.hvps).toBe(direct.steps.reduce((a, b) => a + b, 0));
    for (let k = 0; k < 9; k++) {
      const [i, j] = [k % 3, Math.floor(k / 3)];
      // Stored as float32: equal to 1e-6 of the largest eigenvalue.
      expect(Math.abs(read.lambdaMax[j][i] - direct.lambdaMax[k]!)).toBeLessThanOrEqual(1e-6 * Math.abs(direct.lambdaMax[k]!));
      expect(Math.abs(read.lambdaMin[j][i] - direct.lambdaMin[k]!)).toBeLessThanOrEqual(1e-6 * Math.abs(direct.lambdaMax[k]!));
      expect(Math.abs(read.ratio[j][i] - direct.ratio[k]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, direct.ratio[k]!));
      expect(read.steps[j][i]).toBe(direct.steps[k]);
      expect(read.converged[j][i]).toBe(direct.converged[k]);
    }
    const unconverged = direct.converged.reduce((n, c) => n + (c === 1 ? 0 : 1), 0);
    expect(read.statistics.unconvergedPoints).toBe(unconverged);
    expect(read.statistics.lanczosSteps.max).toBe(Math.max(...direct.steps));
    expect(read.lambdaMax[1][1]).toBeGreaterThan(0);
    const mean = direct.ratio.reduce((a, b) => a + b, 0) / 9;
    expect(read.statistics.ratio.mean).toBeCloseTo(mean, 5);

    // The values file holds the five grids, lambda_max first, then the steps and convergence.
    const bytes = new Uint8Array(await (await fetch(read.valuesUrl)).arrayBuffer());
    expect(bytes.length).toBe(9 * 5 * 4);
    const stored = new Float32Array(bytes.buffer);
    expect(stored[4]).toBe(Math.fround(read.lambdaMax[1][1]));
    expect(stored[18 + 4]).toBe(Math.fround(read.ratio[1][1]));
    expect(stored[27 + 4]).toBe(read.steps[1][1]);
    expect(stored[36 + 4]).toBe(read.converged[1][1]);

    // Live progress carries the three metrics (the first event: everything computed so far).
    const events = await client.subscribe<{ surfaceProgress: { status: string; indices: number[]; ratio: number[]; loss: number[] } }>(
      `subscription ($id: ID!) { surfaceProgress(id: $id) { status indices ratio loss } }`,
      { id: map.surface.id },
    );
    expect(events[0]!.surfaceProgress.indices).toHaveLength(9);
    expect(events[0]!.surfaceProgress.ratio[4]).toBeCloseTo(read.ratio[1][1], 6);
    expect(events[0]!.surfaceProgress.loss).toEqual([]);

    // Its loss is not there to ask for; the cost is now estimated from the speed just measured.
    const wrong = await client.request(`query ($id: ID!) { surface(id: $id) { values(metric: LOSS) } }`, { id: map.surface.id });
    expect(wrong.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const measured = (await client.data(`query ($m: ID!, $d: ID!) { eigenRatioCost(modelId: $m, datasetId: $d, points: 441, samples: ${SAMPLES}) { hvps expectedHvps estimatedSeconds basis } }`, {
      m: modelId, d: irisId,
    })).eigenRatioCost;
    expect(measured.hvps).toBe(441 * 80);
    expect(measured.expectedHvps).toBe(Math.round(441 * (direct.steps.reduce((a, b) => a + b, 0) / 9)));
    expect(measured.estimatedSeconds).toBeGreaterThan(0);
    expect(measured.basis).toMatch(/eigen-ratio map/);
  });

  it("takes a plane's curvature over the parameters the plane's directions move", async () => {
    const plane = await create("PLANE", { x: AXIS, y: AXIS, samples: 30, ignore: "NONE", seed: 3 });
    expect((await untilDone(client, plane.surface.id)).status).toBe("READY");
    const map = (await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok surface { id params { ignore seed directionsFrom } } } }`, {
      input: { projectId, kind: "EIGEN_RATIO", modelId, datasetId: irisId, params: { x: AXIS, y: AXIS, samples: 30, directionsFrom: plane.surface.id } },
    })).createSurface;
    expect(map.surface.params).toEqual({ ignore: "NONE", seed: 3, directionsFrom: plane.surface.id });
    await client.data(`mutation ($id: ID!) { cancelSurface(id: $id) { ok } }`, { id: map.surface.id });
  });

  it("refuses grids too large for Hessian-vector products and planes without a y axis", async () => {
    const big = await create("EIGEN_RATIO", { x: { min: -1, max: 1, count: 51 }, y: { min: -1, max: 1, count: 51 } });
    expect(big.ok).toBe(false);
    expect(big.error.code).toBe("BAD_USER_INPUT");
    expect(big.error.message).toMatch(/at most 1681/);
    const line = await create("EIGEN_RATIO", { x: AXIS });
    expect(line.ok).toBe(false);
    expect(line.error.field).toBe("params.y");
  });
});
