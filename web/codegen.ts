import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for the app's GraphQL operations, generated from the committed API contract
 * (`npm run codegen`). The output in src/api/gql/ is committed; a unit test fails when it is stale.
 */
export const config: CodegenConfig = {
  schema: "../schema/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/api/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/api/gql/": {
      preset: "client",
      // Results are plain objects with every selected field; no fragment masking.
      presetConfig: { fragmentMasking: false },
      config: {
        // Each document is a TypedDocumentString: the fetch client posts it as text, so the app
        // does not bundle the graphql package.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        // Only what the operations use: their results, variables, inputs and enums.
        onlyOperationTypes: true,
        skipTypename: true,
        // A nullable field the server always answers is `T | null`, not optional.
        avoidOptionals: { field: true },
        // A scalar the schema gains must be mapped here before its fields can be used.
        strictScalars: true,
        scalars: { DateTimeISO: "string" },
      },
    },
  },
};

export default config;
