/**
 * The web app end to end in headless Chromium against the real stack: sign up, upload a tiny
 * model and dataset through the page, compute surfaces live, look at them as contours and in 3D,
 * pin a note, compare two surfaces, and open a share link signed out. Screenshots of every plot
 * go to test-output/web-*.png; the tests wait for plots to say they have drawn, and check what they
 * show: the colour of grid cells against their values and the colour bar, the value under the pointer.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { mlpFiles, npyPair, perturbed } from "../server/src/testing/uploads.js";
import { type Browser, distinctColours, launchBrowser, pageGraphql, screenshots, sidewaysOverflow, watchedPage } from "./support/browser.js";
import { allPlotsDrawn, drawn, expectGridColours, expectHeatmapColourUnderPointer, expectReadoutUnderPointer, pixelsNear, spreadCells } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("web");

describe("web app flows in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let filesDir: string;
  let page: Page;
  let problems: string[] = [];
  let firstSurface = "";
  let secondSurface = "";

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1" }), launchBrowser()]);
    filesDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-web-files-"));
    const model = await mlpFiles([4, 8, 3]);
    await fs.writeFile(path.join(filesDir, "model.json"), model.modelJson);
    for (const [name, bytes] of model.shards) await fs.writeFile(path.join(filesDir, name), bytes);
    // Checkpoints of a pretend training run: the model moved less and less toward its end.
    for (const [k, scale] of [[1, 0.3], [2, 0.15], [3, 0.05]] as const) {
      const ck = perturbed(model, scale, k);
      await fs.mkdir(path.join(filesDir, `ck${k}`));
      await fs.writeFile(path.join(filesDir, `ck${k}`, "model.json"), ck.modelJson);
      for (const [name, bytes] of ck.shards) await fs.writeFile(path.join(filesDir, `ck${k}`, name), bytes);
    }
    const pair = npyPair(60, 4, 3);
    await fs.writeFile(path.join(filesDir, "x.npy"), pair.x);
    await fs.writeFile(path.join(filesDir, "y.npy"), pair.y);
    ({ page, problems } = await watchedPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (filesDir) await fs.rm(filesDir, { recursive: true, force: true });
  });

  async function newSurface(projectUrl: string, seed: number): Promise<string> {
    await page.goto(projectUrl);
    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByLabel("Dataset").selectOption({ label: "points (60 rows)" });
    await page.getByLabel("a points").fill("11");
    await page.getByLabel("b points").fill("11");
    await page.getByLabel("Seed").fill(String(seed));
    await page.getByLabel("Name").fill(`plane seed ${seed}`);
    // The server's estimate: FLOPs per point from the model's size and the samples and, once the
    // workers have computed a surface, the time at the FLOP rate they reached.
    const estimate = page.getByTestId("estimate");
    await estimate.getByText(/^Work: 121 grid points × 60 samples, about [\d.]+ kFLOP per point/).waitFor();
    if (seed > 1) {
      await estimate.getByText(/about \d+ s of the workers' time at the speed they reached in the last ten minutes/).waitFor();
      await shoot(page.locator("form:has([data-testid=estimate])"), "new-surface-cost");
    }
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.waitForURL(/\/surfaces\//);
    await page.locator(".badge.status-ready").waitFor({ timeout: 90_000 });
    return page.url().split("/surfaces/")[1]!.split("?")[0]!;
  }

  it("signs up, creates a project and uploads a model and a dataset with per-file progress", async () => {
    await page.goto(`${stack.runtime.url}/signup`);
    await page.getByLabel("Name").fill("Ada");
    await page.getByLabel("Email").fill("ada@example.org");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByLabel("Project name").fill("Landscapes");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("heading", { name: "Landscapes" }).waitFor();

    await page.getByTestId("upload-input").setInputFiles([path.join(filesDir, "model.json"), path.join(filesDir, "group1-shard1of1.bin")]);
    await page.getByLabel("Upload name").fill("mlp 4-8-3");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByTestId("upload-result").waitFor();
    expect(await page.getByTestId("upload-result").textContent()).toMatch(/Model “mlp 4-8-3” is valid.*parameters/);
    expect(await page.getByRole("progressbar", { name: "Upload of model.json" }).getAttribute("aria-valuenow")).toBe("100");

    await page.getByTestId("upload-input").setInputFiles([path.join(filesDir, "x.npy"), path.join(filesDir, "y.npy")]);
    await page.getByLabel("Upload name").fill("points");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Dataset “points” is valid").waitFor();
    expect(await page.getByTestId("upload-result").textContent()).toContain("60 rows");
    await shoot(page, "project");

    await page.getByRole("button", { name: "Add Iris" }).click();
    await page.getByText("Iris added.").waitFor();
    await page.getByText(/150 rows/).waitFor();

    // Members: a colleague is invited by email, and joins once they accept.
    const bob = new TestClient(stack.runtime.url);
    await bob.signUp("bob@example.org", "Bob", "bob's long password");
    await page.getByRole("form", { name: "Invite a member" }).getByLabel("Email").fill("bob@example.org");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await page.getByText("Invitation for bob@example.org saved.").waitFor();
    await page.getByRole("list", { name: "Pending invitations" }).getByText("bob@example.org").waitFor();
    const waiting = (await bob.data(`{ myInvitations(first: 5) { nodes { id } } }`)).myInvitations.nodes;
    await bob.verifyEmail("bob@example.org", path.join(dataDir, "mail"));
    expect((await bob.data(`mutation ($id: ID!) { acceptInvitation(id: $id) { ok } }`, { id: waiting[0].id })).acceptInvitation.ok).toBe(true);
    await page.reload();
    await page.getByRole("list", { name: "Members" }).getByText("bob@example.org").waitFor();
    expect(await page.getByLabel("Role of Bob").inputValue()).toBe("VIEWER");

    // A personal API token: shown once, then revocable.
    const projectUrl = page.url();
    await page.getByRole("link", { name: "Ada" }).click();
    await page.getByLabel("Token name").fill("notebook");
    await page.getByRole("button", { name: "Create token" }).click();
    expect(await page.getByTestId("new-token").textContent()).toMatch(/\S{20,}/);
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("revoked", { exact: true }).waitFor();
    await page.goto(projectUrl);
  });

  it("computes a surface that fills in live, and draws contours and a 3D mesh", async () => {
    const projectUrl = page.url();
    firstSurface = await newSurface(projectUrl, 1);
    const plot2d = page.getByTestId("plot-2d");
    await drawn(plot2d);
    await shoot(plot2d, "contours");
    // What the heatmap shows: off the centre (the trained model's marker), the cell under the
    // pointer has the colour bar's colour of the value the readout gives for it.
    await expectHeatmapColourUnderPointer(page, plot2d, [0.5, 0.4]);
    await expectHeatmapColourUnderPointer(page, plot2d, [-0.6, -0.7]);

    // Hover readout at the plot's centre: (a, b) near 0 and a loss value.
    const box = (await plot2d.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId("readout").textContent()).toMatch(/a = .*b = .*loss = \d/);

    // Pin a note where we click.
    await page.mouse.click(box.x + box.width / 2 + 20, box.y + box.height / 2 - 20);
    await page.getByLabel("Label").fill("flat valley");
    await page.getByLabel("Text").fill("wide basin around the trained weights");
    await page.getByRole("button", { name: "Pin note" }).click();
    await page.locator(".notes").getByText("flat valley").waitFor();
    // Edit it, and pin and delete a second one.
    await page.locator(".notes").getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Kind").selectOption("MINIMUM");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".notes .badge", { hasText: "minimum" }).waitFor();
    await page.mouse.click(box.x + box.width / 2 - 60, box.y + box.height / 2 + 40);
    await page.getByLabel("Label").fill("to delete");
    await page.getByRole("button", { name: "Pin note" }).click();
    await page.locator(".notes").getByText("to delete").waitFor();
    await page.locator(".notes li", { hasText: "to delete" }).getByRole("button", { name: "Edit" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => page.locator(".notes li").count()).toBe(1);
    await drawn(plot2d);
    await shoot(plot2d, "contours-annotated");

    // The plot is reachable by keyboard, and the camera it moves to is kept in the address.
    await plot2d.locator("canvas").focus();
    await page.keyboard.press("Equal");
    await page.waitForURL(/cam=/);

    await page.getByRole("button", { name: "Log" }).click();
    await page.getByRole("button", { name: "3D" }).click();
    const plot3d = page.getByTestId("plot-3d");
    await drawn(plot3d);
    await shoot(plot3d, "mesh-3d");
    // Log ticks are round numbers, never "1.70181184".
    const meshText = (await page.getByTestId("plot-text").textContent())!;
    expect(meshText).toContain("Loss");
    expect(meshText).not.toMatch(/\d\.\d{4,}/);
    // The readout in 3D comes from picking the mesh: a value under the pointer means the mesh is there.
    expect(await expectReadoutUnderPointer(page, plot3d, [0, -0.1])).toMatch(/a = .*b = .*loss = \d/);
    await shoot(page, "viewer");
  });

  it("compares two surfaces on one colour scale", async () => {
    const projectUrl = `${stack.runtime.url}${await page.getByTestId("breadcrumb").getByRole("link", { name: "Landscapes", exact: true }).getAttribute("href")}`;
    secondSurface = await newSurface(projectUrl, 2);
    await page.goto(`${stack.runtime.url}/compare?ids=${firstSurface},${secondSurface}`);
    const plots = page.getByTestId("plot-2d");
    await expect.poll(() => plots.count()).toBe(2);
    const valuesOf = async (id: string) => (await pageGraphql(page, `query ($id: ID!) { surface(id: $id) { values(metric: LOSS) } }`, { id })).surface.values as number[][];
    const [first, second] = [await valuesOf(firstSurface), await valuesOf(secondSurface)];
    // One colour scale: each plot's cells have the colours of their own values on the one colour bar.
    const cells = spreadCells(first);
    await expectGridColours(page, plots.nth(0), first, cells);
    await expectGridColours(page, plots.nth(1), second, cells);
    await shoot(plots.nth(0), "compare-left");
    await shoot(plots.nth(1), "compare-right");
    await shoot(page, "compare");

    // Same grid: a difference view.
    // The panels are A and B, and the difference is A − B, as the exported figure calls it.
    expect(await page.locator("figure.compare-cell .panel-letter").allTextContents()).toEqual(["A", "B"]);
    await page.getByLabel("Difference view: A − B (first minus second)").check();
    const difference = page.getByRole("img", { name: "A − B: difference of the two surfaces, first minus second" });
    await drawn(difference);
    expect(await page.getByTestId("difference-panel").locator(".panel-letter").textContent()).toBe("A − B");
    expect(await page.getByTestId("colour-bar").getAttribute("aria-label")).toMatch(/^Loss, A − B colour scale/);
    // Its cells have the colours of first minus second on the difference's own (coolwarm) colour bar.
    const differences = first.map((row, j) => row.map((v, i) => v - second[j]![i]!));
    await expectGridColours(page, difference, differences, cells, { map: "coolwarm" });
    await shoot(difference, "compare-difference");
    await page.getByLabel("Difference view: A − B (first minus second)").uncheck();
    await expect.poll(() => plots.count()).toBe(2);
    await drawn(plots.nth(1));

    // One camera: zooming the left plot zooms the right one too.
    const before = await plots.nth(1).screenshot();
    const left = (await plots.nth(0).boundingBox())!;
    await page.mouse.move(left.x + left.width / 2, left.y + left.height / 2);
    await page.mouse.wheel(0, -400);
    // Deck's wheel zoom is animated: the right plot's picture changes as its camera follows.
    await expect.poll(async () => (await plots.nth(1).screenshot()).equals(before), { timeout: 10_000 }).toBe(false);
    await shoot(page, "compare-zoomed");

    // The gallery shows both with thumbnails.
    await page.getByRole("link", { name: "Gallery" }).click();
    await expect.poll(() => page.locator(".gallery img").count(), { timeout: 15_000 }).toBe(2);
    // (A string, evaluated in the page: this suite's TypeScript has no DOM types.)
    // Polled with evaluate: waitForFunction compiles its string in the page, which our CSP forbids.
    await expect
      .poll(() => page.evaluate(`[...document.querySelectorAll(".gallery img")].every((i) => i.complete && i.naturalWidth > 0)`), { timeout: 30_000, message: "gallery thumbnails to load" })
      .toBe(true);
    await shoot(page, "gallery");
  });

  it("draws a 1D slice as a line chart", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${firstSurface}`);
    await page.getByTestId("breadcrumb").getByRole("link", { name: "Landscapes", exact: true }).click();
    await page.getByRole("heading", { name: "Landscapes" }).waitFor();
    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByLabel("Kind").selectOption("LINE");
    await page.getByLabel("a points").fill("11");
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.locator(".badge.status-ready").waitFor({ timeout: 90_000 });
    const plot = page.getByTestId("plot-1d");
    await drawn(plot);
    await shoot(plot, "line-1d");
    // The line is drawn in its orange (line-layers.ts) across the plot, and the readout
    // follows it: a value of a along the line under the pointer.
    expect(pixelsNear(await plot.screenshot(), [240, 162, 75])).toBeGreaterThan(200);
    expect(await expectReadoutUnderPointer(page, plot, [0.3, 0])).toMatch(/^a = [-\d.e]+, loss = [\d.e+-]+, accuracy = [\d.e+-]+$/);
    // Twin axes: loss on the left, accuracy on the right (0 to 1), the x ticks, and a legend of both
    // curves; no colour bar.
    const text = (await page.getByTestId("plot-text").textContent())!.split(" · ");
    expect(text).toEqual(expect.arrayContaining(["-1", "-0.5", "0", "0.5", "1", "a", "Loss", "Accuracy", "0.25", "0.75"]));
    expect(await page.getByTestId("series-legend").locator("li").allTextContents()).toEqual(["loss (left axis)", "accuracy (right axis)"]);
    expect(await page.getByTestId("colour-bar").count()).toBe(0);
  });

  it("uploads checkpoints and draws a PCA plane with the optimizer's path", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${firstSurface}`);
    await page.getByTestId("breadcrumb").getByRole("link", { name: "Landscapes", exact: true }).click();
    await page.getByRole("heading", { name: "Landscapes" }).waitFor();
    for (const k of [1, 2, 3]) {
      await page.getByTestId("upload-input").setInputFiles([path.join(filesDir, `ck${k}`, "model.json"), path.join(filesDir, `ck${k}`, "group1-shard1of1.bin")]);
      await page.getByLabel("Kind").selectOption("CHECKPOINT");
      await page.getByLabel("Training step").fill(String(k * 10));
      await page.getByRole("button", { name: "Upload", exact: true }).click();
      await page.getByText(`Checkpoint at step ${k * 10} is valid`).waitFor();
    }
    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByLabel("Kind").selectOption("PCA");
    // The ranges follow the path by default; only the points are chosen here.
    await expect.poll(() => page.getByLabel("a from").isDisabled()).toBe(true);
    for (const axis of ["a", "b"]) await page.getByLabel(`${axis} points`).fill("11");
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.locator(".badge.status-ready").waitFor({ timeout: 90_000 });
    const plot = page.getByTestId("plot-2d");
    await drawn(plot);
    await shoot(plot, "pca-path");
    expect((await expectHeatmapColourUnderPointer(page, plot, [0.6, -0.6])).readout).toMatch(/PC1 \(\d+\.\d%\) = .*PC2 \(\d+\.\d%\) = .*loss = \d/);
    // Hover the 3D mesh too: the readout follows the surface there as well.
    await page.getByRole("button", { name: "3D" }).click();
    const plot3d = page.getByTestId("plot-3d");
    await drawn(plot3d);
    const box = (await plot3d.boundingBox())!;
    // At equal aspect the mesh's floor is as narrow as PC2's range: the pointer goes over a few
    // places below the middle, staying at each for three polls, until one is on the mesh.
    const readout = page.getByTestId("readout");
    let polls = 0;
    await expect.poll(async () => {
      const [dx, dy] = ([[0, 30], [0, 60], [-60, 40], [60, 40], [0, 0], [0, 90]] as const)[Math.floor(polls++ / 3) % 6]!;
      await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
      return readout.textContent();
    }, { timeout: 20_000, interval: 200 }).toMatch(/PC1 \(\d+\.\d%\) = .*PC2 \(\d+\.\d%\) = .*loss = \d/);
    await shoot(plot3d, "pca-3d");
    // The optimizer's path is drawn on the surface in 3D too.
    expect((await plot3d.getAttribute("data-layers"))!.split(" ")).toEqual(expect.arrayContaining(["path-3d", "path-3d-steps"]));
    // The path is a projection: how far each checkpoint lies off the plane is shown beside it.
    await page.getByText(/Optimizer path: \d+ checkpoints, up to [\d.]+% of their distance/).waitFor();
    expect(await page.locator(".path-table tbody tr").count()).toBeGreaterThanOrEqual(3);
  });

  it("plays the landscape over training: the same plane around every checkpoint", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${firstSurface}`);
    await page.getByRole("button", { name: "Compute over training (3 checkpoints)" }).click();
    await page.getByText("3 of 3 frames ready").waitFor({ timeout: 90_000 });
    const plot = page.getByTestId("plot-2d");
    const frame = page.getByTestId("series-frame");
    // Each frame's cells have the colours of that checkpoint's own values.
    const series = (await pageGraphql(page, `query ($id: ID!) { surface(id: $id) { series { id params { checkpointStep } } } }`, { id: firstSurface })).surface.series as { id: string; params: { checkpointStep: number } }[];
    const valuesAtStep = async (step: number) =>
      (await pageGraphql(page, `query ($id: ID!) { surface(id: $id) { values(metric: LOSS) } }`, { id: series.find((f) => f.params.checkpointStep === step)!.id })).surface.values as number[][];
    const cells: [number, number][] = [[2, 8], [8, 3], [1, 1]];
    // Frames by the slider: the checkpoint furthest from the trained model looks different.
    await page.getByLabel("Checkpoint").fill("0");
    await expect.poll(() => frame.textContent()).toMatch(/step 10 · 1 of 3/);
    await expectGridColours(page, plot, await valuesAtStep(10), cells);
    const early = await plot.screenshot();
    await shoot(plot, "series-step-10");
    await page.getByLabel("Checkpoint").fill("2");
    await expect.poll(() => frame.textContent()).toMatch(/step 30 · 3 of 3/);
    await expectGridColours(page, plot, await valuesAtStep(30), cells);
    await shoot(plot, "series-step-30");
    expect((await plot.screenshot()).equals(early)).toBe(false);
    // Play: the frames advance by themselves, in step order, until paused.
    await page.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => frame.textContent(), { timeout: 5_000 }).toMatch(/step 10 · 1 of 3/);
    await expect.poll(() => frame.textContent(), { timeout: 5_000 }).toMatch(/step 20 · 2 of 3/);
    await page.getByRole("button", { name: "Pause" }).click();
    await shoot(page, "series");
    await page.getByRole("button", { name: "Back to this surface" }).click();
    await expect.poll(() => frame.textContent()).toMatch(/showing this surface/);
  });

  // Last of the tests that compute: a cancelled surface's tile in flight keeps the worker busy a while.
  it("shows a larger surface filling in live, and cancels it", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${firstSurface}`);
    await page.getByTestId("breadcrumb").getByRole("link", { name: "Landscapes", exact: true }).click();
    await page.getByRole("link", { name: "New surface" }).click();
    await page.getByLabel("Dataset").selectOption({ label: "points (60 rows)" });
    // Large enough that it is still computing when Cancel is pressed, on a quiet machine too.
    await page.getByLabel("a points").fill("121");
    await page.getByLabel("b points").fill("121");
    await page.getByLabel("Name").fill("fine plane");
    await page.getByRole("button", { name: "Compute surface" }).click();
    await page.getByTestId("live-progress").waitFor();
    // The first tiles arrive over the subscription and are drawn before the surface is done.
    const plot = page.getByTestId("plot-2d");
    await plot.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("live-progress").isVisible()).toBe(true);
    await drawn(plot);
    await shoot(page, "live");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator(".badge.status-cancelled").waitFor({ timeout: 30_000 });
  });

  it("opens a share link signed out, with the same view", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${firstSurface}?view=3d&map=magma`);
    await page.getByRole("button", { name: "Share view" }).click();
    const link = await page.getByTestId("share-link").inputValue();
    expect(link).toMatch(/\/share\/.+\/surfaces\/.+view=3d/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    await page.goto(link);
    const plot3d = page.getByTestId("plot-3d");
    await plot3d.waitFor({ timeout: 20_000 });
    await page.locator(".notes").getByText("flat valley").waitFor();
    expect(await page.getByRole("button", { name: "Pin note" }).count()).toBe(0);
    expect(await expectReadoutUnderPointer(page, plot3d, [0, -0.1])).toMatch(/a = .*b = .*loss = \d/);
    await shoot(plot3d, "shared-3d");

    // Exports work signed out too.
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    const csvText = await fs.readFile((await csv.path())!, "utf8");
    expect(csvText.split("\n")[0]).toBe("a,b,loss,accuracy");
    expect(csvText.trim().split("\n")).toHaveLength(1 + 121);
    // The 3D view has no vector figure: its export is the canvas framed as a PNG, in the theme chosen.
    await page.getByRole("button", { name: "Export figure…" }).click();
    const dialog = page.getByTestId("export-dialog");
    await dialog.getByRole("button", { name: "Dark" }).click();
    expect(await dialog.getByRole("button", { name: "PDF" }).count()).toBe(0);
    const [png] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Download PNG" }).click()]);
    expect(png.suggestedFilename()).toMatch(/-3d-dark\.png$/);
    // A file, with no readout or colour bar to read back and no fixed size to hold a baseline to:
    // that it holds a drawn picture, not a blank one, is what is left to check of it here.
    expect(distinctColours(await fs.readFile((await png.path())!))).toBeGreaterThan(30);

    await page.setViewportSize({ width: 420, height: 900 });
    await page.getByRole("button", { name: "Contours" }).click();
    await expectHeatmapColourUnderPointer(page, page.getByTestId("plot-2d"), [0.5, 0.5], { map: "magma" });
    await shoot(page, "shared-narrow");
    expect((await sidewaysOverflow(page)).pixels).toBeLessThanOrEqual(1);

    // A wrong password is refused in words.
    await page.goto(`${stack.runtime.url}/signin`);
    await page.getByLabel("Email").fill("ada@example.org");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/\w+ \w+/);
    // (The sign-in refusal is a 200 with ok: false; no other console errors are expected.)
    expect(problems).toEqual([]);
  });

  it("fits a narrow window on every page a signed-in user visits", async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.goto(`${stack.runtime.url}/signin`);
    await page.getByLabel("Email").fill("ada@example.org");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/projects$/);
    const projectPath = await page.locator("main a[href^='/projects/']").first().getAttribute("href");
    const pages: [string, string, string][] = [
      ["projects", "/projects", "Projects"],
      ["project", projectPath!, "Surfaces"],
      ["new-surface", `${projectPath}/new-surface`, "New surface"],
      ["gallery", "/gallery", "Gallery"],
      ["surface", `/surfaces/${firstSurface}?view=2d`, "Landscape over training"],
      ["compare", `/compare?ids=${firstSurface},${secondSurface}`, "Compare"],
      ["account", "/account", "API tokens"],
    ];
    for (const [name, where, heading] of pages) {
      await page.goto(`${stack.runtime.url}${where}`);
      await page.getByRole("heading", { name: heading }).first().waitFor();
      await allPlotsDrawn(page);
      await shoot(page, `narrow-${name}`);
      const overflow = await sidewaysOverflow(page);
      expect(overflow.pixels, `${name} page is wider than the window: ${overflow.widest.join(", ")}`).toBeLessThanOrEqual(1);
    }
  });
});
