/**
 * Training and experiments in the web app, end to end in headless Chromium against the real
 * stack: sign up, add Iris, train a small MLP through the project page's form and watch its loss
 * curve grow to the last step, make the PCA plane of the run, train the result on from its own
 * weights, then run the skip-connection
 * experiment and open its two surfaces in the compare view under the experiment's caption.
 * Screenshots go to test-output/web-training-*.png; their pixels must show drawn plots.
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, pageGraphql, screenshots, sidewaysOverflow, watchedPage } from "./support/browser.js";
import { allPlotsDrawn, drawn, expectGridColours, expectHeatmapColourUnderPointer, expectLegendSeriesDrawn, spreadCells } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("web-training");

/** The loss values of the two planes the compare page shows (its first two `ids`; their maps follow). */
async function compareValues(page: Page): Promise<number[][][]> {
  const ids = new URL(page.url()).searchParams.get("ids")!.split(",").slice(0, 2);
  const values: number[][][] = [];
  for (const id of ids) values.push((await pageGraphql(page, `query ($id: ID!) { surface(id: $id) { values(metric: LOSS) } }`, { id })).surface.values);
  return values;
}

// Later tests of this suite (the landscape over training, for one) may use the run and the
// experiment made here: `runUrl`, `experimentId` and `projectUrl` stay set for them.
describe("training runs and experiments in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];
  let projectUrl = "";
  let experimentId = "";
  let runUrl = "";

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1" }), launchBrowser()]);
    ({ page, problems } = await watchedPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("trains a small MLP from the project page and draws its loss curve as it grows", async () => {
    await page.goto(`${stack.runtime.url}/signup`);
    await page.getByLabel("Name").fill("Grace");
    await page.getByLabel("Email").fill("grace@example.org");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByLabel("Project name").fill("Training");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("heading", { name: "Training", exact: true }).waitFor();
    projectUrl = page.url();
    await page.getByText("No training runs yet").waitFor();
    await page.getByText("No experiments yet").waitFor();
    await page.getByRole("button", { name: "Add Iris" }).click();
    await page.getByText("Iris added.").waitFor();

    await page.getByText("Train a model", { exact: true }).click();
    const form = page.getByRole("form", { name: "Train a model" });
    // Convolutional TF.js networks need a TensorFlow worker; the form says so where it matters.
    await form.getByLabel("Architecture").selectOption("CNN");
    await form.getByText("TensorFlow worker").waitFor();
    await form.getByLabel("Architecture").selectOption("RESNET");
    await form.getByText("trains on every worker, the WebAssembly one included").waitFor();
    expect(await form.getByText("TensorFlow worker").count()).toBe(0);
    await form.getByLabel("Architecture").selectOption("MLP");
    await form.getByLabel("Hidden layers").fill("2");
    await form.getByLabel("Units per layer").fill("8");
    await form.getByLabel("Epochs").fill("3");
    await form.getByLabel("Checkpoint every N steps").fill("2");
    await form.getByLabel("Run name").fill("small MLP");
    // Iris: 150 samples in batches of 32 (the default) is 5 steps an epoch.
    expect(await page.getByTestId("training-estimate").textContent()).toContain("15 steps");
    await shoot(page, "form");
    await form.getByRole("button", { name: "Start training" }).click();
    await page.waitForURL(/\/training\//);
    runUrl = page.url();
    await page.getByRole("heading", { name: "small MLP" }).waitFor();
    expect(await page.getByText("MLP, 2 hidden layers of 8 units, without skip connections").count()).toBe(1);

    await page.locator(".badge.status-ready").waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId("last-step").textContent()).toContain("step 15 of 15");
    expect(await page.getByRole("progressbar", { name: "Training progress" }).getAttribute("aria-valuenow")).toBe("100");
    expect(await page.getByRole("button", { name: "Cancel" }).count()).toBe(0);
    const curve = page.getByTestId("loss-curve");
    await drawn(curve);
    await shoot(curve, "curve");
    // Every series the legend lists is drawn, in its legend colour.
    expect(await expectLegendSeriesDrawn(curve, await curve.screenshot())).toEqual(expect.arrayContaining([expect.stringContaining("train loss"), expect.stringContaining("train accuracy")]));
    await shoot(page, "run");

    // The trained model, the way on to its surfaces, and back on the project page.
    await page.getByRole("link", { name: "Create another surface of it" }).waitFor();
    await page.getByRole("button", { name: "PCA plane of this run" }).click();
    await page.waitForURL(/\/surfaces\//);
    await page.locator(".badge.status-ready").waitFor({ timeout: 90_000 });
    const plane = page.getByTestId("plot-2d");
    await drawn(plane);
    await shoot(plane, "pca");
    await expectHeatmapColourUnderPointer(page, plane, [0.6, -0.6]);
    // The plane is fitted to the run's path: it spans the plot, every checkpoint inside the grid,
    // and the header names the directions for what they are.
    const surfaceId = page.url().split("/surfaces/")[1]!.split("?")[0]!;
    const fitted = (await pageGraphql(page, `query ($id: ID!) { surface(id: $id) { xs ys path { x y } } }`, { id: surfaceId })).surface as { xs: number[]; ys: number[]; path: { x: number; y: number }[] };
    const width = fitted.xs.at(-1)! - fitted.xs[0]!;
    const pathXs = fitted.path.map((p) => p.x);
    expect((Math.max(...pathXs) - Math.min(...pathXs)) / width).toBeGreaterThan(0.5);
    for (const p of fitted.path) {
      expect(p.x).toBeGreaterThan(fitted.xs[0]!);
      expect(p.x).toBeLessThan(fitted.xs.at(-1)!);
      expect(p.y).toBeGreaterThan(fitted.ys[0]!);
      expect(p.y).toBeLessThan(fitted.ys.at(-1)!);
    }
    await page.getByText(/directions: the first two principal components \(unit vectors\) of the checkpoints/).waitFor();
    expect(await page.getByText(/filter normalization/).count()).toBe(0);
    await shoot(page, "pca-page");

    await page.goto(projectUrl);
    const runs = page.getByRole("table", { name: "Training runs" });
    await runs.getByRole("link", { name: "small MLP" }).waitFor();
    await runs.locator(".badge.status-ready").waitFor();
    expect(await runs.getByText("15 / 15 steps").count()).toBe(1);

    // The trained model is a model of the project: it trains on from its own weights.
    await page.getByText("Train a model", { exact: true }).click();
    const again = page.getByRole("form", { name: "Train a model" });
    await again.getByLabel("Architecture").selectOption("UPLOADED");
    expect(await again.getByLabel("Model to train").locator("option:checked").textContent()).toMatch(/^small MLP/);
    await again.getByLabel("Epochs").fill("1");
    await again.getByLabel("Run name").fill("small MLP, one more epoch");
    await again.getByRole("button", { name: "Start training" }).click();
    await page.waitForURL(/\/training\//);
    await page.getByText("the project's model “small MLP”, trained from its own weights").waitFor();
    await page.locator(".badge.status-ready").waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId("last-step").textContent()).toContain("step 5 of 5");
  }, 300_000);

  it("runs the skip-connection experiment and compares its surfaces under the caption", async () => {
    await page.goto(projectUrl);
    await page.getByText("Run an experiment", { exact: true }).click();
    const form = page.getByRole("form", { name: "Run an experiment" });
    await form.getByLabel("Comparison").selectOption("SKIP");
    await form.getByText("without them the surface turns chaotic").waitFor();
    await form.getByLabel("Size").selectOption("SMALL");
    await form.getByRole("button", { name: "Start experiment" }).click();
    await page.waitForURL(/\/experiments\//);
    experimentId = page.url().split("/experiments/")[1]!.split("?")[0]!;
    await page.getByTestId("experiment-caption").waitFor();
    await page.getByRole("article", { name: "without skip connections" }).waitFor();
    await page.getByRole("article", { name: "with skip connections" }).waitFor();

    // Training both sides, then computing both surfaces: the page polls until they are ready.
    const open = page.getByRole("button", { name: "Open in compare view" });
    await open.waitFor({ timeout: 180_000 });
    for (const [k, curve] of (await page.getByTestId("loss-curve").all()).entries()) {
      await drawn(curve);
      await shoot(curve, `experiment-curve-${k}`);
      await expectLegendSeriesDrawn(curve, await curve.screenshot());
    }
    await shoot(page, "experiment");

    await open.click();
    await page.waitForURL(/\/compare\?ids=.+&experiment=/);
    const caption = page.getByTestId("experiment-caption");
    await caption.waitFor();
    expect(await caption.textContent()).toContain("skip connections");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Skip connections/);
    const titles = page.locator(".compare-cell figcaption .role-title");
    // Both surfaces, then each side's eigen-ratio map over its plane's contours.
    await expect.poll(() => titles.allTextContents()).toEqual([
      "without skip connections",
      "with skip connections",
      "without skip connections: |λmin/λmax|",
      "with skip connections: |λmin/λmax|",
    ]);
    const plots = page.getByTestId("plot-2d");
    await expect.poll(() => plots.count()).toBe(4);
    // Both surfaces' cells have the colours of their values on the one (possibly capped) colour bar.
    const [without, withSkip] = await compareValues(page);
    await expectGridColours(page, plots.nth(0), without!, spreadCells(without!));
    await expectGridColours(page, plots.nth(1), withSkip!, spreadCells(withSkip!));
    await shoot(plots.nth(0), "compare-without");
    await shoot(plots.nth(1), "compare-with");
    // The maps' colours against their values are checked in eigen-ratio-maps.test.ts; here, that
    // each has drawn.
    for (const k of [2, 3]) await drawn(plots.nth(k));
    await shoot(plots.nth(2), "compare-map-without");
    await shoot(plots.nth(3), "compare-map-with");
    await shoot(page, "compare");

    // A view setting keeps the experiment in the address; the link leads back to it.
    await page.getByRole("button", { name: "3D" }).click();
    await page.waitForURL(/experiment=.*view=3d|view=3d.*experiment=/);
    await caption.waitFor();
    await page.getByRole("link", { name: "Back to the experiment" }).click();
    await page.waitForURL(new RegExp(`/experiments/${experimentId}$`));
    await page.getByRole("table", { name: "Surfaces of the experiment" }).waitFor();

    // The project lists the run and the experiment with their statuses.
    await page.goto(projectUrl);
    const experiments = page.getByRole("table", { name: "Experiments" });
    await experiments.locator(".badge.status-ready").waitFor();
    // Two runs of at least 100 steps each: 20 epochs of Iris's 5 batches.
    expect(await experiments.getByText("200 / 200 steps").count()).toBe(1);
    await page.getByRole("heading", { name: "Training runs" }).scrollIntoViewIfNeeded();
    await shoot(page, "project");

    expect(problems).toEqual([]);
  }, 300_000);

  it("runs the depth experiment on MNIST: one row per depth, without shortcuts on the left and with them on the right", async () => {
    const projectId = projectUrl.split("/projects/")[1]!.split(/[?#]/)[0]!;
    const mnist = (await pageGraphql(page, `mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id as string;
    await page.goto(projectUrl);
    await page.getByText("Run an experiment", { exact: true }).click();
    const form = page.getByRole("form", { name: "Run an experiment" });
    await form.getByLabel("Comparison").selectOption("DEPTH");
    await form.getByText("Needs image data (MNIST)").waitFor();
    await form.getByLabel("Data").selectOption(mnist);
    await form.getByLabel("Size").selectOption("SMALL");
    await form.getByRole("button", { name: "Start experiment" }).click();
    await page.waitForURL(/\/experiments\//);
    for (const role of ["ResNet-8-noshort", "ResNet-8", "ResNet-14-noshort", "ResNet-14"]) await page.getByRole("article", { name: role, exact: true }).waitFor();
    expect(await page.getByRole("article", { name: "ResNet-14-noshort", exact: true }).textContent()).toContain("ResNet-14-noshort: 2 blocks per stage, 4 channels in the first stage, no shortcuts (the plain twin), images averaged down by 2");
    const open = page.getByRole("button", { name: "Open in compare view" });
    await open.waitFor({ timeout: 240_000 });
    await shoot(page, "depth-experiment");
    await open.click();
    await page.waitForURL(/\/compare\?ids=.+&experiment=/);
    const titles = page.locator(".compare-cell figcaption .role-title");
    // The planes, then the deepest pair's eigen-ratio maps, titled by their runs.
    await expect.poll(() => titles.allTextContents()).toEqual(["ResNet-8-noshort", "ResNet-8", "ResNet-14-noshort", "ResNet-14", "ResNet-14-noshort: |λmin/λmax|", "ResNet-14: |λmin/λmax|"]);
    const plots = page.getByTestId("plot-2d");
    await expect.poll(() => plots.count()).toBe(6);
    for (let k = 0; k < 6; k++) await drawn(plots.nth(k));
    // Two columns: each row one depth, the plain twin left of its ResNet.
    const boxes = await Promise.all([0, 1, 2, 3].map(async (k) => (await plots.nth(k).boundingBox())!));
    expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(2);
    expect(boxes[0]!.x).toBeLessThan(boxes[1]!.x);
    expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height / 2);
    // The panels are lettered in order, past D.
    await expect.poll(() => page.locator(".compare-cell .panel-letter").allTextContents()).toEqual(["A", "B", "C", "D", "E", "F"]);
    const caption = await page.getByTestId("experiment-caption").textContent();
    expect(caption).toMatch(/ResNet-14-noshort: non-convexity [\d.]+, basin width [\d.]+, lowest loss [\d.]+, \d+ significant local minim/);
    await shoot(page, "depth-compare");
    expect(problems).toEqual([]);
  }, 360_000);

  it("fits a narrow window: no page scrolls sideways, and the plots still draw", async () => {
    const compareUrl = `${stack.runtime.url}/experiments/${experimentId}`;
    await page.setViewportSize({ width: 420, height: 900 });
    const pages: [string, string, string][] = [
      ["project", projectUrl, "Training runs"],
      ["run", runUrl, "Loss curve"],
      ["experiment", compareUrl, "Surfaces"],
    ];
    for (const [name, url, heading] of pages) {
      await page.goto(url);
      await page.getByRole("heading", { name: heading, exact: true }).first().waitFor();
      await allPlotsDrawn(page);
      await shoot(page, `narrow-${name}`);
      const overflow = await sidewaysOverflow(page);
      expect(overflow.pixels, `${name} page is wider than the window: ${overflow.widest.join(", ")}`).toBeLessThanOrEqual(1);
    }
    await page.getByRole("button", { name: "Open in compare view" }).click();
    const plots = page.getByTestId("plot-2d");
    await expect.poll(() => plots.count()).toBe(4);
    const withSkip = (await compareValues(page))[1]!;
    await expectGridColours(page, plots.nth(1), withSkip, spreadCells(withSkip));
    await shoot(plots.nth(1), "narrow-compare-with");
    expect((await sidewaysOverflow(page)).pixels).toBeLessThanOrEqual(1);
    await shoot(page, "narrow-compare");
    expect(problems).toEqual([]);
  });
});
