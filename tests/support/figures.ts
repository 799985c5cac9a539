/** Helpers of the figure suite (figures.test.ts): files a page downloads, PDFs' words, pictures of plots. */
import fs from "node:fs/promises";
import { inflateSync } from "node:zlib";
import type { Locator, Page } from "playwright-core";
import { PNG } from "pngjs";
import type { Browser } from "./browser.js";
import { drawn } from "./plot.js";

/**
 * The text a PDF shows: its content streams, inflated, read as Latin-1 (WinAnsi text, as jsPDF
 * writes Helvetica's, reads back as its own bytes).
 */
export function pdfText(pdf: Buffer): string {
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
export async function downloadFrom(page: Page, button: string): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  return { name: file.suggestedFilename(), body: await fs.readFile((await file.path())!) };
}

/** Polls `check` every half second until it returns a value, or fails after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | null>, ms = 600_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A picture of a plot once it says it has drawn its data, and the page has shown that frame. */
export async function picture(page: Page, target: Locator): Promise<Buffer> {
  await drawn(target);
  // Two animation frames in the page (its globals are the browser's, not this process's).
  await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
  return target.screenshot();
}

/** Share of a picture's pixels in the dark purple of viridis's low end: a basin, drawn. */
export function basinShare(png: Buffer): number {
  const image = PNG.sync.read(png);
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
    if (r >= 55 && r <= 85 && g <= 60 && b >= 75 && b <= 140) dark++;
  }
  return dark / (image.width * image.height);
}

/** A figure rendered back: the exported SVG alone in a page, as a reader's viewer shows it. */
export async function renderSvg(browser: Browser, svg: Buffer): Promise<Buffer> {
  const viewer = await browser.context.newPage();
  await viewer.setContent(`<body style="margin:0;background:#808080">${svg.toString("utf8").replace(/^<\?xml[^>]*>/, "")}</body>`);
  const png = await viewer.locator("svg").first().screenshot();
  await viewer.close();
  return png;
}

