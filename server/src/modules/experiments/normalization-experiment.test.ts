/**
 * What filter normalization fixes, end to end on a WebAssembly worker: the small size on Iris
 * (100 training rows, 50 held out), three runs, two pairs, and a caption drawn from the runs' test
 * errors and the slices' measured basin widths.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const SURFACE = `id kind status params { norm seed samples sampleSeed x { min max count } y { count } } model { id } modelB { id } statistics { basinWidth }`;
const EXPERIMENT = `query ($id: ID!) { experiment(id: $id) { id status caption
  runs { id role modelId options { batchSize weightDecay samples holdOut } curve { testAccuracy } }
  pairs { title sides { role runId testError } panels { kind normalization surfaces { ${SURFACE} } } } } }`;

interface Surface { id: string; kind: string; status: string; params: { norm: string; seed: number; samples: number; sampleSeed: number; x: { min: number; max: number; count: number }; y: { count: number } | null }; model: { id: string }; modelB: { id: string } | null; statistics: { basinWidth: number | null } | null }
interface Pair { title: string; sides: { role: string; runId: string; testError: number | null }[]; panels: { kind: string; normalization: string | null; surfaces: Surface[] }[] }

describe("what filter normalization fixes", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let irisId: string;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api, "wasm");
    client = new TestClient(api.url);
    await client.signUp("normalization@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "norm" }) { project { id } } }`)).createProject.project.id;
    irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("refuses to hold out more rows than the training rows leave, or rows beside a test dataset", async () => {
    const start = async (options: Record<string, unknown>, testDatasetId?: string) =>
      (
        await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { code field message } } }`, {
          input: { projectId, datasetId: irisId, ...(testDatasetId ? { testDatasetId } : {}), architecture: { kind: "MLP", depth: 1, width: 4 }, options },
        })
      ).startTraining;
    expect((await start({ samples: 120, holdOut: 40 })).error).toEqual({ code: "BAD_USER_INPUT", field: "options.holdOut", message: "The dataset has 150 rows: too few to train on 120 and hold out 40" });
    expect((await start({ holdOut: 10 }, irisId)).error).toMatchObject({ code: "BAD_USER_INPUT", field: "options.holdOut", message: expect.stringMatching(/either a test dataset or rows to hold out/) });
  });

  it("trains the pairs with held-out rows, groups their surfaces, and states the caption from the measures", { timeout: 420_000 }, async () => {
    const started = (
      await client.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { code message } experiment { id } } }`, {
        input: { projectId, kind: "NORMALIZATION", datasetId: irisId, size: "SMALL" },
      })
    ).startExperiment;
    expect(started.ok, started.error?.message).toBe(true);
    const experiment = await untilStatus("the experiment", async () => (await client.data(EXPERIMENT, { id: started.experiment.id })).experiment, SETTLED, { timeoutMs: 400_000 });
    expect(experiment.status).toBe("READY");

    const runs = experiment.runs as { id: string; role: string; modelId: string; options: { batchSize: number; weightDecay: number; samples: number; holdOut: number }; curve: { testAccuracy: number | null }[] }[];
    expect(runs.map((r) => r.role)).toEqual(["batch 8", "batch 100", "batch 8, weight decay 5e-4"]);
    expect(runs.map((r) => [r.options.batchSize, r.options.weightDecay, r.options.samples, r.options.holdOut])).toEqual([[8, 0, 100, 50], [100, 0, 100, 50], [8, 0.0005, 100, 50]]);
    // Every run measured its test accuracy on the held-out rows (50 of Iris's 150: steps of 2%).
    for (const run of runs) {
      const last = run.curve.at(-1)!.testAccuracy!;
      expect(last).toBeGreaterThan(0.3);
      expect(Math.round(last * 50 * 1000) % 1000).toBe(0);
    }

    const pairs = experiment.pairs as Pair[];
    expect(pairs.map((p) => p.sides.map((s) => s.role))).toEqual([["batch 8", "batch 100"], ["batch 8", "batch 8, weight decay 5e-4"]]);
    for (const [k, pair] of pairs.entries()) {
      const [a, b] = pair.sides.map((s) => runs.find((r) => r.id === s.runId)!);
      expect(pair.sides.map((s) => s.testError)).toEqual([a, b].map((r) => 1 - r!.curve.at(-1)!.testAccuracy!));
      expect(pair.panels.map((p) => `${p.kind} ${p.normalization ?? "-"} ${p.surfaces.length}`)).toEqual(["interpolation - 1", "line NONE 2", "line FILTER 2", "plane NONE 2", "plane FILTER 2"]);
      const [interpolation] = pair.panels[0]!.surfaces;
      expect(interpolation).toMatchObject({ kind: "INTERPOLATION", status: "READY", model: { id: a!.modelId }, modelB: { id: b!.modelId }, params: { x: { min: -0.5, max: 1.5, count: 61 } } });
      for (const panel of pair.panels.slice(1)) {
        expect(panel.surfaces.map((s) => s.model.id)).toEqual([a!.modelId, b!.modelId]);
        // One direction seed, and the training rows, for every slice and plane.
        for (const s of panel.surfaces) expect(s.params).toMatchObject({ norm: panel.normalization, seed: 7, samples: 100, sampleSeed: 8 });
      }
      // The small-batch run's surfaces are computed once and shown in both pairs.
      if (k === 1) expect(pair.panels[1]!.surfaces[0]!.id).toBe(pairs[0]!.panels[1]!.surfaces[0]!.id);
    }

    // The caption states the test errors and the slices' basin widths the surfaces measured.
    const fmt = (v: number) => Number(v.toPrecision(2)).toString();
    const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;
    const caption = experiment.caption as string;
    for (const pair of pairs) {
      const [a, b] = pair.sides;
      const width = (panel: number, side: number) => {
        const w = pair.panels[panel]!.surfaces[side]!.statistics!.basinWidth!;
        return w >= 2 - 1e-9 ? `≥ ${fmt(w)} (the whole slice)` : fmt(w);
      };
      expect(caption).toContain(`${pair.title}: test error ${a!.role} ${pct(a!.testError!)}, ${b!.role} ${pct(b!.testError!)};`);
      expect(caption).toContain(`without normalization ${width(1, 0)} (${a!.role}) and ${width(1, 1)} (${b!.role}), with filter normalization ${width(2, 0)} and ${width(2, 1)}.`);
    }
    expect(caption).toMatch(/(as the paper shows|the paper's effect does not appear here|the paper's effect cannot show in this pair)/);
  });
});
