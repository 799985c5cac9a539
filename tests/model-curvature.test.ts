/**
 * The curvature of a model's loss in the web app, end to end in headless Chromium against the real
 * stack: a small MLP trained on Iris, then its Hessian's eigenvalues, trace and eigenvalue density
 * computed on the worker from the model page's form, shown with the density plot.
 * Screenshots go to test-output/model-curvature-*.png; their pixels must show a drawn plot.
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, screenshots, watchedPage, signUpWithProject, pageGraphql as gql } from "./support/browser.js";
import { drawn, pixelsNear } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir, waitFor } from "./support/stack.js";

const shoot = screenshots("model-curvature");


describe("model curvature in Chromium", () => {
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

  it("computes a model's Hessian eigenvalues and density from its page", async () => {
    await signUpWithProject(page, stack.runtime.url, "Curvature");
    const projectId = page.url().split("/projects/")[1]!;
    await page.getByRole("button", { name: "Add Iris" }).click();
    await page.getByText("Iris added.").waitFor();
    const datasetId = (await gql(page, `query ($id: ID!) { datasets(projectId: $id, first: 5) { nodes { id } } }`, { id: projectId })).datasets.nodes[0].id;
    const started = (await gql(page, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
      input: { projectId, datasetId, name: "iris mlp", architecture: { kind: "MLP", depth: 2, width: 16 }, options: { epochs: 20, batchSize: 16, learningRate: 0.05, optimizer: "ADAM" } },
    })).startTraining;
    expect(started.ok, started.error?.message).toBe(true);
    const run = await waitFor(
      "the training run to finish",
      150_000,
      async () => {
        const r = (await gql(page, `query ($id: ID!) { trainingRun(id: $id) { status modelId errorMessage } }`, { id: started.run.id })).trainingRun;
        return r.status === "READY" || r.status === "FAILED" ? r : undefined;
      },
    );
    expect(run.status, run.errorMessage).toBe("READY");

    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    // The training run that made the model is listed under the same name: open the model.
    await page.getByRole("list", { name: "Models" }).getByRole("link", { name: "iris mlp" }).click();
    await page.getByRole("heading", { name: "Curvature of the loss" }).waitFor();
    await page.getByText("Not computed yet.").waitFor();
    const form = page.getByRole("form", { name: "Compute the curvature" });
    await form.getByLabel("Samples").fill("150");
    await form.getByText(/At most 220 Hessian-vector products, each four gradients over 150 samples/).waitFor();
    await form.getByRole("button", { name: "Compute curvature" }).click();
    await page.getByTestId("top-eigenvalues").waitFor({ timeout: 120_000 });
    const top = (await page.getByTestId("top-eigenvalues").textContent())!.split(", ").map(Number);
    expect(top).toHaveLength(5);
    for (let k = 1; k < top.length; k++) expect(top[k - 1]!).toBeGreaterThanOrEqual(top[k]!);
    expect(Number(await page.getByTestId("eigen-ratio").textContent())).toBeGreaterThanOrEqual(0);
    // How sure the eigenvalues are: the Hessian-vector products' error estimate, on the largest's scale.
    expect(await page.getByTestId("hvp-error").textContent()).toMatch(/^eigenvalues within about [\d.e-]+ × λmax \(an upper estimate of the Hessian-vector products' error\)/);
    const plot = page.getByTestId("density-plot");
    await drawn(plot);
    await shoot(plot, "density");
    // The density's curve is drawn in its blue (models/density-layers.ts) along the plot.
    expect(pixelsNear(await plot.screenshot(), [91, 155, 239])).toBeGreaterThan(150);
    // Computing again states its cost from the speed just measured.
    await page.getByRole("heading", { name: "Compute again" }).waitFor();
    expect(await page.getByTestId("curvature-cost").textContent()).toMatch(/about \d+ s at the speed the workers measured last time on this model/);
    await shoot(page, "page");
    expect(problems).toEqual([]);
  });
});
