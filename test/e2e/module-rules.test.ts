import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

/** A WebAssembly module exporting add(i32, i32) -> i32. */
const ADD_WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01,
  0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
]);

describe("module rules and JSX", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": [
        `name = "rules"`,
        `main = "src/index.jsx"`,
        `compatibility_date = "2026-04-01"`,
        `jsx_factory = "h"`,
        `rules = [{ type = "Text", globs = ["**/*.md"], fallthrough = true }]`,
      ].join("\n"),
      "src/index.jsx": `
        import add from "./add.wasm";
        import data from "./blob.bin";
        import readme from "./readme.md";
        import page from "./page.html";
        const h = (tag, props, ...children) => "<" + tag + ">" + children.join("") + "</" + tag + ">";
        export default {
          async fetch() {
            const { exports } = await WebAssembly.instantiate(add);
            return Response.json({
              sum: exports.add(2, 3),
              dataIsArrayBuffer: data instanceof ArrayBuffer,
              bytes: [...new Uint8Array(data)],
              readme: readme.trim(),
              page: page.trim(),
              jsx: <b>bold</b>,
            });
          },
        };
      `,
      "src/blob.bin": "",
      "src/readme.md": "# Read me\n",
      "src/page.html": "<p>page</p>\n",
    });
    fs.writeFileSync(path.join(dir, "src/add.wasm"), ADD_WASM);
    fs.writeFileSync(path.join(dir, "src/blob.bin"), Uint8Array.from([0, 1, 255]));
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("wasm, data, text and custom-rule modules import as wrangler bundles them", async () => {
    assert.deepEqual(await (await dev.fetch("/")).json(), {
      sum: 5,
      dataIsArrayBuffer: true,
      bytes: [0, 1, 255],
      readme: "# Read me",
      page: "<p>page</p>",
      jsx: "<b>bold</b>",
    });
  });
});

test("an unknown flag is a clear error", async () => {
  const dir = makeProject({ "index.js": `export default { fetch() { return new Response("x"); } };` });
  try {
    await assert.rejects(startDev(dir, ["index.js", "--bogus-flag"]), /Unknown argument: bogus-flag/);
  } finally {
    removeProject(dir);
  }
});

test("a script path works without a config file, with today's compatibility date", async () => {
  const dir = makeProject({ "worker.js": `export default { fetch() { return new Response("no config"); } };` });
  const dev = await startDev(dir, ["worker.js"]);
  try {
    assert.equal(await (await dev.fetch("/")).text(), "no config");
    assert.match(dev.output(), /No compatibility_date was specified/);
  } finally {
    await dev.stop();
    removeProject(dir);
  }
});
