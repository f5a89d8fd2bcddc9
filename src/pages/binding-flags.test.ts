import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBindingFlags } from "./binding-flags.js";

test("binding flags give bindings; unparseable ones are reported, not faked", () => {
  const { kv, r2, d1, services, durableObjects, ai, notes } = parseBindingFlags({
    kv: ["KV", "OTHER=abc123", "=bad"],
    d1: ["DB=x", "PLAIN"],
    r2: ["BUCKET", "FILES=my-files", "bad r2"],
    do: ["DO=Counter@other", "broken"],
    service: ["SVC=worker@staging", "NAMED=worker#Admin", "PLAIN=api", "bad service"],
    ai: ["AI", "BAD=x"],
  });
  assert.deepEqual(kv, [{ binding: "KV", id: "KV" }, { binding: "OTHER", id: "abc123" }]);
  assert.deepEqual(d1, [{ binding: "DB", id: "x" }, { binding: "PLAIN", id: undefined }]);
  assert.deepEqual(r2, [{ binding: "BUCKET", bucket: undefined }, { binding: "FILES", bucket: "my-files" }]);
  assert.deepEqual(durableObjects, [{ name: "DO", class_name: "Counter", script_name: "other" }]);
  assert.deepEqual(ai, ["AI"]);
  assert.deepEqual(services, [
    { binding: "SVC", service: "worker", environment: "staging", entrypoint: undefined },
    { binding: "NAMED", service: "worker", environment: undefined, entrypoint: "Admin" },
    { binding: "PLAIN", service: "api", environment: undefined, entrypoint: undefined },
  ]);
  assert.deepEqual(
    notes.map((n) => n.message),
    [
      "Could not parse KV binding: =bad",
      "Could not parse R2 binding: bad r2",
      "Could not parse Service binding: bad service",
      "Could not parse Durable Object binding: broken",
      "Could not parse AI binding: BAD=x",
    ],
  );
  assert.ok(notes.every((n) => n.level === "warn"));
});
