import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import { TestClient, type TestApi, startTestApi } from "../testing/api.js";
import { DEFAULT_LIMITS, enforceLimits } from "./limits.js";

describe("query limits over HTTP", () => {
  let api: TestApi;
  let client: TestClient;
  beforeAll(async () => {
    api = await startTestApi();
    client = new TestClient(api.url);
    await client.signUp("limits@example.org");
    await client.data(`mutation { createProject(input: { name: "p" }) { ok } }`);
  });
  afterAll(async () => api?.stop());

  it("answers an ordinary query", async () => {
    const result = await client.request(`{ projects(first: 100) { nodes { id owner { name } members(first: 20) { nodes { user { email } } } } } }`);
    expect(result.errors).toBeUndefined();
  });

  it("refuses too many aliases before running anything", async () => {
    const fields = Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(" ");
    const result = await client.request(`{ ${fields} }`);
    expect(result.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.message).toMatch(/31 aliases/);
    expect(result.data).toBeUndefined();
  });

  it("refuses queries that would be too costly, counting page sizes from variables too", async () => {
    const document = `query ($n: Int!) { projects(first: $n) { nodes { members(first: $n) { nodes { user { id email name } } } } } }`;
    const cheap = await client.request(document, { n: 10 });
    expect(cheap.errors).toBeUndefined();
    const costly = await client.request(document, { n: 100 });
    expect(costly.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(costly.errors?.[0]?.message).toMatch(/cost/);
  });

  it("measures depth through fragments, and refuses queries deeper than the limit", () => {
    const document = parse(`fragment F on T { c { d { e } } } query { a { b { ...F } } }`);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    expect(() => enforceLimits(document, operation, {}, { ...DEFAULT_LIMITS, maxDepth: 5 })).not.toThrow();
    expect(() => enforceLimits(document, operation, {}, { ...DEFAULT_LIMITS, maxDepth: 4 })).toThrow(/5 levels deep; at most 4/);
  });

  it("multiplies cost by page sizes, with 20 when none is given", () => {
    const document = parse(`query ($n: Int) { a(first: $n) { b(first: 3) { c } } x { y } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    // a: 1 + 10 * (b: 1 + 3 * (c: 1)) = 41; x: 1 + 1 = 2
    expect(() => enforceLimits(document, operation, { n: 10 }, { ...DEFAULT_LIMITS, maxCost: 43 })).not.toThrow();
    expect(() => enforceLimits(document, operation, { n: 10 }, { ...DEFAULT_LIMITS, maxCost: 42 })).toThrow(/cost about 43/);
    // Without a value for $n the page defaults to 20: 1 + 20 * 4 + 2 = 83
    expect(() => enforceLimits(document, operation, {}, { ...DEFAULT_LIMITS, maxCost: 82 })).toThrow(/cost about 83/);
  });

  it("counts a series over training as up to 50 surfaces, so nesting series is refused", () => {
    const cost = (query: string) => {
      const document = parse(query);
      try {
        enforceLimits(document, document.definitions[0] as OperationDefinitionNode, {}, { ...DEFAULT_LIMITS, maxCost: 0 });
      } catch (error) {
        return Number(/cost about (\d+)/.exec((error as Error).message)?.[1]);
      }
      return 0;
    };
    // surface: 1 + (series: 1 + 50 * (id: 1)) = 52
    expect(cost(`{ surface(id: "s") { series { id } } }`)).toBe(52);
    const nested = parse(`{ surface(id: "s") { series { series { series { id name status } } } } }`);
    expect(() => enforceLimits(nested, nested.definitions[0] as OperationDefinitionNode, {})).toThrow(/cost about/);
  });

  it("turns off batched requests", async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ me { id } }" }, { query: "{ me { id } }" }]),
    });
    expect(response.status).toBe(400);
  });

  it("blocks simple cross-site GET requests (CSRF prevention)", async () => {
    const response = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ me { id } }")}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it("hides introspection and internals in production", async () => {
    const production = await startTestApi({ NODE_ENV: "production" });
    try {
      const client = new TestClient(production.url);
      const introspection = await client.request(`{ __schema { types { name } } }`);
      expect(introspection.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      const missing = await client.request(`{ project(id: "not-an-id") { id } }`);
      expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(JSON.stringify(missing)).not.toMatch(/stack|\.ts:|node_modules/);
    } finally {
      await production.stop();
    }
  });
});
