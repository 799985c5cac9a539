/**
 * First start: a new data folder gets a public, read-only demo project whose experiments train and
 * compute in the background on real built-in data (here at the small size), visible to everyone.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { until, untilDefined } from "../server/src/testing/wait.js";
import { launchBrowser, screenshots, watchedPage } from "./support/browser.js";
import { expectGridColours, spreadCells } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("demo");

const EXPERIMENTS = `query ($p: ID!) { experiments(projectId: $p, first: 10) { nodes { id name kind status caption runs { status role } surfaces { status kind xs ys path { step x y distance fromFinal } statistics { nonConvexity basinWidth loss { min max } } } } } }`;

describe("the demo project", () => {
  let stack: RunningStack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    stack = await startStack(dataDir, { DEMO_PROJECT: "true", DEMO_SIZE: "small" });
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("is computed in the background, visible to everyone, read-only, and created once", async () => {
    const anonymous = new TestClient(stack.runtime.url);
    const projectId = await untilDefined(
      "the demo in the gallery",
      async () => (await anonymous.data(`{ gallery(first: 1) { nodes { projectId } } }`)).gallery.nodes[0]?.projectId as string | undefined,
      { timeoutMs: 300_000, intervalMs: 500 },
    );
    const project = (await anonymous.data(`query ($id: ID!) { project(id: $id) { name visibility myRole } }`, { id: projectId })).project;
    expect(project).toEqual({ name: "Loss Atlas demo", visibility: "PUBLIC", myRole: "PUBLIC" });

    const experiments: any[] = await until(
      "the demo's nine experiments to finish",
      async () => (await anonymous.data(EXPERIMENTS, { p: projectId })).experiments.nodes as any[],
      (nodes) => nodes.length === 9 && nodes.every((e) => e.status === "READY" || e.status === "FAILED"),
      { timeoutMs: 600_000, intervalMs: 500 },
    );
    expect(experiments.map((e) => [e.kind, e.status]).sort()).toEqual([
      ["BATCH", "READY"],
      ["CONNECTIVITY", "READY"],
      ["DEPTH", "READY"],
      ["NORMALIZATION", "READY"],
      ["OVER_TRAINING", "READY"],
      ["SKIP", "READY"],
      ["TRAJECTORY", "READY"],
      ["WEIGHT_DECAY", "READY"],
      ["WIDTH", "READY"],
    ]);
    const skip = experiments.find((e) => e.kind === "SKIP");
    expect(skip.runs.map((r: { role: string }) => r.role)).toEqual(["without skip connections", "with skip connections"]);
    // The paper's finding, by a stated measure: the mean |lambda_min/lambda_max| of each surface's
    // own 2x2 finite-difference Hessian (0 where locally convex) is larger without skip
    // connections. One seed and one small configuration (4 hidden layers of 16, 300 digits,
    // 11x11 grid); at 10 layers of 32 on 2,000 digits the gap measured 0.062 vs 0.0075.
    const [without, withSkips] = skip.surfaces.map((surface: { statistics: { nonConvexity: number } }) => surface.statistics.nonConvexity);
    expect(without).toBeGreaterThan(withSkips);
    const trajectory = experiments.find((e) => e.kind === "TRAJECTORY");
    expect(trajectory.surfaces[0].kind).toBe("PCA");
    expect(trajectory.surfaces[0].path.length).toBeGreaterThanOrEqual(3);
    // The PCA plane holds its whole path (its ranges are fitted to it).
    const pca = trajectory.surfaces[0] as { xs: number[]; ys: number[]; path: { x: number; y: number; distance: number; fromFinal: number }[] };
    for (const p of pca.path) {
      expect(p.x).toBeGreaterThan(pca.xs[0]!);
      expect(p.x).toBeLessThan(pca.xs.at(-1)!);
      expect(p.y).toBeGreaterThan(pca.ys[0]!);
      expect(p.y).toBeLessThan(pca.ys.at(-1)!);
    }
    // Its caption states how far the path lies off the plane, from the path's own distances: the
    // farthest any checkpoint lies off it, as a share of the farthest any lies from the final model.
    const extent = Math.max(...pca.path.map((p) => p.fromFinal));
    const farthest = Math.max(...pca.path.map((p) => p.distance));
    expect(trajectory.caption).toContain(`No checkpoint lies farther off the plane than ${Number(((farthest / extent) * 100).toPrecision(3))}% of the path's extent`);
    // The landscape over training: a plane and the same plane around each checkpoint.
    const overTraining = experiments.find((e) => e.kind === "OVER_TRAINING");
    expect(overTraining.surfaces.length).toBeGreaterThanOrEqual(6);
    // Every experiment trains its own models: no two experiments' planes are the same surface.
    // (Eigen-ratio maps hold no loss, and slices and interpolations share their centre with a
    // plane: planes only. One experiment's two planes of one model, without and with filter
    // normalization, share their centre and can share a saturated maximum: compared across
    // experiments only.)
    const planeKeys = experiments.map(
      (e) =>
        new Set<string>(
          (e.kind === "OVER_TRAINING" ? e.surfaces.slice(0, 1) : e.surfaces)
            .filter((surface: { kind: string }) => surface.kind === "PLANE" || surface.kind === "PCA")
            .map((surface: { statistics: { loss: { min: number; max: number } } }) => `${surface.statistics.loss.min}:${surface.statistics.loss.max}`),
        ),
    );
    const keys = planeKeys.flatMap((set) => [...set]);
    expect(new Set(keys).size).toBe(keys.length);
    // Captions state what their surfaces measured.
    for (const e of experiments) expect(e.caption).toMatch(/Measured/);
    // Mode connectivity: both barriers, the line's and the trained curve's, are stated.
    const connectivity = experiments.find((e) => e.kind === "CONNECTIVITY");
    expect(connectivity.caption).toMatch(/along the straight line from A to B the loss barrier is [\d.]+ .*along the trained curve the loss barrier is [\d.]+/);
    expect(skip.caption).toContain(`without skip connections: non-convexity`);
    // The skip comparison also maps each side's Hessian eigen ratio, and its caption reports the means.
    expect(skip.surfaces.map((surface: { kind: string }) => surface.kind)).toEqual(["PLANE", "PLANE", "EIGEN_RATIO", "EIGEN_RATIO"]);
    expect(skip.caption).toMatch(/mean \|λmin\/λmax\| over the plane, 0 where it is convex\): without skip connections: [\d.e-]+; with skip connections: [\d.e-]+/);

    // The gallery opens on the pair of planes, without and with shortcuts, whose non-convexity
    // differs most, by their own measurements.
    const pairs = experiments
      .filter((e) => ["SKIP", "DEPTH", "WIDTH"].includes(e.kind))
      .flatMap((e) => {
        const planes = e.surfaces.filter((surface: { kind: string }) => surface.kind === "PLANE");
        return planes.flatMap((a: any, k: number) => (k % 2 === 0 ? [{ name: e.name as string, contrast: a.statistics.nonConvexity - planes[k + 1].statistics.nonConvexity }] : []));
      });
    const best = pairs.reduce((a, b) => (b.contrast > a.contrast ? b : a));
    const featured = (await anonymous.data(`{ featuredComparison { contrast experiment { name } surfaces { id } } }`)).featuredComparison;
    if (best.contrast > 0) {
      expect(featured).toMatchObject({ experiment: { name: best.name } });
      expect(featured.contrast).toBeCloseTo(best.contrast, 12);
      const browser = await launchBrowser({ width: 1280, height: 900 });
      try {
        const { page, problems } = await watchedPage(browser);
        await page.goto(`${stack.runtime.url}/gallery`);
        const box = page.getByRole("region", { name: `Featured: ${best.name}` });
        // Both planes drawn as the compare view draws them: each cell in the colour of its value on
        // the one colour bar the pair shares.
        await expect.poll(async () => box.getByTestId("plot-2d").count(), { timeout: 30_000 }).toBe(2);
        expect(await box.getByTestId("colour-bar").count()).toBe(1);
        for (const [k, { id }] of (featured.surfaces as { id: string }[]).entries()) {
          const values = (await anonymous.data(`query ($id: ID!) { surface(id: $id) { values(metric: LOSS) } }`, { id })).surface.values as number[][];
          await expectGridColours(page, box.getByTestId("plot-2d").nth(k), values, spreadCells(values), { colourBar: box.getByTestId("colour-bar") });
        }
        await shoot(page, "gallery-featured");
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    } else {
      expect(featured).toBeNull();
    }

    // Signed-in users may look but not change it.
    const visitor = new TestClient(stack.runtime.url);
    await visitor.signUp("visitor@example.org");
    const denied = await visitor.data(`mutation ($id: ID!) { updateProject(input: { id: $id, name: "mine" }) { ok error { code } } }`, { id: projectId });
    expect(denied.updateProject.error.code).toBe("FORBIDDEN");

    // A second start on the same data folder does not queue it again.
    expect(await stack.stop()).toBe(0);
    stack = await startStack(dataDir, { DEMO_PROJECT: "true", DEMO_SIZE: "small" });
    const again = (await new TestClient(stack.runtime.url).data(`query ($p: ID!) { experiments(projectId: $p, first: 10) { nodes { kind } } }`, { p: projectId })).experiments.nodes;
    expect(again).toHaveLength(9);
  });
});
