/**
 * User content cannot run on our origin, seen from a real browser: a dataset whose text is an HTML
 * page with a script (a valid CSV all the same) downloads as an attachment, never renders, and
 * cannot be loaded as a script; the app's own pages refuse inline scripts. The script would have
 * minted an API token with the signed-in user's cookie; none exists afterwards.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { text, upload } from "../server/src/testing/uploads.js";
import { type Browser, launchBrowser, watchedPage } from "./support/browser.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const EMAIL = "victim@example.org";
const PASSWORD = "correct horse battery";
// What the page would run: mint an API token with the victim's cookie. Base64 keeps it free of
// commas, so the whole page is one CSV header cell.
const STEAL = `fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { createApiToken(name: "stolen") { token } }' }) })`;
const PAYLOAD = `<html><body><script>document.title='owned';window.owned=1;eval(atob('${Buffer.from(STEAL).toString("base64")}'))</script>feature`;
// The header line is the page; one numeric feature and a label make it a valid CSV dataset.
const CSV = `${PAYLOAD},label\n1,0\n2,1\n3,0\n`;

describe("uploaded content in the browser", () => {
  let stack: RunningStack;
  let dataDir: string;
  let browser: Browser;
  let client: TestClient;
  let downloadUrl: string;
  let projectId: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    stack = await startStack(dataDir, { WORKERS: "0" });
    browser = await launchBrowser();
    client = new TestClient(stack.runtime.url);
    await client.signUp(EMAIL, "victim", PASSWORD);
    projectId = (await client.data(`mutation { createProject(input: { name: "p" }) { project { id } } }`)).createProject.project.id;
    const uploaded = await upload(client, { projectId, kind: "DATASET", name: "page" }, [{ name: "page.csv", bytes: text(CSV) }]);
    expect(uploaded.outcome, JSON.stringify(uploaded.completed?.error)).toBe("ok");
    downloadUrl = (await client.data(`query ($id: ID!) { dataset(id: $id) { downloads { url } } }`, { id: uploaded.completed!.dataset!.id })).dataset.downloads[0].url;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("downloads an uploaded HTML page as an attachment and runs none of it", async () => {
    const { page } = await watchedPage(browser);
    // Signed in, in the browser, as the owner of the file.
    await page.goto(`${stack.runtime.url}/`);
    const signedIn = await page.evaluate(
      `fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: 'mutation { signIn(email: "${EMAIL}", password: "${PASSWORD}") { ok } }' }) }).then((r) => r.json())`,
    );
    expect(signedIn).toMatchObject({ data: { signIn: { ok: true } } });

    const before = page.url();
    const [download] = await Promise.all([page.waitForEvent("download"), page.goto(downloadUrl).catch(() => undefined)]);
    expect(download.suggestedFilename()).toBe("page-data.csv");
    const saved = await download.path();
    expect(saved).toBeTruthy();
    // The page stayed where it was; the file was never shown as a page.
    expect(page.url()).toBe(before);
    expect(await page.title()).not.toBe("owned");

    // Loaded as a script from our own origin, the file is refused (nosniff, text/csv).
    const asScript = await page.evaluate(
      `new Promise((resolve) => { const s = document.createElement("script"); s.src = ${JSON.stringify(downloadUrl)}; s.onload = () => resolve("loaded"); s.onerror = () => resolve("refused"); document.body.append(s); })`,
    );
    expect(asScript).toBe("refused");
    expect(await page.evaluate("window.owned")).toBeUndefined();

    // An inline script injected into one of our pages does not run: the CSP allows only our files.
    await page.evaluate(`(() => { const s = document.createElement("script"); s.textContent = "window.inlineRan = 1"; document.body.append(s); })()`);
    expect(await page.evaluate("window.inlineRan")).toBeUndefined();

    // Nothing ran with the victim's cookie: no API token was minted.
    const tokens = (await client.data(`{ apiTokens { nodes { name } } }`)).apiTokens.nodes;
    expect(tokens).toEqual([]);
    await page.close();
  });

  it("offers a project's files for download from the project page", async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${stack.runtime.url}/signin`);
    await page.evaluate(
      `fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: 'mutation { signIn(email: "${EMAIL}", password: "${PASSWORD}") { ok } }' }) })`,
    );
    await page.goto(`${stack.runtime.url}/projects/${projectId}`);
    const button = page.getByRole("button", { name: "Download the dataset's files" });
    // The click asks the API for presigned URLs first; on a machine whose cores are busy that and
    // the page's own load can take longer than Playwright's default 30 s.
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 90_000 }), button.click({ timeout: 90_000 })]);
    expect(download.suggestedFilename()).toBe("page-data.csv");
    expect(problems).toEqual([]);
    await page.close();
  });
});
