/**
 * The figures a researcher would put in a paper, in headless Chromium against the real stack, each
 * compared with its committed baseline (tests/baselines/, `npm run test:update-screenshots`):
 * the demo's skip-connection comparison (the same experiment, size and seed as the demo, on MNIST
 * digits) as contours and in 3D with default settings, where both surfaces must show their basin;
 * a PCA plane that holds its whole optimizer path; a 1D slice with axis titles; an Iris plane with
 * only its significant critical points. Then the exports of two Iris planes: the export dialog in
 * the paper and dark themes; a surface's PDF and SVG with its note's label, a PNG of the size and
 * DPI asked for, VTP and glTF read back; the settings kept for the user; the comparison (panels,
 * one colour bar, A − B) as SVG rendered back in both themes, PDF and PNG
 * (WRITE_DOC_FIGURES=1 writes the paper ones to docs/figures/).
 */
import fs from "node:fs/promises";
import { inflateSync } from "node:zlib";
import type { Locator, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, watchedPage, pageGraphql as gql } from "./support/browser.js";
import { BASELINES, compareWithBaseline, matchBaseline } from "./support/baseline.js";
import { REPO_ROOT } from "./support/paths.js";
import { drawn } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";


/**
 * The text a PDF shows: its content streams, inflated, read as Latin-1 (WinAnsi text, as jsPDF
 * writes Helvetica's, reads back as its own bytes).
 */
function pdfText(pdf: Buffer): string {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf("stream", at);
    if (start < 0) break;
    const body = start + (pdf[start + 6] === 13 ? 8 : 7);
    const end = pdf.indexOf("endstream", body);
    if (end < 0) break;
    const raw = pdf.subarray(body, end);
    try {
      out.push(inflateSync(raw).toString("latin1"));
    } catch {
      out.push(raw.toString("latin1"));
    }
    at = end + 9;
  }
  return out.join("\n");
}

/** The file a click on `button` downloads: its suggested name and its bytes. */
async function downloadFrom(page: Page, button: string): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  return { name: file.suggestedFilename(), body: await fs.readFile((await file.path())!) };
}

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
    if (process.env.WRITE_DOC_FIGURES === "1") {
      // The paper's own comparison as the example exports in docs/figures: the two planes and
      // their difference, paper theme, double column.
      await page.goto(`${stack.runtime.url}/compare?ids=${experiment.surfaces.slice(0, 2).map((s: { id: string }) => s.id).join(",")}&experiment=${experiment.id}`);
      await page.getByTestId("plot-2d").nth(1).waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: "Export figure…" }).click();
      const dialog = page.getByTestId("export-dialog");
      await dialog.getByRole("button", { name: "Paper (light)" }).click();
      await dialog.getByRole("button", { name: "Double column (6.75 in)" }).click();
      await dialog.getByLabel("DPI").fill("300");
      await fs.mkdir(`${REPO_ROOT}/docs/figures`, { recursive: true });
      for (const format of ["PNG", "SVG", "PDF"]) {
        await dialog.getByRole("button", { name: format, exact: true }).click();
        const file = await downloadFrom(page, `Download ${format}`);
        await fs.writeFile(`${REPO_ROOT}/docs/figures/skip-connections-paper.${format.toLowerCase()}`, file.body);
      }
      // Back to a new user's settings, which the export test starts from.
      const reset = (await gql(page, `mutation { saveExportSettings(input: { theme: PAPER, format: PDF, width: 3.25, height: 2.6, unit: IN, dpi: 300 }) { ok } }`)).saveExportSettings;
      expect(reset.ok).toBe(true);
    }
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

  it("exports paper and dark figures of a surface and of a comparison, as PNG, SVG and PDF, with every label", async () => {
    const iris = (await gql(page, `mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    // Two Iris MLPs, wide and narrow, each on a random plane of the same grid: A − B is defined.
    const train = async (name: string, width: number) => {
      const run = (await gql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
        input: { projectId, datasetId: iris, name, architecture: { kind: "MLP", depth: 2, width }, options: { epochs: 12, batchSize: 16, learningRate: 0.05, optimizer: "ADAM", seed: 3 } },
      })).startTraining;
      expect(run.ok, run.error?.message).toBe(true);
      return until(`training ${name}`, async () => {
        const r = (await gql(page, `query ($id: ID!) { trainingRun(id: $id) { status modelId } }`, { id: run.run.id })).trainingRun;
        expect(r.status).not.toBe("FAILED");
        return r.status === "READY" ? (r.modelId as string) : null;
      });
    };
    const models = await Promise.all([train("MLP width 16", 16), train("MLP width 4", 4)]);
    const planes = await Promise.all(models.map(async (modelId, k) => {
      const created = (await gql(page, `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId: iris, kind: "PLANE", name: k === 0 ? "Iris MLP, width 16" : "Iris MLP, width 4", params: { x: { min: -1, max: 1, count: 25 }, y: { min: -1, max: 1, count: 25 }, seed: 1 } },
      })).createSurface;
      expect(created.error).toBeNull();
      const id = created.surface.id as string;
      await until(`surface ${id}`, async () => ((await gql(page, `query ($id: ID!) { surface(id: $id) { status } }`, { id })).surface.status === "READY" ? true : null));
      return id;
    }));
    const note = (await gql(page, `mutation ($input: AddAnnotationInput!) { addAnnotation(input: $input) { ok error { message } } }`, {
      input: { surfaceId: planes[0], kind: "NOTE", label: "flat valley", x: 0.4, y: -0.3 },
    })).addAnnotation;
    expect(note.ok, note.error?.message).toBe(true);

    const download = (button: string) => downloadFrom(page, button);
    // A figure rendered back: the exported SVG alone in a page, as a reader's viewer shows it.
    const renderBack = async (svg: Buffer) => {
      const viewer = await browser.context.newPage();
      await viewer.setContent(`<body style="margin:0;background:#808080">${svg.toString("utf8").replace(/^<\?xml[^>]*>/, "")}</body>`);
      const png = await viewer.locator("svg").first().screenshot();
      await viewer.close();
      return png;
    };

    // The surface: the dialog, in the paper theme and in the dark one.
    await page.goto(`${stack.runtime.url}/surfaces/${planes[0]}`);
    await drawn(page.getByTestId("plot-2d"));
    await page.getByRole("button", { name: "Export figure…" }).click();
    const dialog = page.getByTestId("export-dialog");
    await dialog.getByTestId("export-preview").waitFor();
    // A new user starts at a single-column paper PDF, 300 DPI.
    await expect.poll(() => dialog.getByRole("button", { name: "Paper (light)" }).getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => dialog.getByTestId("export-size").textContent()).toMatch(/^975 × \d+ pixels at 300 DPI/);
    await matchBaseline(await dialog.screenshot(), "export-dialog-paper");
    const svg = await download("Download PDF").then(async (pdf) => {
      expect(pdf.name).toMatch(/-paper\.pdf$/);
      expect(pdfText(pdf.body)).toContain("flat valley");
      await dialog.getByRole("button", { name: "SVG" }).click();
      return download("Download SVG");
    });
    await fs.writeFile("test-output/export-surface-paper.png", await renderBack(svg.body));
    expect(svg.body.toString("utf8")).toContain(`<text class="annotation-label"`);
    expect(svg.body.toString("utf8")).toContain(">flat valley</text>");
    expect(svg.body.toString("utf8")).toMatch(/class="critical minimum"/);
    await dialog.getByRole("button", { name: "Dark" }).click();
    await dialog.getByRole("button", { name: "PNG" }).click();
    await dialog.getByLabel("Unit").selectOption("px");
    await dialog.getByLabel("Width").fill("1200");
    await dialog.getByLabel("Height").fill("1000");
    await dialog.getByLabel("DPI").fill("150");
    await expect.poll(() => dialog.getByTestId("export-size").textContent()).toMatch(/^1200 × 1000 pixels at 150 DPI/);
    await matchBaseline(await dialog.screenshot(), "export-dialog-dark");
    const png = await download("Download PNG");
    await fs.writeFile("test-output/export-surface-dark.png", png.body);
    const image = PNG.sync.read(png.body);
    expect([image.width, image.height]).toEqual([1200, 1000]);
    let opaque = true;
    for (let i = 3; i < image.data.length; i += 4) if (image.data[i] !== 255) opaque = false;
    expect(opaque).toBe(true);
    // The DPI is in the file: 150 DPI is 5906 pixels per metre.
    const phys = png.body.indexOf("pHYs");
    expect(phys).toBeGreaterThan(0);
    expect(png.body.readUInt32BE(phys + 4)).toBe(5906);
    const vtp = await download("Export VTP");
    expect(vtp.body.toString("utf8")).toContain(`NumberOfPoints="${25 * 25}"`);
    const glb = await download("Export glTF");
    expect(glb.body.readUInt32LE(0)).toBe(0x46546c67);
    expect(glb.body.readUInt32LE(8)).toBe(glb.body.length);

    // The settings are the user's: another page load (another browser alike) opens with them.
    await page.reload();
    await page.getByRole("button", { name: "Export figure…" }).click();
    await expect.poll(() => dialog.getByRole("button", { name: "Dark" }).getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => dialog.getByLabel("Width").inputValue()).toBe("1200");

    // The comparison: every panel, one colour bar, and A − B, in both themes and all formats.
    await page.goto(`${stack.runtime.url}/compare?ids=${planes.join(",")}`);
    await page.getByTestId("plot-2d").nth(1).waitFor();
    await page.getByRole("button", { name: "Export figure…" }).click();
    await dialog.getByTestId("export-preview").waitFor();
    await page.screenshot({ path: "test-output/export-compare-page.png", fullPage: true });
    for (const theme of ["paper", "dark"] as const) {
      await dialog.getByRole("button", { name: theme === "paper" ? "Paper (light)" : "Dark" }).click();
      await dialog.getByRole("button", { name: "Double column (6.75 in)" }).click();
      await dialog.getByLabel("DPI").fill("300");
      await dialog.getByRole("button", { name: "SVG" }).click();
      const figure = await download("Download SVG");
      const text = figure.body.toString("utf8");
      expect(figure.name).toMatch(new RegExp(`-${theme}\\.svg$`));
      expect(text).toContain(`width="6.75in"`);
      expect(text).toContain(`<text class="panel-title"`);
      expect(text).toContain(">A − B</text>");
      expect(text).toContain(">Iris MLP, width 16</text>");
      if (theme === "paper") expect(text).toContain(">Iris MLP, width 16 − Iris MLP, width 4</text>");
      expect(text.match(/class="colour-bar"/g)).toHaveLength(2);
      await matchBaseline(await renderBack(figure.body), `compare-export-${theme}`);
      await dialog.getByRole("button", { name: "PDF" }).click();
      const pdf = await download("Download PDF");
      expect(pdf.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      // Vector: shapes and text, no picture of them.
      expect(pdf.body.includes("/Subtype /Image")).toBe(false);
      const words = pdfText(pdf.body);
      // Helvetica's en dash (WinAnsi 0x96) stands for the minus sign.
      expect(words).toContain("(A \x96 B)");
      expect(words).toContain("(Iris MLP, width 16)");
      if (theme === "paper") expect(words).toContain("(Iris MLP, width 16 \x96 Iris MLP, width 4)");
      await dialog.getByRole("button", { name: "PNG" }).click();
      const raster = await download("Download PNG");
      expect(PNG.sync.read(raster.body).width).toBe(2025);
      if (process.env.WRITE_DOC_FIGURES === "1" && theme === "paper") {
        await fs.mkdir(`${REPO_ROOT}/docs/figures`, { recursive: true });
        for (const [ext, body] of [["svg", figure.body], ["pdf", pdf.body], ["png", raster.body]] as const) await fs.writeFile(`${REPO_ROOT}/docs/figures/compare-paper.${ext}`, body);
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);

  it("a picture that lost its plot fails the comparison", async () => {
    const base = PNG.sync.read(await fs.readFile(`${BASELINES}/iris-plane-significant.png`));
    const blank = new PNG({ width: base.width, height: base.height });
    blank.data.fill(0);
    for (let i = 3; i < blank.data.length; i += 4) blank.data[i] = 255;
    await expect(compareWithBaseline(PNG.sync.write(blank), "iris-plane-significant")).rejects.toThrow(/differ from the baseline/);
  });
});
