/**
 * The GraphQL request limits as the HTTP layer applies them (see graphql/limits.ts): a document
 * size guard before parsing, the cost limits (lower for anonymous callers) before execution, the
 * per-request budget of grid values, and HTTP 400 for QUERY_TOO_COMPLEX wherever it was raised.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Config } from "../config.js";
import { ErrorCode } from "../errors.js";
import type { Context, ResponseBudget } from "../graphql/context.js";
import { DEFAULT_LIMITS, type QueryLimits, checkDocumentSize, enforceLimits } from "../graphql/limits.js";
import type { Actor } from "../modules/accounts/actor.js";

/**
 * Enforces the query limits (a lower cost for anonymous callers) before execution, logs every
 * GraphQL error with the request id and hands the id to the client; QUERY_TOO_COMPLEX, wherever it
 * was raised, is answered with HTTP 400.
 */
export function requestPlugin(config: Config): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, request, schema }) {
          if (operation) enforceLimits(schema, document, operation, request.variables, maxCostFor(config, contextValue.actor));
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

export const maxCostFor = (config: Config, actor: Actor): QueryLimits => ({
  ...DEFAULT_LIMITS,
  maxCost: actor.kind === "user" ? config.queries.maxCost : config.queries.maxCostAnonymous,
});

export const budgetFor = (config: Config, actor: Actor): ResponseBudget => ({
  values: actor.kind === "user" ? config.queries.maxValues : config.queries.maxValuesAnonymous,
});

/** Refuses a document over `maxBytes` (QUERY_MAX_BYTES) with HTTP 400 before it is parsed. */
export function documentSizeGuard(maxBytes: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      checkDocumentSize((req.body as { query?: unknown } | undefined)?.query, maxBytes);
      checkDocumentSize(req.query.query, maxBytes);
      next();
    } catch (error) {
      res.status(400).json({ errors: [{ message: (error as Error).message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }] });
    }
  };
}
