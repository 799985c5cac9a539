/**
 * Curves over the API with a real worker: two MLPs trained on iris from different seeds, the
 * curve between them trained and evaluated, its progress followed by subscription; and the
 * refusals (two architectures, one model twice, a cancelled curve), which lose nothing.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, text, upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const CURVE_FIELDS = `id status phase stepsDone stepsTotal pointsDone pointsTotal errorMessage checkpoints { step meanLoss }
  values { t batchNormRecomputed plane { xs ys loss accuracy offPlane models { name x y } curve { t x y } line { t x y } } curve { trainLoss trainAccuracy testLoss testAccuracy } line { trainLoss trainAccuracy testLoss }
           curveBarriers { trainLoss trainAccuracy testLoss } lineBarriers { trainLoss trainAccuracy testLoss } }`;

describe("curves between two models", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let irisId: string;
  let modelA: string;
  let modelB: string;

  const connect = async (input: Record<string, unknown>) =>
    (
      await client.data(`mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { ok error { code message field } curve { id status stepsTotal pointsTotal name } } }`, {
        input: { projectId, datasetId: irisId, ...input },
      })
    ).connectModels;
  const read = async (id: string) => (await client.data(`query ($id: ID!) { curve(id: $id) { ${CURVE_FIELDS} } }`, { id })).curve;
  const trainModel = async (seed: number) => {
    const started = (
      await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { run { id } } }`, {
        input: { projectId, datasetId: irisId, architecture: { kind: "MLP", depth: 1, width: 16 }, options: { optimizer: "ADAM", learningRate: 0.05, batchSize: 16, epochs: 30, seed } },
      })
    ).startTraining.run.id;
    const run = await untilStatus("a training run", async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status modelId errorMessage } }`, { id: started })).trainingRun, SETTLED, {
      timeoutMs: 150_000,
    });
    expect(run.status, run.errorMessage).toBe("READY");
    return run.modelId as string;
  };

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("curves@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "curves" }) { project { id } } }`)).createProject.project.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    modelA = await trainModel(1);
    modelB = await trainModel(2);
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("trains a Bezier curve between two minima, follows its progress, and reads its values along the curve and the line", async () => {
    const started = await connect({ modelAId: modelA, modelBId: modelB, testDatasetId: irisId, options: { epochs: 20, batchSize: 16, learningRate: 0.05, points: 11, seed: 3 } });
    expect(started.ok, started.error?.message).toBe(true);
    expect(started.curve.status).toBe("QUEUED");
    expect(started.curve.stepsTotal).toBe(200);
    expect(started.curve.pointsTotal).toBe(22);
    const events = await client.subscribe<{ curveProgress: { status: string; phase: string | null; stepsDone: number; pointsDone: number } }>(
      `subscription ($id: ID!) { curveProgress(id: $id) { status phase stepsDone pointsDone } }`,
      { id: started.curve.id },
    );
    expect(events.at(-1)!.curveProgress.status).toBe("READY");
    expect(events.some((e) => e.curveProgress.phase === "TRAINING")).toBe(true);

    const curve = await read(started.curve.id);
    expect(curve.status, curve.errorMessage).toBe("READY");
    expect(curve.stepsDone).toBe(200);
    expect(curve.pointsDone).toBe(22);
    expect(curve.checkpoints.map((c: { step: number }) => c.step)).toEqual(Array.from({ length: 20 }, (_, i) => 10 * (i + 1)));
    const v = curve.values;
    expect(v.t).toHaveLength(11);
    expect(v.t[0]).toBe(0);
    expect(v.t[10]).toBe(1);
    expect(v.batchNormRecomputed).toBe(false);
    // Both paths start at A and end at B: the same values there.
    expect(v.curve.trainLoss[0]).toBeCloseTo(v.line.trainLoss[0], 6);
    expect(v.curve.trainLoss[10]).toBeCloseTo(v.line.trainLoss[10], 6);
    expect(v.curve.testLoss).toHaveLength(11);
    // The barriers are what the values say, and the trained curve's is below the line's.
    const ends = (v.line.trainLoss[0] + v.line.trainLoss[10]) / 2;
    expect(v.lineBarriers.trainLoss).toBeCloseTo(Math.max(...v.line.trainLoss) - ends, 9);
    expect(v.curveBarriers.trainLoss).toBeLessThan(v.lineBarriers.trainLoss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(v.curve.trainLoss.slice(1, -1))).toBeLessThan(mean(v.line.trainLoss.slice(1, -1)));

    // The plane through A, B and theta: A at (0, 0), B at (1, 0), the curve in it from A to B, its
    // middle halfway up to theta (phi(1/2) = (A + 2 theta + B) / 4), values everywhere.
    const plane = v.plane;
    expect(plane.xs).toHaveLength(21);
    expect(plane.loss).toHaveLength(21);
    expect(plane.loss[0]).toHaveLength(21);
    expect(plane.models.map((m: { name: string }) => m.name)).toEqual(["model A", "model B", "theta"]);
    expect(plane.models[0].x).toBeCloseTo(0, 6);
    expect(plane.models[1].x).toBeCloseTo(1, 6);
    expect(plane.models[1].y).toBeCloseTo(0, 6);
    expect(plane.offPlane).toBeLessThan(1e-3);
    expect(plane.curve).toHaveLength(11);
    expect(plane.curve[10].x).toBeCloseTo(1, 4);
    expect(plane.curve[5].y).toBeCloseTo(plane.models[2].y / 2, 4);
    expect(plane.loss.flat().every(Number.isFinite)).toBe(true);
    expect(plane.accuracy.flat().every((a: number) => a >= 0 && a <= 1)).toBe(true);

    const list = (await client.data(`query ($p: ID!) { curves(projectId: $p, first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { p: projectId })).curves;
    expect(list.nodes).toHaveLength(1);

    // Each checkpoint's bend is stored as a model (model.json + weights.bin, the endpoints' format).
    const prefix = `projects/${projectId}/curves/${started.curve.id}/`;
    const stored = await api.api.services.store.list(prefix, 1000);
    expect(stored).toContain(`${prefix}checkpoints/step-200/bend-1/model.json`);
    expect(stored).toContain(`${prefix}checkpoints/step-200/bend-1/weights.bin`);
  }, 300_000);

  it("refuses two architectures and one model twice with BAD_USER_INPUT, and a cancelled curve stays cancelled", async () => {
    const files = await mlpFiles([4, 6, 3], 5);
    const other = (
      await upload(client, { projectId, kind: "MODEL" }, [
        { name: "model.json", bytes: text(files.modelJson) },
        { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
      ])
    ).completed!.model!.id as string;
    const different = await connect({ modelAId: modelA, modelBId: other });
    expect(different.ok).toBe(false);
    expect(different.error).toMatchObject({ code: "BAD_USER_INPUT", field: "modelBId" });
    expect(different.error.message).toMatch(/different architectures/);
    const twice = await connect({ modelAId: modelA, modelBId: modelA });
    expect(twice.error).toMatchObject({ code: "BAD_USER_INPUT", field: "modelBId" });
    const badOptions = await connect({ modelAId: modelA, modelBId: modelB, options: { bends: 9 } });
    expect(badOptions.error.code).toBe("BAD_USER_INPUT");

    const started = await connect({ modelAId: modelA, modelBId: modelB, options: { epochs: 200, batchSize: 2 } });
    expect(started.ok).toBe(true);
    const cancelled = (await client.data(`mutation ($id: ID!) { cancelCurve(id: $id) { ok curve { status } } }`, { id: started.curve.id })).cancelCurve;
    expect(cancelled.curve.status).toBe("CANCELLED");
    const again = (await client.data(`mutation ($id: ID!) { cancelCurve(id: $id) { ok error { code message } } }`, { id: started.curve.id })).cancelCurve;
    expect(again.error.code).toBe("BAD_USER_INPUT");
    // The worker, whenever it takes the job, leaves a cancelled curve as it is.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await read(started.curve.id)).status).toBe("CANCELLED");
    // Nothing was lost: both models are still there, and the earlier curve too.
    const models = (await client.data(`query ($p: ID!) { models(projectId: $p, first: 10) { nodes { id } } }`, { p: projectId })).models.nodes.map((n: { id: string }) => n.id);
    expect(models).toEqual(expect.arrayContaining([modelA, modelB, other]));
    const deleted = (await client.data(`mutation ($id: ID!) { deleteCurve(id: $id) { ok deletedId } }`, { id: started.curve.id })).deleteCurve;
    expect(deleted.deletedId).toBe(started.curve.id);
    expect(await api.api.services.store.list(`projects/${projectId}/curves/${started.curve.id}/`)).toEqual([]);
  }, 120_000);

  it("goes with a model that is deleted, its stored bends too", async () => {
    const spare = (
      await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { run { id } } }`, {
        input: { projectId, datasetId: irisId, architecture: { kind: "MLP", depth: 1, width: 16 }, options: { epochs: 1, seed: 7 } },
      })
    ).startTraining.run.id;
    const spareModel = (await untilStatus("a training run", async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status modelId } }`, { id: spare })).trainingRun, SETTLED, { timeoutMs: 150_000 })).modelId;
    const started = await connect({ modelAId: modelA, modelBId: spareModel, options: { epochs: 1, points: 3 } });
    const done = await untilStatus("the curve", () => read(started.curve.id), SETTLED, { timeoutMs: 150_000 });
    expect(done.status, done.errorMessage).toBe("READY");
    const prefix = `projects/${projectId}/curves/${started.curve.id}/`;
    expect((await api.api.services.store.list(prefix)).length).toBeGreaterThan(0);
    await client.data(`mutation ($id: ID!) { deleteModel(id: $id) { ok } }`, { id: spareModel });
    const gone = await client.data(`query ($id: ID!) { curve(id: $id) { id } }`, { id: started.curve.id }).then(() => null, (e: Error) => e.message);
    expect(gone).toMatch(/not found/i);
    expect(await api.api.services.store.list(prefix)).toEqual([]);
  }, 300_000);
});
