import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const IN_PROGRESS = `{ experimentsInProgress(first: 100) { nodes { id } } }`;
const EXPERIMENT = `query ($id: ID!) { experiment(id: $id) { id status name caption runs { role status modelId stepsDone curve { trainLoss trainAccuracy } } surfaces { id status kind params { x { count } } path { step } } } }`;

describe("experiments", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let stranger: TestClient;
  let projectId: string;
  let irisId: string;

  const runToEnd = async (kind: string) => {
    const started = (
      await client.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { code message } experiment { id } } }`, {
        input: { projectId, kind, datasetId: irisId, size: "SMALL" },
      })
    ).startExperiment;
    expect(started.ok).toBe(true);
    // While it trains it is listed as in progress to its project's members, and to nobody else.
    const inProgress = async (who: TestClient) => (await who.data(IN_PROGRESS)).experimentsInProgress.nodes.map((e: { id: string }) => e.id);
    expect(await inProgress(client)).toContain(started.experiment.id);
    expect(await inProgress(stranger)).not.toContain(started.experiment.id);
    const experiment = await untilStatus(
      "the experiment",
      async () => (await client.data(EXPERIMENT, { id: started.experiment.id })).experiment,
      SETTLED,
      { timeoutMs: 180_000 },
    );
    if (experiment.status === "READY") expect(await inProgress(client)).not.toContain(started.experiment.id);
    return experiment;
  };

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("experimenter@example.org");
    stranger = new TestClient(api.url);
    await stranger.signUp("stranger@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "x" }) { project { id } } }`)).createProject.project.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("skip connections: trains both sides, then computes matching planes that compare on one grid", async () => {
    const experiment = await runToEnd("SKIP");
    expect(experiment.status).toBe("READY");
    expect(experiment.caption).toMatch(/skip connections/);
    // Once the surfaces are ready, the caption states what they measured.
    expect(experiment.caption).toMatch(/Measured .*without skip connections: non-convexity [\d.]+, basin width [\d.]+/);
    expect(experiment.runs.map((r: { role: string }) => r.role)).toEqual(["without skip connections", "with skip connections"]);
    // Both sides really train (on Iris's 150 rows that takes more than a few epochs), so the
    // comparison is between two trained networks.
    for (const run of experiment.runs as { stepsDone: number; curve: { trainLoss: number; trainAccuracy: number }[] }[]) {
      expect(run.stepsDone).toBeGreaterThanOrEqual(100);
      expect(run.curve.at(-1)!.trainLoss).toBeLessThan(run.curve[0]!.trainLoss * 0.6);
      expect(run.curve.at(-1)!.trainAccuracy).toBeGreaterThan(0.7);
    }
    // Two planes, then each side's eigen-ratio map (coarse) on its plane's directions.
    expect(experiment.surfaces).toHaveLength(4);
    expect(experiment.surfaces.map((s: { status: string; kind: string }) => `${s.kind} ${s.status}`)).toEqual(["PLANE READY", "PLANE READY", "EIGEN_RATIO READY", "EIGEN_RATIO READY"]);
    expect(experiment.surfaces[2].params.x.count).toBe(5);
    const means = await Promise.all(experiment.surfaces.slice(2).map(async (s: { id: string }) => (await client.data(`query ($id: ID!) { surface(id: $id) { statistics { ratio { mean } } } }`, { id: s.id })).surface.statistics.ratio.mean));
    expect(experiment.caption).toContain(`without skip connections: ${Number(means[0].toPrecision(2))}; with skip connections: ${Number(means[1].toPrecision(2))}`);
    const comparison = (await client.data(`query ($ids: [ID!]!) { compare(ids: $ids) { sameGrid min max } }`, { ids: experiment.surfaces.slice(0, 2).map((s: { id: string }) => s.id) })).compare;
    expect(comparison.sameGrid).toBe(true);
    expect(comparison.max).toBeGreaterThan(comparison.min);
    // Each surface knows its place, for its breadcrumb and its gallery card: the experiment that
    // made it, in its project; a surface made by hand belongs to no experiment.
    const placed = await client.data(`query ($p: ID!) { gallery(first: 20, filter: { projectId: $p }) { nodes { id project { name } experiment { id name } } } }`, { p: projectId });
    const ids = experiment.surfaces.map((s: { id: string }) => s.id);
    const own = placed.gallery.nodes.filter((n: { id: string }) => ids.includes(n.id));
    expect(own).toHaveLength(4);
    for (const node of own) expect(node).toMatchObject({ project: { name: "x" }, experiment: { id: experiment.id, name: experiment.name } });
  });

  it("over training: one run, a plane around it, and the same plane around each checkpoint", async () => {
    const experiment = await runToEnd("OVER_TRAINING");
    expect(experiment.status).toBe("READY");
    const [plane, ...frames] = experiment.surfaces as { id: string; kind: string }[];
    expect(plane!.kind).toBe("PLANE");
    expect(frames.length).toBeGreaterThanOrEqual(5);
    const FRAME = `query ($id: ID!) { surface(id: $id) { status values params { checkpointStep directionsFrom } series { id } } }`;
    const source = (await client.data(FRAME, { id: plane!.id })).surface;
    // The plane's series is the experiment's frames, in step order, on the plane's directions.
    expect(source.series.map((f: { id: string }) => f.id)).toEqual(frames.map((f) => f.id));
    const loaded = [];
    for (const frame of frames) loaded.push((await client.data(FRAME, { id: frame.id })).surface);
    const steps = loaded.map((f) => f.params.checkpointStep);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[0]).toBe(0);
    expect(loaded.every((f) => f.status === "READY" && f.params.directionsFrom === plane!.id)).toBe(true);
    // The last checkpoint is the trained model: its frame is the plane itself.
    const centre = Math.floor(source.values.length / 2);
    expect(loaded.at(-1).values[centre][centre]).toBeCloseTo(source.values[centre][centre], 5);
    // The untrained network sits higher than the trained one at the centre.
    expect(loaded[0].values[centre][centre]).toBeGreaterThan(source.values[centre][centre]);
  });

  it("trajectory: one run, then its PCA plane with the path of every checkpoint", async () => {
    const experiment = await runToEnd("TRAJECTORY");
    expect(experiment.status).toBe("READY");
    expect(experiment.surfaces).toHaveLength(1);
    expect(experiment.surfaces[0].kind).toBe("PCA");
    expect(experiment.surfaces[0].path.length).toBeGreaterThanOrEqual(4);
  });
});
