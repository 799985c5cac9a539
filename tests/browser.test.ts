/** The served web app in real headless Chromium against the real running stack. */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser } from "./support/browser.js";
import { TEST_OUTPUT } from "./support/paths.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

describe("web app in Chromium", () => {
  let stack: RunningStack;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    stack = await startStack(dataDir, { WORKERS: "1" });
    browser = await launchBrowser();
    await fs.mkdir(TEST_OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("tells a signed-out visitor the overall status alone; details need an account", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.runtime.url}/status`);
    await page.getByTestId("overall-status").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("overall-status").textContent()).toContain("All systems operational");
    await page.getByTestId("status-details-hidden").waitFor();
    expect(await page.locator("table.workers").count()).toBe(0);
    // Sign up in this browser (the cookie stays in its profile) so the next tests see the details.
    const signedUp = (await page.evaluate(
      `fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: 'mutation { signUp(input: { email: "status@example.org", name: "Status", password: "correct horse battery" }) { ok } }' }) })
        .then((r) => r.json())`,
    )) as { data: { signUp: { ok: boolean } } };
    expect(signedUp.data.signUp.ok).toBe(true);
    await page.close();
  });

  for (const [name, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["narrow", { width: 420, height: 860 }],
  ] as const) {
    it(`renders the service status with the live worker (${name})`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize(viewport);
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      await page.goto(`${stack.runtime.url}/status`);
      await page.getByTestId("overall-status").waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("overall-status").textContent()).toContain("All systems operational");
      expect(await page.title()).toBe("Loss Atlas");
      await page.getByLabel("Database: ok").waitFor();
      await page.getByLabel("Object storage: ok").waitFor();
      await page.getByLabel("Job queue: ok").waitFor();
      expect(await page.locator("table.workers tbody tr").count()).toBe(1);
      expect(await page.locator("table.workers").textContent()).toContain("wasm");

      const shot = await page.screenshot({ fullPage: true });
      await fs.writeFile(path.join(TEST_OUTPUT, `status-${name}.png`), shot);
      // Styled, as a user sees it: the theme's background, and the overall answer's dot in the
      // "ok" green (an unstyled page has neither). Strings evaluated in the page: no DOM types here.
      expect(await page.evaluate(`getComputedStyle(document.documentElement).backgroundColor`)).toBe("rgb(15, 20, 32)");
      expect(await page.evaluate(`getComputedStyle(document.querySelector("[data-testid=overall-status]"), "::before").backgroundColor`)).toBe("rgb(62, 207, 142)");
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
