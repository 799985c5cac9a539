/**
 * The shape of the code, checked like behaviour: the layers of docs/ARCHITECTURE.md as import
 * rules (dependency-cruiser, `.dependency-cruiser.cjs`), no circles, and rooms of a size one can
 * read: no source file over 500 lines, no function over 150 lines where the arithmetic and the
 * jobs live.
 */
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

/** Every tracked TypeScript file of ours, generated code left out. */
function sources(): string[] {
  return execFileSync("git", ["ls-files", "--", "*.ts", "*.tsx"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((path) => path !== "" && !path.endsWith(".d.ts") && !path.startsWith("web/src/api/gql/"));
}

describe("the code's structure", () => {
  it("has no import circles and no import against the layers", async () => {
    const { cruise } = (await import("dependency-cruiser")) as typeof import("dependency-cruiser");
    const config = require(`${root}.dependency-cruiser.cjs`);
    const result = await cruise(["server/src", "web/src"], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden }, baseDir: root });
    const output = typeof result.output === "string" ? JSON.parse(result.output) : result.output;
    const violations = (output.summary.violations as { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[]).map(
      (v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(" -> ")})` : ""}`,
    );
    // Proof that the rules were applied to real files, not to an empty selection.
    expect(output.summary.totalCruised).toBeGreaterThan(200);
    expect(violations).toEqual([]);
  }, 120_000);

  it("keeps every source file under 500 lines", () => {
    const long = sources()
      .map((path) => ({ path, lines: readFileSync(`${root}${path}`, "utf8").replace(/\n$/, "").split("\n").length }))
      .filter((file) => file.lines > 500)
      .map((file) => `${file.path}: ${file.lines} lines`);
    expect(long).toEqual([]);
  });

  it("keeps every function of the jobs and the ONNX reader under 150 lines", () => {
    const files = sources().filter((path) => /^server\/src\/(compute|engine\/onnx)\//.test(path) && !path.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(5);
    const long: string[] = [];
    for (const path of files) {
      const source = ts.createSourceFile(path, readFileSync(`${root}${path}`, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
          const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (end - start + 1 > 150) long.push(`${path}:${start + 1}: ${end - start + 1} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});
