import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveBindings, unsupportedBindingNotes } from "./binding-sources.js";

test("precedence: defaults < config < secrets < CLI vars < CLI bindings; vars never replace another kind", () => {
  const bindings = resolveBindings({
    defaults: { D: "default", ALL: "default" },
    config: { vars: { ALL: "config", OBJ: { a: 1 }, KV_NAME: "var" }, kv_namespaces: [{ binding: "NS", id: "n" }] },
    secrets: { ALL: "secret", OBJ: "now-a-string", NS: "secret-cannot-replace-kv" },
    cliVars: { ALL: "cli", NS: "cli-var-cannot-replace-kv" },
    cliBindings: [{ kind: "kv", name: "KV_NAME", namespaceId: "x", dir: "/tmp/x" }],
    stateRoot: "/state",
    workerName: "worker",
  });
  const byName = Object.fromEntries(bindings.map((b) => [b.name, b]));
  assert.deepEqual(byName["D"], { kind: "text", name: "D", value: "default", secret: false });
  assert.deepEqual(byName["ALL"], { kind: "text", name: "ALL", value: "cli", secret: false });
  assert.deepEqual(byName["OBJ"], { kind: "text", name: "OBJ", value: "now-a-string", secret: true });
  assert.equal(byName["NS"]?.kind, "kv");
  assert.equal(byName["KV_NAME"]?.kind, "kv");
});

test("binding kinds Hearth lacks are named in warnings", () => {
  assert.deepEqual(unsupportedBindingNotes({ d1_databases: [], ai: { binding: "AI" } }).map((n) => n.message), [
    'Hearth does not support Workers AI yet: the "ai" bindings are not available to the Worker.',
  ]);
});
