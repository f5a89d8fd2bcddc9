import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { AE_DB_FILE, analyticsEngineDir, openAnalyticsDatabase, openSqliteAnalyticsStore } from "./sqlite.js";

const roots: string[] = [];
after(() => roots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-ae-"));
  roots.push(dir);
  return dir;
}

it("appends points to <state>/analytics-engine/db.sqlite, missing blobs as '' and doubles as 0", () => {
  const root = tempRoot();
  const store = openSqliteAnalyticsStore(analyticsEngineDir(root));
  store.append([
    { dataset: "a", timestamp: 1000, index: "k", blobs: ["x", "y"], doubles: [1.5] },
    { dataset: "b", timestamp: 2000, index: "", blobs: [], doubles: [] },
  ]);
  store.close();
  assert.ok(fs.existsSync(path.join(root, "analytics-engine", AE_DB_FILE)));
  const db = openAnalyticsDatabase(root);
  try {
    const rows = db.prepare("SELECT dataset, timestamp, _sample_interval, index1, blob1, blob2, blob3, double1, double2, double20 FROM points ORDER BY timestamp").all();
    assert.deepEqual(rows, [
      { dataset: "a", timestamp: 1000, _sample_interval: 1, index1: "k", blob1: "x", blob2: "y", blob3: "", double1: 1.5, double2: 0, double20: 0 },
      { dataset: "b", timestamp: 2000, _sample_interval: 1, index1: "", blob1: "", blob2: "", blob3: "", double1: 0, double2: 0, double20: 0 },
    ]);
  } finally {
    db.close();
  }
});

it("keeps points across reopenings and refuses a database from a newer schema", () => {
  const root = tempRoot();
  for (let i = 0; i < 3; i++) {
    const store = openSqliteAnalyticsStore(analyticsEngineDir(root));
    store.append([{ dataset: "a", timestamp: i, index: "", blobs: [], doubles: [i] }]);
    store.close();
  }
  const db = openAnalyticsDatabase(root);
  assert.deepEqual(db.prepare("SELECT double1 FROM points ORDER BY timestamp").pluck().all(), [0, 1, 2]);
  db.pragma("user_version = 99");
  db.close();
  assert.throws(() => openAnalyticsDatabase(root), /written by a newer Hearth \(schema 99\)/);
});
