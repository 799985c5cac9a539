// Screenshots of the demo's paper figures, as a visitor sees them, for docs/demo/: the gallery
// (it opens on the most striking comparison), the depth sweep and the width row in the compare
// view (one depth or width per row, without shortcuts on the left, with them on the right, one
// colour scale), the depth sweep as its exported figure (PNG, double column, paper theme), and what
// filter normalization fixes, pair by pair.
//   BENCH_KEEP=1 npm run bench:demo        computes the demo and keeps serving it
//   node scripts/demo-figures.mjs URL       (the URL it prints) writes docs/demo/*.png
// Needs Debian's chromium at /usr/bin/chromium.
import fs from "node:fs/promises";
import { chromium } from "playwright-core";

const url = (process.argv[2] ?? "http://localhost:4000").replace(/\/$/, "");
const out = new URL("../docs/demo/", import.meta.url);

async function graphql(query, variables = {}) {
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

const projectId = (await graphql(`{ gallery(first: 1) { nodes { projectId } } }`)).gallery.nodes[0]?.projectId;
if (!projectId) throw new Error(`no public surfaces at ${url}: is the demo computed?`);
const experiments = (await graphql(`query ($p: ID!) { experiments(projectId: $p, first: 50) { nodes { id kind status surfaces { id } } } }`, { p: projectId })).experiments.nodes;
const find = (kind) => experiments.find((e) => e.kind === kind && e.status === "READY");

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"] });
await fs.mkdir(out, { recursive: true });
/** Opens `path`, waits until every plot says it has drawn, and saves the page as `name`.png. */
async function shoot(path, name, viewport) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  await page.goto(`${url}${path}`);
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => document.querySelectorAll("[data-state='drawing']").length === 0 && document.querySelectorAll("[data-state='drawn'], .featured, .normalization").length > 0, null, { timeout: 120_000 });
  await page.screenshot({ path: new URL(`${name}.png`, out).pathname, fullPage: true });
  await page.close();
  process.stdout.write(`wrote docs/demo/${name}.png\n`);
}

/** Opens `path`, exports its figure as a double-column PNG in the paper theme, and saves it as `name`.png. */
async function exportFigure(path, name) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
  await page.goto(`${url}${path}`);
  await page.waitForFunction(() => document.querySelectorAll("[data-state='drawing']").length === 0 && document.querySelectorAll("[data-state='drawn']").length > 0, null, { timeout: 120_000 });
  await page.getByRole("button", { name: "Export figure…" }).click();
  const dialog = page.getByTestId("export-dialog");
  await dialog.getByRole("button", { name: "PNG" }).click();
  await dialog.getByRole("button", { name: "Paper (light)" }).click();
  await dialog.getByRole("button", { name: /^Double column/ }).click();
  await dialog.getByTestId("export-preview").waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Download PNG" }).click()]);
  await download.saveAs(new URL(`${name}.png`, out).pathname);
  await page.close();
  process.stdout.write(`wrote docs/demo/${name}.png\n`);
}

try {
  await shoot("/gallery", "gallery", { width: 1280, height: 900 });
  for (const [kind, name] of [["DEPTH", "depth-sweep"], ["WIDTH", "width"]]) {
    const e = find(kind);
    if (e) await shoot(`/compare?ids=${e.surfaces.map((s) => s.id).join(",")}&experiment=${e.id}`, name, { width: 1400, height: 900 });
    else process.stdout.write(`the ${kind.toLowerCase()} experiment is not ready: skipped\n`);
  }
  const depth = find("DEPTH");
  if (depth) await exportFigure(`/compare?ids=${depth.surfaces.map((s) => s.id).join(",")}&experiment=${depth.id}`, "depth-sweep-figure");
  const normalization = find("NORMALIZATION");
  if (normalization) await shoot(`/experiments/${normalization.id}`, "normalization", { width: 1400, height: 900 });
} finally {
  await browser.close();
}
