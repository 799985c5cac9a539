/**
 * Email that arrives, in headless Chromium against the real stack and a real SMTP server started
 * here: a password reset from the emailed link, an address verified from the sign-up email, and
 * an invitation opened signed out from its email, joined once the address is verified.
 * Screenshots go to test-output/email-*.png.
 */
import fs from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { type TestSmtp, startTestSmtp } from "../server/src/testing/smtp.js";
import { type Browser, launchBrowser, screenshots, watchedPage } from "./support/browser.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

const shoot = screenshots("email");
const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ok error { code } } }`;

describe("email in Chromium", () => {
  let stack: RunningStack;
  let smtp: TestSmtp;
  let browser: Browser;
  let dataDir: string;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    dataDir = await tempDataDir();
    smtp = await startTestSmtp();
    [stack, browser] = await Promise.all([startStack(dataDir, { WORKERS: "0", SMTP_URL: smtp.url, MAIL_FROM: "Loss Atlas <atlas@example.org>" }), launchBrowser()]);
    ({ page, problems } = await watchedPage(browser));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await smtp?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("resets a forgotten password from the emailed link", async () => {
    const url = stack.runtime.url;
    const other = new TestClient(url);
    await other.signUp("rita@example.org", "Rita", "first marble lighthouse");

    await page.goto(`${url}/signin`);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await page.getByLabel("Email").fill("rita@example.org");
    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByRole("status").getByText("we have sent it a link").waitFor();
    await shoot(page, "forgot-sent");

    const mail = await smtp.waitFor("rita@example.org", "Choose a new Loss Atlas password");
    expect(mail.link!.startsWith(`${url}/reset-password?token=`)).toBe(true);
    await page.goto(mail.link!);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    // Too easy a password is refused with zxcvbn's advice, and the link still works after.
    await page.getByLabel("New password", { exact: true }).fill("password123");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText(/too easy to guess/).waitFor();
    await shoot(page, "reset-weak");
    await page.getByLabel("New password", { exact: true }).fill("second copper windmill");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rita" }).waitFor();

    // The other session ended with the reset; only the new password signs in.
    expect((await other.data(`{ me { id } }`)).me).toBeNull();
    expect((await other.data(SIGN_IN, { email: "rita@example.org", password: "first marble lighthouse" })).signIn.ok).toBe(false);
    expect((await other.data(SIGN_IN, { email: "rita@example.org", password: "second copper windmill" })).signIn.ok).toBe(true);
    // The link is spent.
    await page.goto(mail.link!);
    await page.getByLabel("New password", { exact: true }).fill("third silver harbour");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText(/expired or was already used/).waitFor();
    await browser.context.clearCookies();
  });

  it("verifies an address from the sign-up email", async () => {
    const url = stack.runtime.url;
    await page.goto(`${url}/signup`);
    await page.getByLabel("Name").fill("Vera");
    await page.getByLabel("Email").fill("vera@example.org");
    await page.getByLabel("Password").fill("humble violet orchard");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.goto(`${url}/account`);
    const status = page.getByTestId("email-verification");
    await page.locator('[data-testid="email-verification"][data-state="unverified"]').waitFor();
    await expect.poll(() => status.innerText()).toContain("unverified");
    await shoot(page, "account-unverified");

    const mail = await smtp.waitFor("vera@example.org", "Verify your Loss Atlas email address");
    await page.goto(mail.link!);
    await page.getByRole("status").getByText("Your email address is verified.").waitFor();
    await shoot(page, "verified");
    await page.goto(`${url}/account`);
    await page.locator('[data-testid="email-verification"][data-state="verified"]').waitFor();
    expect(await status.innerText()).toMatch(/^verified/);
    await browser.context.clearCookies();
  });

  it("opens an invitation from its email signed out, and joins once the address is verified", async () => {
    const url = stack.runtime.url;
    const owner = new TestClient(url);
    await owner.signUp("olga@example.org", "Olga", "bright cobalt meadow");
    const project = (await owner.data(`mutation { createProject(input: { name: "Optimiser study" }) { project { id } } }`)).createProject.project.id;
    await owner.data(`mutation ($id: ID!) { inviteProjectMember(projectId: $id, email: "ivan@example.org", role: EDITOR) { ok } }`, { id: project });
    const invitation = await smtp.waitFor("ivan@example.org", "Optimiser study");
    expect(invitation.text).toContain("Olga invited you to join the project “Optimiser study” as editor");

    // Signed out, the link asks to sign in, and creating an account keeps the way back.
    await page.goto(invitation.link!);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Name").fill("Ivan");
    await page.getByLabel("Email").fill("ivan@example.org");
    await page.getByLabel("Password").fill("patient amber glacier");
    await page.getByRole("button", { name: "Sign up" }).click();
    const waiting = page.getByTestId("invitations");
    await waiting.getByText("Optimiser study").waitFor();
    expect(new URL(page.url()).pathname).toBe("/invitations");

    // Not verified yet: accepting says so, and the invitation stays.
    await waiting.getByRole("button", { name: "Accept" }).click();
    await waiting.getByText(/Verify your email address first/).waitFor();
    await shoot(page, "invitation-unverified");

    const verification = await smtp.waitFor("ivan@example.org", "Verify your Loss Atlas email address");
    await page.goto(verification.link!);
    await page.getByRole("status").getByText("Your email address is verified.").waitFor();
    await page.getByRole("link", { name: "See your invitations" }).click();
    await waiting.getByRole("button", { name: "Accept" }).click();
    await page.getByRole("heading", { name: "Optimiser study", exact: true }).waitFor();
    await shoot(page, "invitation-joined");
    expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  });
});
