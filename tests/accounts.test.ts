/**
 * The account page in headless Chromium against the real stack: one person signed in from two
 * browsers sees both sessions, signs the other out (its next page asks to sign in), signs out
 * everywhere else, changes the password (told that other sessions ended), and deletes the account:
 * a project others are members of is handed over first, the account's objects leave the store
 * while another user's stay, and the browser ends up signed out and unable to sign in.
 * Screenshots go to test-output/accounts-*.png.
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { join } from "../server/src/testing/callers.js";
import { mlpFiles, modelUploadFiles, upload } from "../server/src/testing/uploads.js";
import { FileObjectStore } from "../server/src/storage/file-store.js";
import { type Browser, launchBrowser, screenshots, watchedPage } from "./support/browser.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("accounts");
const EMAIL = "ada@example.org";
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "violet tangerine aqueduct";

describe("sessions and account deletion in Chromium", () => {
  let stack: RunningStack;
  let laptopBrowser: Browser;
  let phoneBrowser: Browser;
  let laptop: Page;
  let phone: Page;
  let problems: string[] = [];
  let dataDir: string;
  let script: TestClient;
  let bob: TestClient;
  let adaProject: string;
  let sharedProject: string;
  let bobProject: string;

  const storedKeys = async () => (await new FileObjectStore({ dir: stack.runtime.storage }).list("", 100_000)).sort();
  const rows = (page: Page) => page.getByRole("table", { name: "Sessions" }).locator("tbody tr");

  beforeAll(async () => {
    dataDir = await tempDataDir();
    [stack, laptopBrowser, phoneBrowser] = await Promise.all([startStack(dataDir, { WORKERS: "0" }), launchBrowser(), launchBrowser()]);
    const files = modelUploadFiles(await mlpFiles([4, 8, 3]));
    const projectWithModel = async (client: TestClient, name: string) => {
      const id = (await client.data(`mutation ($name: String!) { createProject(input: { name: $name }) { project { id } } }`, { name })).createProject.project.id as string;
      expect((await upload(client, { projectId: id, kind: "MODEL", name: "mlp" }, files)).outcome).toBe("ok");
      return id;
    };
    script = new TestClient(stack.runtime.url);
    await script.signUp(EMAIL, "Ada", PASSWORD);
    bob = new TestClient(stack.runtime.url);
    await bob.signUp("bob@example.org", "Bob", PASSWORD);
    adaProject = await projectWithModel(script, "Ada's landscapes");
    sharedProject = await projectWithModel(script, "Shared with Bob");
    await join(script, bob, sharedProject, "bob@example.org", "EDITOR");
    bobProject = await projectWithModel(bob, "Bob's landscapes");
    await script.data(`mutation { signOut { ok } }`);
    ({ page: laptop, problems } = await watchedPage(laptopBrowser));
    phone = (await watchedPage(phoneBrowser)).page;
  });

  afterAll(async () => {
    await laptopBrowser?.close();
    await phoneBrowser?.close();
    await stack?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, password = PASSWORD) {
    await page.goto(`${stack.runtime.url}/signin`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/projects$/);
  }

  /** Opens the account page; a signed-out browser lands on the sign-in form instead. */
  async function openAccount(page: Page): Promise<"account" | "signed out"> {
    await page.goto(`${stack.runtime.url}/account`);
    const heading = page.getByRole("heading", { name: /^(Account|Sign in)$/ });
    await heading.waitFor();
    return (await heading.textContent()) === "Account" ? "account" : "signed out";
  }

  it("lists both browsers' sessions and signs the other one out", async () => {
    await signIn(laptop);
    await signIn(phone);
    expect(await openAccount(laptop)).toBe("account");
    await expect.poll(() => rows(laptop).count()).toBe(2);
    const current = rows(laptop).filter({ hasText: "this session" });
    await expect.poll(() => current.count()).toBe(1);
    await expect.poll(async () => (await rows(laptop).first().textContent()) ?? "").toMatch(/Chrome \d+ on Linux/);
    await expect.poll(async () => (await rows(laptop).allTextContents()).join(" ")).toContain("127.0.0.1");
    await shoot(laptop, "sessions");

    await rows(laptop).filter({ hasNotText: "this session" }).getByRole("button", { name: "Sign out" }).click();
    await laptop.getByRole("status").filter({ hasText: /^Signed out Chrome/ }).waitFor();
    await expect.poll(() => rows(laptop).count()).toBe(1);
    expect(await openAccount(phone)).toBe("signed out");
    expect(await openAccount(laptop)).toBe("account");
  });

  it("signs out everywhere else", async () => {
    await signIn(phone);
    await script.data(`mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { ok } }`, { e: EMAIL, p: PASSWORD });
    expect(await openAccount(laptop)).toBe("account");
    await expect.poll(() => rows(laptop).count()).toBe(3);
    await laptop.getByRole("button", { name: "Sign out everywhere else" }).click();
    await laptop.getByRole("status").filter({ hasText: "Signed out 2 other sessions." }).waitFor();
    await expect.poll(() => rows(laptop).count()).toBe(1);
    expect(await openAccount(phone)).toBe("signed out");
    expect((await script.data(`{ me { id } }`)).me).toBeNull();
  });

  it("changes the password, saying that the other sessions ended", async () => {
    await signIn(phone);
    expect(await openAccount(laptop)).toBe("account");
    await expect.poll(() => rows(laptop).count()).toBe(2);
    await laptop.getByLabel("Current password").fill(PASSWORD);
    await laptop.getByLabel("New password").fill(NEW_PASSWORD);
    await laptop.getByRole("button", { name: "Change password" }).click();
    await laptop.getByRole("status").filter({ hasText: "Password changed. 1 other session was signed out." }).waitFor();
    await expect.poll(() => rows(laptop).count()).toBe(1);
    await shoot(laptop, "password-changed");
    expect(await openAccount(phone)).toBe("signed out");
  });

  it("deletes the account after handing over the shared project; its objects go, Bob's stay", async () => {
    const before = await storedKeys();
    const adas = before.filter((key) => key.startsWith(`projects/${adaProject}/`));
    expect(adas.length).toBeGreaterThan(0);
    expect(before.some((key) => key.startsWith(`projects/${sharedProject}/`))).toBe(true);
    expect(before.some((key) => key.startsWith(`projects/${bobProject}/`))).toBe(true);

    expect(await openAccount(laptop)).toBe("account");
    const danger = laptop.getByRole("region", { name: "Delete account" });
    await danger.getByRole("table", { name: "Shared projects you own" }).getByText("Shared with Bob").waitFor();
    // Deleting without a choice about the shared project is refused, naming it.
    await danger.getByLabel("Your password, to confirm").fill(NEW_PASSWORD);
    await danger.getByRole("button", { name: "Delete my account" }).click();
    await danger.getByRole("alert").filter({ hasText: `Other people are members of projects you own: "Shared with Bob"` }).waitFor();
    await danger.scrollIntoViewIfNeeded();
    await shoot(laptop, "delete-refused");
    expect(await storedKeys()).toEqual(before);

    // Hand it to Bob; then the account can go.
    await danger.getByLabel("New owner of Shared with Bob").selectOption({ label: "Bob (bob@example.org)" });
    await danger.getByRole("button", { name: "Hand over" }).click();
    await expect.poll(() => danger.getByRole("table", { name: "Shared projects you own" }).count()).toBe(0);
    await danger.getByLabel("Your password, to confirm").fill(NEW_PASSWORD);
    await danger.getByRole("button", { name: "Delete my account" }).click();
    await laptop.waitForURL(/\/signin$/);
    await laptop.getByRole("heading", { name: "Sign in" }).waitFor();

    expect(await storedKeys()).toEqual(before.filter((key) => !adas.includes(key)));
    expect((await bob.data(`query ($id: ID!) { project(id: $id) { myRole } }`, { id: sharedProject })).project.myRole).toBe("OWNER");

    // Signed out for good: the account page asks to sign in, and signing in fails.
    expect(await openAccount(laptop)).toBe("signed out");
    await laptop.getByLabel("Email").fill(EMAIL);
    await laptop.getByLabel("Password").fill(NEW_PASSWORD);
    await laptop.getByRole("button", { name: "Sign in" }).click();
    await laptop.getByText("Wrong email or password").waitFor();
    await shoot(laptop, "deleted-cannot-sign-in");
    expect(problems.filter((p) => !/401|Failed to load resource/.test(p))).toEqual([]);
  });
});
