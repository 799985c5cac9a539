#!/usr/bin/env node
// The one command-line entry of Loss Atlas; every process role is a subcommand of it.
import { run } from "../dist/main.js";

await run(process.argv.slice(2));
