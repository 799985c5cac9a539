/**
 * Sharing in headless Chromium against the real stack: "Share view" on one surface of a private
 * project links that surface alone, signed out; the project stays private until its owner chooses
 * otherwise on the sharing panel; the project link opens a read-only project page signed out;
 * replaced and revoked links fail with a clear page; the public demo's gallery opens signed out.
 * Screenshots go to test-output/sharing-*.png.
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { mlpFiles, text, upload } from "../server/src/testing/uploads.js";
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

  it("an invitee signs up, finds the invitation waiting and joins by accepting it", async () => {
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
