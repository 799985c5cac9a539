import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// type-graphql loads graphql's CommonJS build; the server's own imports must get the same copy,
// or graphql rejects its own scalars as coming "from another realm".
const graphqlCommonJs = createRequire(new URL("./server/package.json", import.meta.url)).resolve("graphql");

// `npm test` runs every suite of the repo: unit tests beside the code (server, web) and the
// cross-process suites under tests/ that start real PostgreSQL, object storage and Chromium.
export default defineConfig({
  test: {
    // Our AWS SDK version is pinned; its notice about future releases needing Node 22 is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      {
        resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCommonJs }] },
        test: {
          name: "server",
          root: "server",
          include: ["src/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: "./web/vite.config.ts",
        test: {
          name: "web",
          root: "web",
          include: ["src/**/*.test.{ts,tsx}"],
          environment: "jsdom",
        },
      },
      {
        test: {
          name: "e2e",
          root: "tests",
          include: ["**/*.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Each file starts its own stack; run files one after another on these small machines.
          fileParallelism: false,
        },
      },
    ],
  },
});
