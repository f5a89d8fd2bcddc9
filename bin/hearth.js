#!/usr/bin/env node
// The `hearth` command: a thin launcher for the compiled CLI in dist/.
import("../dist/src/cli/main.js").then((cli) => cli.main(process.argv.slice(2)));
