#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with Node's test runner.
// Node 20's `--test` takes no globs, so the files are listed here. Extra args filter by path substring.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith(".test.js")) files.push(p);
  }
})(path.join(root, "dist"));
const selected = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (selected.length === 0) {
  console.error("no test files found under dist/ (run `npm run build` first)");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...selected], { stdio: "inherit" });
process.exit(result.status ?? 1);
