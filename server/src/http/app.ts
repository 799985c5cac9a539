/**
 * The API process's HTTP surface: GraphQL at /graphql, the built web app at /, a liveness probe
 * at /healthz, and in one-machine mode the file store's signed URLs at /storage.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLSchema } from "graphql";
import { StartupError } from "../errors.js";
import type { Context, Services } from "../graphql/context.js";
import { formatDomainError, formatError } from "../graphql/errors.js";
import type { Logger } from "../logger.js";
import { assertPortFree } from "../platform/ports.js";
import { anonymousGate } from "./anonymous-gate.js";
import { authenticate, clientAddress, createLoaders } from "./auth.js";
import { budgetFor, documentSizeGuard, requestPlugin } from "./request-limits.js";
import { serveSubscriptions } from "./websocket.js";
import { FileObjectStore } from "../storage/file-store.js";
import { securityHeaders } from "./security-headers.js";
import { storageRoute } from "./storage-route.js";
import { oidcRoutes } from "./oidc-routes.js";

/** Where `npm run build -w web` puts the app. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

export interface HttpServerHandle {
  /** The port actually bound (differs from the configured one when that was 0). */
  port: number;
  close(): Promise<void>;
}


export async function startHttpServer(
  services: Services,
  schema: GraphQLSchema,
  log: Logger,
): Promise<HttpServerHandle> {
  const { config } = services;
  if (config.http.port !== 0) await assertPortFree(config.http.port, config.http.host, "PORT");

  const app = express();
  app.disable("x-powered-by");
  // Whose X-Forwarded-For counts (TRUST_PROXY); by default nobody's, so req.ip is the peer.
  app.set("trust proxy", config.http.trustProxy);
  app.use(securityHeaders(config));
  const server = http.createServer(app);

  // Subscriptions over graphql-ws on the same path (websocket.ts).
  const wsCleanup = serveSubscriptions(server, services, schema, log);

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The process's own shutdown (start.ts, main.ts) owns SIGINT and SIGTERM and stops Apollo in
    // its turn. Apollo's own handler would stop the server behind our back and then re-send the
    // signal to the process, and a stop of ours that then waits on it never ends.
    stopOnTerminationSignals: false,
    // Parsing stops after this many tokens, so a huge document costs little.
    parseOptions: { maxTokens: config.queries.maxTokens },
    formatError: (formatted, error) => formatError(formatDomainError(formatted, error), undefined),
    plugins: [
      // Requests in flight may finish within the grace period, less a margin for the rest of the stop.
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: Math.max(1, config.workers.shutdownGraceSeconds - 2) * 1000 }),
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

  // Single sign-on: to the provider and back (OIDC_PROVIDERS).
  app.use("/auth/oidc", oidcRoutes(services, log));

  app.use(
    "/graphql",
    // Anonymous requests take turns, so a flood of them never starves signed-in users.
    anonymousGate(config.queries.anonymousConcurrency, config.queries.anonymousBusyIntervalMs),
    express.json({ limit: "1mb" }),
    documentSizeGuard(config.queries.maxBytes),
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
          client: { address: clientAddress(req), userAgent: req.headers["user-agent"], retryAfter: (seconds) => res.setHeader("retry-after", String(seconds)) },
          budget: budgetFor(config, auth.actor),
        };
      },
    }),
  );

  // One machine: the file store's presigned URLs, performed here. With S3 browsers talk to the store.
  if (services.store instanceof FileObjectStore) app.use("/storage", storageRoute(services.store, log, (key) => services.uploads.acceptsPut(key)));

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
