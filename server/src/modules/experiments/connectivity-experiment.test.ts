/**
 * The mode connectivity experiment end to end on a WebAssembly worker: the small size's MLP trained
 * from two seeds on MNIST digits, the curve between the two minima trained and evaluated with the
 * straight line, and a caption whose numbers and verdict are the curve's stored barriers.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const EXPERIMENT = `query ($id: ID!) {
  experiment(id: $id) {
    id status caption surfaces { id }
    runs { role modelId curve { trainLoss } }
    curve { id status modelAId modelBId options { kind bends points } values {
      t curve { trainAccuracy } curveBarriers { trainLoss trainAccuracy } lineBarriers { trainLoss trainAccuracy }
      ensemble { members trainAccuracy trainAccuracyA trainAccuracyB }
    } }
  }
}`;

/** As the caption writes a number: two significant digits. */
const fmt = (v: number) => Number(v.toPrecision(2)).toString();

describe("connectivity experiment", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api, "wasm");
    client = new TestClient(api.url);
    await client.signUp("connectivity@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "connectivity" }) { project { id } } }`)).createProject.project.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("trains one MLP from two seeds, connects the two minima with a curve and states both barriers", { timeout: 360_000 }, async () => {
    const mnist = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const started = (
      await client.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { code message field } experiment { id kind caption } } }`, {
        input: { projectId, kind: "CONNECTIVITY", datasetId: mnist, size: "SMALL" },
      })
    ).startExperiment;
    expect(started.ok, started.error?.message).toBe(true);
    expect(started.experiment.kind).toBe("CONNECTIVITY");
    // Before anything is measured the caption asks the question and claims no result.
    expect(started.experiment.caption).not.toMatch(/Measured/);

    const experiment = await untilStatus("the experiment", async () => (await client.data(EXPERIMENT, { id: started.experiment.id })).experiment, SETTLED, { timeoutMs: 300_000 });
    expect(experiment.status).toBe("READY");
    expect(experiment.surfaces).toEqual([]);
    expect(experiment.runs.map((r: { role: string }) => r.role)).toEqual(["model A (seed 7)", "model B (seed 8)"]);
    // Both runs train well away from chance (ln 10 = 2.30).
    for (const run of experiment.runs as { curve: { trainLoss: number }[] }[]) expect(run.curve.at(-1)!.trainLoss).toBeLessThan(1);

    // The curve joins the two trained models: A the first seed's, B the second's.
    const curve = experiment.curve;
    expect(curve).toMatchObject({ status: "READY", modelAId: experiment.runs[0].modelId, modelBId: experiment.runs[1].modelId, options: { kind: "BEZIER", bends: 1, points: 21 } });
    expect(curve.values.t).toHaveLength(21);

    // The caption states both barriers as stored, and the verdict that follows from them.
    const { lineBarriers: line, curveBarriers: bent } = curve.values;
    const stated = `along the straight line from A to B the loss barrier is ${fmt(line.trainLoss)} and accuracy falls by ${fmt(line.trainAccuracy * 100)} points; along the trained curve the loss barrier is ${fmt(bent.trainLoss)} and accuracy falls by ${fmt(bent.trainAccuracy * 100)} points`;
    expect(experiment.caption).toContain(`Measured on the training data: ${stated}.`);
    const clearlyLower = line.trainLoss > 0.02 && bent.trainLoss <= 0.5 * line.trainLoss && line.trainLoss - bent.trainLoss > 0.02;
    if (line.trainLoss <= 0.02) expect(experiment.caption).toMatch(/already linearly connected/);
    else expect(experiment.caption).toContain(clearlyLower ? "The curve's barrier is clearly lower than the line's" : "The curve's barrier is not clearly lower than the line's");
    // Two minima from different seeds of this MLP on digits: the line crosses a barrier the curve avoids.
    expect(line.trainLoss).toBeGreaterThan(bent.trainLoss);

    // The ensemble of 11 models along the curve: its ends are A and B, as measured along the curve, and the caption says so.
    const ensemble = curve.values.ensemble;
    expect(ensemble.members).toBe(11);
    expect(ensemble.trainAccuracyA).toBeCloseTo(curve.values.curve.trainAccuracy[0], 9);
    expect(ensemble.trainAccuracyB).toBeCloseTo(curve.values.curve.trainAccuracy.at(-1), 9);
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    expect(experiment.caption).toContain(`The ensemble of 11 models along the curve (their softmax outputs averaged) is ${pct(ensemble.trainAccuracy)} accurate on the training data, against ${pct(ensemble.trainAccuracyA)} for A and ${pct(ensemble.trainAccuracyB)} for B.`);

    // Listed with the project's experiments, and no longer in progress.
    const listed = (await client.data(`query ($p: ID!) { experiments(projectId: $p, first: 5) { nodes { id } } experimentsInProgress(first: 5) { nodes { id } } }`, { p: projectId }));
    expect(listed.experiments.nodes.map((e: { id: string }) => e.id)).toContain(experiment.id);
    expect(listed.experimentsInProgress.nodes.map((e: { id: string }) => e.id)).not.toContain(experiment.id);
  });
});
