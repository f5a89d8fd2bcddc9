import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import {
  closeD1Databases,
  createD1Database,
  d1DatabaseDir,
  d1DatabaseId,
  d1Descriptors,
  d1FlagDescriptor,
  disposeD1Database,
  listLocalD1Databases,
} from "./binding.js";

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
const tempRoot = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-d1-binding-"));
  tempRoots.push(dir);
  return dir;
};

describe("d1DatabaseId", () => {
  it("uses preview_database_id, else database_id, else the binding name (as wrangler's local mode)", () => {
    assert.equal(d1DatabaseId({ binding: "DB", database_id: "prod", preview_database_id: "preview" }), "preview");
    assert.equal(d1DatabaseId({ binding: "DB", database_id: "prod" }), "prod");
    assert.equal(d1DatabaseId({ binding: "DB", database_name: "named" }), "DB");
    assert.equal(d1DatabaseId({ binding: "DB", database_id: "", preview_database_id: "" }), "DB");
  });
});

describe("descriptors", () => {
  it("one per config entry, under <state>/d1/<safe id>", () => {
    assert.deepEqual(d1Descriptors([{ binding: "DB", database_name: "app", database_id: "a/b" }, { binding: "OTHER" }], "/state"), [
      { kind: "d1", name: "DB", databaseId: "a/b", databaseName: "app", dir: path.join("/state", "d1", "a%2Fb") },
      { kind: "d1", name: "OTHER", databaseId: "OTHER", dir: path.join("/state", "d1", "OTHER") },
    ]);
    assert.equal(d1DatabaseDir("/state", ".."), path.join("/state", "d1", "%2E%2E"));
  });

  it("builds the descriptor of a Pages --d1 BINDING[=ID] flag", () => {
    assert.deepEqual(d1FlagDescriptor("DB", "pages-local-db", "/state"), {
      kind: "d1",
      name: "DB",
      databaseId: "pages-local-db",
      databaseName: "local-DB",
      dir: path.join("/state", "d1", "pages-local-db"),
    });
    assert.equal(d1FlagDescriptor("DB", undefined, "/state").databaseId, "DB", "the id defaults to the binding name");
  });
});

describe("createD1Database", () => {
  it("opens the database file of a descriptor; two bindings with different ids are different files", async () => {
    const root = tempRoot();
    const [one, two] = d1Descriptors([{ binding: "ONE", database_id: "one" }, { binding: "TWO", database_id: "two" }], root);
    const a = createD1Database(one!);
    const b = createD1Database(two!);
    await a.exec("CREATE TABLE only_in_one (v)");
    assert.equal(await b.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'only_in_one'").first("n"), 0);
    assert.deepEqual(listLocalD1Databases(root), ["one", "two"]);
    await disposeD1Database(a);
    await assert.rejects(a.prepare("SELECT 1").all(), /^Error: D1_ERROR: /);
    await closeD1Databases();
    await assert.rejects(b.prepare("SELECT 1").all(), /^Error: D1_ERROR: /);
    const again = createD1Database(one!);
    assert.equal(await again.prepare("SELECT count(*) AS n FROM only_in_one").first("n"), 0, "the data stays on disk");
    await closeD1Databases();
  });

  it("lists no databases for a state root without a d1 folder", () => {
    assert.deepEqual(listLocalD1Databases(path.join(tempRoot(), "missing")), []);
  });
});
