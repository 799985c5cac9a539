/**
 * The figures a researcher would put in a paper, in headless Chromium against the real stack, each
 * compared with its committed baseline (tests/baselines/, `npm run test:update-screenshots`):
 * the demo's skip-connection comparison (the same experiment, size and seed as the demo, on MNIST
 * digits) as contours and in 3D with default settings, where both surfaces must show their basin;
 * a PCA plane that holds its whole optimizer path; a 1D slice with axis titles; an Iris plane with
 * only its significant critical points. Then the exports: a PNG that is opaque, twice the plot's
 * size, with a title and a colour bar; SVG, VTP and glTF files read back.
 */
import fs from "node:fs/promises";
import type { Locator, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, watchedPage, pageGraphql as gql } from "./support/browser.js";
import { BASELINES, compareWithBaseline, matchBaseline } from "./support/baseline.js";
import { drawn } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";


/** Polls `check` every half second until it returns a value, or fails after `ms`. */
async function until<T>(what: string, check: () => Promise<T | null>, ms = 600_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A picture of a plot once it says it has drawn its data, and the page has shown that frame. */
async function picture(page: Page, target: Locator): Promise<Buffer> {
  await drawn(target);
  // Two animation frames in the page (its globals are the browser's, not this process's).
  await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
  return target.screenshot();
}

/** Share of a picture's pixels in the dark purple of viridis's low end: a basin, drawn. */
function basinShare(png: Buffer): number {
  const image = PNG.sync.read(png);
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
    if (r >= 55 && r <= 85 && g <= 60 && b >= 75 && b <= 140) dark++;
  }
  return dark / (image.width * image.height);
}

describe("figures for a paper", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];
  let projectId = "";
  let irisPlane = "";

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1", DEMO_PROJECT: "false" }), launchBrowser({ width: 1400, height: 900 })]);
    ({ page, problems } = await watchedPage(browser));
    await page.goto(stack.runtime.url);
    await gql(page, `mutation ($input: SignUpInput!) { signUp(input: $input) { ok } }`, { input: { email: "figures@example.org", name: "Figures", password: "correct horse battery" } });
    projectId = (await gql(page, `mutation { createProject(input: { name: "Figures" }) { project { id } } }`)).createProject.project.id;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("the demo's skip-connection comparison shows both basins with default settings, as contours and in 3D", async () => {
    const mnist = (await gql(page, `mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const started = (await gql(page, `mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok experiment { id } } }`, {
      input: { projectId, datasetId: mnist, kind: "SKIP", size: "SMALL" },
    })).startExperiment;
    expect(started.ok).toBe(true);
    const experiment = await until("the skip experiment", async () => {
      const e = (await gql(page, `query ($id: ID!) { experiment(id: $id) { id status caption surfaces { id statistics { loss { min max } } } } }`, { id: started.experiment.id })).experiment;
      expect(e.status).not.toBe("FAILED");
      return e.status === "READY" ? e : null;
    });
    expect(experiment.caption).toMatch(/Measured .*without skip connections: non-convexity/);
    const ids = experiment.surfaces.map((s: { id: string }) => s.id).join(",");

    await page.goto(`${stack.runtime.url}/compare?ids=${ids}&experiment=${experiment.id}`);
    const plots = page.getByTestId("plot-2d");
    await plots.nth(1).waitFor({ timeout: 60_000 });
    // The default scale is capped, and says so next to the colour bar.
    await page.getByTestId("cap-note").waitFor();
    for (const [k, side] of [[0, "without"], [1, "with"]] as const) {
      const png = await picture(page, plots.nth(k));
      expect(basinShare(png)).toBeGreaterThan(0.01);
      await matchBaseline(png, `skip-contours-${side}`);
    }
    await page.getByRole("button", { name: "3D" }).click();
    const meshes = page.getByTestId("plot-3d");
    await meshes.nth(1).waitFor();
    for (const [k, side] of [[0, "without"], [1, "with"]] as const) {
      const png = await picture(page, meshes.nth(k));
      expect(basinShare(png)).toBeGreaterThan(0.002);
      await matchBaseline(png, `skip-3d-${side}`);
    }
    await matchBaseline(await page.screenshot(), "skip-compare-3d-page", 0.03);
  }, 900_000);

  it("a PCA plane of a training run holds its whole path; a slice has axis titles; an Iris plane shows only significant points", async () => {
    const iris = (await gql(page, `mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    // The README's example run: it learns (97% on Iris) in 600 steps.
    const run = (await gql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok run { id } } }`, {
      input: { projectId, datasetId: iris, name: "iris-mlp", architecture: { kind: "MLP", depth: 2, width: 16 }, options: { optimizer: "ADAM", learningRate: 0.01, batchSize: 16, epochs: 60, seed: 3, checkpointEvery: 50 } },
    })).startTraining;
    expect(run.ok).toBe(true);
    const modelId = await until("the training run", async () => {
      const r = (await gql(page, `query ($id: ID!) { trainingRun(id: $id) { status modelId } }`, { id: run.run.id })).trainingRun;
      expect(r.status).not.toBe("FAILED");
      expect(r.status).not.toBe("CANCELLED");
      return r.status === "READY" ? (r.modelId as string) : null;
    });
    const create = async (kind: string, params: Record<string, unknown>, name: string) => {
      const created = (await gql(page, `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId: iris, kind, name, params },
      })).createSurface;
      expect(created.error).toBeNull();
      return created.surface.id as string;
    };
    const pca = await create("PCA", { x: { min: -1, max: 1, count: 31 }, y: { min: -1, max: 1, count: 31 }, fitPath: true }, "Iris MLP: its path on the PCA plane");
    irisPlane = await create("PLANE", { x: { min: -1, max: 1, count: 41 }, y: { min: -1, max: 1, count: 41 }, seed: 1 }, "Iris MLP: random plane");
    const line = await create("LINE", { x: { min: -1, max: 1, count: 51 }, seed: 1 }, "Iris MLP: random slice");
    const otherLine = await create("LINE", { x: { min: -1, max: 1, count: 51 }, seed: 2 }, "Iris MLP: another slice");
    for (const id of [pca, irisPlane, line, otherLine]) {
      await until(`surface ${id}`, async () => {
        const s = (await gql(page, `query ($id: ID!) { surface(id: $id) { status } }`, { id })).surface;
        expect(s.status).not.toBe("FAILED");
        return s.status === "READY" ? true : null;
      });
    }

    // The PCA plane's grid holds every checkpoint of the path.
    const plane = (await gql(page, `query ($id: ID!) { surface(id: $id) { xs ys path { x y } } }`, { id: pca })).surface;
    expect(plane.path.length).toBeGreaterThanOrEqual(5);
    for (const p of plane.path) {
      expect(p.x).toBeGreaterThan(plane.xs[0]);
      expect(p.x).toBeLessThan(plane.xs.at(-1));
      expect(p.y).toBeGreaterThan(plane.ys[0]);
      expect(p.y).toBeLessThan(plane.ys.at(-1));
    }
    await page.goto(`${stack.runtime.url}/surfaces/${pca}`);
    await matchBaseline(await picture(page, page.getByTestId("plot-2d")), "pca-plane-path");
    // In 3D the path lies on the surface too, and the axis titles stand apart from the ticks.
    await page.goto(`${stack.runtime.url}/surfaces/${pca}?view=3d`);
    const pca3d = page.getByTestId("plot-3d");
    await matchBaseline(await picture(page, pca3d), "pca-3d-path");
    expect((await pca3d.getAttribute("data-layers"))!.split(" ")).toEqual(expect.arrayContaining(["path-3d", "path-3d-steps"]));
    expect((await page.getByTestId("plot-text").textContent())!.split(" · ")).toEqual(expect.arrayContaining([expect.stringMatching(/^PC1 \(\d+\.\d%\)$/), expect.stringMatching(/^PC2 \(\d+\.\d%\)$/), "Loss"]));

    // A slice: a line plot with loss on the left axis and accuracy on the right, no colour bar.
    await page.goto(`${stack.runtime.url}/surfaces/${line}`);
    await matchBaseline(await picture(page, page.getByTestId("plot-1d")), "slice-1d");
    expect((await page.getByTestId("plot-text").textContent())!.split(" · ")).toEqual(expect.arrayContaining(["Loss", "Accuracy", "0", "0.5", "1", "a"]));
    expect(await page.getByTestId("colour-bar").count()).toBe(0);
    // Two slices compared: on one plot, the first solid and the second dashed, named in the legend.
    await page.goto(`${stack.runtime.url}/compare?ids=${line},${otherLine}`);
    const lines = page.getByTestId("line-comparison");
    await matchBaseline(await picture(page, lines.getByTestId("plot-1d")), "slices-compare-1d");
    expect(await lines.getByTestId("series-legend").locator("li").allTextContents()).toEqual([
      "Iris MLP: random slice: loss (left axis, solid)", "Iris MLP: random slice: accuracy (right axis, solid)",
      "Iris MLP: another slice: loss (left axis, dashed)", "Iris MLP: another slice: accuracy (right axis, dashed)",
    ]);

    // A plane in 3D on a log scale: round ticks ("1.5", "2"), never "1.70181184".
    await page.goto(`${stack.runtime.url}/surfaces/${irisPlane}?view=3d&scale=log`);
    await matchBaseline(await picture(page, page.getByTestId("plot-3d")), "iris-3d-log");
    const logText = (await page.getByTestId("plot-text").textContent())!;
    expect(logText).not.toMatch(/\d\.\d{3,}/);

    // The plane: only points of at least 1% of the loss range, a handful at most, and the slider
    // shows more.
    await page.goto(`${stack.runtime.url}/surfaces/${irisPlane}`);
    const count = page.getByTestId("critical-count");
    await count.waitFor();
    const [shown, all] = ((await count.textContent())!.match(/(\d+) of (\d+) points/) ?? []).slice(1).map(Number) as [number, number];
    expect(shown).toBeGreaterThanOrEqual(1);
    expect(shown).toBeLessThanOrEqual(5);
    expect(all).toBeGreaterThanOrEqual(shown);
    await matchBaseline(await picture(page, page.getByTestId("plot-2d")), "iris-plane-significant");
    await page.getByRole("slider").fill("0");
    await expect.poll(async () => Number((await count.textContent())!.match(/(\d+) of/)![1])).toBe(all);
  }, 600_000);

  it("exports figures: an opaque 2x PNG with title and colour bar, SVG with axes, VTP and glTF of the surface", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${irisPlane}`);
    const plot = page.getByTestId("plot-2d");
    await picture(page, plot);
    const box = (await plot.boundingBox())!;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export PNG" }).click()]);
    const png = PNG.sync.read(await fs.readFile((await download.path())!));
    await fs.copyFile((await download.path())!, "test-output/figures-export.png").catch(() => undefined);
    // Twice the plot's size, plus the title above and the colour bar below.
    expect(png.width).toBeGreaterThanOrEqual(Math.floor(2 * box.width));
    expect(png.height).toBeGreaterThan(2 * box.height + 100);
    let opaque = true;
    for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 255) opaque = false;
    expect(opaque).toBe(true);
    const rowColours = (y0: number, y1: number) => {
      const seen = new Set<number>();
      for (let y = y0; y < y1; y++) for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4;
        seen.add(((png.data[i]! >> 4) << 8) | ((png.data[i + 1]! >> 4) << 4) | (png.data[i + 2]! >> 4));
      }
      return seen;
    };
    // The title: light text on the dark band above the plot (a file: no text to read back, so its
    // band holding more than the background's colour is what shows the title was drawn).
    expect(rowColours(0, 70).size).toBeGreaterThan(4);
    // The colour bar: viridis's purple, teal and yellow in the band below the plot.
    const bar = rowColours(png.height - 110, png.height);
    expect([...bar].some((c) => c === ((68 >> 4) << 8 | (1 >> 4) << 4 | (84 >> 4)) || c === ((72 >> 4) << 8 | (40 >> 4) << 4 | (120 >> 4)))).toBe(true);
    expect([...bar].some((c) => (c >> 8) >= 14 && ((c >> 4) & 15) >= 13 && (c & 15) <= 4)).toBe(true);

    const text = async (button: string) => {
      const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
      return { name: file.suggestedFilename(), body: await fs.readFile((await file.path())!) };
    };
    const svg = await text("Export SVG");
    expect(svg.name).toMatch(/\.svg$/);
    const svgText = svg.body.toString("utf8");
    expect(svgText).toMatch(/^<\?xml/);
    expect(svgText).toContain(`<g id="x-axis">`);
    expect(svgText).toContain(`<g id="colour-bar"`);
    const vtp = await text("Export VTP");
    expect(vtp.body.toString("utf8")).toContain(`NumberOfPoints="${41 * 41}"`);
    const glb = await text("Export glTF");
    expect(glb.name).toMatch(/\.glb$/);
    expect(glb.body.readUInt32LE(0)).toBe(0x46546c67);
    expect(glb.body.readUInt32LE(8)).toBe(glb.body.length);
    expect(problems).toEqual([]);
  });

  it("a picture that lost its plot fails the comparison", async () => {
    const base = PNG.sync.read(await fs.readFile(`${BASELINES}/iris-plane-significant.png`));
    const blank = new PNG({ width: base.width, height: base.height });
    blank.data.fill(0);
    for (let i = 3; i < blank.data.length; i += 4) blank.data[i] = 255;
    await expect(compareWithBaseline(PNG.sync.write(blank), "iris-plane-significant")).rejects.toThrow(/differ from the baseline/);
  });
});
