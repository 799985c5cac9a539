/**
 * Surfaces through the API and a real worker: created, computed tile by tile through the queue,
 * followed over graphql-ws, read back, and checked against the engine run directly on the same
 * inputs. Then cancel, delete, annotations, gallery and comparison.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../engine/data.js";
import { loadModel } from "../../engine/network.js";
import { computeSurface } from "../../engine/surface.js";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { encodeNpy } from "../../engine/npy.js";
import { artifactsOf, buildCnnBn, modelFiles, randomDataset } from "../../engine/testing/builders.js";
import { mlpFiles, modelUploadFiles, npyPair, perturbed, text, upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

const SURFACE_FIELDS = `id status pointsDone pointsTotal errorCode errorMessage xs ys cosine
  values(metric: LOSS) accuracy: values(metric: ACCURACY) valuesUrl thumbnailUrl
  statistics { loss { min max } nonConvexity } criticalPoints { kind x y value basin { depth } }`;

describe("surfaces", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let datasetId: string;
  let files: Awaited<ReturnType<typeof mlpFiles>>;
  const pair = npyPair(60, 4, 3);

  const create = async (input: Record<string, unknown>) =>
    (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code message field } surface { id status pointsTotal } } }`, {
        input: { projectId, modelId, datasetId, ...input },
      })
    ).createSurface;

  const waitFor = (id: string, statuses: readonly string[] = SETTLED) =>
    untilStatus(`surface ${id} to be ${statuses.join(" or ")}`, async () => (await client.data(`query ($id: ID!) { surface(id: $id) { ${SURFACE_FIELDS} } }`, { id })).surface, statuses, {
      timeoutMs: 90_000,
      intervalMs: 100,
    });

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("surfer@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "surfaces" }) { project { id } } }`)).createProject.project.id;
    files = await mlpFiles();
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    modelId = model.completed!.model!.id;
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    datasetId = dataset.completed!.dataset!.id;
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("computes a 2D plane that matches the engine run directly, streaming progress over graphql-ws", async () => {
    const created = await create({ kind: "PLANE", name: "plane 9x7", params: { x: { min: -1, max: 1, count: 9 }, y: { min: -0.5, max: 0.5, count: 7 }, seed: 3 }, tags: ["demo"] });
    expect(created.ok).toBe(true);
    expect(created.surface.pointsTotal).toBe(63);

    // Follow it over the WebSocket, with the session cookie like a browser.
    const events = (
      await client.subscribe<{ surfaceProgress: { status: string; pointsDone: number; indices: number[]; loss: (number | null)[] } }>(
        `subscription ($id: ID!) { surfaceProgress(id: $id) { status pointsDone pointsTotal indices loss accuracy } }`,
        { id: created.surface.id },
      )
    ).map((event) => event.surfaceProgress);
    expect(events.at(-1)!.status).toBe("READY");
    const streamed = new Map<number, number | null>();
    for (const event of events) event.indices.forEach((k, n) => streamed.set(k, event.loss[n]!));
    expect(streamed.size).toBe(63);

    const surface = await waitFor(created.surface.id);
    expect(surface.status).toBe("READY");
    expect(surface.xs).toHaveLength(9);
    expect(surface.ys).toEqual([-0.5, -0.333333333333, -0.166666666667, 0, 0.166666666667, 0.333333333333, 0.5]);
    expect(surface.values).toHaveLength(7);
    expect(surface.values[0]).toHaveLength(9);
    expect(surface.valuesUrl).toMatch(/^http:\/\/localhost:\d+\/storage\/projects\/[0-9a-f-]+\/surfaces\/[0-9a-f-]+\/values\.bin\?op=get&/);
    // By default only points of at least 1% of the capped loss range (up to 3 median rises above
    // the lowest loss, or the highest loss when lower); minPersistence: 0 gives all stored.
    const points = (
      await client.data(
        `query ($id: ID!) { surface(id: $id) { statistics { loss { min max median } } significant: criticalPoints { kind i j persistence } all: criticalPoints(minPersistence: 0) { kind i j persistence } } }`,
        { id: created.surface.id },
      )
    ).surface as { statistics: { loss: { min: number; max: number; median: number } }; significant: { kind: string; i: number; j: number; persistence: number }[]; all: { kind: string; i: number; j: number; persistence: number }[] };
    const { min, max, median } = points.statistics.loss;
    // The median of the 63 values the test reads back.
    const sorted = (surface.values as number[][]).flat().sort((a, b) => a - b);
    expect(median).toBeCloseTo(sorted[31]!, 5);
    const floor = 0.01 * (Math.min(max, min + 3 * (median - min)) - min);
    expect(points.significant.every((p) => p.persistence >= floor)).toBe(true);
    expect(points.all.filter((p) => p.persistence >= floor)).toEqual(points.significant);
    expect(points.all.length).toBeGreaterThan(0);
    expect(surface.criticalPoints).toHaveLength(points.significant.length);
    expect(surface.statistics.nonConvexity).toBeGreaterThanOrEqual(0);
    expect(surface.statistics.nonConvexity).toBeLessThanOrEqual(1);

    // The same surface computed by the engine directly.
    const model = await loadModel({ modelJson: files.modelJson, shards: files.shards });
    const data = await loadDataset({ xNpy: pair.x, yNpy: pair.y });
    const direct = await computeSurface(model, data, { x: { min: -1, max: 1, count: 9 }, y: { min: -0.5, max: 0.5, count: 7 }, directions: { seed: 3 }, backend: "cpu" });
    for (let j = 0; j < 7; j++) {
      for (let i = 0; i < 9; i++) {
        const expected = direct.loss[j * 9 + i]!;
        expect(Math.abs(surface.values[j][i] - expected) / Math.abs(expected)).toBeLessThan(1e-5);
        expect(streamed.get(j * 9 + i)).toBeCloseTo(expected, 5);
        expect(surface.accuracy[j][i]).toBeCloseTo(direct.accuracy[j * 9 + i]!, 6);
      }
    }
    expect(surface.cosine).toBeCloseTo(direct.cosine, 6);

    // The values file: loss grid then accuracy grid, float32, through the public /storage URL.
    const bytes = new Uint8Array(await (await fetch(surface.valuesUrl)).arrayBuffer());
    const floats = new Float32Array(bytes.buffer);
    expect(floats).toHaveLength(126);
    expect(floats[10]).toBeCloseTo(surface.values[1][1], 6);
    const png = new Uint8Array(await (await fetch(surface.thumbnailUrl)).arrayBuffer());
    expect(Array.from(png.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("computes a 1D line and an interpolation between two models, with the models' positions; without a count, 51 and 61 points", async () => {
    // No count: a line gets the figure's default of 51 points.
    const line = await create({ kind: "LINE", params: { x: { min: -1, max: 1 } } });
    expect(line.ok).toBe(true);
    expect(line.surface.pointsTotal).toBe(51);
    const lineDone = await waitFor(line.surface.id);
    expect(lineDone.status).toBe("READY");
    expect(lineDone.values).toHaveLength(1);
    expect(lineDone.values[0]).toHaveLength(51);
    const stored = (await client.data(`query ($id: ID!) { surface(id: $id) { params { x { min max count } } } }`, { id: line.surface.id })).surface.params;
    expect(stored.x).toEqual({ min: -1, max: 1, count: 51 });
    // A count given is kept.
    const eleven = await create({ kind: "LINE", params: { x: { min: -1, max: 1, count: 11 } } });
    expect(eleven.surface.pointsTotal).toBe(11);
    expect((await waitFor(eleven.surface.id)).values[0]).toHaveLength(11);

    const b = await upload(client, { projectId, kind: "MODEL", name: "b" }, modelUploadFiles(perturbed(files, 0.3, 5)));
    // An interpolation with a null count gets 61: t from -0.5 to 1.5 in steps of 1/30.
    const interpolation = await create({ kind: "INTERPOLATION", modelBId: b.completed!.model!.id, params: { x: { min: -0.5, max: 1.5, count: null } } });
    expect(interpolation.ok).toBe(true);
    expect(interpolation.surface.pointsTotal).toBe(61);
    const done = await waitFor(interpolation.surface.id);
    expect(done.status).toBe("READY");
    const positions = (await client.data(`query ($id: ID!) { surface(id: $id) { modelPositions { name x y } } }`, { id: done.id })).surface.modelPositions;
    expect(positions).toEqual([
      { name: "A", x: 0, y: 0 },
      { name: "B", x: 1, y: 0 },
    ]);
    // t = 0 and t = 1 are the two models themselves: their losses, as the engine computes them.
    const data = await loadDataset({ xNpy: pair.x, yNpy: pair.y });
    expect(done.values[0]).toHaveLength(61);
    for (const [t, source] of [
      [15, files],
      [45, perturbed(files, 0.3, 5)],
    ] as const) {
      const model = await loadModel({ modelJson: source.modelJson, shards: source.shards });
      const direct = await computeSurface(model, data, { x: { min: 0, max: 0.001, count: 2 }, backend: "cpu" });
      expect(done.values[0][t]).toBeCloseTo(direct.loss[0]!, 4);
    }
  });

  it("interpolates between two TF.js models with BatchNorm: every state moves, and each end is its model, checked and reported", async () => {
    const files = async (seed: number) => modelFiles(await artifactsOf(buildCnnBn(seed), "sparse_categorical_crossentropy"));
    const [fa, fb] = [await files(1), await files(2)];
    const a = await upload(client, { projectId, kind: "MODEL", name: "bn a" }, modelUploadFiles(fa));
    const b = await upload(client, { projectId, kind: "MODEL", name: "bn b" }, modelUploadFiles(fb));
    const images = randomDataset(48, [8, 8, 2], 3, 7);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "images" }, [
      { name: "x.npy", bytes: encodeNpy(images.x, [48, 8, 8, 2]) },
      { name: "y.npy", bytes: encodeNpy(Int32Array.from(images.y), [48]) },
    ]);
    const created = await create({ kind: "INTERPOLATION", modelId: a.completed!.model!.id, modelBId: b.completed!.model!.id, datasetId: dataset.completed!.dataset!.id, params: { x: { min: -0.5, max: 1.5, count: 9 } } });
    expect(created.ok, JSON.stringify(created.error)).toBe(true);
    const done = await waitFor(created.surface.id);
    expect(done.status, done.errorMessage).toBe("READY");
    const read = (await client.data(`query ($id: ID!) { surface(id: $id) { movedTensors modelPositions { name x loss ownLoss accuracy ownAccuracy runningStatsOf } } }`, { id: done.id })).surface;
    expect(read.movedTensors.filter((n: string) => /moving_(mean|variance)/.test(n))).toHaveLength(2);
    // The engine on its own, model by model: the service's ends are those models, to float32.
    const data = await loadDataset({ xNpy: encodeNpy(images.x, [48, 8, 8, 2]), yNpy: encodeNpy(Int32Array.from(images.y), [48]) });
    for (const [k, source, t] of [[0, fa, 2], [1, fb, 6]] as const) {
      const model = await loadModel({ modelJson: source.modelJson, shards: source.shards });
      const alone = await computeSurface(model, data, { x: { min: 0, max: 1, count: 2 }, directions: { norm: "none" }, backend: "cpu" });
      const position = read.modelPositions[k];
      expect(position.runningStatsOf).toBeNull();
      expect(Math.abs(position.ownLoss - alone.loss[0]!) / alone.loss[0]!).toBeLessThan(1e-5);
      expect(Math.abs(done.values[0][t] - alone.loss[0]!) / alone.loss[0]!).toBeLessThan(1e-5);
      expect(Math.abs(position.loss - position.ownLoss) / position.ownLoss).toBeLessThan(1e-6);
      expect(position.accuracy).toBe(position.ownAccuracy);
    }
  });

  it("computes a PCA plane of a training run's checkpoints, with the optimizer's path", async () => {
    const run = await upload(client, { projectId, kind: "MODEL", name: "final" }, modelUploadFiles(files));
    const runModelId = run.completed!.model!.id;
    for (const [step, scale] of [
      [0, 0.6],
      [10, 0.35],
      [20, 0.15],
      [30, 0.05],
    ] as const) {
      const checkpoint = await upload(client, { projectId, kind: "CHECKPOINT", modelId: runModelId, step }, modelUploadFiles(perturbed(files, scale, 3 + step)));
      expect(checkpoint.outcome).toBe("ok");
    }
    // Checkpoints download as their model does, so anyone who may read the model can recompute the PCA.
    const listed = (await client.data(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { step downloads { name url } } } } }`, { id: runModelId })).model.checkpoints.nodes as {
      step: number; downloads: { name: string; url: string }[];
    }[];
    expect(listed.map((c) => c.step)).toEqual([0, 10, 20, 30]);
    const first = listed[0]!.downloads;
    expect(first.map((d) => d.name)).toContain("model.json");
    const shard = await fetch(first.find((d) => d.name.endsWith(".bin"))!.url);
    expect(shard.headers.get("content-disposition")).toMatch(/attachment/);
    expect(new Uint8Array(await shard.arrayBuffer())).toEqual(perturbed(files, 0.6, 3).shards.get("group1-shard1of1.bin"));
    const stranger = new TestClient(api.url);
    await stranger.signUp("stranger-checkpoints@example.org");
    const refused = await stranger.request(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { downloads { url } } } } }`, { id: runModelId });
    expect(JSON.stringify(refused)).toMatch(/NOT_FOUND/);
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId: runModelId, datasetId, kind: "PCA", params: { x: { min: -1, max: 1, count: 7 }, y: { min: -1, max: 1, count: 7 } } },
      })
    ).createSurface;
    expect(created.ok).toBe(true);
    const done = await waitFor(created.surface.id);
    expect(done.status).toBe("READY");
    const pca = (
      await client.data(`query ($id: ID!) { surface(id: $id) { explainedVariance path { step x y distance fromFinal offPlaneFraction } cosine xs ys params { fitPath } } }`, { id: done.id })
    ).surface as {
      explainedVariance: number[]; cosine: number; xs: number[]; ys: number[]; params: { fitPath: boolean };
      path: { step: number; x: number; y: number; distance: number; fromFinal: number; offPlaneFraction: number }[];
    };
    expect(pca.path.map((p) => p.step)).toEqual([0, 10, 20, 30]);
    expect(pca.explainedVariance).toHaveLength(2);
    expect(pca.explainedVariance[0]).toBeGreaterThanOrEqual(pca.explainedVariance[1]!);
    expect(pca.explainedVariance[0]! + pca.explainedVariance[1]!).toBeLessThanOrEqual(1 + 1e-9);
    // PCA directions are orthogonal.
    expect(Math.abs(pca.cosine)).toBeLessThan(1e-4);
    // Coordinates and off-plane distances are measured in the same space (the PCA's tensors):
    // off^2 + x^2 + y^2 = ||theta_i - theta_final||^2 over them.
    for (const p of pca.path) {
      expect(p.fromFinal).toBeGreaterThan(0);
      expect(Math.abs(p.distance ** 2 + p.x ** 2 + p.y ** 2 - p.fromFinal ** 2)).toBeLessThan(1e-6 * p.fromFinal ** 2);
      expect(p.offPlaneFraction).toBeCloseTo(p.distance / p.fromFinal, 12);
    }
    // By default a PCA plane's grid is fitted to its path: every checkpoint and the final model
    // lie inside it, away from its edges.
    expect(pca.params.fitPath).toBe(true);
    expect(pca.xs).toHaveLength(7);
    for (const p of [...pca.path, { x: 0, y: 0 }]) {
      const mx = 0.1 * (pca.xs.at(-1)! - pca.xs[0]!);
      const my = 0.1 * (pca.ys.at(-1)! - pca.ys[0]!);
      expect(p.x).toBeGreaterThan(pca.xs[0]! + mx);
      expect(p.x).toBeLessThan(pca.xs.at(-1)! - mx);
      expect(p.y).toBeGreaterThan(pca.ys[0]! + my);
      expect(p.y).toBeLessThan(pca.ys.at(-1)! - my);
    }

    // Explicit ranges stay when the caller turns the fit off.
    const fixed = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId: runModelId, datasetId, kind: "PCA", params: { x: { min: -1, max: 1, count: 7 }, y: { min: -1, max: 1, count: 5 }, fitPath: false } },
      })
    ).createSurface;
    expect(fixed.ok).toBe(true);
    const fixedDone = await waitFor(fixed.surface.id);
    expect(fixedDone.status).toBe("READY");
    const plane = (await client.data(`query ($id: ID!) { surface(id: $id) { xs ys params { fitPath x { min max count } } } }`, { id: fixed.surface.id })).surface as {
      xs: number[]; ys: number[]; params: { fitPath: boolean; x: { min: number; max: number; count: number } };
    };
    expect(plane.params.fitPath).toBe(false);
    expect(plane.xs).toHaveLength(7);
    expect(plane.ys).toHaveLength(5);
    expect([plane.xs[0], plane.xs.at(-1), plane.ys[0], plane.ys.at(-1)]).toEqual([-1, 1, -1, 1]);
  });

  it("keeps a surface that asks for a GPU waiting while only CPU workers run", async () => {
    const created = await create({ kind: "LINE", params: { x: { min: -1, max: 1, count: 5 }, gpu: true } });
    expect(created.ok).toBe(true);
    const running = await waitFor(created.surface.id, ["RUNNING"]);
    // Here the wait is the point: for two seconds no CPU worker may take a point of it, and there is
    // no event for "nothing happened".
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const still = (await client.data(`query ($id: ID!) { surface(id: $id) { status pointsDone } }`, { id: running.id })).surface;
    expect(still).toEqual({ status: "RUNNING", pointsDone: 0 });
    await client.data(`mutation ($id: ID!) { cancelSurface(id: $id) { ok } }`, { id: running.id });
  });

  it("lists the connected worker with its backend", async () => {
    const workers = (await client.data(`{ workers(first: 10) { nodes { id backend gpu } pageInfo { hasNextPage } } }`)).workers;
    expect(workers.nodes).toContainEqual({ id: worker.id, backend: "cpu", gpu: false });
  });

  it("refuses bad surfaces with codes and fields", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ kind: "PLANE", params: { x: { min: -1, max: 1, count: 5 } } }, "BAD_USER_INPUT", "params.y"],
      // A plane's counts are the caller's choice: only 1D surfaces have defaults.
      [{ kind: "PLANE", params: { x: { min: -1, max: 1 }, y: { min: -1, max: 1, count: 5 } } }, "BAD_USER_INPUT", "params.x.count"],
      [{ kind: "PCA", params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: null } } }, "BAD_USER_INPUT", "params.y.count"],
      [{ kind: "LINE", params: { x: { min: 1, max: -1, count: 5 } } }, "BAD_USER_INPUT", "params"],
      [{ kind: "LINE", params: { x: { min: -1, max: 1, count: 1000 } } }, "BAD_USER_INPUT", "params"],
      [{ kind: "INTERPOLATION", params: { x: { min: 0, max: 1, count: 5 } } }, "BAD_USER_INPUT", "modelBId"],
      [{ kind: "PCA", params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 } } }, "BAD_USER_INPUT", "modelId"],
      [{ kind: "PCA", params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 }, fitPath: false, equalAspect: true } }, "BAD_USER_INPUT", "params.equalAspect"],
      [{ kind: "PLANE", params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 }, equalAspect: true } }, "BAD_USER_INPUT", "params.equalAspect"],
      [{ kind: "LINE", modelId: "00000000-0000-0000-0000-000000000000", params: { x: { min: -1, max: 1, count: 5 } } }, "NOT_FOUND", ""],
      [{ kind: "LINE", params: { x: { min: -1, max: 1, count: 5 }, samples: 1000 } }, "BAD_USER_INPUT", "params.samples"],
    ];
    for (const [input, code, field] of cases) {
      const result = await create(input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      expect(result.error.code).toBe(code);
      if (field) expect(result.error.field).toBe(field);
    }
  });

  it("cancels and deletes a surface, leaving nothing in storage", async () => {
    const big = await create({ kind: "PLANE", params: { x: { min: -1, max: 1, count: 41 }, y: { min: -1, max: 1, count: 41 } } });
    const cancelled = await client.data(`mutation ($id: ID!) { cancelSurface(id: $id) { ok error { code } surface { status } } }`, { id: big.surface.id });
    expect(cancelled.cancelSurface).toMatchObject({ ok: true, surface: { status: "CANCELLED" } });
    const again = await client.data(`mutation ($id: ID!) { cancelSurface(id: $id) { ok error { code } } }`, { id: big.surface.id });
    expect(again.cancelSurface.error.code).toBe("BAD_USER_INPUT");
    const deleted = await client.data(`mutation ($id: ID!) { deleteSurface(id: $id) { ok deletedId } }`, { id: big.surface.id });
    expect(deleted.deleteSurface.ok).toBe(true);
    expect(await api.platform.store.list(`projects/${projectId}/surfaces/${big.surface.id}/`)).toEqual([]);
    const gone = await client.request(`query ($id: ID!) { surface(id: $id) { id } }`, { id: big.surface.id });
    expect(gone.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("annotations: editors pin, edit and delete notes; viewers read them", async () => {
    const line = await create({ kind: "LINE", params: { x: { min: -1, max: 1, count: 5 } } });
    const id = line.surface.id;
    const added = await client.data(
      `mutation ($input: AddAnnotationInput!) { addAnnotation(input: $input) { ok error { code field } annotation { id label kind author { email } } } }`,
      { input: { surfaceId: id, x: 0.25, y: 0, kind: "MINIMUM", label: "flat basin", body: "wide" } },
    );
    expect(added.addAnnotation).toMatchObject({ ok: true, annotation: { label: "flat basin", kind: "MINIMUM", author: { email: "surfer@example.org" } } });
    const outside = await client.data(`mutation ($input: AddAnnotationInput!) { addAnnotation(input: $input) { ok error { code field } } }`, {
      input: { surfaceId: id, x: 5, y: 0, kind: "NOTE", label: "far away" },
    });
    expect(outside.addAnnotation.error).toMatchObject({ code: "BAD_USER_INPUT", field: "x" });

    const viewer = new TestClient(api.url);
    await viewer.signUp("watcher@example.org");
    const invited = await client.data(`mutation ($p: ID!) { inviteProjectMember(projectId: $p, email: "watcher@example.org", role: VIEWER) { invitation { id } } }`, { p: projectId });
    await viewer.verifyEmail("watcher@example.org");
    await viewer.data(`mutation ($id: ID!) { acceptInvitation(id: $id) { ok } }`, { id: invited.inviteProjectMember.invitation.id });
    // The viewer reads the notes, with their author's name but not the author's email.
    const seen = await viewer.data(`query ($id: ID!) { surface(id: $id) { annotations(first: 10) { nodes { label body author { name email } } } } }`, { id });
    expect(seen.surface.annotations.nodes).toEqual([{ label: "flat basin", body: "wide", author: { name: "surfer", email: null } }]);
    const denied = await viewer.data(`mutation ($a: ID!) { updateAnnotation(input: { id: $a, label: "mine" }) { ok error { code } } }`, { a: added.addAnnotation.annotation.id });
    expect(denied.updateAnnotation.error.code).toBe("FORBIDDEN");

    const edited = await client.data(`mutation ($a: ID!) { updateAnnotation(input: { id: $a, label: "sharper", kind: SADDLE }) { ok annotation { label kind body } } }`, {
      a: added.addAnnotation.annotation.id,
    });
    expect(edited.updateAnnotation.annotation).toEqual({ label: "sharper", kind: "SADDLE", body: "wide" });
    const removed = await client.data(`mutation ($a: ID!) { deleteAnnotation(id: $a) { ok } }`, { a: added.addAnnotation.annotation.id });
    expect(removed.deleteAnnotation.ok).toBe(true);
  });

  it("gallery: filters, pagination, thumbnails; compare on a shared range", async () => {
    for (const node of (await client.data(`{ gallery(first: 50) { nodes { id status } } }`)).gallery.nodes) {
      if (node.status === "QUEUED" || node.status === "RUNNING") await waitFor(node.id);
    }
    const tagged = await client.data(`{ gallery(first: 10, filter: { tag: "demo" }) { nodes { name tags status } } }`);
    expect(tagged.gallery.nodes.map((n: { name: string }) => n.name)).toEqual(["plane 9x7"]);
    const lines = await client.data(`{ gallery(first: 50, filter: { kind: LINE }) { nodes { kind } } }`);
    expect(lines.gallery.nodes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(lines.gallery.nodes.map((n: { kind: string }) => n.kind))).toEqual(new Set(["LINE"]));

    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: any = await client.data(`query ($after: String) { gallery(first: 2, after: $after) { nodes { id name } pageInfo { endCursor hasNextPage } } }`, { after });
      names.push(...page.gallery.nodes.map((n: { id: string }) => n.id));
      if (!page.gallery.pageInfo.hasNextPage) break;
      after = page.gallery.pageInfo.endCursor;
    }
    expect(new Set(names).size).toBe(names.length);

    // A stranger sees nothing of this private project.
    const stranger = new TestClient(api.url);
    await stranger.signUp("stranger@example.org");
    expect((await stranger.data(`{ gallery(first: 10) { nodes { id } } }`)).gallery.nodes).toEqual([]);

    const ready = (await client.data(`{ gallery(first: 10, filter: { status: READY, kind: LINE }) { nodes { id statistics { loss { min max } } } } }`)).gallery.nodes;
    expect(ready.length).toBeGreaterThanOrEqual(2);
    const comparison = (await client.data(`query ($ids: [ID!]!) { compare(ids: $ids) { min max sameGrid surfaces { id } } }`, { ids: [ready[0].id, ready[1].id] })).compare;
    expect(comparison.min).toBeCloseTo(Math.min(ready[0].statistics.loss.min, ready[1].statistics.loss.min), 6);
    expect(comparison.max).toBeCloseTo(Math.max(ready[0].statistics.loss.max, ready[1].statistics.loss.max), 6);
    const one = await client.request(`query ($ids: [ID!]!) { compare(ids: $ids) { min } }`, { ids: [ready[0].id] });
    expect(one.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
