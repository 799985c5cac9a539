/**
 * A PyTorch model through the web app in headless Chromium against the real stack: the BN CNN
 * exported to ONNX (BatchNorm kept), its NCHW NPY data and two directions made by the paper's
 * create_random_direction in PyTorch (ONNX direction files) are uploaded through the page, a 21x21
 * plane along them is queued with the form, and every point is within 1e-4 relative of PyTorch's
 * own evaluation (scripts/make-onnx-fixtures.py). The folded export's upload says its BatchNorm
 * may be folded. The uploaded ONNX model is then trained with the project's training form, and
 * the run's PCA plane drawn. Two PyTorch CNNs with BatchNorm are interpolated through the form:
 * the line equals float64 PyTorch's (scripts/make-interpolation-fixtures.py) and both models sit
 * on it with their own losses.
 * Screenshots go to test-output/onnx-*.png.
 */
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, pageGraphql, screenshots, watchedPage, signUpWithProject } from "./support/browser.js";
import { REPO_ROOT } from "./support/paths.js";
import { drawn, expectHeatmapColourUnderPointer, expectLegendSeriesDrawn } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("onnx");
const FIXTURES = path.join(REPO_ROOT, "server/src/engine/onnx/fixtures");
const expected = JSON.parse(readFileSync(path.join(FIXTURES, "expected.json"), "utf8")) as { models: { cnn_bn: { grid: { loss: number[][] } } } };

/** A surface's loss grid, read over GraphQL with the page's session. */
async function lossValues(page: Page, id: string): Promise<number[][]> {
  return page.evaluate(async (surfaceId) => {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query ($id: ID!) { surface(id: $id) { values(metric: LOSS) } }", variables: { id: surfaceId } }),
    });
    return ((await response.json()) as { data: { surface: { values: number[][] } } }).data.surface.values;
  }, id);
}

describe("a PyTorch model in the web app", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let filesDir: string;
  let page: Page;
  let problems: string[] = [];
  let projectUrl: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1" }), launchBrowser()]);
    filesDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-onnx-files-"));
    await fs.copyFile(path.join(FIXTURES, "cnn_bn.x.npy"), path.join(filesDir, "x.npy"));
    await fs.copyFile(path.join(FIXTURES, "cnn_bn.y.npy"), path.join(filesDir, "y.npy"));
    ({ page, problems } = await watchedPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (filesDir) await fs.rm(filesDir, { recursive: true, force: true });
  });

  it("uploads the ONNX CNN, NCHW data and PyTorch's directions; the 21x21 plane along them is PyTorch's within 1e-4 relative", async () => {
    projectUrl = await signUpWithProject(page, stack.runtime.url, "PyTorch");

    await page.getByTestId("upload-input").setInputFiles([path.join(FIXTURES, "cnn_bn.folded.onnx")]);
    expect(await page.getByLabel("Kind").inputValue()).toBe("MODEL");
    await page.getByLabel("Upload name").fill("folded");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByTestId("upload-result").waitFor();
    expect(await page.getByTestId("model-note").first().textContent()).toMatch(/folded them into the convolutions/);
    await shoot(page.locator(".upload"), "folded-upload");

    await page.getByTestId("upload-input").setInputFiles([path.join(FIXTURES, "cnn_bn.onnx")]);
    await page.getByLabel("Upload name").fill("pytorch cnn");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Model “pytorch cnn” is valid").waitFor();
    expect(await page.getByTestId("upload-result").textContent()).toContain("input [3, 8, 8]");
    expect(await page.getByTestId("model-note").count()).toBe(0);

    await page.getByTestId("upload-input").setInputFiles([path.join(filesDir, "x.npy"), path.join(filesDir, "y.npy")]);
    expect(await page.getByLabel(/Images channels-last/).isChecked()).toBe(false);
    await page.getByLabel("Upload name").fill("images");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Dataset “images” is valid").waitFor();
    // The paper's directions, made in PyTorch (create_random_direction) and exported as the model is.
    for (const axis of ["x", "y"]) {
      await page.getByTestId("upload-input").setInputFiles([path.join(FIXTURES, `cnn_bn.dir-${axis}.onnx`)]);
      await page.getByLabel("Kind").selectOption("DIRECTION");
      await page.getByLabel("For model").selectOption({ label: "pytorch cnn" });
      await page.getByLabel("Upload name").fill(`pytorch ${axis}`);
      await page.getByRole("button", { name: "Upload", exact: true }).click();
      await page.getByText(`Direction “pytorch ${axis}” is valid`).waitFor();
    }
    await shoot(page, "project");

    // The model page states a forward pass's cost as the engine counted it from PyTorch's graph:
    // conv1 (3 x 3 x 3 at 8 x 8 x 4 outputs), conv2 (3 x 3 x 4 at 2 x 2 x 6, stride 2), fc (24 x 3),
    // 7,848 multiply-adds, where 2 x parameters would have said 898 FLOPs.
    await page.getByRole("link", { name: "pytorch cnn", exact: true }).click();
    await page.getByRole("heading", { name: "pytorch cnn" }).waitFor();
    expect(await page.locator("main").textContent()).toContain(`429 trainable parameters · 20 buffers (BatchNorm running statistics) · ${(2 * (27 * 256 + 36 * 24 + 24 * 3) / 1000).toFixed(1)} kFLOP per sample forward`);
    await shoot(page, "model");
    await page.goto(projectUrl);

    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByRole("combobox", { name: /^Model/ }).first().selectOption({ label: "pytorch cnn (429 trainable parameters · 20 buffers)" });
    await page.getByLabel("Dataset").selectOption({ label: "images (64 rows)" });
    await page.getByLabel("a points").fill("21");
    await page.getByLabel("b points").fill("21");
    await page.getByLabel("Seed").fill("0");
    await page.getByLabel("x direction").selectOption({ label: "pytorch x" });
    await page.getByLabel("y direction").selectOption({ label: "pytorch y" });
    await page.getByLabel("Name").fill("pytorch plane");
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.waitForURL(/\/surfaces\//);
    await page.locator(".badge.status-ready").waitFor({ timeout: 180_000 });
    await shoot(page, "surface");
    const id = page.url().split("/surfaces/")[1]!.split("?")[0]!;
    const values = (await lossValues(page, id)).flat();
    const want = expected.models.cnn_bn.grid.loss.flat();
    expect(values.length).toBe(441);
    const worst = Math.max(...values.map((v, i) => Math.abs(v - want[i]!) / Math.abs(want[i]!)));
    expect(worst).toBeLessThan(1e-4);
    expect(problems).toEqual([]);
  });

  it("trains the uploaded ONNX model with the training form; the run's PCA plane is drawn", async () => {
    // An untrained PyTorch CNN with BatchNorm and its own NCHW images (the trainer's fixtures).
    const trainFiles = path.join(filesDir, "train");
    await fs.mkdir(trainFiles, { recursive: true });
    await fs.copyFile(path.join(FIXTURES, "train_cnn.x.npy"), path.join(trainFiles, "x.npy"));
    await fs.copyFile(path.join(FIXTURES, "train_cnn.y.npy"), path.join(trainFiles, "y.npy"));
    await page.goto(projectUrl);
    await page.getByTestId("upload-input").setInputFiles([path.join(FIXTURES, "train_cnn.onnx")]);
    await page.getByLabel("Upload name").fill("untrained cnn");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Model “untrained cnn” is valid").waitFor();
    await page.getByTestId("upload-input").setInputFiles([path.join(trainFiles, "x.npy"), path.join(trainFiles, "y.npy")]);
    await page.getByLabel("Upload name").fill("training images");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Dataset “training images” is valid").waitFor();

    await page.getByText("Train a model", { exact: true }).click();
    const form = page.getByRole("form", { name: "Train a model" });
    await form.getByLabel("Architecture").selectOption("UPLOADED");
    await form.getByLabel("Model to train").selectOption({ label: "untrained cnn (429 trainable parameters · 20 buffers)" });
    await form.getByText("An ONNX model (from PyTorch)").waitFor();
    const images = await form.getByLabel("Training data").locator("option", { hasText: "training images" }).getAttribute("value");
    await form.getByLabel("Training data").selectOption(images!);
    await form.getByLabel("Optimizer").selectOption("MOMENTUM");
    await form.getByLabel("Batch size").fill("16");
    await form.getByLabel("Epochs").fill("6");
    await form.getByLabel("Checkpoint every N steps").fill("2");
    await form.getByLabel("Run name").fill("pytorch cnn trained");
    // 64 samples in batches of 16: 4 steps an epoch.
    expect(await page.getByTestId("training-estimate").textContent()).toContain("24 steps");
    await shoot(form, "train-form");
    await form.getByRole("button", { name: "Start training" }).click();
    await page.waitForURL(/\/training\//);
    await page.getByText("the project's model “untrained cnn”, trained from its own weights").waitFor();
    await page.locator(".badge.status-ready").waitFor({ timeout: 180_000 });
    await expect.poll(() => page.getByTestId("last-step").textContent()).toContain("step 24 of 24");
    const curve = page.getByTestId("loss-curve");
    await drawn(curve);
    await shoot(curve, "train-curve");
    await expectLegendSeriesDrawn(curve, await curve.screenshot());
    await shoot(page, "train-run");
    await page.getByRole("button", { name: "PCA plane of this run" }).click();
    await page.waitForURL(/\/surfaces\//);
    await page.locator(".badge.status-ready").waitFor({ timeout: 180_000 });
    const plane = page.getByTestId("plot-2d");
    await drawn(plane);
    await shoot(plane, "train-pca");
    await expectHeatmapColourUnderPointer(page, plane, [0.6, -0.6]);
    // A fine-tuned upload with BatchNorm: the plane spans its path, and every checkpoint's
    // coordinates and distances are measured over the same tensors (the PCA's).
    const surfaceId = page.url().split("/surfaces/")[1]!.split("?")[0]!;
    const pca = (await pageGraphql(page, `query ($id: ID!) { surface(id: $id) { xs ys path { x y distance fromFinal } } }`, { id: surfaceId })).surface as {
      xs: number[]; ys: number[]; path: { x: number; y: number; distance: number; fromFinal: number }[];
    };
    const xs = pca.path.map((p) => p.x);
    expect((Math.max(...xs) - Math.min(...xs)) / (pca.xs.at(-1)! - pca.xs[0]!)).toBeGreaterThan(0.5);
    for (const p of pca.path) {
      expect(p.x).toBeGreaterThan(pca.xs[0]!);
      expect(p.x).toBeLessThan(pca.xs.at(-1)!);
      expect(p.y).toBeGreaterThan(pca.ys[0]!);
      expect(p.y).toBeLessThan(pca.ys.at(-1)!);
      if (p.fromFinal > 0) expect(Math.abs(p.distance ** 2 + p.x ** 2 + p.y ** 2 - p.fromFinal ** 2)).toBeLessThan(1e-6 * p.fromFinal ** 2);
    }
    await page.getByText(/directions: the first two principal components \(unit vectors\) of the checkpoints over the weights \(biases and BatchNorm left out\)/).waitFor();
    await shoot(page, "train-pca-page");
    expect(problems).toEqual([]);
  }, 300_000);

  it("interpolates between two PyTorch BatchNorm CNNs: the line is PyTorch's states line, and both models sit on it with their own losses", async () => {
    const pairDir = path.join(REPO_ROOT, "server/src/engine/fixtures/interpolation");
    const reference = (JSON.parse(readFileSync(path.join(pairDir, "expected.json"), "utf8")) as { models: { cnn: { a: { loss: number }; b: { loss: number }; states: { loss: number[] } } } }).models.cnn;
    const files = path.join(filesDir, "pair");
    await fs.mkdir(files, { recursive: true });
    await fs.copyFile(path.join(pairDir, "cnn.x.npy"), path.join(files, "x.npy"));
    await fs.copyFile(path.join(pairDir, "cnn.y.npy"), path.join(files, "y.npy"));
    await page.goto(projectUrl);
    for (const which of ["a", "b"]) {
      await page.getByTestId("upload-input").setInputFiles([path.join(pairDir, `cnn.${which}.onnx`)]);
      await page.getByLabel("Upload name").fill(`bars cnn ${which.toUpperCase()}`);
      await page.getByRole("button", { name: "Upload", exact: true }).click();
      await page.getByText(`Model “bars cnn ${which.toUpperCase()}” is valid`).waitFor();
    }
    await page.getByTestId("upload-input").setInputFiles([path.join(files, "x.npy"), path.join(files, "y.npy")]);
    await page.getByLabel("Upload name").fill("bars");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Dataset “bars” is valid").waitFor();

    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByLabel("Kind").selectOption("INTERPOLATION");
    const modelSelect = page.getByRole("combobox", { name: /^Model/ }).first();
    await modelSelect.selectOption((await modelSelect.locator("option", { hasText: "bars cnn A" }).getAttribute("value"))!);
    await page.getByLabel("Model B (interpolate to)").selectOption({ label: "bars cnn B" });
    expect(await page.getByLabel("BatchNorm running statistics").inputValue()).toBe("MOVE");
    await page.getByLabel("Dataset").selectOption({ label: "bars (200 rows)" });
    await page.getByLabel("a from").fill("-0.5");
    await page.getByLabel("a to").fill("1.5");
    await page.getByLabel("a points").fill("9");
    await page.getByLabel("Name").fill("A to B");
    await shoot(page.locator("form"), "interpolation-form");
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.waitForURL(/\/surfaces\//);
    await page.locator(".badge.status-ready").waitFor({ timeout: 180_000 });
    const legend = page.getByTestId("line-legend");
    await legend.waitFor();
    const text = (await legend.textContent()) ?? "";
    // Both models on the curve, each with the loss the surface has there and its own loss alone.
    expect(text, text).toMatch(/A at t = 0 \(loss 1\.799; the model alone 1\.799\)/);
    expect(text).toMatch(/B at t = 1 \(loss 2\.396; the model alone 2\.396\)/);
    expect(await page.locator(".muted", { hasText: "every state moves from model A to model B" }).count()).toBeGreaterThan(0);
    const id = page.url().split("/surfaces/")[1]!.split("?")[0]!;
    const values = (await lossValues(page, id))[0]!;
    const worst = Math.max(...values.map((v, i) => Math.abs(v - reference.states.loss[i]!) / reference.states.loss[i]!));
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(values[2]! - reference.a.loss) / reference.a.loss).toBeLessThan(1e-6);
    expect(Math.abs(values[6]! - reference.b.loss) / reference.b.loss).toBeLessThan(1e-5);
    await page.getByTestId("plot-1d").waitFor();
    // A line plot: the models named on the t axis, loss and accuracy on twin axes.
    expect((await page.getByTestId("plot-text").textContent())!.split(" · ")).toEqual(expect.arrayContaining(["A", "B", "t", "Loss", "Accuracy"]));
    await shoot(page, "interpolation");
    expect(problems).toEqual([]);
  }, 300_000);
});
