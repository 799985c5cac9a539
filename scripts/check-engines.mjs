// Every package in the lockfile must run on every Node version we claim (the root package.json's
// `engines.node`): for each part of that range its lowest release is checked (^20.19 || ^22.13 ||
// >=24: 20.19.0, 22.13.0 and 24.0.0) against each package's own `engines.node`, with no
// exceptions: the whole suite runs on Node 20 in CI. Run by tests/infra.test.ts, so
// a dependency update that drops a version we claim fails the build, and by .ci/run, which also
// refuses a Node outside the range.
//   node scripts/check-engines.mjs            checks the lockfile
//   node scripts/check-engines.mjs --running  also checks the Node running it
import { readFileSync } from "node:fs";
import semver from "semver";

const root = new URL("..", import.meta.url);
const read = (file) => JSON.parse(readFileSync(new URL(file, root), "utf8"));

/** The lowest release of each part of a range: "^22.13 || >=24" gives ["22.13.0", "24.0.0"]. */
export function lowestReleases(range) {
  return new semver.Range(range).set.map((comparators) => semver.minVersion(new semver.Range(comparators.map(String).join(" "))).version);
}

/** "name@version needs X, not Y" for every package in the lockfile that refuses a claimed version. */
export function engineProblems(lock, claimed) {
  const versions = lowestReleases(claimed);
  const problems = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    const needs = entry.engines?.node;
    if (!location || !needs) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
    for (const version of versions) {
      if (!semver.satisfies(version, needs, { includePrerelease: true })) problems.push(`${name}@${entry.version} needs Node ${needs}, not ${version}`);
    }
  }
  return problems;
}

if (import.meta.url === new URL(process.argv[1], "file:").href) {
  const claimed = read("package.json").engines.node;
  const problems = engineProblems(read("package-lock.json"), claimed);
  if (process.argv.includes("--running") && !semver.satisfies(process.version, claimed)) {
    problems.push(`this is Node ${process.version}; Loss Atlas supports Node ${claimed}`);
  }
  if (problems.length > 0) {
    console.error(`Node ${claimed} (package.json engines):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`Every package supports Node ${claimed} (checked ${lowestReleases(claimed).join(", ")}).`);
}
