/**
 * Screenshot regression: a picture of a page or plot is compared with the committed baseline
 * `tests/baselines/<name>.png` by pixelmatch, so a plot that draws wrong fails a test, not only one
 * that draws nothing. Headless Chromium renders WebGL with SwiftShader, whose anti-aliasing and
 * text can shift by a pixel between runs and machines: pixels count as different only beyond
 * pixelmatch's colour threshold, anti-aliased pixels are ignored, and up to `tolerance` of them
 * (default 2%) may differ. `npm run test:update-screenshots` (UPDATE_SCREENSHOTS=1) rewrites the
 * baselines from the current pictures; look at them before committing.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { REPO_ROOT, TEST_OUTPUT } from "./paths.js";

export const BASELINES = path.join(REPO_ROOT, "tests", "baselines");

export interface BaselineResult {
  /** Share of pixels that differ beyond the threshold, 0 to 1 (0 when the baseline was written). */
  mismatch: number;
  /** The baseline was (re)written from this picture. */
  updated: boolean;
}

/**
 * Compares `png` with the baseline `name`; writes the picture and, on a mismatch, a diff image
 * (differing pixels in red) to test-output/baseline-<name>[-diff].png. Throws when there is no
 * baseline, or the pictures differ in size or in more than `tolerance` of their pixels.
 */
export async function matchBaseline(png: Buffer, name: string, tolerance = 0.02): Promise<BaselineResult> {
  const file = path.join(BASELINES, `${name}.png`);
  await fs.mkdir(TEST_OUTPUT, { recursive: true });
  await fs.writeFile(path.join(TEST_OUTPUT, `baseline-${name}.png`), png);
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    await fs.mkdir(BASELINES, { recursive: true });
    await fs.writeFile(file, png);
    return { mismatch: 0, updated: true };
  }
  return { mismatch: await compareWithBaseline(png, name, tolerance), updated: false };
}

/** The comparison alone (never rewrites the baseline): the share of differing pixels, or a throw. */
export async function compareWithBaseline(png: Buffer, name: string, tolerance = 0.02): Promise<number> {
  const file = path.join(BASELINES, `${name}.png`);
  if (!existsSync(file)) throw new Error(`No baseline ${path.relative(REPO_ROOT, file)}; run npm run test:update-screenshots and look at the pictures`);
  const actual = PNG.sync.read(png);
  const expected = PNG.sync.read(await fs.readFile(file));
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new Error(`${name}: the picture is ${actual.width}x${actual.height}, its baseline ${expected.width}x${expected.height}`);
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: 0.2, includeAA: false });
  const mismatch = differing / (actual.width * actual.height);
  if (mismatch > tolerance) {
    await fs.writeFile(path.join(TEST_OUTPUT, `baseline-${name}-diff.png`), PNG.sync.write(diff));
    throw new Error(`${name}: ${(mismatch * 100).toFixed(2)}% of the pixels differ from the baseline (at most ${(tolerance * 100).toFixed(1)}%); see test-output/baseline-${name}-diff.png`);
  }
  return mismatch;
}
