/**
 * The depth experiment end to end on a WebAssembly worker (the backend the zoo's ResNets train on
 * fastest here): the small size's ResNet-8 and ResNet-14 with and without shortcuts on MNIST
 * digits, a plane of each, and a caption drawn from their measures.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const EXPERIMENT = `query ($id: ID!) { experiment(id: $id) { id status caption runs { role curve { trainLoss } } surfaces { id kind status statistics { nonConvexity } } } }`;
const FEATURED = `{ featuredComparison { contrast experiment { id } surfaces { id } } }`;

interface Finished {
  id: string;
  surfaces: { id: string; statistics: { nonConvexity: number } }[];
}

describe("depth experiment", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let irisId: string;
  let mnist: string;
  const finished: Finished[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api, "wasm");
    client = new TestClient(api.url);
    await client.signUp("depth@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "depth" }) { project { id } } }`)).createProject.project.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    mnist = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const start = async (datasetId: string) =>
    (
      await client.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { code message field } experiment { id } } }`, {
        input: { projectId, kind: "DEPTH", datasetId, size: "SMALL" },
      })
    ).startExperiment;

  it("depth: ResNets and their plain twins in pairs by depth, one plane each; refused on data that is not images", { timeout: 360_000 }, async () => {
    const refused = await start(irisId);
    expect(refused.error).toMatchObject({ code: "BAD_USER_INPUT", field: "datasetId", message: expect.stringMatching(/image samples/) });
    const listed = (await client.data(`query ($p: ID!) { experiments(projectId: $p, first: 20) { nodes { kind } } }`, { p: projectId })).experiments.nodes;
    expect(listed.map((e: { kind: string }) => e.kind)).not.toContain("DEPTH");

    const started = await start(mnist);
    expect(started.ok, started.error?.message).toBe(true);
    const experiment = await untilStatus("the experiment", async () => (await client.data(EXPERIMENT, { id: started.experiment.id })).experiment, SETTLED, { timeoutMs: 300_000 });
    expect(experiment.status).toBe("READY");
    expect(experiment.runs.map((r: { role: string }) => r.role)).toEqual(["ResNet-8-noshort", "ResNet-8", "ResNet-14-noshort", "ResNet-14"]);
    // Every network trains well away from chance (ln 10 = 2.30).
    for (const run of experiment.runs as { curve: { trainLoss: number }[] }[]) expect(run.curve.at(-1)!.trainLoss).toBeLessThan(1.8);
    // A plane of each network, then the deepest pair's eigen-ratio maps (the paper's Figure 7).
    expect(experiment.surfaces.map((s: { kind: string; status: string }) => `${s.kind} ${s.status}`)).toEqual([...Array(4).fill("PLANE READY"), "EIGEN_RATIO READY", "EIGEN_RATIO READY"]);
    // The caption states each network's measures and a verdict drawn from them alone.
    expect(experiment.caption).toMatch(/Measured .*ResNet-8-noshort: non-convexity [\d.]+, basin width [\d.]+, lowest loss [\d.]+, \d+ significant local minim/);
    expect(experiment.caption).toMatch(/At the deepest depth the (plane without shortcuts is the more non-convex|two planes are about equally non-convex)/);
    expect(experiment.caption).toMatch(/Eigen-ratio maps of the deepest pair .*: ResNet-14-noshort: [\d.e-]+; ResNet-14: [\d.e-]+, (so without|so with|about the same)/);
    finished.push(experiment);
  });

  it("width: one ResNet depth at two widths with and without shortcuts, in pairs by width", { timeout: 360_000 }, async () => {
    const started = (
      await client.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { code message field } experiment { id } } }`, {
        input: { projectId, kind: "WIDTH", datasetId: mnist, size: "SMALL" },
      })
    ).startExperiment;
    expect(started.ok, started.error?.message).toBe(true);
    const experiment = await untilStatus("the experiment", async () => (await client.data(EXPERIMENT, { id: started.experiment.id })).experiment, SETTLED, { timeoutMs: 300_000 });
    expect(experiment.status).toBe("READY");
    expect(experiment.runs.map((r: { role: string }) => r.role)).toEqual(["ResNet-8-noshort (width 2)", "ResNet-8 (width 2)", "ResNet-8-noshort (width 8)", "ResNet-8 (width 8)"]);
    expect(experiment.caption).toMatch(/Without shortcuts the non-convexity goes from [\d.]+ \(ResNet-8-noshort \(width 2\)\) to [\d.]+ \(ResNet-8-noshort \(width 8\)\)/);
    expect(experiment.caption).toMatch(/as the paper's Figure 6 shows|appears only in part|does not appear at these widths/);
    finished.push(experiment);
  });

  it("the gallery opens on the pair of planes whose non-convexity differs most, for those who may see it", async () => {
    expect(finished).toHaveLength(2);
    // Every (plain, residual) pair of both experiments, by its measured difference.
    const pairs = finished.flatMap((e) =>
      [0, 2].map((k) => ({ experiment: e.id, ids: [e.surfaces[k]!.id, e.surfaces[k + 1]!.id], contrast: e.surfaces[k]!.statistics.nonConvexity - e.surfaces[k + 1]!.statistics.nonConvexity })),
    );
    const best = pairs.reduce((a, b) => (b.contrast > a.contrast ? b : a));
    const featured = (await client.data(FEATURED)).featuredComparison;
    if (best.contrast > 0) {
      expect(featured.experiment.id).toBe(best.experiment);
      expect(featured.surfaces.map((s: { id: string }) => s.id)).toEqual(best.ids);
      expect(featured.contrast).toBeCloseTo(best.contrast, 12);
    } else {
      expect(featured).toBeNull();
    }
    // The project is private: a visitor is shown none of it.
    expect((await new TestClient(api.url).data(FEATURED)).featuredComparison).toBeNull();
  });
});

