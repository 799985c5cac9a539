/**
 * The figures a researcher would put in a paper, in headless Chromium against the real stack, each
 * compared with its committed baseline (tests/baselines/, `npm run test:update-screenshots`):
 * the demo's skip-connection comparison (the same experiment, size and seed as the demo, on MNIST
 * digits) as contours and in 3D with default settings, where both surfaces must show their basin;
 * a PCA plane that holds its whole optimizer path; a 1D slice with axis titles; an Iris plane with
 * only its significant critical points. Then the exports of two Iris planes: the export dialog in
 * the paper and dark themes; a surface's PDF and SVG with its note's label, a PNG of the size and
 * DPI asked for, VTP and glTF read back; the settings kept for the user; the comparison (panels,
 * one colour bar, A − B, the marks' key) as SVG rendered back in both themes, PDF and PNG; the
 * compare page signed out without a link; an interpolation made without a count exported as a
 * line plot (twin axes, the models marked) in both themes (WRITE_DOC_FIGURES=1 writes the paper
 * ones to docs/figures/).
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASELINES, compareWithBaseline, matchBaseline } from "./support/baseline.js";
import { type Browser, launchBrowser, watchedPage, pageGraphql as gql } from "./support/browser.js";
import { basinShare, downloadFrom, pdfText, picture, renderSvg, until } from "./support/figures.js";
import { REPO_ROOT } from "./support/paths.js";
import { drawn } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

describe("figures for a paper", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];
  let projectId = "";
  let irisPlane = "";
  /** The two Iris planes the export test compares. */
  let comparedPlanes: string[] = [];

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
    // At equal aspect in 3D too: the floor's sides are as long as PC1's and PC2's ranges.
    const [floorX, floorY] = (await pca3d.getAttribute("data-plane"))!.split(" ").map(Number) as [number, number];
    const extent = [plane.xs.at(-1) - plane.xs[0], plane.ys.at(-1) - plane.ys[0]] as [number, number];
    expect(Math.max(floorX, floorY)).toBe(1);
    expect(floorY / floorX).toBeCloseTo(extent[1] / extent[0], 2);
    expect(floorY / floorX).not.toBeCloseTo(1, 1);
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

    // The plane: only points of at least 1% of the capped loss range, a handful at most, and the slider
    // shows more.
    await page.goto(`${stack.runtime.url}/surfaces/${irisPlane}`);
    const count = page.getByTestId("critical-count");
    await count.waitFor();
    const [shown, all] = ((await count.textContent())!.match(/(\d+) of (\d+) points/) ?? []).slice(1).map(Number) as [number, number];
    expect(shown).toBeGreaterThanOrEqual(1);
    expect(shown).toBeLessThanOrEqual(5);
    expect(all).toBeGreaterThanOrEqual(shown);
    await matchBaseline(await picture(page, page.getByTestId("plot-2d")), "iris-plane-significant");
    // Each kind shown has its glyph, explained beside the plot.
    const key = page.getByTestId("mark-key");
    const kinds = await Promise.all((await key.locator(".mark-key-item").all()).map((item) => item.getAttribute("data-kind")));
    expect(kinds.length).toBeGreaterThanOrEqual(1);
    expect(await key.textContent()).toContain("minima (lowest point of its neighbourhood)");
    expect(await key.locator("svg.glyph path").count()).toBe(kinds.length);
    await matchBaseline(await page.locator(".critical-legend").screenshot(), "iris-plane-mark-key");
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
    const renderBack = (svg: Buffer) => renderSvg(browser, svg);

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
    // On the page as in the figure: panels A and B, and the difference A − B, first minus second.
    expect(await page.locator("figure.compare-cell figcaption").allTextContents()).toEqual([expect.stringMatching(/^A Iris MLP, width 16/), expect.stringMatching(/^B Iris MLP, width 4/)]);
    expect(await page.getByTestId("mark-key").textContent()).toContain("minima");
    await page.getByLabel("Difference view: A − B (first minus second)").check();
    const differencePanel = page.getByTestId("difference-panel");
    expect(await differencePanel.locator("figcaption").textContent()).toBe("A − B Iris MLP, width 16 minus Iris MLP, width 4: below 0 where A is lower, above 0 where B is lower");
    expect(await page.getByTestId("colour-bar").getAttribute("aria-label")).toMatch(/^Loss, A − B colour scale from -\d/);
    await drawn(differencePanel.getByTestId("plot-2d"));
    await matchBaseline(await differencePanel.screenshot(), "compare-difference-panel");
    await page.getByLabel("Difference view: A − B (first minus second)").uncheck();
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
      // The marks' glyphs, and their key under the panels.
      expect(text).toMatch(/<path class="critical minimum"/);
      expect(text).toContain(">minimum</text>");
      expect(text).toContain(">note</text>");
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
    comparedPlanes = planes;
  }, 600_000);

  it("signed out without a link, a comparison says what it is and how to open it", async () => {
    expect(comparedPlanes).toHaveLength(2);
    const visitor = await launchBrowser({ width: 1100, height: 700 });
    try {
      const { page: outside, problems: seen } = await watchedPage(visitor);
      const url = `${stack.runtime.url}/compare?ids=${comparedPlanes.join(",")}`;
      await outside.goto(url);
      const gate = outside.getByTestId("compare-signed-out");
      await gate.waitFor({ timeout: 30_000 });
      expect(await outside.getByRole("heading", { level: 1 }).textContent()).toBe("Compare loss surfaces");
      expect(await gate.textContent()).toContain("not public");
      // Sign in comes back to this comparison; a share link and the gallery are named.
      const signIn = new URL(await gate.getByRole("link", { name: "Sign in" }).getAttribute("href") ?? "", stack.runtime.url);
      expect(signIn.pathname).toBe("/signin");
      expect(signIn.searchParams.get("next")).toBe(`/compare?ids=${comparedPlanes.join(",")}`);
      expect(await gate.textContent()).toContain("/share/");
      expect(await gate.getByRole("link", { name: "Browse the public gallery" }).getAttribute("href")).toBe("/gallery");
      expect(await outside.getByText("Sign in or send an API token").count()).toBe(0);
      await matchBaseline(await outside.screenshot(), "compare-signed-out");
      // Without surfaces named, the same page.
      await outside.goto(`${stack.runtime.url}/compare`);
      await gate.waitFor();
      // Signing in from it opens the comparison.
      await outside.goto(url);
      await gate.getByRole("link", { name: "Sign in" }).click();
      await outside.getByLabel("Email").fill("figures@example.org");
      await outside.getByLabel("Password").fill("correct horse battery");
      await outside.getByRole("button", { name: "Sign in" }).click();
      await outside.getByTestId("plot-2d").nth(1).waitFor({ timeout: 30_000 });
      expect(outside.url()).toContain(`/compare?ids=${comparedPlanes.join(",")}`);
      // Pages refused before signing in log the refusals; nothing else went wrong.
      expect(seen.filter((p) => !/status of 4\d\d|UNAUTHENTICATED|NOT_FOUND/.test(p))).toEqual([]);
    } finally {
      await visitor.close();
    }
  }, 300_000);

  it("exports a 1D figure as a line plot, loss and accuracy on twin axes with the models marked, in the paper and dark themes", async () => {
    const iris = (await gql(page, `mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    // Two runs of one MLP from different seeds: an interpolation between them, as in Li et al.'s Figure 2.
    const train = async (seed: number) => {
      const run = (await gql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
        input: { projectId, datasetId: iris, name: `MLP seed ${seed}`, architecture: { kind: "MLP", depth: 2, width: 8 }, options: { epochs: 15, batchSize: 16, learningRate: 0.05, optimizer: "ADAM", seed } },
      })).startTraining;
      expect(run.ok, run.error?.message).toBe(true);
      return until(`training seed ${seed}`, async () => {
        const r = (await gql(page, `query ($id: ID!) { trainingRun(id: $id) { status modelId } }`, { id: run.run.id })).trainingRun;
        expect(r.status).not.toBe("FAILED");
        return r.status === "READY" ? (r.modelId as string) : null;
      });
    };
    const [a, b] = await Promise.all([train(1), train(2)]);
    // No count given: an interpolation gets 61 points.
    const created = (await gql(page, `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id pointsTotal } } }`, {
      input: { projectId, modelId: a, modelBId: b, datasetId: iris, kind: "INTERPOLATION", name: "Iris MLP: seed 1 to seed 2", params: { x: { min: -0.5, max: 1.5 } } },
    })).createSurface;
    expect(created.error).toBeNull();
    expect(created.surface.pointsTotal).toBe(61);
    const id = created.surface.id as string;
    await until(`surface ${id}`, async () => ((await gql(page, `query ($id: ID!) { surface(id: $id) { status } }`, { id })).surface.status === "READY" ? true : null));

    await page.goto(`${stack.runtime.url}/surfaces/${id}`);
    await drawn(page.getByTestId("plot-1d"));
    await page.getByRole("button", { name: "Export figure…" }).click();
    const dialog = page.getByTestId("export-dialog");
    await dialog.getByTestId("export-preview").waitFor();
    const renderBack = (svg: Buffer) => renderSvg(browser, svg);
    for (const theme of ["paper", "dark"] as const) {
      await dialog.getByRole("button", { name: theme === "paper" ? "Paper (light)" : "Dark" }).click();
      await dialog.getByRole("button", { name: "Single column (3.25 in)" }).click();
      await dialog.getByLabel("DPI").fill("300");
      await dialog.getByRole("button", { name: "SVG" }).click();
      const svg = await downloadFrom(page, "Download SVG");
      const text = svg.body.toString("utf8");
      expect(svg.name).toMatch(new RegExp(`-1d-${theme}\\.svg$`));
      // Twin axes titled, the models named under the t axis, no colour bar.
      for (const words of [">Loss</text>", ">Accuracy</text>", ">t</text>", ">loss (left axis)</text>", ">accuracy (right axis)</text>", ">models: A, B</text>"]) expect(text).toContain(words);
      expect(text.match(/class="model-name"[^>]*>[AB]</g)).toHaveLength(2);
      expect(text).not.toContain(`class="colour-bar"`);
      expect(text.match(/<polyline class="(loss|accuracy)"[^>]*points="([^"]*)"/g)!.map((l) => l.match(/points="([^"]*)"/)![1]!.split(" ").length)).toEqual([61, 61]);
      await matchBaseline(await renderBack(svg.body), `interpolation-export-${theme}`);
      await dialog.getByRole("button", { name: "PDF" }).click();
      const pdf = await downloadFrom(page, "Download PDF");
      expect(pdf.body.includes("/Subtype /Image")).toBe(false);
      for (const words of ["(Loss)", "(Accuracy)", "(models: A, B)"]) expect(pdfText(pdf.body)).toContain(words);
      await dialog.getByRole("button", { name: "PNG" }).click();
      const png = await downloadFrom(page, "Download PNG");
      expect(PNG.sync.read(png.body).width).toBe(975);
      if (process.env.WRITE_DOC_FIGURES === "1" && theme === "paper") {
        for (const [ext, body] of [["svg", svg.body], ["pdf", pdf.body], ["png", png.body]] as const) await fs.writeFile(`${REPO_ROOT}/docs/figures/interpolation-paper.${ext}`, body);
      }
    }
    // Back to a new user's settings.
    const reset = (await gql(page, `mutation { saveExportSettings(input: { theme: PAPER, format: PDF, width: 3.25, height: 2.6, unit: IN, dpi: 300 }) { ok } }`)).saveExportSettings;
    expect(reset.ok).toBe(true);
  }, 600_000);

  it("a picture that lost its plot fails the comparison", async () => {
    const base = PNG.sync.read(await fs.readFile(`${BASELINES}/iris-plane-significant.png`));
    const blank = new PNG({ width: base.width, height: base.height });
    blank.data.fill(0);
    for (let i = 3; i < blank.data.length; i += 4) blank.data[i] = 255;
    await expect(compareWithBaseline(PNG.sync.write(blank), "iris-plane-significant")).rejects.toThrow(/differ from the baseline/);
  });
});
