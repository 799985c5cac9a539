// @vitest-environment node
// Codegen and graphql run in Node here; jsdom is only for the components' tests.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import { buildSchema, NoUnusedFragmentsRule, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import config from "../../codegen";
import * as generated from "./gql/graphql";
import * as health from "./health";
import * as ops from "./ops";
import * as seriesOps from "./series-ops";
import * as trainingOps from "./training-ops";

const webDir = fileURLToPath(new URL("../..", import.meta.url));
const gqlDir = join(webDir, "src/api/gql");
const schemaFile = join(webDir, "../schema/schema.graphql");

describe("generated GraphQL types", () => {
  it("match what `npm run codegen` makes from the schema and the operations (run it after changing either)", async () => {
    // Generated in memory, not written: the committed files are what is compared.
    const outputs = (await generate({ ...config, cwd: webDir, silent: true }, false)) as { filename: string; content: string }[];
    const fresh = new Map(outputs.map((o) => [relative(webDir, join(webDir, o.filename)), o.content]));
    const committed = readdirSync(gqlDir).map((name) => relative(webDir, join(gqlDir, name)));
    expect([...committed].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, content] of fresh) {
      expect(readFileSync(join(webDir, file), "utf8"), `${file} is stale: run npm run codegen`).toBe(content);
    }
  }, 120_000);

  it("are documents the API's schema accepts", () => {
    const schema = buildSchema(readFileSync(schemaFile, "utf8"));
    // A fragment's own document has no operation using it; operations carry their fragments.
    const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
    const documents = Object.entries(generated as Record<string, unknown>).flatMap(([name, value]) =>
      value instanceof generated.TypedDocumentString ? [{ name, text: value.toString() }] : [],
    );
    expect(documents.length).toBeGreaterThan(0);
    for (const { name, text } of documents) {
      const errors = validate(schema, parse(text), rules);
      expect(errors.map((e) => `${name}: ${e.message}`)).toEqual([]);
    }
  });

  it("back every operation the app sends (a stale map would hand back an empty object)", () => {
    const modules = { ops, seriesOps, trainingOps, health: { HEALTH_QUERY: health.HEALTH_QUERY } };
    for (const [module, exports] of Object.entries(modules)) {
      for (const [name, document] of Object.entries(exports)) {
        expect(document, `${module}.${name}`).toBeInstanceOf(generated.TypedDocumentString);
      }
    }
  });
});
