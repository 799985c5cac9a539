/**
 * GraphQL over WebSocket (graphql-ws on /graphql): subscriptions only, since queries and
 * mutations go over HTTP where CSRF prevention applies. Browsers send their session cookie with
 * the upgrade, so the upgrade's Origin must be PUBLIC_URL's (or in ALLOWED_ORIGINS); scripts
 * send `authorization: Bearer <API token>` in the connection params. A connection lasts no longer
 * than the credential it opened with: when that session ends (signed out, ended from the list, by
 * a password change, with its account) or that token is revoked, the server closes it with 4401.
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { IncomingMessage } from "node:http";
import { GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode, parse } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { ErrorCode } from "../errors.js";
import type { Context, Services } from "../graphql/context.js";
import { withDomainExtensions } from "../graphql/errors.js";
import { checkDocumentSize, enforceLimits } from "../graphql/limits.js";
import type { Logger } from "../logger.js";
import { ANONYMOUS, type Actor } from "../modules/accounts/actor.js";
import { hashSecret } from "../modules/accounts/secrets.js";
import { createLoaders, readShareToken, resolveActor, sessionFromCookieHeader } from "./auth.js";
import { budgetFor, maxCostFor } from "./request-limits.js";

/**
 * The origins of the service's own pages: PUBLIC_URL's. Left unset, PUBLIC_URL is
 * `http://localhost:<port>`, and the same port on 127.0.0.1 and [::1] is the same service on this
 * machine's loopback, so a browser that opened either is at home too.
 */
export function ownOrigins(publicUrl: string, publicUrlSet: boolean): string[] {
  const own = new URL(publicUrl);
  if (publicUrlSet || own.hostname !== "localhost") return [own.origin];
  const port = own.port ? `:${own.port}` : "";
  return ["localhost", "127.0.0.1", "[::1]"].map((host) => `${own.protocol}//${host}${port}`);
}

/**
 * May a page of `origin` open the GraphQL WebSocket? The service's own origins (`ownOrigins`) and
 * ALLOWED_ORIGINS may; a page on any other origin, another port of the same host included, may
 * not, whatever cookies its browser would send along. The Host header plays no part: the client
 * writes it, so a page of evil.example reached through DNS pointed at us would match it.
 * Clients without an Origin header are not browsers and carry no ambient credentials.
 */
export function originAllowed(origin: string | undefined, own: readonly string[], allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return own.includes(parsed.origin) || allowed.includes(parsed.origin);
}

/** graphql-ws's close code for a connection whose credential ended: 4401 Unauthorized. */
export const CREDENTIAL_ENDED_CLOSE = 4401;

/** What the WebSocket connection learned at its start: who is calling. */
type SocketExtra = {
  request: IncomingMessage;
  actor?: Actor;
};

/** Serves subscriptions on `server`'s /graphql upgrades; returns what disposes of them. */
export function serveSubscriptions(server: http.Server, services: Services, schema: GraphQLSchema, log: Logger): { dispose(): void | Promise<void> } {
  const { config } = services;
  const wsServer = new WebSocketServer({
    server,
    path: "/graphql",
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }) => {
      // services.publicUrl, not config's: with PORT=0 it is known only once the server listens.
      const ok = originAllowed(origin || undefined, ownOrigins(services.publicUrl, config.http.publicUrlSet), config.http.allowedOrigins);
      if (!ok) log.warn({ origin, host: req.headers.host }, "WebSocket from a foreign origin refused");
      return ok;
    },
  });
  return useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = typeof params.authorization === "string" ? params.authorization : undefined;
        const session = sessionFromCookieHeader(ctx.extra.request.headers.cookie);
        // The credential resolveActor uses: the token when one is sent, else the cookie's session.
        const credential = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : session;
        // Listening before the credential is checked, so an end in between is not missed.
        const stop = credential
          ? services.progress.onCredentialEnded(hashSecret(credential).toString("hex"), () => ctx.extra.socket.close(CREDENTIAL_ENDED_CLOSE, "The session or API token ended"))
          : undefined;
        if (stop) ctx.extra.socket.once("close", stop);
        try {
          const { actor } = await resolveActor(services, { session, authorization });
          ctx.extra.actor = actor;
          if (actor.kind !== "user") stop?.();
          return true;
        } catch {
          // A bad API token: the connection closes with 4403 Forbidden.
          stop?.();
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
      // The domain's errors carry their code as they do over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((error) => withDomainExtensions(error).toJSON()) } : undefined),
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
          if (operation) enforceLimits(schema, document, operation, payload.variables ?? undefined, maxCostFor(config, ctx.extra.actor ?? ANONYMOUS));
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return undefined;
      },
    },
    wsServer,
  );
}
