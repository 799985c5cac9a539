/**
 * The configuration of a Loss Atlas process, read once from the environment and validated.
 *
 * This is the only module that reads `process.env`. Every option is documented here with its
 * default and units, and again in `.env.example` and the README's configuration table.
 */
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const port = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(0, "must be between 0 and 65535")
      .max(65535, "must be between 0 and 65535")
      .default(fallback),
  );

const optionalUrl = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`)
      .optional(),
  );

const bool = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
      .default(fallback ? "true" : "false")
      .transform((value) => value === "true" || value === "1" || value === "yes"),
  );

const positiveInt = (fallback: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(0, "must not be negative")
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

/** The characters of a provider id: it appears in the provider's URLs (`/auth/oidc/<id>/...`). */
const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Issuers must be https; plain http only on this machine's loopback (a provider in tests or development). */
function issuerAllowed(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname));
  } catch {
    return false;
  }
}

const oidcProvider = z.object({
  id: z.string().regex(PROVIDER_ID, "id must be 1 to 32 of a-z, 0-9 and '-'"),
  name: z.string().trim().min(1).max(60),
  issuer: z.string().refine(issuerAllowed, "issuer must be an https URL (http only on localhost)"),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
  allowedDomains: z
    .array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "allowedDomains must be domain names like lab.example.org"))
    .max(100)
    .default([]),
});

/** A configured OpenID Connect provider (OIDC_PROVIDERS). */
export type OidcProviderConfig = z.infer<typeof oidcProvider>;

const oidcProviders = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default("[]")
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON list of providers" });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(oidcProvider, { error: "must be a JSON list of providers" })
        .max(20, "at most 20 providers")
        .refine((list) => new Set(list.map((p) => p.id)).size === list.length, "provider ids must be distinct"),
    ),
);

/** One entry of TRUST_PROXY's list: a named range, an IP address, or an IP subnet with its prefix length. */
function trustedProxyEntry(entry: string): boolean {
  if (entry === "loopback" || entry === "linklocal" || entry === "uniquelocal") return true;
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const environmentSchema = z
  .object({
    /** `development` (default), `production` or `test`. Production hides introspection and internals. */
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("development")),
    /** HTTP port of the API and web app. Default 4000. */
    PORT: port(4000),
    /** Interface the API listens on. Default `0.0.0.0` (all). */
    HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
    /** Address users reach the service at; used in links and presigned URLs. Default `http://localhost:$PORT`. */
    PUBLIC_URL: optionalUrl(["http:", "https:"]),
    /** Folder for embedded PostgreSQL and object-storage data. Default `./.lossatlas`. */
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".lossatlas")),
    /** PostgreSQL connection string. When set, no embedded PostgreSQL starts. */
    DATABASE_URL: optionalUrl(["postgres:", "postgresql:"]),
    /** Port of the embedded PostgreSQL on 127.0.0.1. Default 0: a free port at every start. */
    EMBEDDED_POSTGRES_PORT: port(0),
    /**
     * Times `start` tries to bring back an embedded PostgreSQL that died, waiting 0.5 s, 1 s, 2 s,
     * ... (at most 8 s) before each, until everything stops with a message. Default 6.
     */
    EMBEDDED_POSTGRES_RESTARTS: positiveInt(6, 100),
    /** S3 endpoint the server talks to. When set, objects live there instead of in the file store. */
    S3_ENDPOINT: optionalUrl(["http:", "https:"]),
    /** S3 endpoint as browsers must reach it, for presigned URLs. Default: `$PUBLIC_URL/storage` with the embedded store, else `S3_ENDPOINT`. */
    S3_PUBLIC_ENDPOINT: optionalUrl(["http:", "https:"]),
    /** Bucket holding models, datasets, directions and surfaces. Created when missing. Default `lossatlas`. */
    S3_BUCKET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name (3-63 of a-z, 0-9, '.', '-')")
        .default("lossatlas"),
    ),
    /** S3 region. Default `us-east-1`. */
    S3_REGION: z.preprocess(emptyToUndefined, z.string().default("us-east-1")),
    /** S3 access key id. Required with `S3_ENDPOINT`. */
    S3_ACCESS_KEY_ID: z.preprocess(emptyToUndefined, z.string().optional()),
    /** S3 secret access key. Required with `S3_ENDPOINT`. */
    S3_SECRET_ACCESS_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
    /** Path-style bucket addressing (MinIO and most self-hosted stores need it). Default true. */
    S3_FORCE_PATH_STYLE: bool(true),
    /**
     * Folder of the built-in file object store, used when S3_ENDPOINT is unset. Default
     * `$DATA_DIR/store` for `start`; `serve` and `worker` use it only when it is set.
     */
    STORAGE_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
    /** Secret that signs the built-in store's presigned URLs (32+ characters). Default: random, kept in `$STORAGE_DIR/.signing-secret`. */
    STORAGE_SIGNING_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, "must be at least 32 characters").optional()),
    /** Worker processes `start` launches beside the API, 0 for none, or `auto` (the default; see workersToLaunch). */
    WORKERS: z.preprocess(emptyToUndefined, z.union([z.literal("auto"), positiveInt(1, 64)], { error: 'must be "auto" or a whole number from 0 to 64' }).default("auto")),
    /** Compute backend of a worker: auto, tensorflow-gpu, tensorflow, wasm or cpu. Default auto. */
    WORKER_BACKEND: z.preprocess(
      emptyToUndefined,
      z.enum(["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"]).default("auto"),
    ),
    /** Seconds between worker heartbeats. Default 5. */
    WORKER_HEARTBEAT_SECONDS: positiveInt(5, 3600),
    /** A worker whose last heartbeat is older than this many seconds counts as gone. Default 30. */
    WORKER_TIMEOUT_SECONDS: positiveInt(30, 86400),
    /** Times a tile, a surface's preparation or a training run is started before it counts as failed. Default 3. */
    COMPUTE_ATTEMPTS: positiveInt(3, 100),
    /**
     * Grid points one user may have queued or computing at once (surfaces not finished, points not
     * yet computed); a new surface beyond it is refused with COMPUTE_LIMIT. Default 250000.
     */
    COMPUTE_POINTS_IN_FLIGHT: positiveInt(250_000, 1_000_000_000),
    /** Seconds between the API's sweeps for computations whose work was lost. Default 15. */
    COMPUTE_SWEEP_SECONDS: positiveInt(15, 3600),
    /**
     * Seconds an orderly stop (SIGINT, SIGTERM) may take: requests and tiles in flight get this
     * long to finish before they are cut off and handed back. Default 8, under Docker's 10.
     */
    SHUTDOWN_GRACE_SECONDS: positiveInt(8, 600),
    /**
     * Test hook, unset in production: a worker exits its process when it takes a tile of a surface
     * with exactly this name (to prove that a tile which kills its worker fails its surface).
     */
    WORKER_TEST_CRASH_SURFACE: z.preprocess(emptyToUndefined, z.string().optional()),
    /** Largest single uploaded file, in bytes. Default 268435456 (256 MiB). */
    UPLOAD_MAX_FILE_BYTES: positiveInt(256 * 1024 * 1024, 2 ** 40),
    /** Storage each user may fill with uploads, in bytes. Default 5368709120 (5 GiB). */
    UPLOAD_QUOTA_BYTES: positiveInt(5 * 1024 * 1024 * 1024, 2 ** 50),
    /** Most classes a dataset's labels may name (labels from 0 to this minus 1). Default 10000. */
    UPLOAD_MAX_CLASSES: positiveInt(10_000, 10_000_000),
    /** Seconds an upload's validation may take before it is refused. Default 120. */
    UPLOAD_VALIDATION_SECONDS: positiveInt(120, 3600),
    /** Heap limit of the process that validates an upload, in MiB. Default 1024. */
    UPLOAD_VALIDATION_MEMORY_MB: positiveInt(1024, 65536),
    /** Lifetime of presigned upload and download URLs, in seconds. Default 900. */
    PRESIGNED_URL_SECONDS: positiveInt(900, 7 * 86400),
    /** `start` creates a public demo project on a new data folder and computes it in the background. Default true. */
    DEMO_PROJECT: bool(true),
    /** Size of the demo's experiments: small (minutes), standard (about 15 minutes on two cores) or paper (closer to the paper's scale: about 7 hours on two cores without a GPU). Default standard. */
    DEMO_SIZE: z.preprocess(emptyToUndefined, z.enum(["small", "standard", "paper"]).default("standard")),
    /** Extra origins (comma-separated, e.g. `https://app.example.org`) whose pages may open the GraphQL WebSocket besides the service's own. Default none. */
    ALLOWED_ORIGINS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default("")
        .transform((value) => value.split(",").map((item) => item.trim()).filter((item) => item.length > 0))
        .refine((origins) => origins.every((origin) => /^https?:\/\/[^/\s]+$/.test(origin)), "must be origins like https://host:port, comma-separated"),
    ),
    /**
     * Which proxies in front of the API to believe about the client's address (their
     * `X-Forwarded-For`, `X-Forwarded-Proto`), as Express's `trust proxy` setting takes it: a
     * comma-separated list of addresses, subnets (`10.0.0.0/8`) and the names `loopback`,
     * `linklocal`, `uniquelocal`; or a number of proxy hops in front of the API. Default none: the
     * address a connection comes from is the client's, and forwarded headers are ignored, so a
     * client cannot pick its own address for the sign-in limits.
     */
    TRUST_PROXY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default("")
        .transform((value, ctx): false | number | string[] => {
          const text = value.trim();
          if (text === "" || text === "none" || text === "false") return false;
          if (/^\d+$/.test(text)) return Number(text);
          const entries = text.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
          const bad = entries.find((entry) => !trustedProxyEntry(entry));
          if (bad !== undefined) {
            ctx.addIssue({ code: "custom", message: `"${bad.slice(0, 60)}" is not an address, a subnet like 10.0.0.0/8, loopback, linklocal, uniquelocal or a number of hops` });
            return z.NEVER;
          }
          return entries;
        }),
    ),
    /**
     * OpenID Connect providers people may sign in with, as a JSON list of
     * `{"id", "name", "issuer", "clientId", "clientSecret", "allowedDomains"}`: `id` (a-z, 0-9, '-')
     * names the provider in its URLs, whose redirect URI is `$PUBLIC_URL/auth/oidc/<id>/callback`;
     * `name` is the button's label; `allowedDomains` (optional) limits sign-in to emails of those
     * domains. Default none.
     */
    OIDC_PROVIDERS: oidcProviders,
    /** Whether people may sign up and sign in with a password (and reset one). Default true; false needs OIDC_PROVIDERS. */
    PASSWORD_SIGN_IN: bool(true),
    /** Sign-in attempts one client address may make per minute, whatever the email. Default 10. */
    RATE_LIMIT_SIGN_IN_PER_MINUTE: positiveInt(10, 1_000_000),
    /** Failed sign-ins of one email from one client address within 15 minutes before that client is refused for that email. Default 10. */
    SIGN_IN_LOCKOUT_FAILURES: positiveInt(10, 1_000_000),
    /** Sign-ups one client address may make per hour. Default 20. */
    RATE_LIMIT_SIGN_UPS_PER_HOUR: positiveInt(20, 1_000_000),
    /** API tokens one account, or one client address, may create per hour. Default 20. */
    RATE_LIMIT_API_TOKENS_PER_HOUR: positiveInt(20, 1_000_000),
    /** Uploads one account, or one client address, may start per hour. Default 120. */
    RATE_LIMIT_UPLOADS_PER_HOUR: positiveInt(120, 1_000_000),
    /** Surfaces one account, or one client address, may queue per hour. Default 300. */
    RATE_LIMIT_SURFACES_PER_HOUR: positiveInt(300, 1_000_000),
    /** Account emails (password resets, verification links) one client address, and one email address, may ask for per hour. Default 5. */
    RATE_LIMIT_ACCOUNT_EMAILS_PER_HOUR: positiveInt(5, 1_000_000),
    /** SMTP server for outgoing email, `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465`. Unset: messages go to the log and to `.eml` files in `$DATA_DIR/mail`. */
    SMTP_URL: optionalUrl(["smtp:", "smtps:"]),
    /** Sender of outgoing email, `Name <address>` or an address. Default `Loss Atlas <no-reply@localhost>`. */
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().max(300).default("Loss Atlas <no-reply@localhost>")),
    /** Largest estimated cost of one GraphQL request by a signed-in caller (see graphql/limits.ts). Default 50000. */
    QUERY_MAX_COST: positiveInt(50_000, 100_000_000),
    /** The same for anonymous callers. Default 10000. */
    QUERY_MAX_COST_ANONYMOUS: positiveInt(10_000, 100_000_000),
    /** Grid values (numbers of `values` fields) one response may carry to a signed-in caller. Default 400000. */
    RESPONSE_MAX_VALUES: positiveInt(400_000, 100_000_000),
    /** The same for anonymous callers. Default 100000 (a 201x201 surface's loss and accuracy). */
    RESPONSE_MAX_VALUES_ANONYMOUS: positiveInt(100_000, 100_000_000),
    /** Largest GraphQL document, in bytes, before it is parsed. Default 32768. */
    QUERY_MAX_BYTES: positiveInt(32_768, 10_000_000),
    /** Most lexical tokens in one GraphQL document; parsing stops beyond. Default 4000. */
    QUERY_MAX_TOKENS: positiveInt(4_000, 1_000_000),
    /** Anonymous GraphQL requests handled at once; more wait their turn (signed-in requests never wait). Default 4. */
    ANONYMOUS_CONCURRENCY: positiveInt(4, 10_000),
    /** While signed-in requests are in flight, anonymous ones start at most one per this many milliseconds. Default 5. */
    ANONYMOUS_BUSY_INTERVAL_MS: positiveInt(5, 10_000),
    /** Seconds between background refreshes of the health snapshot that `health` answers from. Default 5. */
    HEALTH_REFRESH_SECONDS: positiveInt(5, 3600),
    /** pino log level: fatal, error, warn, info, debug, trace or silent. Default info. */
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["S3_ACCESS_KEY_ID"],
        message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_ENDPOINT is set",
      });
    }
    if (!env.PASSWORD_SIGN_IN && env.OIDC_PROVIDERS.length === 0) {
      ctx.addIssue({ code: "custom", path: ["PASSWORD_SIGN_IN"], message: "PASSWORD_SIGN_IN=false needs at least one provider in OIDC_PROVIDERS, or nobody could sign in" });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  nodeEnv: Environment["NODE_ENV"];
  production: boolean;
  http: {
    host: string;
    port: number;
    publicUrl: string;
    publicUrlSet: boolean;
    allowedOrigins: string[];
    /** Express's `trust proxy`: false (none), a number of hops, or addresses, subnets and range names. */
    trustProxy: false | number | string[];
  };
  dataDir: string;
  database: { url: string | undefined; embeddedPort: number; embeddedRestarts: number };
  storage: {
    endpoint: string | undefined;
    publicEndpoint: string | undefined;
    bucket: string;
    region: string;
    accessKeyId: string | undefined;
    secretAccessKey: string | undefined;
    forcePathStyle: boolean;
    /** Folder of the built-in file store when set explicitly (else `start` uses `$DATA_DIR/store`). */
    dir: string | undefined;
    signingSecret: string | undefined;
  };
  workers: {
    /** Worker processes `start` launches; `auto`: see workersToLaunch. */
    count: number | "auto";
    backend: Environment["WORKER_BACKEND"];
    heartbeatSeconds: number;
    timeoutSeconds: number;
    /** Starts of one piece of work before its surface or run is failed. */
    attempts: number;
    /** Grid points one user may have queued or computing at once. */
    pointsInFlight: number;
    sweepSeconds: number;
    /** Seconds an orderly stop may take (SHUTDOWN_GRACE_SECONDS). */
    shutdownGraceSeconds: number;
    /** Test hook: the name of a surface whose tiles make a worker exit. */
    testCrashSurface: string | undefined;
  };
  uploads: {
    maxFileBytes: number;
    quotaBytes: number;
    urlSeconds: number;
    maxClasses: number;
    validationSeconds: number;
    validationMemoryMb: number;
  };
  demo: { enabled: boolean; size: "small" | "standard" | "paper" };
  rateLimits: {
    signInPerMinute: number;
    signInLockoutFailures: number;
    signUpsPerHour: number;
    apiTokensPerHour: number;
    uploadsPerHour: number;
    surfacesPerHour: number;
    /** Account emails (resets, verification) per client address and per email address per hour. */
    accountEmailsPerHour: number;
  };
  /** How people sign in: with a password (unless turned off) and with these OpenID Connect providers. */
  signIn: { password: boolean; oidcProviders: OidcProviderConfig[] };
  /** Outgoing email: SMTP when `smtpUrl` is set, else the log and `.eml` files in `dir`. */
  mail: { smtpUrl: string | undefined; from: string; dir: string };
  queries: {
    maxCost: number;
    maxCostAnonymous: number;
    maxValues: number;
    maxValuesAnonymous: number;
    maxBytes: number;
    maxTokens: number;
    anonymousConcurrency: number;
    anonymousBusyIntervalMs: number;
  };
  health: { refreshSeconds: number };
  logLevel: Environment["LOG_LEVEL"];
}

/** Raised when the environment does not hold a valid configuration; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses a configuration from an environment-like record; throws ConfigError listing all problems. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      const value = env[name];
      // SMTP_URL carries the mail server's password, OIDC_PROVIDERS the clients' secrets.
      const shown = value === undefined || /SECRET|PASSWORD|SMTP_URL|OIDC/.test(name) ? "" : ` (got "${value}")`;
      return `${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = result.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    nodeEnv: e.NODE_ENV,
    production: e.NODE_ENV === "production",
    http: { host: e.HOST, port: e.PORT, publicUrl, publicUrlSet: e.PUBLIC_URL !== undefined, allowedOrigins: e.ALLOWED_ORIGINS, trustProxy: e.TRUST_PROXY },
    dataDir: path.resolve(cwd, e.DATA_DIR),
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_POSTGRES_PORT, embeddedRestarts: e.EMBEDDED_POSTGRES_RESTARTS },
    storage: {
      endpoint: e.S3_ENDPOINT,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      dir: e.STORAGE_DIR === undefined ? undefined : path.resolve(cwd, e.STORAGE_DIR),
      signingSecret: e.STORAGE_SIGNING_SECRET,
    },
    workers: {
      count: e.WORKERS,
      backend: e.WORKER_BACKEND,
      heartbeatSeconds: e.WORKER_HEARTBEAT_SECONDS,
      timeoutSeconds: e.WORKER_TIMEOUT_SECONDS,
      attempts: e.COMPUTE_ATTEMPTS,
      pointsInFlight: e.COMPUTE_POINTS_IN_FLIGHT,
      sweepSeconds: e.COMPUTE_SWEEP_SECONDS,
      shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
      testCrashSurface: e.WORKER_TEST_CRASH_SURFACE,
    },
    uploads: {
      maxFileBytes: e.UPLOAD_MAX_FILE_BYTES,
      quotaBytes: e.UPLOAD_QUOTA_BYTES,
      urlSeconds: e.PRESIGNED_URL_SECONDS,
      maxClasses: e.UPLOAD_MAX_CLASSES,
      validationSeconds: e.UPLOAD_VALIDATION_SECONDS,
      validationMemoryMb: e.UPLOAD_VALIDATION_MEMORY_MB,
    },
    demo: { enabled: e.DEMO_PROJECT, size: e.DEMO_SIZE },
    rateLimits: {
      signInPerMinute: e.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      signInLockoutFailures: e.SIGN_IN_LOCKOUT_FAILURES,
      signUpsPerHour: e.RATE_LIMIT_SIGN_UPS_PER_HOUR,
      apiTokensPerHour: e.RATE_LIMIT_API_TOKENS_PER_HOUR,
      uploadsPerHour: e.RATE_LIMIT_UPLOADS_PER_HOUR,
      surfacesPerHour: e.RATE_LIMIT_SURFACES_PER_HOUR,
      accountEmailsPerHour: e.RATE_LIMIT_ACCOUNT_EMAILS_PER_HOUR,
    },
    signIn: { password: e.PASSWORD_SIGN_IN, oidcProviders: e.OIDC_PROVIDERS },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, dir: path.join(path.resolve(cwd, e.DATA_DIR), "mail") },
    queries: {
      maxCost: e.QUERY_MAX_COST,
      maxCostAnonymous: e.QUERY_MAX_COST_ANONYMOUS,
      maxValues: e.RESPONSE_MAX_VALUES,
      maxValuesAnonymous: e.RESPONSE_MAX_VALUES_ANONYMOUS,
      maxBytes: e.QUERY_MAX_BYTES,
      maxTokens: e.QUERY_MAX_TOKENS,
      anonymousConcurrency: Math.max(1, e.ANONYMOUS_CONCURRENCY),
      anonymousBusyIntervalMs: e.ANONYMOUS_BUSY_INTERVAL_MS,
    },
    health: { refreshSeconds: Math.max(1, e.HEALTH_REFRESH_SECONDS) },
    logLevel: e.LOG_LEVEL,
  };
}

/** Reads the configuration of this process from `process.env`. */
export function loadConfig(): Config {
  // The AWS SDK warns on Node 20 about its releases after January 2027; our version is pinned.
  // eslint-disable-next-line no-process-env -- the single place that reads the environment
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // eslint-disable-next-line no-process-env -- the single place that reads the environment
  return parseConfig(process.env);
}

/**
 * The environment for a child process of `start` (the workers): this process's environment with
 * the resolved endpoints of embedded components filled in, so the child needs no discovery.
 */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-process-env -- children inherit the environment they were started in
  return { ...process.env, ...overrides };
}
