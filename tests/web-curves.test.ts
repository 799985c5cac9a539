/**
 * Curves between two models in the web app, end to end in headless Chromium against the real
 * stack: two MLPs trained on Iris from different seeds, "Connect two models" on the project page,
 * the curve page while it trains and once it is ready: the barrier numbers and the ensemble along the
 * curve as the API states them,
 * and the loss and accuracy along t of the curve and the line on training and test data, drawn;
 * both figures exported as SVG, PDF and PNG in the paper and dark themes, the SVGs rendered back and
 * compared with baselines. Screenshots go to test-output/web-curves-*.png.
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, pageGraphql, screenshots, sidewaysOverflow, watchedPage } from "./support/browser.js";
import { PNG } from "pngjs";
import { matchBaseline } from "./support/baseline.js";
import { downloadFrom, pdfText, renderSvg } from "./support/figures.js";
import { allPlotsDrawn, drawn, pixelsNear } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("web-curves");
/** The line plots' colours (web/src/plot/line-layers.ts). */
const LOSS_COLOUR: [number, number, number] = [240, 162, 75];
const ACCURACY_COLOUR: [number, number, number] = [190, 130, 255];

async function trainModel(page: Page, projectId: string, datasetId: string, seed: number): Promise<void> {
  const input = { projectId, datasetId, name: `MLP seed ${seed}`, architecture: { kind: "MLP", depth: 1, width: 16 }, options: { optimizer: "ADAM", learningRate: 0.05, batchSize: 16, epochs: 30, seed } };
  const id = (await pageGraphql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { run { id } } }`, { input })).startTraining.run.id as string;
  await expect
    .poll(async () => (await pageGraphql(page, `query ($id: ID!) { trainingRun(id: $id) { status } }`, { id })).trainingRun.status, { timeout: 120_000, interval: 500 })
    .toBe("READY");
}

describe("curves between models in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];

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

  it("connects two models from the project page and draws the curve and the line with their barriers", async () => {
    await page.goto(`${stack.runtime.url}/signup`);
    await page.getByLabel("Name").fill("Timur");
    await page.getByLabel("Email").fill("timur@example.org");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByLabel("Project name").fill("Mode connectivity");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("heading", { name: "Mode connectivity", exact: true }).waitFor();
    const projectUrl = page.url();
    const projectId = projectUrl.split("/projects/")[1]!;
    await page.getByRole("button", { name: "Add Iris" }).click();
    await page.getByText("Iris added.").waitFor();
    // With fewer than two models there is nothing to connect.
    await page.getByText("No curves yet: a curve connects two models of one architecture.").waitFor();
    expect(await page.getByText("Connect two models", { exact: true }).count()).toBe(0);

    const irisId = (await pageGraphql(page, `query ($p: ID!) { datasets(projectId: $p, first: 5) { nodes { id } } }`, { p: projectId })).datasets.nodes[0].id as string;
    await trainModel(page, projectId, irisId, 1);
    await trainModel(page, projectId, irisId, 2);
    await page.reload();
    await page.getByText("No curves yet: connect two models below.").waitFor();
    await page.getByText("Connect two models", { exact: true }).click();
    const form = page.getByRole("form", { name: "Connect two models" });
    await form.getByLabel("Model A (t = 0)").selectOption({ label: "MLP seed 1" });
    await form.getByLabel("Model B (t = 1)").selectOption({ label: "MLP seed 1" });
    await form.getByRole("button", { name: "Connect the models" }).click();
    await form.getByText("Choose two different models").waitFor();
    await form.getByLabel("Model B (t = 1)").selectOption({ label: "MLP seed 2" });
    await form.getByLabel("Test data (optional)").selectOption({ index: 1 });
    await form.getByLabel("Epochs").fill("20");
    await form.getByLabel("Points along t").fill("21");
    await shoot(form, "form");
    await form.getByRole("button", { name: "Connect the models" }).click();
    await page.waitForURL(/\/curves\//);
    const curveId = page.url().split("/curves/")[1]!;
    await page.getByRole("heading", { name: "MLP seed 1 to MLP seed 2, Bezier curve" }).waitFor();
    await page.getByText("Bezier curve of degree 2, 1 bend", { exact: true }).waitFor();

    await page.locator(".badge.status-ready").waitFor({ timeout: 120_000 });
    expect(await page.getByRole("progressbar", { name: "Training the bends" }).getAttribute("aria-valuenow")).toBe("100");
    expect(await page.getByRole("progressbar", { name: "Evaluating the curve and the line" }).getAttribute("aria-valuenow")).toBe("100");
    expect(await page.getByRole("button", { name: "Cancel" }).count()).toBe(0);

    // The barrier table says what the API's values say.
    const values = (
      await pageGraphql(page, `query ($id: ID!) { curve(id: $id) { values { t curveBarriers { trainLoss testLoss } lineBarriers { trainLoss testLoss } curve { trainLoss } line { trainLoss } } } }`, { id: curveId })
    ).curve.values;
    expect(values.t).toHaveLength(21);
    const rows = await page.getByTestId("barriers").locator("tbody tr").allTextContents();
    expect(rows).toEqual([
      `Trained curvetraining${values.curveBarriers.trainLoss.toFixed(4)}${rows[0]!.split(values.curveBarriers.trainLoss.toFixed(4))[1]}`,
      expect.stringContaining(`Trained curvetest${values.curveBarriers.testLoss.toFixed(4)}`),
      expect.stringContaining(`Straight linetraining${values.lineBarriers.trainLoss.toFixed(4)}`),
      expect.stringContaining(`Straight linetest${values.lineBarriers.testLoss.toFixed(4)}`),
    ]);
    expect(values.curveBarriers.trainLoss).toBeLessThan(values.lineBarriers.trainLoss);

    // The ensemble of 11 models along the curve, beside each end alone, as the API states it.
    const { ensemble } = (
      await pageGraphql(page, `query ($id: ID!) { curve(id: $id) { values { ensemble { members trainAccuracy trainAccuracyA trainAccuracyB testAccuracy testAccuracyA testAccuracyB } } } }`, { id: curveId })
    ).curve.values;
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const ensembleTable = page.getByRole("table", { name: "Ensemble accuracy" });
    expect(await ensembleTable.locator("thead th").allTextContents()).toEqual(["Data", "Ensemble of 11", "Model A", "Model B"]);
    expect(await ensembleTable.locator("tbody tr").allTextContents()).toEqual([
      `training${pct(ensemble.trainAccuracy)}${pct(ensemble.trainAccuracyA)}${pct(ensemble.trainAccuracyB)}`,
      `test${pct(ensemble.testAccuracy)}${pct(ensemble.testAccuracyA)}${pct(ensemble.testAccuracyB)}`,
    ]);
    await shoot(page, "page");

    // The values download as CSV: a header, one row per t, the barriers.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download values (CSV)" }).click()]);
    expect(download.suggestedFilename()).toBe("MLP-seed-1-to-MLP-seed-2-Bezier-curve.csv");
    const csv = (await fs.readFile((await download.path())!, "utf8")).trim().split("\n");
    expect(csv[0]).toMatch(/^t,curve_train_loss,curve_train_accuracy,line_train_loss,line_train_accuracy,curve_test_loss/);
    expect(csv.filter((l) => !l.startsWith("#"))).toHaveLength(22);
    expect(Number(csv[1]!.split(",")[3])).toBeCloseTo(values.line.trainLoss[0], 6);

    // Both figures are drawn: loss (orange) and accuracy (violet) curves of both paths, twin axes over t.
    for (const set of ["train", "test"]) {
      const figure = page.getByTestId(`curve-figure-${set}`);
      const plot = figure.getByTestId("plot-1d");
      await drawn(plot);
      await plot.scrollIntoViewIfNeeded();
      const png = await plot.screenshot();
      expect(pixelsNear(png, LOSS_COLOUR)).toBeGreaterThan(200);
      expect(pixelsNear(png, ACCURACY_COLOUR)).toBeGreaterThan(200);
      expect(await figure.getByTestId("series-legend").locator("li").allTextContents()).toEqual([
        "trained curve: loss (left axis, solid)",
        "trained curve: accuracy (right axis, solid)",
        "straight line A → B: loss (left axis, dashed)",
        "straight line A → B: accuracy (right axis, dashed)",
      ]);
      const text = (await figure.getByTestId("plot-text").textContent())!.split(" · ");
      expect(text).toEqual(expect.arrayContaining(["0", "0.5", "1", "t", "Loss", "Accuracy"]));
      await shoot(figure, `figure-${set}`);
    }

    // The plane through A, B and theta: a drawn heatmap with its colour bar, the three models pinned
    // and the curve (white) and the line (grey) over it.
    const plane = page.getByTestId("curve-plane");
    const heatmap = plane.getByTestId("plot-2d");
    await drawn(heatmap);
    await heatmap.scrollIntoViewIfNeeded();
    const planePng = await heatmap.screenshot();
    expect(pixelsNear(planePng, [255, 255, 255], 10)).toBeGreaterThan(40);
    expect(pixelsNear(planePng, [232, 62, 140], 20)).toBeGreaterThan(20);
    expect(await plane.getByTestId("colour-bar").getAttribute("aria-label")).toMatch(/^Training loss colour scale from/);
    const planeText = (await heatmap.getByTestId("plot-text").textContent())!.split(" · ");
    expect(planeText).toEqual(expect.arrayContaining(["A", "B", "theta", "along B - A", "towards theta"]));
    await shoot(plane, "plane");

    // Both figures export as elsewhere: SVG, vector PDF and PNG, in the paper and dark themes.
    const slug = "mlp-seed-1-to-mlp-seed-2-bezier-curve";
    for (const [button, key, words] of [
      ["Export training data figure…", "along-t-train", ["(t)", "(A)", "(B)", "(Loss)", "(Accuracy)"]],
      ["Export plane figure…", "plane", ["(A)", "(B)", "(theta)", "(along B - A)", "(Training loss)"]],
    ] as const) {
      await page.getByRole("button", { name: button }).click();
      const dialog = page.getByTestId("export-dialog");
      await dialog.getByTestId("export-preview").waitFor();
      await shoot(dialog, `export-${key}`);
      for (const theme of ["paper", "dark"] as const) {
        await dialog.getByRole("button", { name: theme === "paper" ? "Paper (light)" : "Dark" }).click();
        await dialog.getByRole("button", { name: "Double column (6.75 in)" }).click();
        await dialog.getByLabel("DPI").fill("300");
        await dialog.getByRole("button", { name: "SVG" }).click();
        const svg = await downloadFrom(page, "Download SVG");
        expect(svg.name).toBe(`${slug}-${key}-${theme}.svg`);
        const text = svg.body.toString("utf8");
        expect(text).toContain(`width="6.75in"`);
        if (key === "plane") {
          // The curve (white) and the straight line (dashed) over the heatmap, the three models by name.
          expect(text).toMatch(/<polyline class="optimizer-path" points="[^"]+"/);
          expect(text).toMatch(/<polyline class="guide" points="[\d., -]+" [^>]*stroke-dasharray/);
          expect(text.match(/class="model-name"/g)).toHaveLength(3);
          expect(text).toContain(">theta</text>");
        } else {
          // The curve solid, the line dashed, loss and accuracy of each.
          expect(text.match(/<polyline class="(loss|accuracy)" data-series="0" [^>]*>/g)!.every((p) => !p.includes("stroke-dasharray"))).toBe(true);
          expect(text.match(/<polyline class="(loss|accuracy)" data-series="1" [^>]*stroke-dasharray/g)).toHaveLength(2);
          expect(text).toContain(">trained curve (solid): loss (left axis)</text>");
        }
        await matchBaseline(await renderSvg(browser, svg.body), `curve-export-${key}-${theme}`);
        await dialog.getByRole("button", { name: "PDF" }).click();
        const pdf = await downloadFrom(page, "Download PDF");
        expect(pdf.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
        expect(pdf.body.includes("/Subtype /Image")).toBe(false);
        const shown = pdfText(pdf.body);
        for (const w of words) expect(shown).toContain(w);
        await dialog.getByRole("button", { name: "PNG" }).click();
        const raster = await downloadFrom(page, "Download PNG");
        expect(raster.name).toBe(`${slug}-${key}-${theme}.png`);
        expect(PNG.sync.read(raster.body).width).toBe(2025);
        await fs.writeFile(`test-output/web-curves-export-${key}-${theme}.png`, raster.body);
      }
      await dialog.getByRole("button", { name: "Close the export dialog" }).click();
    }

    // A note pinned on the plane where we click is listed, drawn on the plane and in its export.
    const planeBox = (await heatmap.boundingBox())!;
    await page.mouse.click(planeBox.x + planeBox.width * 0.6, planeBox.y + planeBox.height * 0.35);
    await page.getByLabel("Label").fill("low ridge");
    await page.getByLabel("Text").fill("the curve bends around it");
    await page.getByRole("button", { name: "Pin note" }).click();
    await page.locator(".notes").getByText("low ridge").waitFor();
    await expect.poll(async () => (await heatmap.getByTestId("plot-text").textContent())!.split(" · ")).toContain("low ridge");
    const pinned = await pageGraphql(page, `query ($id: ID!) { curve(id: $id) { annotations(first: 5) { nodes { label body kind author { name } } } } }`, { id: curveId });
    expect(pinned.curve.annotations.nodes).toEqual([{ label: "low ridge", body: "the curve bends around it", kind: "NOTE", author: { name: expect.any(String) } }]);
    await drawn(heatmap);
    await heatmap.scrollIntoViewIfNeeded();
    await shoot(page.locator(".viewer-body").filter({ has: plane }), "plane-note");
    await page.getByRole("button", { name: "Export plane figure…" }).click();
    const noted = page.getByTestId("export-dialog");
    await noted.getByTestId("export-preview").waitFor();
    await noted.getByRole("button", { name: "SVG" }).click();
    const notedSvg = (await downloadFrom(page, "Download SVG")).body.toString("utf8");
    expect(notedSvg).toMatch(/<g class="annotations"[^>]*>[\s\S]*>low ridge<\/text>/);
    await noted.getByRole("button", { name: "Close the export dialog" }).click();

    // Back on the project page, the curve is listed as ready.
    await page.goto(projectUrl);
    const listed = page.getByRole("table", { name: "Curves" });
    await listed.getByRole("link", { name: "MLP seed 1 to MLP seed 2, Bezier curve" }).waitFor();
    await listed.locator(".badge.status-ready").waitFor();
    await shoot(page, "project");

    // The curve page fits a narrow window too.
    await page.setViewportSize({ width: 420, height: 900 });
    await page.goto(`${stack.runtime.url}/curves/${curveId}`);
    await page.getByRole("heading", { name: "Loss and accuracy along t" }).waitFor();
    await allPlotsDrawn(page);
    await shoot(page, "narrow");
    const overflow = await sidewaysOverflow(page);
    expect(overflow.pixels, `the curve page is wider than the window: ${overflow.widest.join(", ")}`).toBeLessThanOrEqual(1);
    expect(problems).toEqual([]);
  });

  it("runs the mode connectivity experiment from the project page: both runs, the curve's barriers, a caption that states them, and the curve's page", async () => {
    // Signed in by the test before; a project of its own with MNIST's digits.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.runtime.url}/projects`);
    await page.getByLabel("Project name").fill("Two minima");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("heading", { name: "Two minima", exact: true }).waitFor();
    await page.getByRole("button", { name: "Add MNIST" }).click();
    await page.getByText("MNIST added.").waitFor();
    await page.getByText("Run an experiment", { exact: true }).click();
    const form = page.getByRole("form", { name: "Run an experiment" });
    await form.getByLabel("Comparison").selectOption({ label: "Mode connectivity" });
    await form.getByText("One MLP trained from two seeds, then the curve that connects the two minima").waitFor();
    await form.getByLabel("Size").selectOption("SMALL");
    await form.getByRole("button", { name: "Start experiment" }).click();
    await page.waitForURL(/\/experiments\//);
    const experimentId = page.url().split("/experiments/")[1]!;
    await page.getByRole("heading", { name: "Mode connectivity: two minima of an MLP with 16 hidden units" }).waitFor();
    await page.getByRole("heading", { name: "Curve between the two minima" }).waitFor();

    // Once the curve is ready: its barriers in the table as the API states them, and the caption's verdict.
    const open = page.getByRole("button", { name: "Open the curve" });
    await open.waitFor({ timeout: 180_000 });
    const { experiment } = await pageGraphql(
      page,
      `query ($id: ID!) { experiment(id: $id) { status caption curve { id name values { curveBarriers { trainLoss trainAccuracy } lineBarriers { trainLoss trainAccuracy } } } } }`,
      { id: experimentId },
    );
    expect(experiment.status).toBe("READY");
    const barrier = (b: { trainLoss: number; trainAccuracy: number }) => `${Number(b.trainLoss.toPrecision(2))} (accuracy −${Number((b.trainAccuracy * 100).toPrecision(2))} points)`;
    const table = page.getByRole("table", { name: "Curve of the experiment" });
    expect(await table.locator("thead th").allTextContents()).toEqual(["Curve", "Status", "Barrier along the line", "Barrier along the curve"]);
    const cells = await table.locator("tbody td").allTextContents();
    expect(cells[0]).toBe(experiment.curve.name);
    expect(cells[1]).toBe("ready");
    expect(cells.slice(2)).toEqual([barrier(experiment.curve.values.lineBarriers), barrier(experiment.curve.values.curveBarriers)]);
    const caption = page.getByTestId("experiment-caption");
    await caption.getByText(/Measured on the training data: along the straight line from A to B the loss barrier is/).waitFor();
    expect(await caption.textContent()).toContain(experiment.caption);
    expect(experiment.caption).toMatch(/The curve's barrier is (clearly|not clearly) lower than the line's|already linearly connected/);
    expect(await page.getByRole("article").count()).toBe(2);
    await page.screenshot({ path: "test-output/web-curves-experiment.png", fullPage: true });

    await open.click();
    await page.waitForURL(new RegExp(`/curves/${experiment.curve.id}$`));
    await page.getByRole("heading", { name: experiment.curve.name }).waitFor();
    await page.getByTestId("barriers").waitFor();
    expect(problems).toEqual([]);
  });
});
