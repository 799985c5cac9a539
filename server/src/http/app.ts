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
import { type GraphQLSchema, Kind, type OperationDefinitionNode, parse } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { IncomingMessage } from "node:http";
import { WebSocketServer } from "ws";
import { StartupError } from "../errors.js";
import type { Context, Services } from "../graphql/context.js";
import { formatError } from "../graphql/errors.js";
import { enforceLimits } from "../graphql/limits.js";
import type { Logger } from "../logger.js";
import { assertPortFree } from "../platform/ports.js";
import { authenticate, createLoaders, readShareToken, resolveActor, sessionFromCookieHeader } from "./auth.js";
import { FileObjectStore } from "../storage/file-store.js";
import { securityHeaders } from "./security-headers.js";
import { storageRoute } from "./storage-route.js";

/** Where `npm run build -w web` puts the app. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

export interface HttpServerHandle {
  /** The port actually bound (differs from the configured one when that was 0). */
  port: number;
  close(): Promise<void>;
}

/** Logs every GraphQL error with the request id and hands the id to the client. */
const requestIdPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request }) {
        if (operation) enforceLimits(document, operation, request.variables);
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
        response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
          ...error,
          extensions: { ...error.extensions, requestId: contextValue.requestId },
        }));
      },
    };
  },
};

export async function startHttpServer(
  services: Services,
  schema: GraphQLSchema,
  log: Logger,
): Promise<HttpServerHandle> {
  const { config } = services;
  if (config.http.port !== 0) await assertPortFree(config.http.port, config.http.host, "PORT");

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders(config));
  const server = http.createServer(app);

  // Subscriptions (surface progress) over graphql-ws on the same path. Browsers send their
  // session cookie with the upgrade; scripts send `authorization` in the connection params.
  const wsServer = new WebSocketServer({ server, path: "/graphql" });
  const wsCleanup = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      schema,
      context: async (ctx): Promise<Context> => {
        const params = ctx.connectionParams ?? {};
        const requestId = randomUUID();
        const { actor } = await resolveActor(services, {
          session: sessionFromCookieHeader(ctx.extra.request.headers.cookie),
          authorization: typeof params.authorization === "string" ? params.authorization : undefined,
        });
        return {
          services,
          requestId,
          log: log.child({ requestId }),
          actor,
          shareToken: readShareToken(params.shareToken),
          session: { current: undefined, set: () => undefined, clear: () => undefined },
          loaders: createLoaders(services),
        };
      },
      onSubscribe: async (_ctx, _id, payload) => {
        // The same limits as over HTTP.
        const document = parse(payload.query);
        const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        if (operation) enforceLimits(document, operation, payload.variables ?? undefined);
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
    formatError: (formatted) => formatError(formatted, undefined),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      requestIdPlugin,
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
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const header = req.headers["x-request-id"];
        const requestId = typeof header === "string" && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
        res.setHeader("x-request-id", requestId);
        const auth = await authenticate(req, res, services);
        return { services, requestId, log: log.child({ requestId }), ...auth, loaders: createLoaders(services) };
      },
    }),
  );

  // One machine: the file store's presigned URLs, performed here. With S3 browsers talk to the store.
  if (services.store instanceof FileObjectStore) app.use("/storage", storageRoute(services.store, log));

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
