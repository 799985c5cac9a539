import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kind, type OperationDefinitionNode, isObjectType, parse } from "graphql";
import { TestClient, type TestApi, startTestApi } from "../testing/api.js";
import { mlpFiles, text, upload } from "../testing/uploads.js";
import { pageComplexity } from "./complexity.js";
import { DEFAULT_LIMITS, enforceLimits } from "./limits.js";
import { createSchema } from "./schema.js";

describe("query limits over HTTP", () => {
  let api: TestApi;
  let client: TestClient;
  let surfaceId: string;
  beforeAll(async () => {
    // Small budgets, so a test can reach them with small surfaces.
    api = await startTestApi({ RESPONSE_MAX_VALUES: "10", RESPONSE_MAX_VALUES_ANONYMOUS: "5", QUERY_MAX_BYTES: "8192", QUERY_MAX_TOKENS: "2000" });
    client = new TestClient(api.url);
    await client.signUp("limits@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "p" }) { project { id } } }`)).createProject.project.id;
    await client.data(`mutation ($id: ID!) { setProjectVisibility(id: $id, visibility: PUBLIC) { ok } }`, { id: projectId });
    const files = await mlpFiles();
    const model = await upload(client, { projectId, kind: "MODEL" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const dataset = await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId });
    const created = await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
      input: { projectId, modelId: model.completed!.model!.id, datasetId: dataset.addBuiltinDataset.dataset.id, kind: "LINE", params: { x: { min: -1, max: 1, count: 5 } } },
    });
    surfaceId = created.createSurface.surface.id;
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
    expect(result.status).toBe(400);
  });

  it("refuses a document over QUERY_MAX_BYTES unparsed, and one over QUERY_MAX_TOKENS, with HTTP 400", async () => {
    const long = await new TestClient(api.url).request(`{ me { id } }${" ".repeat(9000)}`);
    expect(long.status).toBe(400);
    expect(long.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    const many = await new TestClient(api.url).request(`{ me { ${"id ".repeat(2100)} } }`);
    expect(many.status).toBe(400);
    expect(many.errors?.[0]?.message).toMatch(/token/i);
  });

  it("gives anonymous callers a lower cost limit", async () => {
    // gallery: 1 + 20 * (nodes: 1 + values: 1000) = 20021: over 10000, under 50000.
    const document = `{ gallery(first: 20) { nodes { values } } }`;
    const anonymous = await new TestClient(api.url).request(document);
    expect(anonymous.status).toBe(400);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect((await client.request(document)).errors).toBeUndefined();
  });

  it("charges values by their size against the response budget, lower for anonymous callers", async () => {
    const twice = `query ($id: ID!) { a: surface(id: $id) { values } b: surface(id: $id) { values } }`;
    const thrice = `query ($id: ID!) { a: surface(id: $id) { values } b: surface(id: $id) { values } c: surface(id: $id) { values } }`;
    const ok = await client.request(twice, { id: surfaceId });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.a.values).toHaveLength(1);
    const over = await client.request(thrice, { id: surfaceId });
    expect(over.status).toBe(400);
    expect(over.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    const anonymous = new TestClient(api.url);
    expect((await anonymous.request(`query ($id: ID!) { surface(id: $id) { values } }`, { id: surfaceId })).errors).toBeUndefined();
    const anonymousOver = await anonymous.request(twice, { id: surfaceId });
    expect(anonymousOver.status).toBe(400);
    expect(anonymousOver.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("refuses queries that would be too costly, counting page sizes from variables too", async () => {
    const document = `query ($n: Int!) { projects(first: $n) { nodes { members(first: $n) { nodes { user { id email name } } } } } }`;
    const cheap = await client.request(document, { n: 10 });
    expect(cheap.errors).toBeUndefined();
    const costly = await client.request(document, { n: 100 });
    expect(costly.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(costly.errors?.[0]?.message).toMatch(/cost/);
  });

  it("measures depth through fragments, and refuses queries deeper than the limit", async () => {
    const schema = await createSchema();
    const document = parse(`fragment F on Member { user { id } } query { projects { nodes { members { nodes { ...F } } } } }`);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    expect(() => enforceLimits(schema, document, operation, {}, { ...DEFAULT_LIMITS, maxDepth: 6 })).not.toThrow();
    expect(() => enforceLimits(schema, document, operation, {}, { ...DEFAULT_LIMITS, maxDepth: 5 })).toThrow(/6 levels deep; at most 5/);
  });

  it("multiplies cost by page sizes, with 20 when none is given", async () => {
    const schema = await createSchema();
    const document = parse(`query ($n: Int) { projects(first: $n) { nodes { members(first: 3) { nodes { role } } } } me { id } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    // projects: 1 + 10 * (nodes: 1 + members: 1 + 3 * (nodes: 1 + role: 1)) = 81; me: 1 + id: 1 = 2
    expect(() => enforceLimits(schema, document, operation, { n: 10 }, { ...DEFAULT_LIMITS, maxCost: 83 })).not.toThrow();
    expect(() => enforceLimits(schema, document, operation, { n: 10 }, { ...DEFAULT_LIMITS, maxCost: 82 })).toThrow(/cost about 83/);
    // Without a value for $n the page is the schema's default, 20: 1 + 20 * 8 + 2 = 163
    expect(() => enforceLimits(schema, document, operation, {}, { ...DEFAULT_LIMITS, maxCost: 162 })).toThrow(/cost about 163/);
  });

  it("counts a series over training as up to 50 surfaces, so nesting series is refused", async () => {
    const schema = await createSchema();
    const cost = (query: string) => {
      const document = parse(query);
      try {
        enforceLimits(schema, document, document.definitions[0] as OperationDefinitionNode, {}, { ...DEFAULT_LIMITS, maxCost: 0 });
      } catch (error) {
        return Number(/cost about (\d+)/.exec((error as Error).message)?.[1]);
      }
      return 0;
    };
    // surface: 1 + (series: 1 + 50 * (id: 1)) = 52
    expect(cost(`{ surface(id: "s") { series { id } } }`)).toBe(52);
    // Grids cost 1000, signed URLs 5, a comparison 100 plus what it selects.
    expect(cost(`{ surface(id: "s") { values valuesUrl thumbnailUrl } }`)).toBe(1 + 1000 + 5 + 5);
    expect(cost(`{ compare(ids: ["a", "b"]) { min } }`)).toBe(100 + 1);
    const nested = parse(`{ surface(id: "s") { series { series { series { id name status } } } } }`);
    expect(() => enforceLimits(schema, nested, nested.definitions[0] as OperationDefinitionNode, {})).toThrow(/cost about/);
  });

  it("declares a cost on every paginated field, so no page of pages goes uncounted", async () => {
    const schema = await createSchema();
    const probe = { args: { first: 7 }, childComplexity: 2 } as unknown as Parameters<typeof pageComplexity>[0];
    const paginated: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!field.args.some((arg) => arg.name === "first")) continue;
        paginated.push(`${type.name}.${field.name}`);
        const complexity = field.extensions.complexity as typeof pageComplexity | undefined;
        expect(typeof complexity, `${type.name}.${field.name}`).toBe("function");
        expect(complexity!(probe), `${type.name}.${field.name}`).toBe(1 + 7 * 2);
      }
    }
    expect(paginated.length).toBeGreaterThanOrEqual(16);
  });

  it("refuses a document with more fields than it will weigh, and leaves bad variables to execution", async () => {
    const schema = await createSchema();
    const fragments = Array.from({ length: 8 }, (_, i) => `fragment F${i} on User { ${i === 7 ? "id" : `...F${i + 1} `.repeat(4)} }`).join(" ");
    const wide = parse(`query { me { ...F0 } } ${fragments}`);
    expect(() => enforceLimits(schema, wide, wide.definitions[0] as OperationDefinitionNode, {})).toThrow(/more than 10000 fields/);
    const typed = parse(`query ($n: Int!) { projects(first: $n) { nodes { id } } }`);
    expect(() => enforceLimits(schema, typed, typed.definitions[0] as OperationDefinitionNode, { n: "ten" })).not.toThrow();
  });

  it("shows anonymous callers the overall health alone; details need a signed-in user", async () => {
    const query = `{ health { status version uptimeSeconds database { serverVersion latencyMs } workers { hostname pid } } }`;
    const anonymous = (await new TestClient(api.url).data(query)).health;
    expect(anonymous).toEqual({ status: "OK", version: null, uptimeSeconds: null, database: null, workers: null });
    const signedIn = (await client.data(query)).health;
    expect(signedIn.database.serverVersion).toMatch(/^\d+/);
    expect(signedIn.workers).toEqual([]);
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
