/**
 * Training an uploaded ONNX model through the service: PyTorch's BN CNN (scripts/make-onnx-fixtures.py)
 * and its NCHW data are uploaded, a worker on the WebAssembly backend trains it, the checkpoints
 * and the trained model are stored as model.onnx, and the run's trajectory gives a PCA plane and
 * a series of checkpoint surfaces as a TF.js run's does. The same images stored channels-last
 * train to the same curve.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy, loadOnnxModel, parseNpy } from "../../engine/index.js";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const FIXTURES = fileURLToPath(new URL("../../engine/onnx/fixtures/", import.meta.url));
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));

describe("training ONNX models", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api, "wasm");
    client = new TestClient(api.url);
    await client.signUp("onnx-trainer@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "onnx training" }) { project { id } } }`)).createProject.project.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const waitRun = (id: string) =>
    untilStatus(
      `training run ${id}`,
      async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status stepsDone modelId errorMessage curve { step trainLoss trainAccuracy testLoss } } }`, { id })).trainingRun,
      SETTLED,
      { timeoutMs: 240_000 },
    );
  const waitSurface = (id: string) =>
    untilStatus(
      `surface ${id}`,
      async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage values xs ys path { step x y distance fromFinal } params { checkpointStep fitPath } } }`, { id })).surface,
      SETTLED,
      { timeoutMs: 240_000 },
    );
  const startRun = async (modelId: string, datasetId: string) =>
    (
      await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { code message field } run { id stepsTotal } } }`, {
        input: {
          projectId, datasetId, testDatasetId: datasetId, architecture: { kind: "UPLOADED", modelId },
          options: { optimizer: "MOMENTUM", learningRate: 0.05, batchSize: 16, epochs: 3, checkpointEvery: 4, seed: 1 },
        },
      })
    ).startTraining;

  it("trains an uploaded ONNX CNN with BatchNorm, stores ONNX checkpoints, and draws its PCA plane and checkpoint series", async () => {
    const model = await upload(client, { projectId, kind: "MODEL", name: "pytorch cnn" }, [{ name: "train_cnn.onnx", bytes: bytesOf("train_cnn.onnx") }]);
    expect(model.outcome, JSON.stringify(model.completed?.error)).toBe("ok");
    const modelId = model.completed!.model!.id as string;
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "nchw" }, [
      { name: "x.npy", bytes: bytesOf("train_cnn.x.npy") },
      { name: "y.npy", bytes: bytesOf("train_cnn.y.npy") },
    ]);
    expect(dataset.outcome, JSON.stringify(dataset.completed?.error)).toBe("ok");
    const datasetId = dataset.completed!.dataset!.id as string;

    const started = await startRun(modelId, datasetId);
    expect(started.ok, started.error?.message).toBe(true);
    expect(started.run.stepsTotal).toBe(12);
    const run = await waitRun(started.run.id);
    expect(run.status, run.errorMessage).toBe("READY");
    expect(run.stepsDone).toBe(12);
    expect(run.curve.map((p: { step: number }) => p.step)).toEqual([0, 4, 8, 12]);
    expect(run.curve.at(-1).trainLoss).toBeLessThan(run.curve[0].trainLoss);
    expect(run.curve.at(-1).testLoss).toBeCloseTo(run.curve.at(-1).trainLoss, 6);

    // The trained model and every checkpoint are ONNX files of the uploaded graph.
    const trained = (await client.data(`query ($id: ID!) { model(id: $id) { inputShape outputShape loss checkpoints(first: 10) { nodes { step } } } }`, { id: run.modelId })).model;
    expect(trained).toMatchObject({ inputShape: [3, 8, 8], outputShape: [3], loss: "sparse_categorical_crossentropy" });
    expect(trained.checkpoints.nodes.map((n: { step: number }) => n.step)).toEqual([0, 4, 8, 12]);
    const stored = await api.platform.store.list(`projects/${projectId}/models/${run.modelId}/`);
    expect(stored.map((k) => path.posix.basename(k))).toEqual(["model.onnx"]);
    const checkpointKeys = (await api.platform.store.list(`projects/${projectId}/training/${started.run.id}/checkpoints/`)).sort();
    expect(checkpointKeys.map((k) => k.split("/").slice(-2).join("/"))).toEqual(["step-0/model.onnx", "step-12/model.onnx", "step-4/model.onnx", "step-8/model.onnx"]);
    const first = loadOnnxModel((await api.platform.store.get(checkpointKeys[0]!))!);
    expect(first.theta).toEqual(loadOnnxModel(bytesOf("train_cnn.onnx")).theta);
    const last = loadOnnxModel((await api.platform.store.get(checkpointKeys[1]!))!);
    expect(last.theta).toEqual(loadOnnxModel((await api.platform.store.get(stored[0]!))!).theta);

    // PCA of the trajectory on ranges given (not fitted): the final model is the plane's origin;
    // its centre is the curve's last loss.
    const createPca = async (params: Record<string, unknown>) =>
      (
        await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
          input: { projectId, kind: "PCA", modelId: run.modelId, datasetId, params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 }, ...params } },
        })
      ).createSurface.surface.id as string;
    const pca = await waitSurface(await createPca({ fitPath: false }));
    expect(pca.status, pca.errorMessage).toBe("READY");
    expect(pca.path).toHaveLength(4);
    expect(Math.hypot(pca.path.at(-1).x, pca.path.at(-1).y)).toBeLessThan(1e-4);
    expect(Math.abs(pca.values[1][1] - run.curve.at(-1).trainLoss) / run.curve.at(-1).trainLoss).toBeLessThan(1e-4);
    // A fine-tuned ONNX model with BatchNorm: coordinates and distances in the PCA's own space.
    for (const p of pca.path.slice(0, -1)) expect(Math.abs(p.distance ** 2 + p.x ** 2 + p.y ** 2 - p.fromFinal ** 2)).toBeLessThan(1e-6 * p.fromFinal ** 2);
    // By default the grid is fitted to the path: every checkpoint lies inside it.
    const fitted = await waitSurface(await createPca({}));
    expect(fitted.status, fitted.errorMessage).toBe("READY");
    expect(fitted.params.fitPath).toBe(true);
    for (const p of fitted.path) {
      expect(p.x).toBeGreaterThan(fitted.xs[0]);
      expect(p.x).toBeLessThan(fitted.xs.at(-1));
      expect(p.y).toBeGreaterThan(fitted.ys[0]);
      expect(p.y).toBeLessThan(fitted.ys.at(-1));
    }
    // Its checkpoints download as ONNX files, as the model does.
    const checkpointFiles = (await client.data(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { downloads { name } } } } }`, { id: run.modelId })).model.checkpoints.nodes;
    for (const c of checkpointFiles) expect(c.downloads.map((d: { name: string }) => d.name)).toEqual(["model.onnx"]);

    // A random plane of the trained model, and the same plane around every checkpoint.
    const planeId = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, kind: "PLANE", modelId: run.modelId, datasetId, params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 }, seed: 9 } },
      })
    ).createSurface.surface.id;
    const plane = await waitSurface(planeId);
    expect(plane.status, plane.errorMessage).toBe("READY");
    const series = (await client.data(`mutation ($id: ID!) { createTrainingSeries(surfaceId: $id) { ok error { message } surfaces { id } } }`, { id: planeId })).createTrainingSeries;
    expect(series.ok, series.error?.message).toBe(true);
    const frames = [];
    for (const frame of series.surfaces) frames.push(await waitSurface(frame.id));
    expect(frames.map((f) => f.status)).toEqual(["READY", "READY", "READY", "READY"]);
    expect(frames.map((f) => f.params.checkpointStep)).toEqual([0, 4, 8, 12]);
    // Each frame's centre is its checkpoint: the loss the curve recorded there.
    frames.forEach((f, k) => expect(Math.abs(f.values[1][1] - run.curve[k].trainLoss) / run.curve[k].trainLoss).toBeLessThan(1e-4));
    // Step 12 is the final model along the same directions: the same surface.
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) expect(frames.at(-1).values[j][i]).toBeCloseTo(plane.values[j][i], 5);

    // The same images stored (N, H, W, C) and uploaded as channels-last train to the same curve.
    const x = parseNpy(bytesOf("train_cnn.x.npy"), "x");
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const nhwc = new Float32Array(x.data.length);
    for (let s = 0; s < n; s++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) nhwc[s * c * h * w + i * c + ch] = x.data[s * c * h * w + ch * h * w + i]!;
    const lastData = await upload(client, { projectId, kind: "DATASET", name: "nhwc", channelsLast: true }, [
      { name: "x.npy", bytes: encodeNpy(nhwc, [n, h, w, c]) },
      { name: "y.npy", bytes: bytesOf("train_cnn.y.npy") },
    ]);
    expect(lastData.outcome, JSON.stringify(lastData.completed?.error)).toBe("ok");
    const again = await startRun(modelId, lastData.completed!.dataset!.id);
    expect(again.ok, again.error?.message).toBe(true);
    const runLast = await waitRun(again.run.id);
    expect(runLast.status, runLast.errorMessage).toBe("READY");
    expect(runLast.curve).toEqual(run.curve);
  });

  it("trains the zoo's ResNet and its plain twin on MNIST digits on the WebAssembly worker, and draws a plane of each", async () => {
    const mnist = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id as string;
    const iris = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id as string;
    const startZoo = async (datasetId: string, architecture: Record<string, unknown>) =>
      (
        await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { code message field } run { id name stepsTotal } } }`, {
          input: { projectId, datasetId, architecture: { kind: "RESNET", ...architecture }, options: { optimizer: "ADAM", learningRate: 0.01, batchSize: 32, epochs: 2, samples: 160, seed: 3 } },
        })
      ).startTraining;
    // Refused before anything is queued: samples that are not images, and downsampling that does not divide 28.
    expect((await startZoo(iris, {})).error).toMatchObject({ code: "BAD_USER_INPUT", field: "architecture", message: expect.stringMatching(/image samples/) });
    expect((await startZoo(mnist, { downsample: 3 })).error).toMatchObject({ code: "BAD_USER_INPUT", field: "architecture", message: expect.stringMatching(/divides the image sides \(28x28\)/) });
    expect((await startZoo(mnist, { blocks: 19 })).error).toMatchObject({ code: "BAD_USER_INPUT", field: "architecture" });

    const planes: number[][][] = [];
    for (const residual of [true, false]) {
      const started = await startZoo(mnist, { blocks: 1, width: 4, downsample: 2, residual });
      expect(started.ok, started.error?.message).toBe(true);
      expect(started.run.name).toMatch(residual ? /^ResNet-8 \(width 4\), images \/ 2,/ : /^ResNet-8-noshort \(width 4\), images \/ 2,/);
      const run = await waitRun(started.run.id);
      expect(run.status, run.errorMessage).toBe("READY");
      expect(run.curve.at(-1).trainLoss).toBeLessThan(run.curve[0].trainLoss);
      const trained = (await client.data(`query ($id: ID!) { model(id: $id) { inputShape outputShape parameterCount } }`, { id: run.modelId })).model;
      expect(trained).toMatchObject({ inputShape: [1, 28, 28], outputShape: [10] });
      const stored = await api.platform.store.list(`projects/${projectId}/models/${run.modelId}/`);
      expect(stored.map((k) => path.posix.basename(k))).toEqual(["model.onnx"]);
      const planeId = (
        await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
          input: { projectId, kind: "PLANE", modelId: run.modelId, datasetId: mnist, params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 }, samples: 160, sampleSeed: 3 } },
        })
      ).createSurface.surface.id;
      const plane = await waitSurface(planeId);
      expect(plane.status, plane.errorMessage).toBe("READY");
      // The centre is the trained model on its own training samples: the curve's last loss.
      expect(Math.abs(plane.values[1][1] - run.curve.at(-1).trainLoss) / run.curve.at(-1).trainLoss).toBeLessThan(1e-4);
      planes.push(plane.values);
    }
    // Two different networks: the shortcuts change the landscape.
    expect(planes[0]).not.toEqual(planes[1]);
  });
});
