/**
 * Eigen-ratio maps in the web app, end to end in headless Chromium against the real stack: a small
 * MLP trained on Iris, a random plane of it, then the curvature map of that plane started from the
 * plane's page (its cost stated first), drawn as three heatmaps over the plane's loss contours, and
 * beside the plane in the compare view. Screenshots go to test-output/eigen-ratio-*.png; their
 * pixels must show drawn plots.
 */
import fs from "node:fs/promises";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, screenshots, watchedPage, signUpWithProject, pageGraphql as gql } from "./support/browser.js";
import { downloadFrom } from "./support/figures.js";
import { expectGridColours, spreadCells } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir, waitFor } from "./support/stack.js";

const shoot = screenshots("eigen-ratio");

const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => waitFor(what, 180_000, probe);

/** The three maps in the order the page shows them, with their colour maps (EigenRatioMaps.tsx). */
const MAPS = [["LAMBDA_MAX", "viridis"], ["LAMBDA_MIN", "coolwarm"], ["RATIO", "magma"]] as const;

/**
 * Each map's cells have the colours of the map's own values on the colour bar beside it: a blank
 * canvas, or values or scales mixed up between the maps, fail.
 */
async function expectMapsShowValues(page: Page, figures: Locator, mapId: string, metrics: readonly (typeof MAPS)[number][] = MAPS, first = 0): Promise<void> {
  for (const [k, [metric, map]] of metrics.entries()) {
    const figure = figures.nth(first + k);
    const values = (await gql(page, `query ($id: ID!, $m: Metric!) { surface(id: $id) { values(metric: $m) } }`, { id: mapId, m: metric })).surface.values as number[][];
    await expectGridColours(page, figure.getByTestId("plot-2d"), values, spreadCells(values), { map, colourBar: figure.getByTestId("colour-bar") });
  }
}

describe("eigen-ratio maps in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1" }), launchBrowser({ width: 1400, height: 1000 })]);
    ({ page, problems } = await watchedPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("starts a plane's curvature map from its page and shows it over the plane's contours and in compare", async () => {
    await signUpWithProject(page, stack.runtime.url, "Curvature maps");
    const projectId = page.url().split("/projects/")[1]!;
    await page.getByRole("button", { name: "Add Iris" }).click();
    await page.getByText("Iris added.").waitFor();
    const datasetId = (await gql(page, `query ($id: ID!) { datasets(projectId: $id, first: 5) { nodes { id } } }`, { id: projectId })).datasets.nodes[0].id;
    const started = (await gql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
      input: { projectId, datasetId, name: "iris mlp", architecture: { kind: "MLP", depth: 2, width: 16 }, options: { epochs: 12, batchSize: 16, learningRate: 0.05, optimizer: "ADAM" } },
    })).startTraining;
    expect(started.ok, started.error?.message).toBe(true);
    const modelId = await until("training", async () => {
      const run = (await gql(page, `query ($id: ID!) { trainingRun(id: $id) { status modelId errorMessage } }`, { id: started.run.id })).trainingRun;
      if (run.status === "FAILED") throw new Error(run.errorMessage);
      return run.status === "READY" ? (run.modelId as string) : undefined;
    });
    const plane = (await gql(page, `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
      input: { projectId, kind: "PLANE", modelId, datasetId, name: "iris plane", params: { x: { min: -1, max: 1, count: 15 }, y: { min: -1, max: 1, count: 15 } } },
    })).createSurface;
    expect(plane.ok, plane.error?.message).toBe(true);
    await until("the plane", async () => ((await gql(page, `query ($id: ID!) { surface(id: $id) { status } }`, { id: plane.surface.id })).surface.status === "READY" ? true : undefined));

    // The plane's page offers its curvature map, with the cost stated before it starts.
    await page.goto(`${stack.runtime.url}/surfaces/${plane.surface.id}`);
    const form = page.getByRole("form", { name: "Curvature map of this plane" });
    await form.waitFor();
    await form.getByLabel("Points per axis").fill("7");
    await form.getByLabel("Samples").fill("150");
    await form.getByText(/^At most 3,920 Hessian-vector products \(49 points × up to 80 Lanczos steps; each point stops once it converges\), each four gradients over 150 samples; no speed measured/).waitFor();
    await form.getByRole("button", { name: "Compute curvature map" }).click();
    await page.getByRole("heading", { name: "Curvature of iris plane" }).waitFor();
    const mapId = page.url().split("/surfaces/")[1]!;
    await page.getByTestId("eigen-ratio-summary").waitFor({ timeout: 180_000 });
    const summary = (await page.getByTestId("eigen-ratio-summary").textContent())!;
    const mean = (await gql(page, `query ($id: ID!) { surface(id: $id) { statistics { ratio { mean } } } }`, { id: mapId })).surface.statistics.ratio.mean;
    const shown = Number(/Mean \|λmin\/λmax\| = ([\d.e+-]+)/.exec(summary)?.[1]);
    expect(Math.abs(shown - mean)).toBeLessThanOrEqual(0.01 * Math.abs(mean) + 1e-3);
    const maps = page.getByTestId("eigen-ratio-maps");
    await maps.locator("canvas").first().waitFor();
    expect(await maps.locator("canvas").count()).toBe(3);
    await page.getByLabel("Loss contours of the plane").waitFor();
    await expectMapsShowValues(page, maps.locator("figure"), mapId);
    for (const [k, name] of ["lambda-max", "lambda-min", "ratio"].entries()) await shoot(maps.locator("figure").nth(k), name);
    // The legend line says whether every point met the tolerance within 80 steps, or how many did not.
    const first = (await gql(page, `query ($id: ID!) { surface(id: $id) { statistics { unconvergedPoints } } }`, { id: mapId })).surface.statistics.unconvergedPoints;
    await page.getByTestId("hatching-legend").getByText(first === 0 ? "Every point converged (λmax and λmin within tolerance)." : new RegExp(`^Hatched: ${first} of 49 points`)).waitFor();
    await shoot(page, "page");

    // The same grid capped below what some points took: Lanczos runs the same steps from the same
    // start, so exactly the points that took more than the cap stop there unconverged, hatched and counted.
    const stepsTaken = ((await gql(page, `query ($id: ID!) { surface(id: $id) { values(metric: LANCZOS_STEPS) } }`, { id: mapId })).surface.values as number[][]).flat();
    const sorted = [...stepsTaken].sort((x, y) => x - y);
    const cap = sorted[0]! < sorted[sorted.length - 1]! ? sorted[Math.floor(sorted.length / 2)]! : 3;
    const over = stepsTaken.filter((n) => n > cap).length;
    const capped = (await gql(page, `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
      input: { projectId, kind: "EIGEN_RATIO", modelId, datasetId, name: "capped curvature", params: { x: { min: -1, max: 1, count: 7 }, y: { min: -1, max: 1, count: 7 }, samples: 150, lanczosSteps: cap, directionsFrom: plane.surface.id } },
    })).createSurface;
    expect(capped.ok, capped.error?.message).toBe(true);
    await page.goto(`${stack.runtime.url}/surfaces/${capped.surface.id}`);
    const legend = page.getByTestId("hatching-legend");
    await page.getByTestId("eigen-ratio-summary").waitFor({ timeout: 180_000 });
    const unconverged = (await gql(page, `query ($id: ID!) { surface(id: $id) { statistics { unconvergedPoints } } }`, { id: capped.surface.id })).surface.statistics.unconvergedPoints;
    expect(unconverged).toBe(cap === 3 ? 49 : over);
    expect(unconverged).toBeGreaterThan(0);
    await legend.getByText(new RegExp(`^Hatched: ${unconverged} of 49 points reached ${cap} Lanczos steps before λmax and λmin converged`)).waitFor();
    await expectMapsShowValues(page, page.getByTestId("eigen-ratio-maps").locator("figure"), capped.surface.id, [MAPS[2]], 2);
    await shoot(page.getByTestId("eigen-ratio-maps").locator("figure").nth(2), "unconverged-ratio");
    await shoot(page, "unconverged-page");

    // A second map of the model now states its time from the speed just measured.
    await page.goto(`${stack.runtime.url}/surfaces/${plane.surface.id}`);
    await form.getByText(/about \d+ (s|min) on one worker at the speed measured on this model's last eigen-ratio map/).waitFor();
    // The new-surface form offers the kind too, small by default, its cost stated the same way.
    await page.goto(`${stack.runtime.url}/projects/${projectId}/new-surface`);
    await page.getByLabel("Kind").selectOption("EIGEN_RATIO");
    expect(await page.getByLabel("a points").inputValue()).toBe("7");
    await page.getByTestId("estimate").getByText(/At most 3,920 Hessian-vector products \(49 points × up to 80 Lanczos steps; each point stops once it converges, about [\d,]+ expected from this model's last map\).*about \d+ (s|min) on one worker/).waitFor();

    // Beside the plane in the compare view: the ratio heatmap over the plane's contours.
    await page.goto(`${stack.runtime.url}/compare?ids=${plane.surface.id},${mapId}`);
    const cell = page.getByTestId("compare-eigen-ratio");
    await cell.locator("canvas").waitFor();
    await expectMapsShowValues(page, page.getByTestId("compare-eigen-ratio"), mapId, [MAPS[2]]);
    await shoot(cell, "compare-cell");
    await shoot(page, "compare");

    // Two maps side by side: one colour scale for both (one colour bar, which says so), each map's
    // cells in that bar's colours of its own values; "Each panel on its own scale" gives each its own.
    await page.goto(`${stack.runtime.url}/compare?ids=${mapId},${capped.surface.id}`);
    const cells = page.getByTestId("compare-eigen-ratio");
    await expect.poll(() => cells.locator("canvas").count()).toBe(2);
    expect(await page.getByTestId("colour-bar").count()).toBe(1);
    expect(await cells.nth(0).getByTestId("colour-bar").getAttribute("aria-label")).toMatch(/one scale for every map/);
    for (const [k, id] of [mapId, capped.surface.id].entries()) {
      const values = (await gql(page, `query ($id: ID!) { surface(id: $id) { values(metric: RATIO) } }`, { id })).surface.values as number[][];
      await expectGridColours(page, cells.nth(k).getByTestId("plot-2d"), values, spreadCells(values), { map: "magma", colourBar: cells.nth(0).getByTestId("colour-bar") });
    }
    await shoot(page, "compare-shared-scale");
    // The exported figure reads as the page does: one ratio scale, its bar after the last map.
    const exported = async () => {
      await page.getByRole("button", { name: "Export figure…" }).click();
      const dialog = page.getByTestId("export-dialog");
      await dialog.getByRole("button", { name: "SVG", exact: true }).click();
      await dialog.getByTestId("export-preview").waitFor();
      const svg = (await downloadFrom(page, "Download SVG")).body.toString("utf8");
      await dialog.getByRole("button", { name: "Close the export dialog" }).click();
      return { panels: svg.match(/<g class="panel"/g)?.length ?? 0, bars: [...svg.matchAll(/<g class="colour-bar" data-bar="([^"]+)"/g)].map((m) => m[1]) };
    };
    expect(await exported()).toEqual({ panels: 2, bars: ["bar-1"] });
    await page.getByLabel("Each panel on its own scale").check();
    await expect.poll(() => page.getByTestId("colour-bar").count()).toBe(2);
    expect(await exported()).toEqual({ panels: 2, bars: ["bar-0", "bar-1"] });
    expect(problems).toEqual([]);
  });
});
