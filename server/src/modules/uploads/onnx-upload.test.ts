/**
 * A PyTorch model through the service: the BN CNN exported to ONNX (BatchNorm kept), its data as
 * NCHW NPY and PyTorch's own directions (ONNX files) are uploaded over HTTP and presigned URLs; a
 * worker process computes the 21x21 plane along those directions, and every point is within 1e-4
 * relative of PyTorch's evaluation (scripts/make-onnx-fixtures.py); the service's own random plane
 * matches PyTorch's evaluation of it too. The folded export's summary says its BatchNorm may be folded.
 * Needs the build output (`npx tsc -p server/tsconfig.json`).
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encodeNpy, parseNpy } from "../../engine/index.js";
import { maxRelativeError } from "../../engine/testing/setup.js";
import { TestClient, type TestApi, forkTestWorker, startTestApi } from "../../testing/api.js";
import { upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const FIXTURES = fileURLToPath(new URL("../../engine/onnx/fixtures/", import.meta.url));
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const expected = JSON.parse(readFileSync(path.join(FIXTURES, "expected.json"), "utf8")) as { models: { cnn_bn: { engine_seed0_grid: { loss: number[][] }; grid: { loss: number[][] } } } };

describe("ONNX uploads", () => {
  let api: TestApi;
  let client: TestClient;
  let worker: ChildProcess;
  let projectId: string;

  beforeAll(async () => {
    api = await startTestApi();
    worker = forkTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("pytorch@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "pytorch" }) { project { id } } }`)).createProject.project.id;
  });

  afterAll(async () => {
    worker?.kill();
    await api?.stop();
  });

  /** Queues the count x count plane of the service's default directions (seed 0) and waits for its losses. */
  const plane = async (modelId: string, datasetId: string, count = 21, directions: { directionX?: string; directionY?: string } = {}): Promise<number[][]> => {
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name: "pytorch plane", params: { x: { min: -1, max: 1, count }, y: { min: -1, max: 1, count }, seed: 0, ...directions } },
      })
    ).createSurface;
    expect(created.ok, JSON.stringify(created.error)).toBe(true);
    const surface = await untilStatus(
      "the ONNX surface",
      async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage values(metric: LOSS) } }`, { id: created.surface.id })).surface,
      SETTLED,
      { timeoutMs: 240_000 },
    );
    if (surface.status !== "READY") throw new Error(`surface ended ${surface.status}: ${surface.errorMessage}`);
    return surface.values as number[][];
  };

  it("an ONNX CNN with BatchNorm and NCHW (or channels-last) NPY data give PyTorch's values of the service's own plane within 1e-4", async () => {
    const model = await upload(client, { projectId, kind: "MODEL", name: "cnn" }, [{ name: "cnn_bn.onnx", bytes: bytesOf("cnn_bn.onnx") }]);
    expect(model.outcome, JSON.stringify(model.completed?.error)).toBe("ok");
    expect(model.completed!.model).toMatchObject({ format: "onnx", inputShape: [3, 8, 8], outputShape: [3], loss: "sparse_categorical_crossentropy", notes: [] });
    const keys = await api.platform.store.list(`projects/${projectId}/models/${model.completed!.model!.id}/`);
    expect(keys.map((k) => path.posix.basename(k))).toEqual(["model.onnx"]);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "nchw" }, [
      { name: "x.npy", bytes: bytesOf("cnn_bn.x.npy") },
      { name: "y.npy", bytes: bytesOf("cnn_bn.y.npy") },
    ]);
    expect(dataset.outcome, JSON.stringify(dataset.completed?.error)).toBe("ok");
    // The service's own random directions (seed 0): a 3x3 plane, the corners, edge midpoints and
    // centre of PyTorch's 21x21 evaluation of that plane (the 21x21 runs along PyTorch's directions below).
    const values = await plane(model.completed!.model!.id, dataset.completed!.dataset!.id, 3);
    const pick = (grid: number[][]) => [0, 10, 20].map((j) => [0, 10, 20].map((i) => grid[j]![i]!));
    expect(maxRelativeError(values.flat(), pick(expected.models.cnn_bn.engine_seed0_grid.loss).flat())).toBeLessThan(1e-4);

    // The same images stored (N, H, W, C), uploaded as channels-last: the same plane.
    const x = parseNpy(bytesOf("cnn_bn.x.npy"), "x");
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const nhwc = new Float32Array(x.data.length);
    for (let s = 0; s < n; s++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) nhwc[s * c * h * w + i * c + ch] = x.data[s * c * h * w + ch * h * w + i]!;
    const last = await upload(client, { projectId, kind: "DATASET", name: "nhwc", channelsLast: true }, [
      { name: "x.npy", bytes: encodeNpy(nhwc, [n, h, w, c]) },
      { name: "y.npy", bytes: bytesOf("cnn_bn.y.npy") },
    ]);
    expect(last.completed!.dataset).toMatchObject({ inputShape: [8, 8, 3], channelsLast: true });
    expect(await plane(model.completed!.model!.id, last.completed!.dataset!.id, 3)).toEqual(values);
  });

  it("planes along directions made by the paper's code in PyTorch, uploaded as ONNX files, are PyTorch's 21x21 grid within 1e-4", async () => {
    const model = await upload(client, { projectId, kind: "MODEL", name: "cnn for directions" }, [{ name: "cnn_bn.onnx", bytes: bytesOf("cnn_bn.onnx") }]);
    const modelId = model.completed!.model!.id;
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "nchw again" }, [
      { name: "x.npy", bytes: bytesOf("cnn_bn.x.npy") },
      { name: "y.npy", bytes: bytesOf("cnn_bn.y.npy") },
    ]);
    const ids: string[] = [];
    for (const axis of ["x", "y"]) {
      const direction = await upload(client, { projectId, kind: "DIRECTION", name: `pytorch ${axis}`, modelId }, [{ name: `cnn_bn.dir-${axis}.onnx`, bytes: bytesOf(`cnn_bn.dir-${axis}.onnx`) }]);
      expect(direction.outcome, JSON.stringify(direction.completed?.error)).toBe("ok");
      ids.push(direction.completed!.direction!.id);
    }
    const listed = (await client.data(`query ($id: ID!) { model(id: $id) { directions(first: 10) { nodes { id name } } } }`, { id: modelId })).model.directions.nodes;
    expect(listed.map((d: { name: string }) => d.name)).toEqual(["pytorch x", "pytorch y"]);
    // Another model's direction does not fit: refused by shape.
    const wrong = await upload(client, { projectId, kind: "DIRECTION", name: "wrong", modelId }, [{ name: "resblock.dir-x.onnx", bytes: bytesOf("resblock.dir-x.onnx") }]);
    expect(wrong.outcome).toBe("INVALID_MODEL");
    const refused = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code field } } }`, {
        input: { projectId, modelId, datasetId: dataset.completed!.dataset!.id, kind: "PLANE", params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 }, directionY: ids[1]! } },
      })
    ).createSurface;
    expect(refused).toMatchObject({ ok: false, error: { field: "params.directionY" } });
    const values = await plane(modelId, dataset.completed!.dataset!.id, 21, { directionX: ids[0]!, directionY: ids[1]! });
    expect(maxRelativeError(values.flat(), expected.models.cnn_bn.grid.loss.flat())).toBeLessThan(1e-4);
  });

  it("says in the summary that a folded export may have lost its BatchNorm, and refuses what is not ONNX by content", async () => {
    const folded = await upload(client, { projectId, kind: "MODEL", name: "folded" }, [{ name: "cnn_bn.folded.onnx", bytes: bytesOf("cnn_bn.folded.onnx") }]);
    expect(folded.outcome, JSON.stringify(folded.completed?.error)).toBe("ok");
    expect(folded.completed!.model!.notes.join(" ")).toMatch(/folded them into the convolutions/);
    const fake = await upload(client, { projectId, kind: "MODEL", name: "fake" }, [{ name: "model.onnx", bytes: new TextEncoder().encode('{"not": "onnx"}') }]);
    expect(fake.outcome).toBe("WRONG_FILE_TYPE");
    expect(fake.completed!.error!.message).toMatch(/model\.onnx is JSON, not an ONNX model/);
  });

  it("an interpolation between two PyTorch CNNs with BatchNorm is PyTorch's states line, its ends the models; holding A's statistics is PyTorch's weights line, labelled; two MLPs without BatchNorm likewise", async () => {
    const pair = fileURLToPath(new URL("../../engine/fixtures/interpolation/", import.meta.url));
    const pairBytes = (name: string) => new Uint8Array(readFileSync(path.join(pair, name)));
    const reference = (JSON.parse(readFileSync(path.join(pair, "expected.json"), "utf8")) as { models: { cnn: Record<string, { loss: number[]; accuracy: number[] } & { loss: number }> } }).models.cnn;
    const uploadPair = async (name: string) => {
      const a = await upload(client, { projectId, kind: "MODEL", name: `${name} A` }, [{ name: "a.onnx", bytes: pairBytes(`${name}.a.onnx`) }]);
      const b = await upload(client, { projectId, kind: "MODEL", name: `${name} B` }, [{ name: "b.onnx", bytes: pairBytes(`${name}.b.onnx`) }]);
      const dataset = await upload(client, { projectId, kind: "DATASET", name: `${name} data` }, [
        { name: "x.npy", bytes: pairBytes(`${name}.x.npy`) },
        { name: "y.npy", bytes: pairBytes(`${name}.y.npy`) },
      ]);
      return { modelId: a.completed!.model!.id, modelBId: b.completed!.model!.id, datasetId: dataset.completed!.dataset!.id };
    };
    const cnn = await uploadPair("cnn");
    const line = async (runningStats?: string, ids = cnn) => {
      const created = (
        await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
          input: {
            projectId, ...ids, kind: "INTERPOLATION", name: "A to B",
            params: { x: { min: -0.5, max: 1.5, count: 9 }, ...(runningStats ? { runningStats } : {}) },
          },
        })
      ).createSurface;
      expect(created.ok, JSON.stringify(created.error)).toBe(true);
      return vi.waitFor(async () => {
        const surface = (
          await client.data(
            `query ($id: ID!) { surface(id: $id) { status errorMessage values(metric: LOSS) movedTensors params { runningStats } modelPositions { name x y runningStatsOf loss ownLoss accuracy ownAccuracy } } }`,
            { id: created.surface.id },
          )
        ).surface;
        if (surface.status === "FAILED") throw new Error(`surface failed: ${surface.errorMessage}`);
        if (surface.status !== "READY") throw new Error(`surface is ${surface.status}`);
        return surface;
      }, { timeout: 240_000, interval: 200 });
    };
    const states = await line();
    expect(maxRelativeError(states.values[0], reference.states!.loss)).toBeLessThan(1e-5);
    expect(states.params.runningStats).toBe("MOVE");
    expect(states.movedTensors).toEqual(expect.arrayContaining(["bn.running_mean", "bn.running_var"]));
    const [atA, atB] = states.modelPositions;
    expect(atA).toMatchObject({ name: "A", x: 0, runningStatsOf: null });
    expect(atB).toMatchObject({ name: "B", x: 1, runningStatsOf: null });
    for (const [position, own] of [[atA, reference.a!], [atB, reference.b!]] as const) {
      expect(Math.abs(position.ownLoss - own.loss) / own.loss).toBeLessThan(1e-5);
      expect(Math.abs(position.loss - position.ownLoss) / position.ownLoss).toBeLessThan(1e-6);
      expect(position.accuracy).toBe(position.ownAccuracy);
    }
    expect(Math.abs(states.values[0][6] - reference.b!.loss) / reference.b!.loss).toBeLessThan(1e-5);

    const held = await line("HOLD_A");
    expect(maxRelativeError(held.values[0], reference.weights_hold_a!.loss)).toBeLessThan(1e-5);
    expect(held.movedTensors.filter((n: string) => n.startsWith("bn.running"))).toEqual([]);
    expect(held.modelPositions[1]).toMatchObject({ name: "B", runningStatsOf: "A", loss: null, ownLoss: null });

    // Without BatchNorm (an MLP): the same line, ends the models.
    const mlpReference = (JSON.parse(readFileSync(path.join(pair, "expected.json"), "utf8")) as { models: { mlp: { a: { loss: number }; b: { loss: number }; states: { loss: number[] } } } }).models.mlp;
    const mlp = await line(undefined, await uploadPair("mlp"));
    expect(maxRelativeError(mlp.values[0], mlpReference.states.loss)).toBeLessThan(1e-5);
    expect(Math.abs(mlp.values[0][2] - mlpReference.a.loss) / mlpReference.a.loss).toBeLessThan(1e-6);
    expect(Math.abs(mlp.values[0][6] - mlpReference.b.loss) / mlpReference.b.loss).toBeLessThan(1e-5);
  });
});
