import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileStamp } from "./file-stamp.js";

test("a file's stamp changes when it is rewritten and is empty when it is gone", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-stamp-"));
  const file = path.join(dir, "_headers");
  assert.equal(fileStamp(file), "");
  fs.writeFileSync(file, "a");
  const first = fileStamp(file);
  assert.notEqual(first, "");
  fs.writeFileSync(file, "ab");
  assert.notEqual(fileStamp(file), first);
  assert.equal(fileStamp(dir), "");
  fs.rmSync(dir, { recursive: true });
  assert.equal(fileStamp(file), "");
});
