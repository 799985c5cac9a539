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
 * Cost: every field costs 1, or its FIELD_COSTS weight; a field with a `first` argument multiplies
 * what it contains by `first` (default 20). So `projects(first: 100) { nodes { members(first: 100)
 * { ... } } }` costs about 100 * 100 per member field, and is refused. Bounded lists without pages
 * (LIST_BOUNDS) multiply by their bound.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  visit,
} from "graphql";
import { ErrorCode } from "../errors.js";

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
 * Fields that cost more than 1, by name: `values` carries a whole grid (up to 201x201 numbers, and
 * its real size is charged again against the response budget when it runs); URLs are signed.
 */
const FIELD_COSTS: Record<string, number> = {
  values: 1000,
  valuesUrl: 5,
  thumbnailUrl: 5,
  compare: 100,
};

const DEFAULT_PAGE = 20;

/**
 * Lists that are bounded but not paginated, by field name, with their largest size: they multiply
 * what they contain like a page would, so nesting them cannot multiply work unseen.
 */
const LIST_BOUNDS: Record<string, number> = {
  // Surface.series: one frame per checkpoint, at most 50 (surfaces.service refuses more).
  series: 50,
};

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

function intValue(node: ValueNode | undefined, variables: Record<string, unknown> | undefined): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
  if (node.kind === Kind.VARIABLE) {
    const value = variables?.[node.name.value];
    return typeof value === "number" ? value : undefined;
  }
  return undefined;
}

interface Measure {
  depth: number;
  cost: number;
}

/** Depth and cost of a selection set, following fragments (each fragment at most once per path). */
function measure(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  visiting: Set<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const first = intValue(selection.arguments?.find((arg) => arg.name.value === "first")?.value, variables);
      const hasPage = selection.arguments?.some((arg) => arg.name.value === "first") ?? false;
      const inner = selection.selectionSet ? measure(selection.selectionSet, fragments, variables, visiting) : { depth: 0, cost: 0 };
      const multiplier = hasPage ? Math.max(1, first ?? DEFAULT_PAGE) : (LIST_BOUNDS[selection.name.value] ?? 1);
      depth = Math.max(depth, inner.depth + 1);
      cost += (FIELD_COSTS[selection.name.value] ?? 1) + multiplier * inner.cost;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const inner = measure(selection.selectionSet, fragments, variables, visiting);
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || visiting.has(name)) continue; // cycles are reported by graphql's own rules
      visiting.add(name);
      const inner = measure(fragment.selectionSet, fragments, variables, visiting);
      visiting.delete(name);
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    }
  }
  return { depth, cost };
}

/**
 * Checks a parsed request against the limits; throws QUERY_TOO_COMPLEX naming the first limit
 * exceeded. Runs after parsing and validation, before execution.
 */
export function enforceLimits(
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
  const { depth, cost } = measure(operation.selectionSet, fragments, variables, new Set());
  if (depth > limits.maxDepth) throw tooComplex(`The query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`);
  if (cost > limits.maxCost) throw tooComplex(`The query would cost about ${cost}; at most ${limits.maxCost} is allowed (ask for smaller pages)`);
}
