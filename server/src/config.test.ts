import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config.js";

describe("parseConfig", () => {
  it("runs with no configuration at all (one-machine defaults)", () => {
    const config = parseConfig({}, "/srv/atlas");
    expect(config.http).toEqual({ host: "0.0.0.0", port: 4000, publicUrl: "http://localhost:4000", publicUrlSet: false, allowedOrigins: [], trustProxy: false });
    expect(config.dataDir).toBe(path.resolve("/srv/atlas", ".lossatlas"));
    expect(config.database).toEqual({ url: undefined, embeddedPort: 0, embeddedRestarts: 6 });
    expect(config.storage).toMatchObject({ endpoint: undefined, bucket: "lossatlas", region: "us-east-1", forcePathStyle: true });
    expect(config.workers).toEqual({ count: "auto", backend: "auto", heartbeatSeconds: 5, timeoutSeconds: 30, attempts: 3, pointsInFlight: 250_000, sweepSeconds: 15, shutdownGraceSeconds: 8, testCrashSurface: undefined });
    expect(config.production).toBe(false);
  });

  it("reads many-machine settings", () => {
    const config = parseConfig({
      NODE_ENV: "production",
      PORT: "8080",
      PUBLIC_URL: "https://atlas.example.org/",
      DATABASE_URL: "postgres://atlas:pw@db:5432/atlas",
      S3_ENDPOINT: "http://minio:9000",
      S3_PUBLIC_ENDPOINT: "https://files.example.org",
      S3_ACCESS_KEY_ID: "key",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_FORCE_PATH_STYLE: "false",
      WORKERS: "0",
      WORKER_BACKEND: "tensorflow-gpu",
    });
    expect(config.production).toBe(true);
    expect(config.http.publicUrl).toBe("https://atlas.example.org");
    expect(config.database.url).toBe("postgres://atlas:pw@db:5432/atlas");
    expect(config.storage).toMatchObject({ endpoint: "http://minio:9000", publicEndpoint: "https://files.example.org", forcePathStyle: false });
    expect(config.workers).toMatchObject({ count: 0, backend: "tensorflow-gpu" });
  });

  it("reads abuse limits with defaults, and extra WebSocket origins as a list", () => {
    const defaults = parseConfig({});
    expect(defaults.rateLimits).toEqual({ signInPerMinute: 10, signInLockoutFailures: 10, signUpsPerHour: 20, apiTokensPerHour: 20, uploadsPerHour: 120, surfacesPerHour: 300, accountEmailsPerHour: 5 });
    expect(defaults.mail).toEqual({ smtpUrl: undefined, from: "Loss Atlas <no-reply@localhost>", dir: path.join(process.cwd(), ".lossatlas", "mail") });
    expect(() => parseConfig({ SMTP_URL: "http://user:hunter2@mail.example.org" })).toThrow(/SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\/$/m);
    expect(defaults.queries).toMatchObject({ maxCost: 50_000, maxCostAnonymous: 10_000, maxValues: 400_000, maxValuesAnonymous: 100_000, maxBytes: 32_768, maxTokens: 4000 });
    expect(defaults.health.refreshSeconds).toBe(5);
    const set = parseConfig({ ALLOWED_ORIGINS: "https://a.example.org, http://localhost:5173", RATE_LIMIT_SIGN_IN_PER_MINUTE: "3" });
    expect(set.http.allowedOrigins).toEqual(["https://a.example.org", "http://localhost:5173"]);
    expect(set.rateLimits.signInPerMinute).toBe(3);
    expect(() => parseConfig({ ALLOWED_ORIGINS: "not an origin" })).toThrow(/ALLOWED_ORIGINS/);
  });

  it("trusts no proxy by default; TRUST_PROXY takes addresses, subnets, range names or a hop count", () => {
    expect(parseConfig({}).http.trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: "none" }).http.trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: "2" }).http.trustProxy).toBe(2);
    expect(parseConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8, 192.168.1.7, fd00::/8" }).http.trustProxy).toEqual(["loopback", "10.0.0.0/8", "192.168.1.7", "fd00::/8"]);
    for (const bad of ["everyone", "10.0.0.0/33", "10.0.0/8", "true", "*"]) {
      expect(() => parseConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  it("reads single sign-on providers from OIDC_PROVIDERS, with password sign-in on by default", () => {
    expect(parseConfig({}).signIn).toEqual({ password: true, oidcProviders: [] });
    const lab = { id: "lab", name: "Lab account", issuer: "https://login.lab.example.org", clientId: "atlas", clientSecret: "s3cret-value", allowedDomains: ["Lab.Example.org"] };
    const parsed = parseConfig({ OIDC_PROVIDERS: JSON.stringify([lab]), PASSWORD_SIGN_IN: "false" }).signIn;
    expect(parsed).toEqual({ password: false, oidcProviders: [{ ...lab, allowedDomains: ["lab.example.org"] }] });
    // http issuers on loopback only, ids that fit a URL, distinct ids, JSON; secrets never echoed.
    for (const bad of [
      [{ ...lab, issuer: "http://login.lab.example.org" }],
      [{ ...lab, id: "Lab Account" }],
      [lab, lab],
      "not json",
    ]) {
      const text = typeof bad === "string" ? bad : JSON.stringify(bad);
      expect(() => parseConfig({ OIDC_PROVIDERS: text }), text).toThrow(/OIDC_PROVIDERS/);
      expect(() => parseConfig({ OIDC_PROVIDERS: text }), text).not.toThrow(/s3cret-value/);
    }
    expect(parseConfig({ OIDC_PROVIDERS: JSON.stringify([{ ...lab, issuer: "http://127.0.0.1:4444" }]) }).signIn.oidcProviders).toHaveLength(1);
    // Without providers, turning passwords off would leave nobody a way in.
    expect(() => parseConfig({ PASSWORD_SIGN_IN: "false" })).toThrow(/PASSWORD_SIGN_IN/);
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ PORT: "", DATABASE_URL: " " }).http.port).toBe(4000);
  });

  it("lists every problem at once, and never echoes secrets", () => {
    let caught: unknown;
    try {
      parseConfig({ PORT: "99999", LOG_LEVEL: "loud", S3_ENDPOINT: "ftp://x", S3_SECRET_ACCESS_KEY: "hunter2", WORKER_BACKEND: "tpu" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toMatch(/PORT: must be between 0 and 65535 \(got "99999"\)/);
    expect(problems.join("\n")).toMatch(/LOG_LEVEL: .*\(got "loud"\)/);
    expect(problems.join("\n")).toMatch(/S3_ENDPOINT: must be a URL starting with http:\/\/ or https:\/\//);
    expect(problems.join("\n")).toMatch(/WORKER_BACKEND/);
    expect((caught as Error).message).not.toContain("hunter2");
  });

  it("requires keys with an external S3 endpoint", () => {
    expect(() => parseConfig({ S3_ENDPOINT: "http://minio:9000" })).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required/);
  });
});
