import assert from "node:assert/strict";
import { it } from "node:test";
import { textTable } from "./text-table.js";

it("draws rows as a box table, columns in first-seen order, missing cells empty", () => {
  assert.equal(
    textTable([{ id: "1", name: "ada" }, { id: "22", note: "é" }]),
    [
      "┌────┬──────┬──────┐",
      "│ id │ name │ note │",
      "├────┼──────┼──────┤",
      "│ 1  │ ada  │      │",
      "│ 22 │      │ é    │",
      "└────┴──────┴──────┘",
      "",
    ].join("\n"),
  );
});
