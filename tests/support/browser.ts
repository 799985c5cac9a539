/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core, with
 * a fresh profile and the flags that keep it off the (closed) network. No browser download.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { TEST_OUTPUT } from "./paths.js";

export const CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; install it with: apt-get update && apt-get install -y chromium`);
  }
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}

/** How many distinct colours a PNG holds (quantised to 4 bits a channel): ~1 means blank. */
export function distinctColours(png: Buffer): number {
  const image = PNG.sync.read(png);
  const seen = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4) {
    seen.add(((image.data[i]! >> 4) << 8) | ((image.data[i + 1]! >> 4) << 4) | (image.data[i + 2]! >> 4));
  }
  return seen.size;
}

/**
 * A screenshot taker for one suite: saves test-output/<prefix>-<name>.png for people to look at
 * and returns the picture's distinct colour count (about 1 for a blank canvas).
 */
export function screenshots(prefix: string): (target: Locator | Page, name: string) => Promise<number> {
  return async (target, name) => {
    await fs.mkdir(TEST_OUTPUT, { recursive: true });
    const png = await target.screenshot();
    await fs.writeFile(path.join(TEST_OUTPUT, `${prefix}-${name}.png`), png);
    return distinctColours(png);
  };
}

/** A new page whose uncaught errors and console errors are collected in `problems`. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  const page = await browser.context.newPage();
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  return { page, problems };
}

/** The innermost elements that stick out past the window's right edge, as "tag.class" names. */
const WIDE_ELEMENTS = `[...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
  .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : ""))`;

/**
 * How many pixels the page is wider than its window (0 when it fits), and what sticks out. The
 * scripts are strings evaluated in the page: the suites' TypeScript has no DOM types.
 */
export async function sidewaysOverflow(page: Page): Promise<{ pixels: number; widest: string[] }> {
  const pixels = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
  return { pixels, widest: pixels > 1 ? ((await page.evaluate(WIDE_ELEMENTS)) as string[]) : [] };
}

/** A GraphQL request from inside the page, with its session cookie; throws on errors. */
export async function pageGraphql<T = any>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = (await page.evaluate(async ({ query, variables }) => {
    const response = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    return response.json();
  }, { query, variables })) as { data?: unknown; errors?: unknown };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

/** Signs up through the web app's form as Ada and creates a project named `project`; returns its page's URL. */
export async function signUpWithProject(page: Page, baseUrl: string, project: string): Promise<string> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill("ada@example.org");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { name: "Projects" }).waitFor();
  await page.getByLabel("Project name").fill(project);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("heading", { name: project, exact: true }).waitFor();
  return page.url();
}
