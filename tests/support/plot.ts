/**
 * What a plot shows, read the way a user reads it: the plots say when they have drawn
 * (`data-state="drawn"`), the readout says the value under the pointer, the colour bar says the
 * scale's ends, and the pixels under the pointer must be the colour map's colour of that value.
 */
import type { Locator, Page } from "playwright-core";
import { PNG } from "pngjs";
import { expect, vi } from "vitest";
import { type ColourMapName, clippedColour, colourAt } from "../../web/src/plot/colormap.js";
import { makeScale } from "../../web/src/plot/scale.js";

type Rgb = readonly [number, number, number];

/** Waits until `plot` (a surface plot, loss curve or density plot) has drawn its current data. */
export async function drawn(plot: Locator, timeout = 60_000): Promise<void> {
  await plot.waitFor({ timeout });
  await expect.poll(() => plot.getAttribute("data-state"), { timeout, message: "the plot to say it has drawn (data-state)" }).toBe("drawn");
}

/** Waits until every plot on the page has drawn (none says "drawing"); a page without plots is ready at once. */
export async function allPlotsDrawn(page: Page, timeout = 60_000): Promise<void> {
  await expect.poll(() => page.locator("[data-state='drawing']").count(), { timeout, message: "every plot on the page to have drawn" }).toBe(0);
}

/** Every pixel of a PNG, as RGB. */
function pixels(png: Buffer): Rgb[] {
  const image = PNG.sync.read(png);
  const out: Rgb[] = [];
  for (let i = 0; i < image.data.length; i += 4) out.push([image.data[i]!, image.data[i + 1]!, image.data[i + 2]!]);
  return out;
}

const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** How many pixels of `png` are within `tolerance` (RGB distance) of `colour`. */
export function pixelsNear(png: Buffer, colour: Rgb, tolerance = 24): number {
  return pixels(png).filter((p) => distance(p, colour) <= tolerance).length;
}

interface ColourBar {
  kind: "linear" | "log";
  min: number;
  max: number;
  /** The scale is capped below the data's top, which is painted in the clipped colour. */
  clipped: boolean;
}

/** The colour bar's title, scale kind and ends, from what it says (its accessible name and text). */
export async function colourBar(bar: Locator): Promise<ColourBar> {
  const label = (await bar.getAttribute("aria-label")) ?? "";
  const ends = /colour scale from (\S+) to (\S+?)(,|$)/.exec(label);
  if (!ends) throw new Error(`the colour bar says "${label}", not a range`);
  const kind = (await bar.textContent())?.includes("(log)") ? "log" : "linear";
  return { kind, min: Number(ends[1]), max: Number(ends[2]), clipped: label.includes("clipped") };
}

/** Where `at` of a 2D plot's plane falls on the page, in the default camera (see `expectHeatmapColourUnderPointer`). */
async function pointOf(plot: Locator, at: [number, number]): Promise<[number, number]> {
  const box = (await plot.boundingBox())!;
  // The default 2D camera fits the plane's square into the panel's smaller side / 1.3.
  // A plane at equal aspect (PCA) is not square, and its camera fits it to the panel: the plot says
  // how large it is drawn, per axis, against a square plane's default.
  const [fx, fy] = ((await plot.getAttribute("data-plane")) ?? "1 1").split(" ").map(Number) as [number, number];
  const half = Math.min(box.width, box.height) / 1.3 / 2;
  return [Math.round(box.x + box.width / 2 + at[0] * half * fx), Math.round(box.y + box.height / 2 - at[1] * half * fy)];
}

/**
 * The colours `map` may give `value` on the scale a colour bar states: clipped above a capped top.
 * The bar's ends have 3 digits, so a value within their rounding of a capped top may be either.
 */
function coloursOf(value: number, bar: ColourBar, map: ColourMapName): Rgb[] {
  const onScale = colourAt(map, makeScale(bar.kind, bar.min, bar.max).normalize(value));
  if (!bar.clipped) return [onScale];
  const rounding = Math.abs(bar.max) * 0.005;
  if (value > bar.max + rounding) return [clippedColour(map)];
  return value >= bar.max - rounding ? [onScale, clippedColour(map)] : [onScale];
}

/**
 * Expects the heatmap cell at page point (x, y) to have colour `expected`. A cell is tens of pixels
 * wide; contour lines (1-2 px) may cross the point, so the closest pixel of a small square around
 * it counts. The colour bar's ends have 3 digits: a little tolerance.
 */
async function expectColourAt(page: Page, [x, y]: [number, number], expected: Rgb[], what: string): Promise<void> {
  const square = pixels(await page.screenshot({ clip: { x: x - 4, y: y - 4, width: 9, height: 9 } }));
  const closest = Math.min(...expected.flatMap((colour) => square.map((p) => distance(p, colour))));
  expect(closest, `${what}: the colour there is not ${expected.map((c) => `rgb(${c.join(",")})`).join(" or ")}`).toBeLessThanOrEqual(12);
}

/**
 * Points at `at` of a 2D heatmap in its default camera (fractions of the way from its centre to
 * its right and top edges), reads the value the readout gives for the grid point there, and checks
 * that the heatmap's cell under the pointer has the colour `map` gives that value on the colour
 * bar's scale: a blank canvas, wrong values or a wrong scale fail. Returns the readout's text and value.
 */
export async function expectHeatmapColourUnderPointer(
  page: Page,
  plot: Locator,
  at: [number, number],
  options: { map?: ColourMapName; colourBar?: Locator } = {},
): Promise<{ readout: string; value: number }> {
  await drawn(plot);
  await plot.scrollIntoViewIfNeeded();
  const point = await pointOf(plot, at);
  await page.mouse.move(...point);
  const readout = page.getByTestId("readout");
  await expect.poll(() => readout.locator("strong").count(), { message: "the readout to show a value under the pointer" }).toBe(1);
  const text = (await readout.textContent()) ?? "";
  const value = Number(await readout.locator("strong").textContent());
  expect(Number.isFinite(value), `the readout says ${text}`).toBe(true);
  const bar = await colourBar(options.colourBar ?? page.getByTestId("colour-bar").first());
  await expectColourAt(page, point, coloursOf(value, bar, options.map ?? "viridis"), `under the pointer, where the readout says ${text}`);
  return { readout: text, value };
}

/** Four grid points spread over a grid of `values` (rows along b), away from its centre. */
export function spreadCells(values: number[][]): [number, number][] {
  const [nx, ny] = [values[0]!.length, values.length];
  return ([[0.2, 0.8], [0.8, 0.3], [0.1, 0.1], [0.9, 0.9]] as const).map(([fi, fj]) => [Math.round(fi * (nx - 1)), Math.round(fj * (ny - 1))]);
}

/**
 * Checks a 2D heatmap (default camera) against the values it plots: the cell of each grid point in
 * `cells` ([i, j], i along a, j along b from the bottom) has the colour of `values[j][i]` on the
 * colour bar's scale.
 */
export async function expectGridColours(
  page: Page,
  plot: Locator,
  values: number[][],
  cells: [number, number][],
  options: { map?: ColourMapName; colourBar?: Locator } = {},
): Promise<void> {
  await drawn(plot);
  await plot.scrollIntoViewIfNeeded();
  const [nx, ny] = [values[0]!.length, values.length];
  // Read again for a few seconds: a new frame's values may reach the canvas a moment after the
  // controls that chose it.
  await vi.waitFor(
    async () => {
      const bar = await colourBar(options.colourBar ?? page.getByTestId("colour-bar").first());
      for (const [i, j] of cells) {
        const at: [number, number] = [(i / (nx - 1)) * 2 - 1, (j / (ny - 1)) * 2 - 1];
        await expectColourAt(page, await pointOf(plot, at), coloursOf(values[j]![i]!, bar, options.map ?? "viridis"), `grid point (${i}, ${j}) = ${values[j]![i]}`);
      }
    },
    { timeout: 10_000, interval: 250 },
  );
}

/**
 * Points at `at` of a plot (fractions of the way from its centre to its right and top edges) after
 * pointing outside it, and waits for the readout to give a value there: on the 3D mesh the readout
 * comes from picking the mesh itself, so a mesh that is not there gives none.
 */
export async function expectReadoutUnderPointer(page: Page, plot: Locator, at: [number, number]): Promise<string> {
  await drawn(plot);
  await plot.scrollIntoViewIfNeeded();
  const readout = page.getByTestId("readout");
  await page.mouse.move(1, 1);
  await expect.poll(() => readout.locator("strong").count(), { message: "the readout to clear once the pointer left the plot" }).toBe(0);
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2 + (at[0] * box.width) / 2, box.y + box.height / 2 - (at[1] * box.height) / 2);
  await expect.poll(() => readout.locator("strong").count(), { message: "the readout to show a value under the pointer" }).toBe(1);
  return (await readout.textContent()) ?? "";
}

/**
 * Expects every series a loss curve's legend lists to be drawn on its canvas in the colour of its
 * swatch (at least `minPixels` pixels of it): a blank canvas, or a series in the legend but not
 * drawn, fails. `png` is a picture of the curve's plot.
 */
export async function expectLegendSeriesDrawn(curve: Locator, png: Buffer, minPixels = 40): Promise<string[]> {
  const swatches = curve.locator("xpath=..").getByRole("list", { name: "Legend" }).locator("li");
  const names: string[] = [];
  for (let k = 0; k < (await swatches.count()); k++) {
    const item = swatches.nth(k);
    const style = (await item.locator(".curve-swatch").getAttribute("style")) ?? "";
    const rgb = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(style);
    if (!rgb) throw new Error(`legend swatch without a colour: ${style}`);
    const name = ((await item.textContent()) ?? "").trim();
    names.push(name);
    expect(pixelsNear(png, [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])]), `pixels of "${name}" in its legend colour rgb(${rgb.slice(1).join(",")})`).toBeGreaterThanOrEqual(minPixels);
  }
  expect(names.length, "the legend lists no series").toBeGreaterThan(0);
  return names;
}
