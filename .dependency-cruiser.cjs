/**
 * The layers of Loss Atlas as import rules, checked by tests/architecture.test.ts on every test
 * run (docs/ARCHITECTURE.md draws them). Each rule names a direction an import must never take.
 *
 *   entry points: main, start, api, worker, cli/, bench/, validation/ (the upload validator's
 *   child process), testing/ (test helpers)
 *   API:     http/ -> graphql/ -> modules/ --.
 *   workers: compute/ ----------------------+-> domain/ -> jobs/ -> queue/ -> db/, storage/, mail/
 *   engine/: pure compute (TF.js), reached through engine/index.ts; engine/pure.ts is its face
 *            without TF.js, the only part the API may load.
 *   config.ts, errors.ts, logger.ts, lifecycle.ts, version.ts: below everything.
 */
const S = "^server/src/";
const ENTRY = ["main\\.ts$", "start\\.ts$", "api\\.ts$", "worker\\.ts$", "cli/", "bench/", "validation/", "testing/"];
const API = ["http/", "graphql/", "modules/"];
const INFRA = ["db/", "storage/", "mail/", "queue/", "jobs/", "platform/"];

/** Forbids files under `from` (folders or files under server/src; tests excepted) to import any of `to`. */
const forbid = (name, comment, from, to, fromNot) => ({
  name,
  comment,
  severity: "error",
  from: { path: `${S}(${from.join("|")})`, pathNot: fromNot ? [`\\.test\\.ts$`, `${S}(${fromNot})`] : "\\.test\\.ts$" },
  to: { path: `${S}(${to.join("|")})` },
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules that import each other, directly or through others (type imports included), cannot be understood or moved apart.",
      severity: "error",
      from: { path: "^(server|web)/src/" },
      to: { circular: true },
    },
    {
      name: "engine-is-pure",
      comment: "The engine takes tensors and options and returns numbers: it imports no service code.",
      severity: "error",
      from: { path: `${S}engine/` },
      to: { path: `${S}(?!engine/)` },
    },
    forbid("domain-below-api-and-workers", "domain/ is shared by the API and the workers and imports neither; of the engine, only its face without TF.js.", ["domain/"], [
      ...ENTRY, ...API, "compute/", "platform/", "engine/(?!pure\\.ts$)",
    ]),
    forbid("infrastructure-below-features", "Database, storage, queue, job definitions and one-machine platform code know nothing of the features above them.", INFRA, [
      ...ENTRY, ...API, "compute/", "domain/", "engine/",
    ]),
    forbid("workers-not-api", "Workers (compute/) never reach into the API's modules or transport.", ["compute/"], [...API, "api\\.ts$", "start\\.ts$", "main\\.ts$"]),
    forbid("api-not-workers", "The API never imports the workers' code, the applications, or the validator's process.", API, ["compute/", "cli/", "bench/", "validation/", "worker\\.ts$"]),
    forbid("transport-on-top", "Only the composition root and the HTTP layer see HTTP.", ["graphql/", "modules/"], ["http/"]),
    forbid("api-without-tfjs", "The API process never loads TF.js: it sees the engine through engine/pure.ts only.", [...API, "domain/", "api\\.ts$"], [
      "engine/(?!pure\\.ts$)",
    ]),
    forbid("engine-through-its-face", "Code outside the engine imports it through engine/index.ts or engine/pure.ts (test builders from engine/testing/).", ["(?!engine/)"], [
      "engine/(?!index\\.ts$|pure\\.ts$|testing/)",
    ]),
    {
      name: "pure-face-reaches-no-tfjs",
      comment: "engine/pure.ts, the engine's face for the API, reaches no TF.js module through any chain of imports. (That the API process as a whole loads none, type imports aside, is checked at run time by server/src/api-imports.test.ts.)",
      severity: "error",
      from: { path: `${S}engine/pure\\.ts$` },
      to: { path: "@tensorflow/", reachable: true },
    },
    {
      name: "services-without-graphql",
      comment: "Domain services hold logic and SQL; GraphQL types, errors and resolvers live beside them, not in them.",
      severity: "error",
      from: { path: `${S}modules/.+\\.service\\.ts$` },
      to: { path: [`${S}graphql/`, "node_modules/(type-graphql|graphql|@apollo)/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "web-not-server",
      comment: "The web app talks to the server over GraphQL only.",
      severity: "error",
      from: { path: "^web/src/" },
      to: { path: "^(server|tests)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(server|web|tests)/dist/|^(server|web|tests)/src/.*\\.d\\.ts$" },
    tsPreCompilationDeps: true,
  },
};
