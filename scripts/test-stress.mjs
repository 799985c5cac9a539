#!/usr/bin/env node
/**
 * `npm run test:stress [-- vitest arguments]`: the test suite on a machine whose cores are all
 * busy. Starts one busy process per core (plain arithmetic in a loop, at normal priority, as
 * another tenant's job would be; STRESS_PROCESSES sets how many), runs the suite as `npm test`
 * does (vitest, narrowed by any arguments), then stops the load whatever happened, and exits with
 * the suite's status.
 */
import { spawn } from "node:child_process";
import os from "node:os";

const cores = Number(process.env.STRESS_PROCESSES ?? os.availableParallelism());
const BURN = "let x = 0; for (;;) { x = (x * 1103515245 + 12345) % 2147483648; }";
const load = Array.from({ length: cores }, () => spawn(process.execPath, ["-e", BURN], { stdio: "ignore" }));
process.stdout.write(`test:stress: ${load.length} busy processes (pids ${load.map((c) => c.pid).join(", ")}) keep the cores busy\n`);

let stopped = false;
const stopLoad = () => {
  if (stopped) return;
  stopped = true;
  for (const child of load) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  process.stdout.write(`test:stress: load stopped\n`);
};
process.on("exit", stopLoad);

// What `npm test` runs after its build and typecheck (which `npm run test:stress` did already);
// arguments narrow it as they narrow vitest.
const suite = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    suite.kill(signal);
    stopLoad();
  });
}
suite.on("exit", (code, signal) => {
  // Reaped before we go, so nothing of the load outlives the run.
  const gone = load.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", resolve))));
  stopLoad();
  Promise.all(gone).then(() => process.exit(code ?? (signal ? 1 : 0)));
});
