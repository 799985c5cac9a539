/**
 * The deployment files cannot be run here (no container engine), so they are checked by reading:
 * they parse, reference files that exist, and use only configuration the server knows.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { REPO_ROOT } from "./support/paths.js";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

/** Every variable the server's config schema reads (the keys of its zod object). */
const CONFIG_VARIABLES = [...read("server/src/config.ts").matchAll(/^ {4}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { reservations?: { devices?: { driver: string; count: number; capabilities: string[] }[] } } };
  profiles?: string[];
}

describe("configuration documentation", () => {
  it("finds the config variables", () => {
    expect(CONFIG_VARIABLES).toContain("DATABASE_URL");
    expect(CONFIG_VARIABLES.length).toBeGreaterThanOrEqual(20);
  });

  it(".env.example and the README document every variable", () => {
    const example = read(".env.example");
    const readme = read("README.md");
    for (const name of CONFIG_VARIABLES) {
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^${name}=`, "m"));
      expect(readme, `README lacks ${name}`).toContain(`\`${name}\``);
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, ComposeService> };
  const services = compose.services;

  it("has PostgreSQL, MinIO with its bucket, the API and a GPU worker", () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(["postgres", "minio", "createbucket", "api", "worker"]));
    expect(services.postgres!.image).toMatch(/^postgres:\d+/);
    expect(services.minio!.image).toMatch(/^minio\/minio:/);
    const gpu = services.worker!.deploy?.resources?.reservations?.devices?.[0];
    expect(gpu).toMatchObject({ driver: "nvidia", capabilities: ["gpu"] });
    expect(services.api!.depends_on?.createbucket?.condition).toBe("service_completed_successfully");
  });

  it("builds from Dockerfiles that exist and copy paths that exist", () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const dockerfile = path.join(REPO_ROOT, service.build.context, service.build.dockerfile);
      expect(existsSync(dockerfile), `${name}: ${service.build.dockerfile}`).toBe(true);
      for (const match of readFileSync(dockerfile, "utf8").matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
        for (const source of match[1]!.split(/\s+/)) expect(existsSync(path.join(REPO_ROOT, source)), `${name} copies ${source}`).toBe(true);
      }
    }
  });

  it("configures the API and workers only with variables the server reads", () => {
    for (const name of ["api", "worker", "worker-cpu"]) {
      const env = services[name]!.environment ?? {};
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(env.S3_ENDPOINT).toBe("http://minio:9000");
      for (const key of Object.keys(env)) expect(CONFIG_VARIABLES, `${name} sets unknown ${key}`).toContain(key);
    }
  });
});

describe("Kubernetes manifests", () => {
  const dir = path.join(REPO_ROOT, "infra/k8s");
  const documents = readdirSync(dir)
    .filter((file) => file.endsWith(".yaml"))
    .flatMap((file) => parseAllDocuments(readFileSync(path.join(dir, file), "utf8")).map((doc) => ({ file, doc })));

  it("parse, and every document has a kind and a name", () => {
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const { file, doc } of documents) {
      expect(doc.errors, file).toEqual([]);
      const value = doc.toJS() as { kind?: string; metadata?: { name?: string } };
      expect(value.kind, file).toBeTruthy();
      expect(value.metadata?.name, file).toBeTruthy();
    }
  });

  it("put GPU workers on GPU nodes with one GPU each, and set only known variables", () => {
    const all = documents.map(({ doc }) => doc.toJS() as Record<string, any>); // manifests are free-form YAML
    const worker = all.find((d) => d.metadata.name === "lossatlas-worker-gpu")!;
    const container = worker.spec.template.spec.containers[0];
    expect(container.resources.limits["nvidia.com/gpu"]).toBe(1);
    expect(worker.spec.template.spec.nodeSelector).toBeTruthy();
    const config = all.find((d) => d.kind === "ConfigMap")!;
    const secret = all.find((d) => d.kind === "Secret")!;
    for (const key of [...Object.keys(config.data), ...Object.keys(secret.stringData)]) expect(CONFIG_VARIABLES).toContain(key);
  });

  it("give every Deployment more time to stop than the orderly stop takes (SHUTDOWN_GRACE_SECONDS + 2 s)", () => {
    const all = documents.map(({ doc }) => doc.toJS() as Record<string, any>); // manifests are free-form YAML
    const config = all.find((d) => d.kind === "ConfigMap")!;
    const grace = Number(config.data.SHUTDOWN_GRACE_SECONDS ?? 8);
    const deployments = all.filter((d) => d.kind === "Deployment");
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const d of deployments) expect(d.spec.template.spec.terminationGracePeriodSeconds, d.metadata.name).toBeGreaterThanOrEqual(grace + 2);
  });
});

/** The shell commands of a Dockerfile's RUN instructions in order (continuations joined, split at &&). */
function runCommands(dockerfile: string): string[] {
  const joined = dockerfile
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return [...joined.matchAll(/^RUN\s+(.+)$/gm)].flatMap((m) => m[1]!.split(/\s*(?:&&|;)\s*/)).map((c) => c.trim()).filter(Boolean);
}

/**
 * What `npm install <package>` commands leave after the Dockerfile's own `npm prune` steps, read
 * as npm behaves: a prune removes every package that no package.json lists (`--no-save` installs)
 * and, with `--omit=dev`, the dev dependencies (`--save-dev` installs) too.
 */
function installedAfterPrunes(commands: string[]): { installed: Map<string, string>; pruned: string[] } {
  const installed = new Map<string, string>();
  const kept = new Map<string, "dependency" | "dev" | "unsaved">();
  const pruned: string[] = [];
  for (const command of commands) {
    const words = command.split(/\s+/);
    if (words[0] !== "npm") continue;
    if (words[1] === "install" || words[1] === "i" || words[1] === "add") {
      const flags = words.filter((w) => w.startsWith("-"));
      const valueFlags = new Set(["-w", "--workspace"]);
      const specs = words.slice(2).filter((w, i, all) => !w.startsWith("-") && !valueFlags.has(all[i - 1] ?? ""));
      const kind = flags.includes("--no-save") ? "unsaved" : flags.some((f) => f === "-D" || f === "--save-dev") ? "dev" : "dependency";
      for (const spec of specs) {
        const at = spec.lastIndexOf("@");
        const name = at > 0 ? spec.slice(0, at) : spec;
        installed.set(name, at > 0 ? spec.slice(at + 1) : "");
        kept.set(name, kind);
      }
    }
    if (words[1] === "prune") {
      const omitDev = words.includes("--omit=dev") || words.includes("--production");
      for (const [name, kind] of kept) {
        if (kind === "unsaved" || (kind === "dev" && omitDev)) {
          installed.delete(name);
          kept.delete(name);
          pruned.push(name);
        }
      }
    }
  }
  return { installed, pruned };
}

describe("worker images", () => {
  const gpu = read("infra/docker/worker-gpu.Dockerfile");

  it("reads installs and prunes as npm does (an unsaved install does not survive a prune)", () => {
    const unsaved = installedAfterPrunes(runCommands("RUN npm ci \\\n && npm install --no-save -w server a-package@1.0.0 \\\n && npm prune --omit=dev"));
    expect(unsaved.installed.has("a-package")).toBe(false);
    expect(unsaved.pruned).toEqual(["a-package"]);
    const dev = installedAfterPrunes(runCommands("RUN npm install -D b-package@2.0.0 && npm prune --omit=dev"));
    expect(dev.installed.has("b-package")).toBe(false);
    const saved = installedAfterPrunes(runCommands("RUN npm install --save-exact -w server c-package@3.0.0\nRUN npm prune --omit=dev"));
    expect(saved.installed.get("c-package")).toBe("3.0.0");
  });

  it("the GPU worker keeps @tensorflow/tfjs-node-gpu through its own prune, at the version of tfjs-core", () => {
    const commands = runCommands(gpu);
    expect(commands.some((c) => c.startsWith("npm prune"))).toBe(true);
    const { installed, pruned } = installedAfterPrunes(commands);
    expect(pruned).toEqual([]);
    const server = JSON.parse(read("server/package.json")) as { dependencies: Record<string, string> };
    expect(installed.get("@tensorflow/tfjs-node-gpu")).toBe(server.dependencies["@tensorflow/tfjs-core"]);
    // It is installed into the server workspace, whose package.json the image copies.
    const install = commands.find((c) => c.includes("@tensorflow/tfjs-node-gpu") && c.startsWith("npm install"))!;
    expect(install).toMatch(/(?:-w|--workspace)[ =]server\b/);
    expect(gpu).toMatch(/^COPY server\/package\.json server\/$/m);
    // The build fails at once if the package is gone after the prune.
    const last = commands.findLastIndex((c) => c.startsWith("npm prune"));
    expect(commands.slice(last + 1).some((c) => c.includes("require.resolve('@tensorflow/tfjs-node-gpu'"))).toBe(true);
    expect(gpu).toMatch(/WORKER_BACKEND=tensorflow-gpu/);
  });

  it("no worker or API image installs a package that its own prune removes", () => {
    for (const file of readdirSync(path.join(REPO_ROOT, "infra/docker")).filter((f) => f.endsWith(".Dockerfile"))) {
      expect(installedAfterPrunes(runCommands(read(`infra/docker/${file}`))).pruned, file).toEqual([]);
    }
  });
});

describe("Node versions", () => {
  const claimed = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;

  it("every package in the lockfile supports every Node version package.json claims", () => {
    // Fails with the list of packages (and the versions they need) when an update drops one.
    const result = spawnSync(process.execPath, ["scripts/check-engines.mjs"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("the README, CI and every image state the same range, and the images run a Node inside it", () => {
    for (const file of ["README.md", ".ci/run", ...readdirSync(path.join(REPO_ROOT, "infra/docker")).filter((f) => f.endsWith(".Dockerfile")).map((f) => `infra/docker/${f}`)]) {
      // The README sets the range in code type; the others in plain comments.
      expect(read(file).replaceAll("`", ""), file).toContain(`Node ${claimed}`);
    }
    for (const [file, major] of [
      ["infra/docker/api.Dockerfile", /^FROM node:(\d+)-/gm],
      ["infra/docker/worker-cpu.Dockerfile", /^FROM node:(\d+)-/gm],
      ["infra/docker/worker-gpu.Dockerfile", /nodesource\.com\/node_(\d+)\.x/gm],
    ] as const) {
      const majors = [...read(file).matchAll(major)].map((m) => m[1]!);
      expect(majors.length, file).toBeGreaterThan(0);
      // An image tag or NodeSource channel takes the latest release of its major line.
      for (const m of majors) expect(Number(m) >= 24 || claimed.includes(`^${m}.`), `${file}: Node ${m}`).toBe(true);
    }
  });
});
