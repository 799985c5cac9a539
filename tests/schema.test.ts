/** schema/schema.graphql is the API contract: it must match what the server's classes build. */
import { describe, expect, it } from "vitest";
import { runCommand } from "./support/stack.js";

describe("schema/schema.graphql", () => {
  it("is up to date with the server's type-graphql classes", async () => {
    const result = await runCommand(["emit-schema", "--check"], {});
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("up to date");
  });
});
