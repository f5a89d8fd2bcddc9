import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { closeKvNamespaces, createKvNamespace, disposeKvNamespace, kvDescriptors, listLocalKvNamespaces } from "./binding.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-kv-binding-"));
after(async () => {
  await closeKvNamespaces();
  fs.rmSync(root, { recursive: true, force: true });
});

it("kvDescriptors uses preview_id, else id, else the binding name, and a file-safe folder", () => {
  const state = path.join(root, "state");
  assert.deepEqual(
    kvDescriptors(
      [
        { binding: "KV", id: "11111111111111111111111111111111" },
        { binding: "SESSIONS", id: "prod", preview_id: "preview" },
        { binding: "LOCAL_ONLY" },
        { binding: "ODD", id: "../we ird/." },
      ],
      state,
    ),
    [
      { kind: "kv", name: "KV", namespaceId: "11111111111111111111111111111111", dir: path.join(state, "kv", "11111111111111111111111111111111") },
      { kind: "kv", name: "SESSIONS", namespaceId: "preview", dir: path.join(state, "kv", "preview") },
      { kind: "kv", name: "LOCAL_ONLY", namespaceId: "LOCAL_ONLY", dir: path.join(state, "kv", "LOCAL_ONLY") },
      { kind: "kv", name: "ODD", namespaceId: "../we ird/.", dir: path.join(state, "kv", "..%2Fwe%20ird%2F.") },
    ],
  );
});

it("lists the namespaces that have data on disk, by id", async () => {
  const state = path.join(root, "listed");
  assert.deepEqual(listLocalKvNamespaces(state), []);
  const [a, b] = kvDescriptors([{ binding: "A", id: "zeta" }, { binding: "B", id: "a/b" }], state);
  const nsA = createKvNamespace(a!);
  createKvNamespace(b!);
  fs.mkdirSync(path.join(state, "kv", "not-a-namespace"));
  assert.deepEqual(listLocalKvNamespaces(state), ["a/b", "zeta"]);
  await disposeKvNamespace(nsA);
  await assert.rejects(nsA.get("k"), /KV GET failed: 500/);
});
