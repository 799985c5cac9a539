/**
 * "What filter normalization fixes" in the web app, end to end in headless Chromium against the
 * real stack: start the small experiment on Iris from the project page, then read it pair by pair:
 * each run's test error, the interpolation between the minima, the slices without and with filter
 * normalization with their basin widths, and the planes. Screenshots go to
 * test-output/web-normalization-*.png.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, pageGraphql, screenshots, sidewaysOverflow, signUpWithProject, watchedPage } from "./support/browser.js";
import { TEST_OUTPUT } from "./support/paths.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("web-normalization");
const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;
const fmt = (v: number) => Number(v.toPrecision(2)).toString();

describe("what filter normalization fixes, in Chromium", () => {
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

  it("shows each pair's test errors beside its interpolation, slices and planes, without and with normalization", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signUpWithProject(page, stack.runtime.url, "Sharpness");
    await page.getByRole("button", { name: "Add Iris" }).click();
    await page.getByText("Iris added.").waitFor();

    await page.getByText("Run an experiment", { exact: true }).click();
    const form = page.getByRole("form", { name: "Run an experiment" });
    await form.getByLabel("Comparison").selectOption("NORMALIZATION");
    await form.getByText("beside each run's test error on held-out rows").waitFor();
    await form.getByLabel("Size").selectOption("SMALL");
    await form.getByRole("button", { name: "Start experiment" }).click();
    await page.waitForURL(/\/experiments\//);
    const experimentId = page.url().split("/experiments/")[1]!.split("?")[0]!;
    for (const role of ["batch 8", "batch 100", "batch 8, weight decay 5e-4"]) await page.getByRole("article", { name: role, exact: true }).waitFor();

    // Training, then the surfaces: the page polls until all are ready and their figures drawn.
    await expect.poll(async () => (await pageGraphql(page, `query ($id: ID!) { experiment(id: $id) { status } }`, { id: experimentId })).experiment.status, { timeout: 300_000, interval: 2000 }).toBe("READY");
    const figures = page.getByTestId("norm-line-figure");
    await expect.poll(() => figures.count(), { timeout: 60_000 }).toBe(6);
    await expect.poll(() => figures.evaluateAll((imgs) => imgs.every((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth > 0; }))).toBe(true);

    const { experiment } = await pageGraphql(page, `query ($id: ID!) { experiment(id: $id) { caption pairs { title sides { role testError } panels { kind normalization surfaces { statistics { basinWidth } } } } } }`, { id: experimentId });
    for (const pair of experiment.pairs as { title: string; sides: { role: string; testError: number }[]; panels: { kind: string; normalization: string | null; surfaces: { statistics: { basinWidth: number } }[] }[] }[]) {
      const section = page.getByRole("region", { name: pair.title });
      // Both sides' test errors, as measured, head the pair.
      const errors = await section.getByTestId("norm-test-errors").textContent();
      for (const side of pair.sides) expect(errors).toContain(`${side.role} ${pct(side.testError)}`);
      // Then the panels in the paper's order, each slice with its measured basin width and test error.
      await expect.poll(() => section.locator("article h4").allTextContents()).toEqual([
        `Interpolation from ${pair.sides[0]!.role} (t = 0) to ${pair.sides[1]!.role} (t = 1)`,
        "1D slices without normalization",
        "1D slices with filter normalization",
        "Planes without normalization",
        "Planes with filter normalization",
      ]);
      for (const panel of pair.panels.filter((p) => p.kind === "line")) {
        const name = `1D slices ${panel.normalization === "FILTER" ? "with filter normalization" : "without normalization"}`;
        const measures = section.getByRole("list", { name: `Measures, ${name}` });
        const items = await measures.locator("li").allTextContents();
        expect(items).toEqual(panel.surfaces.map((s, k) => `${pair.sides[k]!.role} (${k === 0 ? "solid" : "dashed"}): basin width ${fmt(s.statistics.basinWidth)}, test error ${pct(pair.sides[k]!.testError)}`));
      }
      const planes = section.getByRole("article", { name: "Planes with filter normalization" }).locator("img");
      await expect.poll(() => planes.count()).toBe(2);
      await shoot(section, `pair-${pair.sides[1]!.role.replace(/[^a-z0-9]+/gi, "-")}`);
    }
    expect(await page.getByTestId("experiment-caption").textContent()).toContain(experiment.caption);
    expect(experiment.caption).toMatch(/Measured \(basin width: .*Small vs large batch, without weight decay: test error batch 8 [\d.]+%, batch 100 [\d.]+%/);
    // The whole page, caption to last plane, as a researcher scrolls it.
    await fs.writeFile(path.join(TEST_OUTPUT, "web-normalization-page.png"), await page.screenshot({ fullPage: true }));
    const overflow = await sidewaysOverflow(page);
    expect(overflow.pixels, overflow.widest.join(", ")).toBeLessThanOrEqual(1);
    expect(problems).toEqual([]);
  }, 600_000);
});
