/**
 * A surface's cost before it starts: FLOPs per grid point from the model's forward pass (counted
 * by the engine when the model is read: a convolution's weights at every output position) and the
 * samples, seconds at the FLOP rate the workers reached, and the fair queue placing an unprepared
 * surface by that cost (a model 4000 times larger waits about 4000 times longer). Real API,
 * PostgreSQL, queue and an in-process worker.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, modelUploadFiles, upload } from "../../testing/uploads.js";
import { until } from "../../testing/wait.js";
import { evaluatedSamples, pointFlops, pointSecondsAt, sampleFlops } from "../../domain/point-cost.js";
import { attr, tinyOnnx } from "../../engine/testing/onnx-graphs.js";
import { floatTensor } from "../../engine/onnx/proto.js";

const COST = `query ($m: ID!, $d: ID!, $points: Int!, $samples: Int) {
  surfaceCost(modelId: $m, datasetId: $d, points: $points, samples: $samples) { samples flopsPerPoint totalFlops secondsPerPoint estimatedSeconds }
}`;

describe("point cost", () => {
  it("is a forward pass per sample, over the subset when one is asked for", () => {
    expect(pointFlops(2000, 150)).toBe(300_000);
    // A model stored before its FLOPs were counted: a multiply and an add per weight.
    expect(sampleFlops({ flopsPerSample: null, parameterCount: 1000 })).toBe(2000);
    expect(sampleFlops({ flopsPerSample: 5700, parameterCount: 263 })).toBe(5700);
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
  let small: { id: string; parameterCount: number; flopsPerSample: number };
  let large: { id: string; parameterCount: number; flopsPerSample: number };
  let datasetId: string;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    await owner.signUp("cost@example.org");
    projectId = (await owner.data(`mutation { createProject(input: { name: "cost" }) { project { id } } }`)).createProject.project.id;
    const model = async (sizes: number[], name: string) => {
      const id = (await upload(owner, { projectId, kind: "MODEL", name }, modelUploadFiles(await mlpFiles(sizes)))).completed!.model!.id as string;
      const { parameterCount, flopsPerSample } = (await owner.data(`query ($id: ID!) { model(id: $id) { parameterCount flopsPerSample } }`, { id })).model as { parameterCount: number; flopsPerSample: number };
      return { id, parameterCount, flopsPerSample };
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

  it("states FLOPs per point from the model's forward pass and the samples; no seconds before the workers computed anything", async () => {
    // Dense 4 -> 8 -> 3: a multiply and an add per weight of each kernel.
    expect(small.flopsPerSample).toBe(2 * (4 * 8 + 8 * 3));
    const all = (await owner.data(COST, { m: small.id, d: datasetId, points: 9 })).surfaceCost;
    expect(all).toEqual({ samples: 150, flopsPerPoint: small.flopsPerSample * 150, totalFlops: 9 * small.flopsPerSample * 150, secondsPerPoint: null, estimatedSeconds: null });
    expect((await owner.data(COST, { m: small.id, d: datasetId, points: 9, samples: 40 })).surfaceCost).toMatchObject({ samples: 40, flopsPerPoint: small.flopsPerSample * 40 });
    expect((await owner.data(COST, { m: small.id, d: datasetId, points: 9, samples: 1000 })).surfaceCost.samples).toBe(150);
  });

  it("counts a convolution's weights at every output position, not once", async () => {
    // x [N, 4, 5, 5] -> Conv 3x3 (4 -> 3, padding 1) -> Relu -> Flatten -> Gemm (75 -> 2), as PyTorch exports it.
    const bytes = tinyOnnx({
      input: ["n", 4, 5, 5],
      output: ["n", 2],
      nodes: [
        { name: "conv", op_type: "Conv", input: ["x", "conv.weight", "conv.bias"], output: ["c"], attribute: [attr.ints("kernel_shape", [3, 3]), attr.ints("pads", [1, 1, 1, 1])] },
        { name: "relu", op_type: "Relu", input: ["c"], output: ["r"] },
        { name: "flatten", op_type: "Flatten", input: ["r"], output: ["f"], attribute: [attr.int("axis", 1)] },
        { name: "fc", op_type: "Gemm", input: ["f", "fc.weight", "fc.bias"], output: ["y"], attribute: [attr.int("transB", 1)] },
      ],
      initializers: [
        floatTensor("conv.weight", [3, 4, 3, 3], Float32Array.from({ length: 108 }, (_, i) => Math.sin(i) * 0.3)),
        floatTensor("conv.bias", [3], new Float32Array(3)),
        floatTensor("fc.weight", [2, 75], Float32Array.from({ length: 150 }, (_, i) => Math.cos(i) * 0.1)),
        floatTensor("fc.bias", [2], new Float32Array(2)),
      ],
    });
    const id = (await upload(owner, { projectId, kind: "MODEL", name: "cnn" }, [{ name: "cnn.onnx", bytes }])).completed!.model!.id as string;
    const model = (await owner.data(`query ($id: ID!) { model(id: $id) { parameterCount flopsPerSample } }`, { id })).model;
    expect(model.parameterCount).toBe(108 + 3 + 150 + 2);
    // 3 x 3 x 4 multiply-adds at each of the 5 x 5 x 3 outputs, then 75 x 2: 11 times 2 x parameters.
    const flops = 2 * (3 * 3 * 4) * (5 * 5 * 3) + 2 * 75 * 2;
    expect(model.flopsPerSample).toBe(flops);
    expect((await owner.data(COST, { m: id, d: datasetId, points: 9 })).surfaceCost).toMatchObject({ samples: 150, flopsPerPoint: flops * 150, totalFlops: 9 * flops * 150 });
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
    // The same FLOP rate: the seconds scale with the forward pass's FLOPs.
    expect(largeCost.secondsPerPoint / smallCost.secondsPerPoint).toBeCloseTo(large.flopsPerSample / small.flopsPerSample, 3);

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
