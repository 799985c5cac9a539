/**
 * Query limits, in three layers:
 * - Before parsing: a document over QUERY_MAX_BYTES is refused unread, and the parser stops after
 *   QUERY_MAX_TOKENS tokens, so a huge document cannot hold the process.
 * - Before execution: a query that is too deep, uses too many aliases or would cost too much is
 *   rejected before any resolver runs. Anonymous callers get a lower cost limit.
 * - During execution: fields whose size is only known from the data (`values`) spend a
 *   per-request budget of grid values before loading anything (a lower one for anonymous callers).
 * Every refusal is QUERY_TOO_COMPLEX with HTTP status 400.
 *
 * Cost is declared on the schema (`@Field({ complexity })`, graphql/complexity.ts) and summed by
 * graphql-query-complexity: every field costs 1 plus what it contains, unless it declares more; a
 * paginated field multiplies what it contains by `first` (default 20), a bounded list by its bound.
 */
import { createRequire } from "node:module";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from "graphql";
import { ErrorCode } from "../errors.js";

// type-graphql builds the schema with graphql's CommonJS build. graphql-query-complexity's ES build
// would walk it with graphql's ES build, another copy of graphql that refuses the schema's types
// ("from another module or realm"), so its CommonJS build is loaded, which shares type-graphql's.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)("graphql-query-complexity") as typeof import("graphql-query-complexity");

export interface QueryLimits {
  /** Deepest nesting of fields (default 12). */
  maxDepth: number;
  /** Aliased fields in one document (default 30). */
  maxAliases: number;
  /** Estimated cost, see above (default 50,000). */
  maxCost: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxCost: 50_000 };

/**
 * Most fields graphql-query-complexity weighs in one document, fragments expanded; a document past
 * it is refused rather than walked further (fragments spread inside fragments multiply).
 */
const MAX_WEIGHED_FIELDS = 10_000;

/** A QUERY_TOO_COMPLEX error; the HTTP layer answers it with status 400. */
export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 } } });
}

/**
 * Spends `values` grid values of the request's budget, or throws QUERY_TOO_COMPLEX when the
 * response would carry more than the caller's budget allows.
 */
export function spendValues(budget: { values: number }, values: number, what: string): void {
  if (values > budget.values) {
    throw tooComplex(`The response would carry more grid values than allowed (${what} needs ${values}, ${Math.max(0, budget.values)} left); ask for fewer surfaces or use valuesUrl`);
  }
  budget.values -= values;
}

/** Refuses a document longer than `maxBytes` before it is parsed. */
export function checkDocumentSize(query: unknown, maxBytes: number): void {
  if (typeof query === "string" && Buffer.byteLength(query, "utf8") > maxBytes) {
    throw tooComplex(`The query document is longer than ${maxBytes} bytes`);
  }
}

/** Depth of a selection set, following fragments (each fragment at most once per path). */
function depthOf(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  let depth = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      depth = Math.max(depth, (selection.selectionSet ? depthOf(selection.selectionSet, fragments, visiting) : 0) + 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = Math.max(depth, depthOf(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || visiting.has(name)) continue; // cycles are reported by graphql's own rules
      visiting.add(name);
      depth = Math.max(depth, depthOf(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return depth;
}

/**
 * The operation's estimated cost, or undefined when its variables do not fit their types: then
 * execution refuses the request with BAD_USER_INPUT before any resolver runs, so there is nothing
 * to weigh.
 */
function costOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): number | undefined {
  try {
    return getComplexity({
      schema,
      query: document,
      ...(operation.name ? { operationName: operation.name.value } : {}),
      variables: variables ?? {},
      maxQueryNodes: MAX_WEIGHED_FIELDS,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // graphql-query-complexity stops at maxQueryNodes with this message; any other GraphQLError it
    // raises is about the variables. Its errors come from graphql's CommonJS build (see above), so
    // they are told by name, not by `instanceof` this module's GraphQLError.
    if (!(error instanceof Error) || error.name !== "GraphQLError") throw error;
    if (/maximum allowed number of nodes/.test(error.message)) {
      throw tooComplex(`The query has more than ${MAX_WEIGHED_FIELDS} fields once its fragments are expanded`);
    }
    return undefined;
  }
}

/**
 * Checks a parsed request against the limits; throws QUERY_TOO_COMPLEX naming the first limit
 * exceeded. Runs after parsing (and, over HTTP, validation), before execution.
 */
export function enforceLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits = DEFAULT_LIMITS,
): void {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  let aliases = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases += 1;
    },
  });
  if (aliases > limits.maxAliases) throw tooComplex(`The query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  const depth = depthOf(operation.selectionSet, fragments, new Set());
  if (depth > limits.maxDepth) throw tooComplex(`The query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`);
  const cost = costOf(schema, document, operation, variables);
  if (cost !== undefined && cost > limits.maxCost) throw tooComplex(`The query would cost about ${cost}; at most ${limits.maxCost} is allowed (ask for smaller pages)`);
}
