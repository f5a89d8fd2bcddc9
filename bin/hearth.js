#!/usr/bin/env node
// The `hearth` command: a thin launcher for the compiled CLI in dist/.
// A small young generation keeps a busy server's memory low at little cost in speed
// (measured with the bench harness: see bench/RESULTS.md).
import v8 from "node:v8";
v8.setFlagsFromString("--max-semi-space-size=1");
import("../dist/src/cli/main.js").then((cli) => cli.main(process.argv.slice(2)));
