/**
 * The real API (HTTP, GraphQL, PostgreSQL, object storage, queue) in the test process, on a free
 * port, plus a small GraphQL client that keeps cookies like a browser.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs/promises";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { type ApiHandle, startApi } from "../api.js";
import { builtFile } from "./built.js";
import { parseConfig } from "../config.js";
import { type TestPlatform, startTestPlatform, testLogger } from "./platform.js";
import { untilDefined } from "./wait.js";

export interface TestApi {
  url: string;
  platform: TestPlatform;
  api: ApiHandle;
  stop(): Promise<void>;
}

/**
 * Every test client calls from 127.0.0.1, so the per-address rate limits are lifted unless a test
 * sets them (a suite about them does).
 */
const GENEROUS_LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: "100000",
  RATE_LIMIT_SIGN_UPS_PER_HOUR: "100000",
  RATE_LIMIT_API_TOKENS_PER_HOUR: "100000",
  RATE_LIMIT_UPLOADS_PER_HOUR: "100000",
  RATE_LIMIT_SURFACES_PER_HOUR: "100000",
  RATE_LIMIT_ACCOUNT_EMAILS_PER_HOUR: "100000",
};

/**
 * Where each service under test keeps the emails it would send when SMTP_URL is unset
 * (`$DATA_DIR/mail`), by its URL: `TestClient.verifyEmail` reads its link there.
 */
export const mailFolders = new Map<string, string>();

/** The token of the newest link to `path` (e.g. "/verify-email") in an email to `to` kept in `dir`. */
export async function linkTokenInMailFolder(dir: string, to: string, path: string): Promise<string> {
  return untilDefined(`an email to ${to} with a ${path} link in ${dir}`, async () => {
    const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".eml")).sort().reverse();
    for (const file of files) {
      // Quoted-printable wraps long lines with "=\n" and writes "=" as "=3D"; undo both first.
      const text = (await fs.readFile(`${dir}/${file}`, "utf8")).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      if (!new RegExp(`^To: ${to.replace(/[.+]/g, "\\$&")}$`, "mi").test(text)) continue;
      const match = new RegExp(`${path}\\?token=([\\w-]+)`).exec(text);
      if (match) return match[1]!;
    }
    return undefined;
  });
}

export async function startTestApi(env: Record<string, string> = {}, options: { storage?: "files" | "s3" } = {}): Promise<TestApi> {
  const platform = await startTestPlatform({ storage: options.storage });
  // Tests play clients at many addresses through X-Forwarded-For (TestClient.from), as a proxy on
  // loopback would send it; the service itself trusts no proxy unless TRUST_PROXY says so.
  // Mail without SMTP_URL lands in the platform's own folder, never in the working directory.
  const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", TRUST_PROXY: "loopback", DATA_DIR: platform.dataDir, ...GENEROUS_LIMITS, ...env });
  const api = await startApi(
    config,
    { databaseUrl: platform.postgres.url, storage: platform.storage },
    testLogger,
  ).catch(async (error: unknown) => {
    // Leave no PostgreSQL running behind a failed start.
    await platform.stop();
    throw error;
  });
  mailFolders.set(`http://127.0.0.1:${api.port}`, config.mail.dir);
  return {
    url: `http://127.0.0.1:${api.port}`,
    platform,
    api,
    stop: async () => {
      await api.stop();
      await platform.stop();
    },
  };
}

export interface GraphQLResponse<T> {
  status: number;
  headers?: Headers;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; requestId?: string } }[];
}

/** A GraphQL client with its own cookie jar, optional API token and share token. */
export class TestClient {
  private cookie: string | undefined;

  constructor(
    readonly url: string,
    private readonly credentials: { token?: string; shareToken?: string; address?: string; userAgent?: string } = {},
  ) {}

  /**
   * The same client as if it called from `address` (sent as X-Forwarded-For, which the API
   * believes only from the proxies TRUST_PROXY names: startTestApi names loopback), with its
   * cookie jar.
   */
  from(address: string): TestClient {
    const client = new TestClient(this.url, { ...this.credentials, address });
    client.cookie = this.cookie;
    return client;
  }

  /** The same caller (cookie jar, token) talking to another API process of the same service. */
  at(url: string): TestClient {
    const client = new TestClient(url, this.credentials);
    client.cookie = this.cookie;
    return client;
  }

  withToken(token: string): TestClient {
    return new TestClient(this.url, { ...this.credentials, token });
  }

  /** The same credentials (token, share token) with an empty cookie jar. */
  withoutCookies(): TestClient {
    return new TestClient(this.url, this.credentials);
  }

  withShareToken(shareToken: string): TestClient {
    const client = new TestClient(this.url, { ...this.credentials, shareToken });
    client.cookie = this.cookie;
    return client;
  }

  async request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.credentials.token) headers.authorization = `Bearer ${this.credentials.token}`;
    if (this.credentials.shareToken) headers["x-share-token"] = this.credentials.shareToken;
    if (this.credentials.address) headers["x-forwarded-for"] = this.credentials.address;
    if (this.credentials.userAgent) headers["user-agent"] = this.credentials.userAgent;
    const response = await fetch(`${this.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      if (!pair) continue;
      // An expired cookie (sign-out) clears the jar.
      this.cookie = /expires=Thu, 01 Jan 1970/i.test(line) ? undefined : pair;
    }
    const body = (await response.json()) as Omit<GraphQLResponse<T>, "status">;
    return { status: response.status, headers: response.headers, ...body };
  }

  /** Like request, but fails the test on any GraphQL error. */
  async data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data!;
  }

  /**
   * Runs a subscription over graphql-ws with this client's session cookie (as a browser sends it
   * with the upgrade) and returns every event's data once the server completes it.
   */
  async subscribe<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T[]> {
    const cookie = this.cookie;
    const client = createClient({
      url: `${this.url.replace("http", "ws")}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, cookie ? { headers: { cookie } } : {});
        }
      },
      connectionParams: this.credentials.token ? { authorization: `Bearer ${this.credentials.token}` } : {},
      retryAttempts: 0,
    });
    const events: T[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe({ query, variables }, { next: (message) => events.push(message.data as T), error: reject, complete: resolve });
      });
    } finally {
      await client.dispose();
    }
    return events;
  }

  /** Signs up (and so in) a new user; returns its id. */
  async signUp(email: string, name = email.split("@")[0]!, password = "correct horse battery"): Promise<string> {
    const result = await this.data<{ signUp: { ok: boolean; user: { id: string } | null; error: unknown } }>(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { ok error { code message } user { id } } }`,
      { input: { email, name, password } },
    );
    if (!result.signUp.ok) throw new Error(`sign-up failed: ${JSON.stringify(result.signUp.error)}`);
    return result.signUp.user!.id;
  }

  /**
   * Verifies this user's address (`email`) from the link the service kept in its mail folder
   * (no SMTP_URL: see `mailFolders`); nothing to do when it is verified already.
   */
  async verifyEmail(email: string, folder = mailFolders.get(this.url)): Promise<void> {
    const me = await this.data<{ me: { emailVerified: boolean | null } | null }>(`{ me { emailVerified } }`);
    if (me.me?.emailVerified) return;
    if (!folder) throw new Error(`no mail folder known for ${this.url}`);
    const token = await linkTokenInMailFolder(folder, email, "/verify-email");
    const result = await this.data<{ verifyEmail: { ok: boolean; error: unknown } }>(
      `mutation ($token: String!) { verifyEmail(token: $token) { ok error { code message } } }`,
      { token },
    );
    if (!result.verifyEmail.ok) throw new Error(`verification failed: ${JSON.stringify(result.verifyEmail.error)}`);
  }
}

/** Starts a real worker (queue consumer, engine) in this process against a test API's platform. */
export async function startTestWorker(api: TestApi, backend: "cpu" | "wasm" = "cpu") {
  const { startWorker } = await import("../worker.js");
  return startWorker(
    parseConfig({ LOG_LEVEL: "silent", WORKER_BACKEND: backend, WORKER_HEARTBEAT_SECONDS: "1" }),
    { databaseUrl: api.platform.postgres.url, storage: api.platform.storage },
    testLogger,
  );
}

/**
 * Starts a real `lossatlas worker` process (wasm) against a test API's platform, configured the way
 * `start` configures its workers; `env` adds to or overrides that.
 */
export function forkTestWorker(api: TestApi, env: Record<string, string> = {}): ChildProcess {
  const { storage } = api.platform;
  // The built entry point (`npm test` builds first).
  return fork(builtFile("main.js"), ["worker"], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: {
      ...process.env,
      LOG_LEVEL: "silent",
      WORKER_BACKEND: "wasm",
      WORKER_HEARTBEAT_SECONDS: "1",
      DATABASE_URL: api.platform.postgres.url,
      ...(storage.kind === "files"
        ? { S3_ENDPOINT: "", STORAGE_DIR: storage.dir }
        : { S3_ENDPOINT: storage.endpoint, S3_ACCESS_KEY_ID: storage.accessKeyId, S3_SECRET_ACCESS_KEY: storage.secretAccessKey }),
      ...env,
    },
  });
}
