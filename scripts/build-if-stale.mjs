// Before `npm start`: build the server and the web app when their sources are newer than the
// build, so a fresh clone needs no separate build step and an unchanged tree starts at once.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

function newest(paths) {
  let latest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach((p) => visit(path.join(root, p)));
  return latest;
}

function stale(sources, output) {
  const out = path.join(root, output);
  return !existsSync(out) || newest(sources) > statSync(out).mtimeMs;
}

const run = (command) => execSync(command, { cwd: root, stdio: "inherit" });

if (stale(["server/src", "server/tsconfig.json", "server/package.json"], "server/dist/.tsbuildinfo")) {
  process.stdout.write("Building the server...\n");
  run("npm run build -w server --silent");
}
if (stale(["web/src", "web/index.html", "web/vite.config.ts", "web/package.json"], "web/dist/index.html")) {
  process.stdout.write("Building the web app...\n");
  run("npm run build -w web --silent");
}
