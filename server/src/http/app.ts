/**
 * The API process's HTTP surface: GraphQL at /graphql, the built web app at /, a liveness probe
 * at /healthz, and in one-machine mode the embedded object store at /storage.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode, parse } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { IncomingMessage } from "node:http";
import { WebSocketServer } from "ws";
import type { Config } from "../config.js";
import { ErrorCode, StartupError } from "../errors.js";
import type { Context, ResponseBudget, Services } from "../graphql/context.js";
import { formatError } from "../graphql/errors.js";
import { DEFAULT_LIMITS, type QueryLimits, checkDocumentSize, enforceLimits } from "../graphql/limits.js";
import { ANONYMOUS, type Actor } from "../modules/accounts/actor.js";
import type { Logger } from "../logger.js";
import { assertPortFree } from "../platform/ports.js";
import { authenticate, createLoaders, readShareToken, resolveActor, sessionFromCookieHeader } from "./auth.js";
import { anonymousGate } from "./anonymous-gate.js";
import { storageProxy } from "./storage-proxy.js";

/** Where `npm run build -w web` puts the app. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

export interface HttpServerHandle {
  /** The port actually bound (differs from the configured one when that was 0). */
  port: number;
  close(): Promise<void>;
}

export interface HttpOptions {
  /** Internal endpoint of the embedded object store to expose under /storage, if any. */
  embeddedStorageEndpoint?: string;
}

/**
 * Enforces the query limits (a lower cost for anonymous callers) before execution, logs every
 * GraphQL error with the request id and hands the id to the client; QUERY_TOO_COMPLEX, wherever it
 * was raised, is answered with HTTP 400.
 */
function requestPlugin(config: Config): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, request }) {
          if (operation) enforceLimits(document, operation, request.variables, maxCostFor(config, contextValue.actor));
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (!code || code === "INTERNAL_SERVER_ERROR") contextValue.log.error({ err: error.originalError ?? error }, "resolver failed");
            else contextValue.log.debug({ code, message: error.message }, "request rejected");
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          const errors = response.body.singleResult.errors;
          if (errors.some((error) => error.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX)) response.http.status = 400;
          response.body.singleResult.errors = errors.map(({ extensions, ...error }) => {
            const { http: _http, ...rest } = extensions ?? {};
            return { ...error, extensions: { ...rest, requestId: contextValue.requestId } };
          });
        },
      };
    },
  };
}

const maxCostFor = (config: Config, actor: Actor): QueryLimits => ({
  ...DEFAULT_LIMITS,
  maxCost: actor.kind === "user" ? config.queries.maxCost : config.queries.maxCostAnonymous,
});

const budgetFor = (config: Config, actor: Actor): ResponseBudget => ({
  values: actor.kind === "user" ? config.queries.maxValues : config.queries.maxValuesAnonymous,
});

/**
 * May a page of `origin` open the GraphQL WebSocket? Its own origin (PUBLIC_URL's, or the host the
 * browser connected to) and ALLOWED_ORIGINS may; a page on any other origin, another port of the
 * same host included, may not, whatever cookies its browser would send along. Clients without an
 * Origin header are not browsers and carry no ambient credentials.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(publicUrl).origin || allowed.includes(parsed.origin)) return true;
  return host !== undefined && parsed.host === host.toLowerCase();
}

/** What the WebSocket connection learned at its start: who is calling. */
type SocketExtra = {
  request: IncomingMessage;
  actor?: Actor;
};

export async function startHttpServer(
  services: Services,
  schema: GraphQLSchema,
  log: Logger,
  options: HttpOptions = {},
): Promise<HttpServerHandle> {
  const { config } = services;
  if (config.http.port !== 0) await assertPortFree(config.http.port, config.http.host, "PORT");

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  const server = http.createServer(app);

  // Subscriptions (surface progress) over graphql-ws on the same path, and nothing else: queries
  // and mutations go over HTTP, where CSRF prevention applies. Browsers send their session cookie
  // with the upgrade, so the upgrade's Origin must be ours; scripts send `authorization` (an API
  // token) in the connection params.
  const wsServer = new WebSocketServer({
    server,
    path: "/graphql",
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }) => {
      const ok = originAllowed(origin || undefined, req.headers.host, services.publicUrl, config.http.allowedOrigins);
      if (!ok) log.warn({ origin }, "WebSocket from a foreign origin refused");
      return ok;
    },
  });
  const wsCleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = typeof params.authorization === "string" ? params.authorization : undefined;
        try {
          const { actor } = await resolveActor(services, { session: sessionFromCookieHeader(ctx.extra.request.headers.cookie), authorization });
          ctx.extra.actor = actor;
          return true;
        } catch {
          // A bad API token: the connection closes with 4403 Forbidden.
          return false;
        }
      },
      context: async (ctx): Promise<Context> => {
        const params = ctx.connectionParams ?? {};
        const requestId = randomUUID();
        const actor = ctx.extra.actor ?? ANONYMOUS;
        return {
          services,
          requestId,
          log: log.child({ requestId }),
          actor,
          shareToken: readShareToken(params.shareToken),
          session: { current: undefined, set: () => undefined, clear: () => undefined },
          loaders: createLoaders(services),
          client: { address: ctx.extra.request.socket.remoteAddress ?? "", retryAfter: () => undefined },
          budget: budgetFor(config, actor),
        };
      },
      onSubscribe: async (ctx, _id, payload) => {
        // The same limits as over HTTP, and subscriptions only.
        try {
          checkDocumentSize(payload.query, config.queries.maxBytes);
          const document = parse(payload.query, { maxTokens: config.queries.maxTokens });
          const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
          const operation = payload.operationName ? operations.find((o) => o.name?.value === payload.operationName) : operations[0];
          if (operation && operation.operation !== "subscription") {
            return [new GraphQLError("Only subscriptions go over WebSocket; send queries and mutations over HTTP", { extensions: { code: ErrorCode.FORBIDDEN } })];
          }
          if (operation) enforceLimits(document, operation, payload.variables ?? undefined, maxCostFor(config, ctx.extra.actor ?? ANONYMOUS));
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return undefined;
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Parsing stops after this many tokens, so a huge document costs little.
    parseOptions: { maxTokens: config.queries.maxTokens },
    formatError: (formatted) => formatError(formatted, undefined),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      requestPlugin(config),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });

  app.use(
    "/graphql",
    // Anonymous requests take turns, so a flood of them never starves signed-in users.
    anonymousGate(config.queries.anonymousConcurrency),
    express.json({ limit: "1mb" }),
    // A document over QUERY_MAX_BYTES is refused before it is parsed.
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      try {
        checkDocumentSize((req.body as { query?: unknown } | undefined)?.query, config.queries.maxBytes);
        checkDocumentSize(req.query.query, config.queries.maxBytes);
        next();
      } catch (error) {
        const message = (error as Error).message;
        res.status(400).json({ errors: [{ message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }] });
      }
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<Context> => {
        const header = req.headers["x-request-id"];
        const requestId = typeof header === "string" && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
        res.setHeader("x-request-id", requestId);
        const auth = await authenticate(req, res, services);
        return {
          services,
          requestId,
          log: log.child({ requestId }),
          ...auth,
          loaders: createLoaders(services),
          client: { address: req.ip ?? req.socket.remoteAddress ?? "", retryAfter: (seconds) => res.setHeader("retry-after", String(seconds)) },
          budget: budgetFor(config, auth.actor),
        };
      },
    }),
  );

  if (options.embeddedStorageEndpoint) app.use("/storage", storageProxy(options.embeddedStorageEndpoint, services.store, log));

  if (existsSync(path.join(WEB_DIST, "index.html"))) {
    app.use(express.static(WEB_DIST, { index: false, maxAge: "1h" }));
    // The web app routes in the browser: every other GET is the app's shell.
    app.get("/{*path}", (_req, res) => {
      res.setHeader("cache-control", "no-cache");
      res.sendFile(path.join(WEB_DIST, "index.html"));
    });
  } else {
    log.warn({ dir: WEB_DIST }, "web app not built; run `npm run build` to serve it");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          error.code === "EADDRINUSE"
            ? `Port ${config.http.port} on ${config.http.host} is already in use by another program; choose another with PORT=<port>`
            : `Could not listen on ${config.http.host}:${config.http.port}: ${error.message}`,
        ),
      ),
    );
    server.listen(config.http.port, config.http.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.http.port;

  return {
    port,
    close: async () => {
      await apollo.stop();
      server.closeAllConnections();
    },
  };
}
