/**
 * Sharing in headless Chromium against the real stack: "Share view" on one surface of a private
 * project links that surface alone, signed out; the project stays private until its owner chooses
 * otherwise on the sharing panel; the project link opens a read-only project page signed out;
 * replaced and revoked links fail with a clear page; the public demo's gallery opens signed out.
 * Screenshots go to test-output/sharing-*.png.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, linkTokenInMailFolder } from "../server/src/testing/api.js";
import { mlpFiles, text, upload } from "../server/src/testing/uploads.js";
import { untilStatus } from "../server/src/testing/wait.js";
import { REPO_ROOT } from "./support/paths.js";
import { type Browser, launchBrowser, screenshots, watchedPage } from "./support/browser.js";
import { allPlotsDrawn } from "./support/plot.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("sharing");
const PASSWORD = "correct horse battery";

describe("sharing in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];
  let owner: TestClient;
  let projectId: string;
  let shared: string;
  let unshared: string;
  let surfaceLink = "";

  beforeAll(async () => {
    dataDir = await tempDataDir();
    // The demo project is made on this new data folder; no worker runs, so nothing competes for
    // the machine and the demo's experiments stay in preparation.
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "0", DEMO_PROJECT: "true", DEMO_SIZE: "small" }), launchBrowser()]);
    owner = new TestClient(stack.runtime.url);
    await owner.signUp("owner@example.org", "Olive Owner", PASSWORD);
    projectId = (await owner.data(`mutation { createProject(input: { name: "Private landscapes" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles();
    const model = await upload(owner, { projectId, kind: "MODEL" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const dataset = await owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
    const make = async (name: string) =>
      (
        await owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
          input: {
            projectId,
            name,
            modelId: model.completed!.model!.id,
            datasetId: dataset.addBuiltinDataset.dataset.id,
            kind: "PLANE",
            params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 } },
          },
        })
      ).createSurface.surface.id as string;
    shared = await make("The shared plane");
    unshared = await make("The secret plane");
    ({ page, problems } = await watchedPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(email: string) {
    await page.goto(`${stack.runtime.url}/signin`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/projects$/);
  }

  async function signOut() {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  }

  /** The project's visibility as its owner reads it through the API. */
  const visibility = async () => (await owner.data(`query ($id: ID!) { project(id: $id) { visibility } }`, { id: projectId })).project.visibility;

  it("shares one surface of a private project: signed out, the link shows that surface and nothing else", async () => {
    await signIn("owner@example.org");
    await page.goto(`${stack.runtime.url}/surfaces/${shared}?metric=loss`);
    await page.getByRole("button", { name: "Share view" }).click();
    surfaceLink = await page.getByTestId("share-link").inputValue();
    expect(surfaceLink).toMatch(new RegExp(`/share/[\\w-]+/surfaces/${shared}\\?`));
    expect(await visibility()).toBe("PRIVATE");

    // The sharing panel lists the link with who made it; the project is still members only.
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    const panel = page.getByTestId("sharing-panel");
    await panel.getByTestId("surface-links").getByText("The shared plane").waitFor();
    expect(await panel.getByTestId("surface-links").textContent()).toContain("by Olive Owner");
    expect(await panel.getByRole("radio", { name: /Members only/ }).isChecked()).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await shoot(panel, "panel");
    await signOut();

    await page.goto(surfaceLink);
    await page.getByRole("heading", { name: "The shared plane" }).waitFor({ timeout: 20_000 });
    expect(await page.locator("header").textContent()).toContain("view-only link");
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).not.toContain("The secret plane");
    expect(main).not.toContain("Private landscapes");
    expect(await page.getByRole("link", { name: "Project" }).count()).toBe(0);
    await allPlotsDrawn(page);
    await shoot(page, "surface-link");

    // The same token, asked for anything else of the project from this page, finds nothing.
    const token = decodeURIComponent(new URL(surfaceLink).pathname.split("/")[2]!);
    const other = (await page.evaluate(
      `fetch("/graphql", { method: "POST", headers: { "content-type": "application/json", "x-share-token": ${JSON.stringify(token)} },
        body: JSON.stringify({ query: "query ($a: ID!) { surface(id: $a) { id } }", variables: { a: ${JSON.stringify(unshared)} } }) }).then((r) => r.json())`,
    )) as { errors?: { extensions?: { code?: string } }[] };
    expect(other.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    // The project itself stays private: its page asks a signed-out visitor to sign in.
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await visibility()).toBe("PRIVATE");
  });

  it("turns the project link on only after the owner confirms; signed out it opens a read-only project page", async () => {
    await signIn("owner@example.org");
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    const panel = page.getByTestId("sharing-panel");
    await panel.getByRole("radio", { name: /Anyone with the project link/ }).check();
    // Nothing has changed yet: the consequence is spelled out first.
    const confirm = panel.getByTestId("visibility-confirm");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain("every surface, model, dataset and note");
    expect(await visibility()).toBe("PRIVATE");
    await panel.scrollIntoViewIfNeeded();
    await shoot(panel, "panel-confirm");
    await confirm.getByRole("button", { name: /Change to/ }).click();
    const linkCode = panel.getByTestId("project-share-link");
    await linkCode.waitFor();
    const projectLink = (await linkCode.textContent())!;
    expect(projectLink).toMatch(/\/share\/[\w-]+$/);
    expect(await visibility()).toBe("LINK");
    await signOut();

    await page.goto(projectLink);
    await page.getByTestId("read-only-banner").waitFor({ timeout: 20_000 });
    await page.getByRole("heading", { name: "Private landscapes" }).waitFor();
    await page.getByRole("link", { name: "The secret plane" }).waitFor();
    expect(await page.getByRole("link", { name: "New surface" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add Iris" }).count()).toBe(0);
    expect(await page.getByTestId("sharing-panel").count()).toBe(0);
    expect((await page.locator("main").textContent()) ?? "").not.toContain("@example.org");
    await allPlotsDrawn(page);
    await shoot(page, "project-link");
    // Its surfaces open through the same link.
    await page.getByRole("link", { name: "The secret plane" }).click();
    await page.getByRole("heading", { name: "The secret plane" }).waitFor();

    // Replacing the link ends the old one at once, with a clear page.
    await owner.data(`mutation ($id: ID!) { rotateShareToken(id: $id) { ok } }`, { id: projectId });
    await page.goto(projectLink);
    await page.getByRole("heading", { name: "This link no longer works" }).waitFor({ timeout: 20_000 });
    await shoot(page, "link-gone");
  });

  it("a revoked surface link fails at once", async () => {
    const links = await owner.data(`query ($id: ID!) { project(id: $id) { surfaceLinks(first: 10) { nodes { id } } } }`, { id: projectId });
    await owner.data(`mutation ($id: ID!) { revokeSurfaceLink(id: $id) { ok } }`, { id: links.project.surfaceLinks.nodes[0].id });
    await page.goto(surfaceLink);
    await page.getByRole("heading", { name: "This link no longer works" }).waitFor({ timeout: 20_000 });
  });

  it("an invitee signs up, finds the invitation waiting, verifies the address and joins by accepting it", async () => {
    await owner.data(`mutation ($p: ID!) { inviteProjectMember(projectId: $p, email: "guest@example.org", role: EDITOR) { ok } }`, { p: projectId });
    await page.goto(`${stack.runtime.url}/signup`);
    await page.getByLabel("Name").fill("Gus Guest");
    await page.getByLabel("Email").fill("guest@example.org");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    const invitations = page.getByTestId("invitations");
    await invitations.getByText("Private landscapes").waitFor({ timeout: 20_000 });
    expect(await invitations.textContent()).toContain("as editor, from Olive Owner");
    await shoot(page, "invitation");
    // An invitation goes to an address: only someone who proved they read its mail may join by it.
    const token = await linkTokenInMailFolder(path.join(dataDir, "mail"), "guest@example.org", "/verify-email");
    await page.goto(`${stack.runtime.url}/verify-email?token=${token}`);
    await page.getByRole("status").getByText("Your email address is verified.").waitFor();
    await page.goto(stack.runtime.url);
    await invitations.getByText("Private landscapes").waitFor({ timeout: 20_000 });
    await invitations.getByRole("button", { name: "Accept" }).click();
    await page.getByRole("heading", { name: "Private landscapes" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("editor");
    await signOut();
  });

  it("shows the public demo in the gallery signed out", async () => {
    await page.goto(`${stack.runtime.url}/gallery`);
    await page.getByRole("heading", { name: "Gallery" }).waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/\/gallery$/);
    // The demo's experiments are listed while they are prepared (no worker runs here).
    await page.getByRole("heading", { name: "Being prepared" }).waitFor({ timeout: 60_000 });
    expect(await page.locator("main").textContent()).toMatch(/skip connections|batch|weight decay|trajectory|over training/i);
    expect(await page.getByRole("link", { name: "Sign in" }).count()).toBeGreaterThan(0);
    await allPlotsDrawn(page);
    await shoot(page, "gallery-signed-out");
    // Status, signed out: the overall answer alone.
    await page.goto(`${stack.runtime.url}/status`);
    await page.getByTestId("status-details-hidden").waitFor({ timeout: 20_000 });
    expect(problems.filter((p) => !/status of 40[0-9]/.test(p))).toEqual([]);
  });
});

/**
 * A comparison's link, and the ways back from a surface, against a stack with one worker: the
 * surfaces are computed, so the comparison shows values. Screenshots go to test-output/sharing-*.png.
 */
describe("comparison links and the ways back, in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];
  let owner: TestClient;
  let projectId: string;
  let publicProjectId: string;
  let first: string;
  let second: string;
  let outside: string;
  let publicSurface: string;
  let onnxModel: string;
  let experimentId: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "1", DEMO_PROJECT: "false" }), launchBrowser({ width: 1400, height: 900 })]);
    owner = new TestClient(stack.runtime.url);
    await owner.signUp("comparer@example.org", "Cora Comparer", PASSWORD);
    const project = async (name: string) => (await owner.data(`mutation ($n: String!) { createProject(input: { name: $n }) { project { id } } }`, { n: name })).createProject.project.id as string;
    projectId = await project("Private comparisons");
    publicProjectId = await project("Public landscapes");
    await owner.data(`mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: PUBLIC) { ok } }`, { id: publicProjectId });
    const files = await mlpFiles();
    const surfaces = async (p: string, names: string[]) => {
      const model = await upload(owner, { projectId: p, kind: "MODEL" }, [
        { name: "model.json", bytes: text(files.modelJson) },
        { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
      ]);
      const dataset = await owner.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p });
      const ids: string[] = [];
      if (p === publicProjectId) {
        // An experiment trains in the background while the other checks run.
        const started = await owner.data(`mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ok error { message } experiment { id } } }`, {
          input: { projectId: p, kind: "SKIP", datasetId: dataset.addBuiltinDataset.dataset.id, size: "SMALL" },
        });
        expect(started.startExperiment.error).toBeNull();
        experimentId = started.startExperiment.experiment.id;
      }
      for (const [k, name] of names.entries()) {
        const created = await owner.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
          input: {
            projectId: p, name, modelId: model.completed!.model!.id, datasetId: dataset.addBuiltinDataset.dataset.id, kind: "PLANE",
            params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 }, seed: k + 1 },
          },
        });
        ids.push(created.createSurface.surface.id);
      }
      return ids;
    };
    [first, second, outside] = (await surfaces(projectId, ["Seed one", "Seed two", "Not in the comparison"])) as [string, string, string];
    publicSurface = (await surfaces(publicProjectId, ["The public plane"]))[0]!;
    for (const id of [first, second, publicSurface]) {
      const done = await untilStatus(`surface ${id}`, async () => (await owner.data(`query ($id: ID!) { surface(id: $id) { status } }`, { id })).surface, ["READY", "FAILED"], {
        timeoutMs: 300_000,
        intervalMs: 500,
      });
      expect(done.status).toBe("READY");
    }
    // A PyTorch CNN with BatchNorm (scripts/make-onnx-fixtures.py's CnnBn).
    const cnn = new Uint8Array(await fs.readFile(path.join(REPO_ROOT, "server/src/engine/onnx/fixtures/cnn_bn.onnx")));
    onnxModel = (await upload(owner, { projectId, kind: "MODEL" }, [{ name: "model.onnx", bytes: cnn }])).completed!.model!.id;
    // A note pinned at the grid's centre, as a click there gives it: a sum of steps, not exactly 0.
    await owner.data(`mutation ($s: ID!) { addAnnotation(input: { surfaceId: $s, x: -5.551115123125783e-16, y: 0.5000000000000001, kind: MINIMUM, label: "centre" }) { ok } }`, { s: publicSurface });
    ({ page, problems } = await watchedPage(browser));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn() {
    await page.goto(`${stack.runtime.url}/signin`);
    await page.getByLabel("Email").fill("comparer@example.org");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/projects$/);
  }

  it("shares a comparison with its settings: signed out, the link opens those surfaces in order and nothing else", async () => {
    await signIn();
    await page.goto(`${stack.runtime.url}/compare?ids=${second},${first}&metric=ACCURACY&panels=own&diff=1`);
    await page.getByRole("checkbox", { name: /Difference view/ }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Share comparison" }).click();
    const link = await page.getByTestId("compare-share-link").inputValue();
    expect(link).toMatch(new RegExp(`/share/[\\w-]+/compare\\?ids=${second},${first}&`));
    expect(new URL(link).searchParams.get("diff")).toBe("1");
    expect(new URL(link).searchParams.get("panels")).toBe("own");

    // Listed on the project's sharing panel with who made it.
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    const listed = page.getByTestId("compare-links");
    await listed.getByText("Seed two · Seed one").waitFor();
    expect(await listed.textContent()).toContain("by Cora Comparer");
    await page.getByTestId("sharing-panel").scrollIntoViewIfNeeded();
    await shoot(page.getByTestId("sharing-panel"), "compare-links-panel");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    // Signed out, through the link's short form: the same settings.
    const token = decodeURIComponent(new URL(link).pathname.split("/")[2]!);
    await page.goto(`${stack.runtime.url}/share/${encodeURIComponent(token)}`);
    await page.waitForURL(/\/compare\?ids=/);
    await page.getByRole("heading", { name: "Compare 2 surfaces" }).waitFor({ timeout: 20_000 });
    expect(await page.locator("header").textContent()).toContain("view-only link");
    expect(await page.getByRole("checkbox", { name: /Difference view/ }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: /Each panel on its own scale/ }).isChecked()).toBe(true);
    expect(await page.getByRole("group", { name: "Metric" }).getByRole("button", { name: "Accuracy" }).getAttribute("aria-pressed")).toBe("true");
    await allPlotsDrawn(page);
    expect(await page.getByTestId("colour-bar").first().getAttribute("aria-label")).toMatch(/^Accuracy, A − B colour scale/);
    await shoot(page, "compare-link-difference");
    // Both panels, in the link's order, each on its own accuracy scale.
    await page.getByRole("checkbox", { name: /Difference view/ }).uncheck();
    await page.locator("figure.compare-cell").nth(1).waitFor();
    expect(await page.locator("figure.compare-cell figcaption").allTextContents()).toEqual([expect.stringContaining("Seed two"), expect.stringContaining("Seed one")]);
    expect(await page.getByTestId("colour-bar").count()).toBe(2);
    expect(await page.getByTestId("colour-bar").first().getAttribute("aria-label")).toMatch(/^Accuracy colour scale/);
    await allPlotsDrawn(page);
    await shoot(page, "compare-link");
    expect(await page.getByRole("button", { name: "Share comparison" }).count()).toBe(0);
    expect((await page.locator("main").textContent()) ?? "").not.toContain("Private comparisons");

    // The token opens nothing else: not the third surface, not the project.
    for (const query of [
      { query: "query ($a: ID!) { surface(id: $a) { id } }", variables: { a: outside } },
      { query: "query ($a: ID!) { project(id: $a) { id } }", variables: { a: projectId } },
    ]) {
      const answer = (await page.evaluate(
        `fetch("/graphql", { method: "POST", headers: { "content-type": "application/json", "x-share-token": ${JSON.stringify(token)} }, body: ${JSON.stringify(JSON.stringify(query))} }).then((r) => r.json())`,
      )) as { errors?: { extensions?: { code?: string } }[] };
      expect(answer.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    }

    // Revoked, it opens nothing at once.
    const links = await owner.data(`query ($id: ID!) { project(id: $id) { compareLinks(first: 10) { nodes { id } } } }`, { id: projectId });
    await owner.data(`mutation ($id: ID!) { revokeCompareLink(id: $id) { ok } }`, { id: links.project.compareLinks.nodes[0].id });
    await page.goto(link);
    await page.getByRole("heading", { name: "This link no longer works" }).waitFor({ timeout: 20_000 });
  });

  it("a model's page counts trainable parameters and buffers apart and names a PyTorch loss as PyTorch does", async () => {
    await signIn();
    await page.goto(`${stack.runtime.url}/models/${onnxModel}`);
    const summary = page.locator("main p").filter({ hasText: "trainable parameters" }).first();
    await summary.waitFor({ timeout: 20_000 });
    const words = (await summary.textContent()) ?? "";
    expect(words).toContain("429 trainable parameters · 20 buffers (BatchNorm running statistics)");
    expect(words).toContain("loss cross-entropy");
    expect(words).not.toContain("449 parameters");
    expect(words).not.toContain("sparse_categorical_crossentropy");
    await shoot(page, "model-counts");
    // The project's list of models says the same.
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    await page.getByLabel("Models").getByText("429 trainable parameters · 20 buffers").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  it("signed out, a public surface names its project and leads back to it; its note reads at the grid's digits; 'Share view' gives its address", async () => {
    await page.goto(`${stack.runtime.url}/surfaces/${publicSurface}?view=2d`);
    const crumbs = page.getByTestId("breadcrumb");
    await crumbs.waitFor({ timeout: 20_000 });
    expect((await crumbs.textContent())?.trim()).toBe("Public landscapes /");
    // The note at the centre of a grid with steps of 0.5.
    const note = page.locator("li").filter({ hasText: "centre" }).first();
    await note.waitFor();
    expect(await note.textContent()).toContain("(0, 0.5)");
    expect(await note.textContent()).not.toContain("e-16");
    await page.getByRole("button", { name: "Share view" }).click();
    const shared = await page.getByTestId("share-link").inputValue();
    expect(shared).toMatch(new RegExp(`^${stack.runtime.url}/surfaces/${publicSurface}\\?view=2d`));
    expect((await page.locator("main").textContent()) ?? "").not.toContain("Sign in or send an API token");
    await allPlotsDrawn(page);
    await shoot(page, "public-surface-signed-out");

    await crumbs.getByRole("link", { name: "Public landscapes" }).click();
    await page.getByRole("heading", { name: "Public landscapes" }).waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(`${stack.runtime.url}/projects/${publicProjectId}`);
    await page.getByRole("link", { name: "The public plane" }).waitFor();
    await shoot(page, "public-project-signed-out");
    // A private project still asks a visitor to sign in.
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 20_000 });
  });

  it("signed out, the gallery's cards of a finished experiment lead to it, and its surfaces' breadcrumbs name it", async () => {
    const experiment = await untilStatus("the experiment", async () => (await owner.data(`query ($id: ID!) { experiment(id: $id) { name status surfaces { id } } }`, { id: experimentId })).experiment, ["READY", "FAILED"], {
      timeoutMs: 480_000,
      intervalMs: 1000,
    });
    expect(experiment.status).toBe("READY");
    await page.goto(`${stack.runtime.url}/gallery`);
    const card = page.locator("li.tile").filter({ has: page.getByRole("link", { name: experiment.name, exact: true }) }).first();
    await card.waitFor({ timeout: 20_000 });
    expect(await card.textContent()).toContain(`Experiment: ${experiment.name}`);
    await card.scrollIntoViewIfNeeded();
    await shoot(page, "gallery-experiment-cards");
    await card.getByRole("link", { name: experiment.name, exact: true }).click();
    await page.waitForURL(new RegExp(`/experiments/${experimentId}`));
    await page.getByRole("heading", { name: experiment.name }).first().waitFor({ timeout: 20_000 });

    await page.goto(`${stack.runtime.url}/surfaces/${experiment.surfaces[0].id}`);
    const crumbs = page.getByTestId("breadcrumb");
    await crumbs.waitFor({ timeout: 20_000 });
    expect((await crumbs.textContent())?.replace(/\s+/g, " ").trim()).toBe(`Public landscapes / ${experiment.name} /`);
    await shoot(crumbs, "breadcrumb-experiment");
    await crumbs.getByRole("link", { name: experiment.name, exact: true }).click();
    await page.waitForURL(new RegExp(`/experiments/${experimentId}`));
    expect(page.url()).not.toContain("/signin");
    expect(problems.filter((p) => !/status of 40[0-9]/.test(p))).toEqual([]);
  }, 600_000);
});
