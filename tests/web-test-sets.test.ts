/**
 * Train and test sets in the web app, end to end in headless Chromium against the real stack, in
 * the spirit of Li et al.'s Figure 2: two MLPs trained with a small and a large batch on the
 * training half of a three-class problem, the interpolation between them made from the
 * new-surface form with the held-out half as its test data (loss and accuracy on twin axes,
 * train solid and test dashed), and a plane whose test loss is chosen as the metric to view.
 * Screenshots go to test-output/test-sets-*.png.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "../server/src/engine/npy.js";
import { type Browser, launchBrowser, pageGraphql as gql, screenshots, signUpWithProject, watchedPage } from "./support/browser.js";
import { downloadFrom } from "./support/figures.js";
import { drawn, expectGridColours, expectReadoutUnderPointer, pixelsNear, spreadCells } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir, waitFor } from "./support/stack.js";

const shoot = screenshots("test-sets");
const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => waitFor(what, 180_000, probe);

/**
 * Three overlapping Gaussian blobs in 4 features (seeded), `rows` samples from `offset` on: the
 * training and test halves come from the same distribution, so a model fits one better than the other.
 */
function blobs(rows: number, offset: number): { x: Uint8Array; y: Uint8Array } {
  let state = 12345 + offset * 7919;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 0.5) / 2147483648;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const centres = [[1, 0, 0, 1], [-1, 1, 0, 0], [0, -1, 1, -1]];
  const x = new Float32Array(rows * 4);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = (i + offset) % 3;
    y[i] = c;
    for (let k = 0; k < 4; k++) x[i * 4 + k] = centres[c]![k]! + 0.9 * gaussian();
  }
  return { x: encodeNpy(x, [rows, 4]), y: encodeNpy(y, [rows]) };
}

describe("train and test sets in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let filesDir: string;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1" }), launchBrowser({ width: 1300, height: 1000 })]);
    filesDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-test-sets-"));
    for (const [name, rows, offset] of [["train", 150, 0], ["test", 90, 1000]] as const) {
      const pair = blobs(rows, offset);
      await fs.mkdir(path.join(filesDir, name));
      await fs.writeFile(path.join(filesDir, name, "x.npy"), pair.x);
      await fs.writeFile(path.join(filesDir, name, "y.npy"), pair.y);
    }
    ({ page, problems } = await watchedPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (filesDir) await fs.rm(filesDir, { recursive: true, force: true });
  });

  it("interpolates between small- and large-batch minima with train solid and test dashed, and views a plane's test loss", async () => {
    const projectUrl = await signUpWithProject(page, stack.runtime.url, "Batch size");
    const projectId = projectUrl.split("/projects/")[1]!;
    for (const name of ["train", "test"]) {
      await page.getByTestId("upload-input").setInputFiles([path.join(filesDir, name, "x.npy"), path.join(filesDir, name, "y.npy")]);
      await page.getByLabel("Upload name").fill(`blobs ${name}`);
      await page.getByRole("button", { name: "Upload", exact: true }).click();
      await page.getByText(`Dataset “blobs ${name}” is valid`).waitFor();
    }
    const datasets = (await gql(page, `query ($id: ID!) { datasets(projectId: $id, first: 5) { nodes { id name } } }`, { id: projectId })).datasets.nodes as { id: string; name: string }[];
    const trainId = datasets.find((d) => d.name === "blobs train")!.id;
    const testId = datasets.find((d) => d.name === "blobs test")!.id;

    // Two minima of one architecture: small and large batches, the same epochs.
    const models: string[] = [];
    for (const [name, batchSize] of [["small batch", 8], ["large batch", 150]] as const) {
      const started = (await gql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
        input: { projectId, datasetId: trainId, testDatasetId: testId, name, architecture: { kind: "MLP", depth: 2, width: 16 }, options: { epochs: 20, batchSize, learningRate: 0.02, optimizer: "ADAM" } },
      })).startTraining;
      expect(started.ok, started.error?.message).toBe(true);
      models.push(await until(`training ${name}`, async () => {
        const run = (await gql(page, `query ($id: ID!) { trainingRun(id: $id) { status modelId errorMessage } }`, { id: started.run.id })).trainingRun;
        if (run.status === "FAILED") throw new Error(run.errorMessage);
        return run.status === "READY" ? (run.modelId as string) : undefined;
      }));
    }

    // The new-surface form: an interpolation with the held-out half as its test data.
    await page.goto(projectUrl);
    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByLabel("Kind").selectOption("INTERPOLATION");
    // The comboboxes in order: kind, model, model B, ...
    await page.getByRole("combobox").nth(1).selectOption(models[0]!);
    await page.getByLabel("Model B (interpolate to)").selectOption(models[1]!);
    await page.getByLabel("Dataset").selectOption({ label: "blobs train (150 rows)" });
    const testSelect = page.getByLabel("Test data");
    // Only datasets with the training set's sample shape and classes are offered.
    expect(await testSelect.locator("option").allTextContents()).toEqual(["None", "blobs test (90 rows)"]);
    await testSelect.selectOption({ label: "blobs test (90 rows)" });
    // As in the paper's Figure 2: t from -0.5 to 1.5.
    await page.getByLabel("a from").fill("-0.5");
    await page.getByLabel("a to").fill("1.5");
    await page.getByLabel("a points").fill("41");
    await page.getByLabel("Name").fill("small to large batch");
    // The cost stated beforehand counts the test set's samples too.
    await page.getByTestId("estimate").getByText(/^Work: 41 grid points × \(150 training \+ 90 test\) samples, about/).waitFor();
    await shoot(page.locator("form"), "new-surface-form");
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.waitForURL(/\/surfaces\//);
    await page.locator(".badge.status-ready").waitFor({ timeout: 120_000 });
    const interpolationId = page.url().split("/surfaces/")[1]!.split("?")[0]!;
    await page.getByText("on blobs train (test: blobs test)").first().waitFor();

    const plot = page.getByTestId("plot-1d");
    await drawn(plot);
    await shoot(page.locator(".viewer-plot"), "interpolation-1d");
    expect(await page.getByTestId("series-legend").locator("li").allTextContents()).toEqual([
      "train: loss (left axis, solid)", "train: accuracy (right axis, solid)", "test: loss (left axis, dashed)", "test: accuracy (right axis, dashed)",
    ]);
    // Loss (orange) and accuracy (violet) curves are both drawn.
    const png = await plot.screenshot();
    expect(pixelsNear(png, [240, 162, 75])).toBeGreaterThan(200);
    expect(pixelsNear(png, [190, 130, 255])).toBeGreaterThan(200);
    // The readout gives both sets' values under the pointer, the same as the API's.
    const readout = await expectReadoutUnderPointer(page, plot, [0, 0]);
    expect(readout).toMatch(/^t = [-\d.e]+, loss = [\d.e+-]+, accuracy = [\d.e+-]+; test loss = [\d.e+-]+, test accuracy = [\d.e+-]+$/);
    const values = (await gql(page, `query ($id: ID!) { surface(id: $id) { xs loss: values(metric: LOSS) testLoss: values(metric: TEST_LOSS) statistics { loss { min } testLoss { min } } } }`, { id: interpolationId })).surface;
    const t = Number(/^t = ([-\d.e]+)/.exec(readout)![1]);
    const i = (values.xs as number[]).findIndex((x) => Math.abs(x - t) < 1e-9);
    expect(i, `t = ${t} is a grid point`).toBeGreaterThanOrEqual(0);
    const testLoss = Number(/test loss = ([\d.e+-]+)/.exec(readout)![1]);
    expect(testLoss).toBeCloseTo(values.testLoss[0][i], 3);
    // The exported figure draws the same: train solid, test dashed, in the paper's light theme.
    await page.getByRole("button", { name: "Export figure…" }).click();
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Paper (light)" }).click();
    const preview = page.getByTestId("export-preview");
    await preview.waitFor();
    await page.getByRole("group", { name: "Format" }).getByRole("button", { name: "SVG" }).click();
    const svg = (await downloadFrom(page, "Download SVG")).body.toString("utf8");
    for (const metric of ["loss", "accuracy"]) {
      const curves = svg.match(new RegExp(`<polyline class="${metric}"[^>]*>`, "g")) ?? [];
      expect(curves.map((c) => [/data-series="(\d)"/.exec(c)?.[1], c.includes("stroke-dasharray")])).toEqual([["0", false], ["1", true]]);
    }
    for (const words of [">train (solid): loss (left axis)</text>", ">test (dashed): loss (left axis)</text>", ">test (dashed): accuracy (right axis)</text>"]) expect(svg).toContain(words);
    await shoot(preview, "interpolation-figure");
    await page.getByRole("button", { name: "Close the export dialog" }).click();
    // Held-out data: the minima fit the training half better than the test half.
    expect(values.statistics.testLoss.min).toBeGreaterThan(values.statistics.loss.min);

    // A plane with the test set: its page offers the test loss as a metric, drawn in its colours.
    const plane = (await gql(page, `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
      input: { projectId, kind: "PLANE", modelId: models[0], datasetId: trainId, testDatasetId: testId, name: "small batch plane", params: { x: { min: -1, max: 1, count: 15 }, y: { min: -1, max: 1, count: 15 } } },
    })).createSurface;
    expect(plane.ok, plane.error?.message).toBe(true);
    await page.goto(`${stack.runtime.url}/surfaces/${plane.surface.id}`);
    await page.locator(".badge.status-ready").waitFor({ timeout: 120_000 });
    const metrics = page.getByRole("group", { name: "Metric" });
    expect(await metrics.getByRole("button").allTextContents()).toEqual(["Loss", "Accuracy", "Test loss", "Test accuracy"]);
    await metrics.getByRole("button", { name: "Test loss" }).click();
    await page.waitForURL(/metric=TEST_LOSS/);
    const plot2d = page.getByTestId("plot-2d");
    const grid = (await gql(page, `query ($id: ID!) { surface(id: $id) { values(metric: TEST_LOSS) } }`, { id: plane.surface.id })).surface.values as number[][];
    await expectGridColours(page, plot2d, grid, spreadCells(grid));
    expect(await page.getByTestId("colour-bar").getAttribute("aria-label")).toMatch(/^Test loss/);
    await shoot(page.locator(".viewer-plot"), "plane-test-loss");
    expect(problems).toEqual([]);
  });
});
