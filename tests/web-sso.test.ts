/**
 * Single sign-on in headless Chromium: the sign-in page's provider button, the provider's own
 * sign-in page (a real OpenID provider started here), and back signed in; a refused sign-in shows
 * its message on the sign-in page. Screenshots in test-output/sso-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { type TestApi, startTestApi } from "../server/src/testing/api.js";
import { type Browser, launchBrowser, pageGraphql, screenshots, watchedPage } from "./support/browser.js";
import { type TestOidcProvider, startTestOidcProvider } from "./support/oidc-provider.js";

const shoot = screenshots("sso");

describe("single sign-on in the browser", () => {
  let provider: TestOidcProvider;
  let api: TestApi;
  let browser: Browser;
  let publicUrl: string;

  beforeAll(async () => {
    provider = await startTestOidcProvider();
    const providers = [{ id: "lab", name: "Lab account", issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowedDomains: ["lab.example.org"] }];
    [api, browser] = await Promise.all([startTestApi({ OIDC_PROVIDERS: JSON.stringify(providers) }), launchBrowser()]);
    publicUrl = api.api.services.publicUrl;
    provider.serve([`${publicUrl}/auth/oidc/lab/callback`]);
    provider.accounts.set("grace", { email: "grace@lab.example.org", email_verified: true, name: "Grace Hopper" });
    provider.accounts.set("outsider", { email: "eve@elsewhere.example.com", email_verified: true, name: "Eve" });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await provider?.stop();
  });

  async function throughProvider(page: Page, login: string) {
    await page.goto(`${publicUrl}/signin`);
    await page.getByRole("link", { name: "Sign in with Lab account" }).click();
    await page.getByRole("heading", { name: "Test provider: sign in" }).waitFor();
    await page.getByLabel("Username").fill(login);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  it("signs in with the provider's button and lands signed in", async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${publicUrl}/signin`);
    const button = page.getByRole("link", { name: "Sign in with Lab account" });
    await button.waitFor();
    // The password form is still there beside it.
    await expect(page.getByLabel("Password").isVisible()).resolves.toBe(true);
    expect(await shoot(page, "sign-in-page")).toBeGreaterThan(3);
    await throughProvider(page, "grace");
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/projects");
    const me = await pageGraphql<{ me: { email: string; name: string; emailVerified: boolean } }>(page, `{ me { email name emailVerified } }`);
    expect(me.me).toEqual({ email: "grace@lab.example.org", name: "Grace Hopper", emailVerified: true });
    await shoot(page, "signed-in");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a refused sign-in's message on the sign-in page", async () => {
    // Signed out everywhere, the provider's session included, so the provider asks who it is.
    await browser.context.clearCookies();
    const { page } = await watchedPage(browser);
    await throughProvider(page, "outsider");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("open to the organisation's email addresses only");
    expect(await alert.textContent()).toContain("SSO_DOMAIN_NOT_ALLOWED");
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(await pageGraphql<{ me: unknown }>(page, `{ me { id } }`)).toEqual({ me: null });
    await shoot(page, "refused");
    await page.close();
  });
});
