import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SUBREQUEST_LIMIT, MAX_SUBREQUEST_LIMIT, resolveLimits } from "./limits.js";

test("limits.subrequests defaults to the paid plan's 10,000 and is capped at 10 million", () => {
  assert.equal(resolveLimits({}).subrequests, DEFAULT_SUBREQUEST_LIMIT);
  assert.equal(DEFAULT_SUBREQUEST_LIMIT, 10_000);
  assert.equal(resolveLimits({ subrequests: 50 }).subrequests, 50);
  assert.equal(resolveLimits({ subrequests: 1e9 }).subrequests, MAX_SUBREQUEST_LIMIT);
});
