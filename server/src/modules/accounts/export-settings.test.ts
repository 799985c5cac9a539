import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";

const GET = `{ exportSettings { theme format width height unit dpi } }`;
const SAVE = `mutation ($input: ExportSettingsInput!) { saveExportSettings(input: $input) { ok error { code field message } settings { theme format width height unit dpi } } }`;

describe("export settings, per user", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.stop());

  it("start at a single-column paper PDF, follow the user to another session, and stay theirs alone", async () => {
    const laptop = new TestClient(api.url);
    await laptop.signUp("grace@example.org");
    expect((await laptop.data(GET)).exportSettings).toEqual({ theme: "PAPER", format: "PDF", width: 3.25, height: 2.6, unit: "IN", dpi: 300 });

    const wide = { theme: "DARK", format: "PNG", width: 6.75, height: 3, unit: "IN", dpi: 600 };
    expect((await laptop.data(SAVE, { input: wide })).saveExportSettings).toEqual({ ok: true, error: null, settings: wide });

    // Another browser: a new session of the same user reads the same settings.
    const desktop = new TestClient(api.url);
    await desktop.data(`mutation { signIn(email: "grace@example.org", password: "correct horse battery") { ok } }`);
    expect((await desktop.data(GET)).exportSettings).toEqual(wide);

    // Another user still has the defaults; an anonymous caller has none and cannot save.
    const other = new TestClient(api.url);
    await other.signUp("hopper@example.org");
    expect((await other.data(GET)).exportSettings.theme).toBe("PAPER");
    const anonymous = new TestClient(api.url);
    expect((await anonymous.data(GET)).exportSettings).toBeNull();
    expect((await anonymous.data(SAVE, { input: wide })).saveExportSettings.error.code).toBe("UNAUTHENTICATED");
  });

  it("refuses sizes and resolutions out of range with BAD_USER_INPUT, keeping what was saved", async () => {
    const client = new TestClient(api.url);
    await client.signUp("ada@example.org");
    const good = { theme: "PAPER", format: "SVG", width: 800, height: 600, unit: "PX", dpi: 150 };
    expect((await client.data(SAVE, { input: good })).saveExportSettings.ok).toBe(true);
    for (const bad of [{ ...good, width: 50 }, { ...good, unit: "IN" }, { ...good, dpi: 5000 }]) {
      const refused = (await client.data(SAVE, { input: bad })).saveExportSettings;
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatchObject({ code: "BAD_USER_INPUT", field: "settings" });
      expect(refused.error.message).toMatch(/1 to 20 inches or 100 to 10000 pixels/);
    }
    expect((await client.data(GET)).exportSettings).toEqual(good);
  });
});
