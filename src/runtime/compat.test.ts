import assert from "node:assert/strict";
import { test } from "node:test";
import { FETCH_REFUSES_UNKNOWN_PROTOCOLS, isFlagOn, WEBSOCKET_STANDARD_BINARY_TYPE } from "./compat.js";

test("a dated flag is on from its date; explicit enable and disable flags win", () => {
  assert.equal(isFlagOn(WEBSOCKET_STANDARD_BINARY_TYPE, "2026-03-16", []), false);
  assert.equal(isFlagOn(WEBSOCKET_STANDARD_BINARY_TYPE, "2026-03-17", []), true);
  assert.equal(isFlagOn(WEBSOCKET_STANDARD_BINARY_TYPE, "2026-04-01", ["no_websocket_standard_binary_type"]), false);
  assert.equal(isFlagOn(FETCH_REFUSES_UNKNOWN_PROTOCOLS, "2021-01-01", ["fetch_refuses_unknown_protocols"]), true);
  assert.equal(isFlagOn(FETCH_REFUSES_UNKNOWN_PROTOCOLS, "2021-01-01", []), false);
});
