/**
 * A real OpenID Connect provider for tests (`oidc-provider`) on a free loopback port: one
 * confidential client that must use PKCE, accounts whose email and `email_verified` the test
 * chooses, and a plain sign-in page (`/interaction/<uid>`, one "Username" field) that a
 * cookie-keeping client or headless Chromium fills in. The email claims come from the userinfo
 * endpoint, as most providers send them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

export interface TestAccount {
  email: string;
  email_verified: boolean;
  name: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by the username typed on the sign-in page. */
  accounts: Map<string, TestAccount>;
  /** Starts serving, with the client's redirect URIs (known once the API listens). */
  serve(redirectUris: string[]): void;
  stop(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Listens at once (so the issuer's URL is known before the API starts); answers once `serve` is called. */
export async function startTestOidcProvider(): Promise<TestOidcProvider> {
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const clientId = "lossatlas-test";
  const clientSecret = "a test client secret that is long enough";

  const serve = (redirectUris: string[]) => {
    const configuration: Configuration = {
      clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ["authorization_code"], response_types: ["code"] }],
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
      findAccount: (_ctx, sub) => {
        const account = accounts.get(sub);
        return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      // A first-party client: no consent screen, every requested scope granted.
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope("openid email profile");
        await grant.save();
        return grant;
      },
      pkce: { required: () => true },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      features: { devInteractions: { enabled: false } },
      cookies: { keys: ["test cookie signing key, not a secret"] },
    };
    const provider = new Provider(issuer, configuration);
    const callback = provider.callback();
    handler = (req, res) => {
      // Browsers ask for an icon on the sign-in page; none, rather than a 404 in the console.
      if (req.url === "/favicon.ico") return void res.writeHead(204).end();
      const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? "");
      if (!match) return void callback(req, res);
      void (async () => {
        try {
          const details = await provider.interactionDetails(req, res);
          if (req.method === "POST" && match[2]) {
            const login = (await readForm(req)).get("login") ?? "";
            if (!accounts.has(login)) return void res.writeHead(400).end("No such account");
            await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
            return;
          }
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><title>Test provider</title>
<h1>Test provider: sign in</h1>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label>Username <input name="login" autofocus></label> <button type="submit">Continue</button>
</form>`);
        } catch (error) {
          res.writeHead(400).end(String(error));
        }
      })();
    };
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    serve,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A client that follows redirects and keeps cookies per host, as a browser does (only what these
 * tests need: names and values, no paths or expiry beyond deletion).
 */
export class RedirectingClient {
  readonly jar = new Map<string, Map<string, string>>();

  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    let cookies = this.jar.get(host);
    if (!cookies) this.jar.set(host, (cookies = new Map()));
    return cookies;
  }

  cookieHeader(url: string): string {
    return [...this.cookies(url)].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** One request, no redirect followed; Set-Cookie goes into the jar. */
  async fetch(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(url) };
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(url, { method: init.method ?? "GET", headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies(url).delete(name);
      else this.cookies(url).set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects from `url` until `stop` says so for the next URL, or a response is not a
   * redirect; returns that URL and, when not stopped, the last response.
   */
  async follow(url: string, stop: (next: string) => boolean = () => false, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; response: Response | undefined }> {
    let current = url;
    let response = await this.fetch(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      current = new URL(location, current).href;
      if (stop(current)) return { url: current, response: undefined };
      response = await this.fetch(current);
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }
}
