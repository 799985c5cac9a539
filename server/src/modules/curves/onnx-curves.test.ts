/**
 * A curve between two uploaded ONNX models (the curve fixtures: one PyTorch MLP trained from two
 * seeds, scripts/make-curve-fixtures.py) through the service, on a WebAssembly worker: the bends are
 * stored as model.onnx, and the trained curve's barrier is far below the straight line's, as the
 * reference's is on the same models and data.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const FIXTURES = fileURLToPath(new URL("../../engine/fixtures/curves/", import.meta.url));
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const expected = JSON.parse(readFileSync(path.join(FIXTURES, "expected.json"), "utf8")) as { line: { barrier: { trainLoss: number } }; curves: { barrier: { trainLoss: number } }[] };

describe("curves between ONNX models", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api, "wasm");
    client = new TestClient(api.url);
    await client.signUp("onnx-curves@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "onnx curves" }) { project { id } } }`)).createProject.project.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("connects two PyTorch exports, stores the bends as ONNX, and finds the low path the reference finds", async () => {
    const model = async (name: string) => {
      const uploaded = await upload(client, { projectId, kind: "MODEL", name }, [{ name: `${name}.onnx`, bytes: bytesOf(`${name}.onnx`) }]);
      expect(uploaded.outcome, JSON.stringify(uploaded.completed?.error)).toBe("ok");
      return uploaded.completed!.model!.id as string;
    };
    const a = await model("a");
    const b = await model("b");
    const data = async (name: string) => {
      const uploaded = await upload(client, { projectId, kind: "DATASET", name }, [
        { name: "x.npy", bytes: bytesOf(`${name}.x.npy`) },
        { name: "y.npy", bytes: bytesOf(`${name}.y.npy`) },
      ]);
      expect(uploaded.outcome, JSON.stringify(uploaded.completed?.error)).toBe("ok");
      return uploaded.completed!.dataset!.id as string;
    };
    const train = await data("train");
    const test = await data("test");
    const started = (
      await client.data(`mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { ok error { message } curve { id } } }`, {
        input: { projectId, modelAId: a, modelBId: b, datasetId: train, testDatasetId: test, options: { epochs: 20, weightDecay: 0.0001 } },
      })
    ).connectModels;
    expect(started.ok, started.error?.message).toBe(true);
    const curve = await untilStatus(
      "the curve",
      async () => (await client.data(`query ($id: ID!) { curve(id: $id) { status errorMessage values { curveBarriers { trainLoss testLoss } lineBarriers { trainLoss testLoss } plane { offPlane } } } }`, { id: started.curve.id })).curve,
      SETTLED,
      { timeoutMs: 240_000 },
    );
    expect(curve.status, curve.errorMessage).toBe("READY");
    const v = curve.values;
    // The line's barrier is the reference's own (the same two models, data and 61 values of t, evaluated exactly).
    expect(v.lineBarriers.trainLoss).toBeCloseTo(expected.line.barrier.trainLoss, 4);
    // Half the reference's epochs: the curve is not the reference's yet, but already far below the line.
    expect(v.curveBarriers.trainLoss).toBeLessThan(0.25 * v.lineBarriers.trainLoss);
    expect(v.curveBarriers.testLoss).toBeLessThan(v.lineBarriers.testLoss);
    expect(v.plane.offPlane).toBeLessThan(1e-3);
    const stored = await api.api.services.store.list(`projects/${projectId}/curves/${started.curve.id}/`, 1000);
    expect(stored.some((key) => key.endsWith("/bend-1/model.onnx"))).toBe(true);
  }, 300_000);
});
