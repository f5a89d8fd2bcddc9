import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBindingFlags } from "./binding-flags.js";

test("--kv, --service and --do give bindings; kinds Hearth lacks are reported, not faked", () => {
  const { kv, services, durableObjects, notes } = parseBindingFlags({
    kv: ["KV", "OTHER=abc123", "=bad"],
    d1: ["DB=x"],
    r2: ["BUCKET"],
    do: ["DO=Counter@other", "broken"],
    service: ["SVC=worker@staging", "NAMED=worker#Admin", "PLAIN=api", "bad service"],
    ai: ["AI"],
  });
  assert.deepEqual(kv, [{ binding: "KV", id: "KV" }, { binding: "OTHER", id: "abc123" }]);
  assert.deepEqual(durableObjects, [{ name: "DO", class_name: "Counter", script_name: "other" }]);
  assert.deepEqual(services, [
    { binding: "SVC", service: "worker", environment: "staging", entrypoint: undefined },
    { binding: "NAMED", service: "worker", environment: undefined, entrypoint: "Admin" },
    { binding: "PLAIN", service: "api", environment: undefined, entrypoint: undefined },
  ]);
  assert.deepEqual(
    notes.map((n) => n.message),
    [
      "Could not parse KV binding: =bad",
      "Could not parse Service binding: bad service",
      "Could not parse Durable Object binding: broken",
      "Hearth does not support D1 databases yet: --d1 DB=x is ignored, so env.DB is not available to the Functions.",
      "Hearth does not support R2 buckets yet: --r2 BUCKET is ignored, so env.BUCKET is not available to the Functions.",
      "Hearth does not support Workers AI yet: --ai AI is ignored, so env.AI is not available to the Functions.",
    ],
  );
  assert.ok(notes.every((n) => n.level === "warn"));
});
