import assert from "node:assert/strict";
import { it } from "node:test";
import * as pages from "./index.js";

it("src/pages/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(pages).sort(), [
    "PagesTarget",
    "ROUTES_MAX_RULES",
    "ROUTES_MAX_RULE_CHARS",
    "RunningPages",
    "parseRoutesJson",
    "planPages",
  ]);
});
