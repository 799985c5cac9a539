import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { text, uncompiledMlpFiles, upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

describe("training runs", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let irisId: string;

  const start = async (input: Record<string, unknown>) =>
    (
      await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { code message field } run { id status stepsTotal } } }`, {
        input: { projectId, datasetId: irisId, ...input },
      })
    ).startTraining;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("trainer@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "t" }) { project { id } } }`)).createProject.project.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("trains a residual MLP, records its curve and checkpoints, and draws its path on a PCA plane", async () => {
    const started = await start({
      architecture: { kind: "MLP", depth: 2, width: 16, residual: true },
      options: { optimizer: "ADAM", learningRate: 0.05, batchSize: 16, epochs: 4, checkpointEvery: 5, seed: 2 },
    });
    expect(started.ok).toBe(true);
    expect(started.run.stepsTotal).toBe(40);
    const run = await untilStatus(
      "the training run",
      async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status stepsDone modelId errorMessage curve { step trainLoss trainAccuracy } } }`, { id: started.run.id })).trainingRun,
      SETTLED,
      { timeoutMs: 150_000 },
    );
    expect(run.status, run.errorMessage).toBe("READY");
    expect(run.stepsDone).toBe(40);
    expect(run.curve.map((p: { step: number }) => p.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(run.curve.at(-1).trainLoss).toBeLessThan(run.curve[0].trainLoss);

    const model = (await client.data(`query ($id: ID!) { model(id: $id) { layers { className } loss checkpoints(first: 50) { nodes { step } } } }`, { id: run.modelId })).model;
    expect(model.loss).toBe("categorical_crossentropy");
    expect(model.layers.filter((l: { className: string }) => l.className === "Add")).toHaveLength(1);
    expect(model.checkpoints.nodes.map((n: { step: number }) => n.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);

    const surface = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, kind: "PCA", modelId: run.modelId, datasetId: irisId, params: { x: { min: -2, max: 2, count: 5 }, y: { min: -2, max: 2, count: 5 } } },
      })
    ).createSurface;
    expect(surface.ok).toBe(true);
    const pca = await untilStatus(
      "the PCA surface",
      async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status path { step x y distance fromFinal offPlaneFraction } explainedVariance xs ys params { fitPath } } }`, { id: surface.surface.id })).surface,
      SETTLED,
      { timeoutMs: 150_000 },
    );
    expect(pca.status).toBe("READY");
    expect(pca.path).toHaveLength(9);
    // The last checkpoint is the final model: the origin of its own PCA plane.
    expect(Math.hypot(pca.path.at(-1).x, pca.path.at(-1).y)).toBeLessThan(1e-4);
    expect(pca.path.at(-1).distance).toBeLessThan(1e-4);
    // Earlier checkpoints lie off the plane, but most of their displacement is in it.
    expect(pca.path[0].distance).toBeGreaterThan(0);
    for (const point of pca.path.slice(0, -1)) expect(point.offPlaneFraction).toBeLessThan(1);
    const inPlane = pca.explainedVariance[0] + pca.explainedVariance[1];
    expect(inPlane).toBeGreaterThan(0.5);
    // Coordinates and distances in one space (the PCA's tensors), and a grid fitted to the path by
    // default: the -2..2 asked for is replaced, and every checkpoint lies inside.
    for (const p of pca.path.slice(0, -1)) expect(Math.abs(p.distance ** 2 + p.x ** 2 + p.y ** 2 - p.fromFinal ** 2)).toBeLessThan(1e-6 * p.fromFinal ** 2);
    expect(pca.params.fitPath).toBe(true);
    for (const p of pca.path) {
      expect(p.x).toBeGreaterThan(pca.xs[0]);
      expect(p.x).toBeLessThan(pca.xs.at(-1));
      expect(p.y).toBeGreaterThan(pca.ys[0]);
      expect(p.y).toBeLessThan(pca.ys.at(-1));
    }

    // The landscape over training: the same plane around every checkpoint.
    const waitReady = (id: string) =>
      untilStatus(`surface ${id}`, async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status values params { checkpointStep directionsFrom } } }`, { id })).surface, SETTLED, {
        timeoutMs: 150_000,
      });
    const plane = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
        input: { projectId, kind: "PLANE", modelId: run.modelId, datasetId: irisId, params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 }, seed: 9 } },
      })
    ).createSurface.surface.id;
    const final = await waitReady(plane);
    const series = (await client.data(`mutation ($id: ID!) { createTrainingSeries(surfaceId: $id) { ok error { message } surfaces { id } } }`, { id: plane })).createTrainingSeries;
    expect(series.ok).toBe(true);
    expect(series.surfaces).toHaveLength(9);
    const frames = [];
    for (const frame of series.surfaces) frames.push(await waitReady(frame.id));
    expect(frames.map((f) => f.params.checkpointStep)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(frames.every((f) => f.params.directionsFrom === plane && f.status === "READY")).toBe(true);
    // Step 40 is the final model with the same directions: the same surface.
    for (let j = 0; j < 5; j++) for (let i = 0; i < 5; i++) expect(frames.at(-1).values[j][i]).toBeCloseTo(final.values[j][i], 5);
    // Step 0 is the untrained network: a different, higher landscape at its centre.
    expect(frames[0].values[2][2]).toBeGreaterThan(final.values[2][2]);
    // The source and every frame know the whole series, in step order.
    const seriesOf = async (id: string) =>
      (await client.data(`query ($id: ID!) { surface(id: $id) { series { id params { checkpointStep } } } }`, { id })).surface.series;
    const expected = series.surfaces.map((f: { id: string }) => f.id);
    expect((await seriesOf(plane)).map((f: { id: string }) => f.id)).toEqual(expected);
    expect((await seriesOf(expected[3])).map((f: { params: { checkpointStep: number } }) => f.params.checkpointStep)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    // The gallery shows the plane, not its frames, unless asked for them.
    const galleryIds = async (frames?: boolean) =>
      (await client.data(`query ($f: Boolean) { gallery(first: 100, filter: { frames: $f }) { nodes { id } } }`, { f: frames ?? null })).gallery.nodes.map((n: { id: string }) => n.id);
    const shown = await galleryIds();
    expect(shown).toContain(plane);
    expect(shown.filter((id: string) => expected.includes(id))).toEqual([]);
    expect((await galleryIds(true)).filter((id: string) => expected.includes(id))).toHaveLength(9);
  });

  it("streams its progress and loss curve over graphql-ws to completion", async () => {
    const started = await start({ architecture: { kind: "MLP", depth: 1, width: 8 }, options: { epochs: 3, batchSize: 10, checkpointEvery: 5 } });
    expect(started.ok).toBe(true);
    const events = (
      await client.subscribe<{ trainingProgress: { status: string; stepsDone: number; curve: unknown[] } }>(
        `subscription ($id: ID!) { trainingProgress(id: $id) { status stepsDone curve { step trainLoss } } }`,
        { id: started.run.id },
      )
    ).map((event) => event.trainingProgress);
    expect(events.at(-1)!.status).toBe("READY");
    expect(events.at(-1)!.stepsDone).toBe(45);
    expect(events.at(-1)!.curve).toHaveLength(10);
    // Events arrive as the run goes: step counts never go back.
    for (let i = 1; i < events.length; i++) expect(events[i]!.stepsDone).toBeGreaterThanOrEqual(events[i - 1]!.stepsDone);
  });

  it("trains an uploaded, uncompiled model from its own weights, and refuses ones that do not fit", async () => {
    const uploadModel = async (sizes: number[], out = "softmax") => {
      const files = await uncompiledMlpFiles(sizes, 5, out);
      const result = await upload(client, { projectId, kind: "MODEL", name: `mlp ${sizes.join("-")} ${out}` }, [
        { name: "model.json", bytes: text(files.modelJson) },
        { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
      ]);
      expect(result.outcome).toBe("ok");
      return result.completed!.model!.id as string;
    };
    const modelId = await uploadModel([4, 12, 3]);
    const started = await start({ architecture: { kind: "UPLOADED", modelId }, options: { optimizer: "ADAM", learningRate: 0.02, batchSize: 16, epochs: 3, checkpointEvery: 10 } });
    expect(started.ok, started.error?.message).toBe(true);
    const run = await untilStatus(
      "the training run",
      async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { name status modelId errorMessage architecture { kind modelId } curve { step trainLoss } } }`, { id: started.run.id })).trainingRun,
      SETTLED,
      { timeoutMs: 150_000 },
    );
    expect(run.status, run.errorMessage).toBe("READY");
    expect(run.name).toMatch(/^mlp 4-12-3 softmax trained/);
    expect(run.architecture).toEqual({ kind: "UPLOADED", modelId });
    expect(run.curve.at(-1).trainLoss).toBeLessThan(run.curve[0].trainLoss);
    // The trained model is a new model with the checkpoints; the uploaded one is left as it was.
    expect(run.modelId).not.toBe(modelId);
    const trained = (await client.data(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { step } } } }`, { id: run.modelId })).model;
    expect(trained.checkpoints.nodes.map((n: { step: number }) => n.step)).toEqual([0, 10, 20, 30]);
    const original = (await client.data(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { step } } } }`, { id: modelId })).model;
    expect(original.checkpoints.nodes).toEqual([]);

    // Refused before anything is queued, with the reason and the field.
    const wrongInput = await start({ architecture: { kind: "UPLOADED", modelId: await uploadModel([5, 8, 3]) } });
    expect(wrongInput.error).toMatchObject({ code: "BAD_USER_INPUT", field: "architecture" });
    expect(wrongInput.error.message).toMatch(/samples of shape \[5\]/);
    const wrongClasses = await start({ architecture: { kind: "UPLOADED", modelId: await uploadModel([4, 8, 2]) } });
    expect(wrongClasses.error.message).toMatch(/2 outputs; the dataset has 3 classes/);
    const decay = await start({ architecture: { kind: "UPLOADED", modelId }, options: { weightDecay: 0.001 } });
    expect(decay.error).toMatchObject({ code: "BAD_USER_INPUT", field: "options.weightDecay" });
    const missing = await start({ architecture: { kind: "UPLOADED", modelId: "00000000-0000-4000-8000-000000000000" } });
    expect(missing.error.code).toBe("NOT_FOUND");
    // The worker refuses what only shows in the layers: a model that does not end in a softmax.
    const linear = await start({ architecture: { kind: "UPLOADED", modelId: await uploadModel([4, 8, 3], "linear") } });
    expect(linear.ok).toBe(true);
    const failed = await untilStatus(
      "the linear-output run to be refused",
      async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status errorCode errorMessage } }`, { id: linear.run.id })).trainingRun,
      SETTLED,
      { timeoutMs: 75_000 },
    );
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "BAD_USER_INPUT" });
    expect(failed.errorMessage).toMatch(/must apply a softmax/);
  });

  it("refuses runs it cannot do, with codes and fields", async () => {
    const cnn = await start({ architecture: { kind: "CNN" } });
    expect(cnn.error).toMatchObject({ code: "BAD_USER_INPUT", field: "architecture" });
    const tooMany = await start({ architecture: { kind: "MLP" }, options: { batchSize: 1, epochs: 10, checkpointEvery: 1 } });
    expect(tooMany.error).toMatchObject({ code: "BAD_USER_INPUT", field: "options.checkpointEvery" });
    const bad = await start({ architecture: { kind: "MLP", depth: 0 } });
    expect(bad.error.field).toBe("architecture");
  });

  it("cancels a run", async () => {
    const started = await start({ architecture: { kind: "MLP", depth: 2, width: 8 }, options: { epochs: 200, batchSize: 1, checkpointEvery: 1000 } });
    expect(started.ok).toBe(true);
    const cancelled = await client.data(`mutation ($id: ID!) { cancelTraining(id: $id) { ok run { status } } }`, { id: started.run.id });
    expect(cancelled.cancelTraining).toMatchObject({ ok: true, run: { status: "CANCELLED" } });
    // Here the wait is the point: a cancelled run must stay cancelled, with no model, after the
    // worker had time to notice; there is no event for "nothing happened".
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status modelId } }`, { id: started.run.id })).trainingRun;
    expect(after).toEqual({ status: "CANCELLED", modelId: null });
  });
});
