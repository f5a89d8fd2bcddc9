/**
 * examples/bindings-tour runs as its README says: a copy of the project under `hearth pages dev`,
 * each Function answering as the README's table describes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { HEARTH_BIN, startDev, type DevServer } from "../helpers/dev-server.js";

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../examples/bindings-tour");

describe("examples/bindings-tour", () => {
  let dir: string;
  let registry: string;
  let dev: DevServer;
  const hearth = (...args: string[]) => {
    const run = spawnSync(process.execPath, [HEARTH_BIN, ...args], { cwd: dir, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bindings-tour-"));
    registry = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-registry-"));
    fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}.hearth`) });
    fs.copyFileSync(path.join(dir, ".dev.vars.example"), path.join(dir, ".dev.vars"));
    hearth("kv", "key", "put", "Task:123", "Buy milk", "--binding", "TODO_LIST");
    hearth("d1", "execute", "northwind", "--command", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('Ada')");
    dev = await startDev(dir, [], { command: ["pages", "dev"], env: { HEARTH_REGISTRY_DIR: registry, HEARTH_AI_BASE_URL: "" } });
  });

  after(async () => {
    await dev?.stop();
    for (const folder of [dir, registry]) if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const get = async (pathname: string) => {
    const response = await dev.fetch(pathname);
    return { status: response.status, text: await response.text() };
  };

  it("serves KV, vars, secrets and D1 from the project's state", async () => {
    assert.deepEqual(await get("/kv"), { status: 200, text: "Buy milk" });
    assert.deepEqual(await get("/environment"), { status: 200, text: "This is a local environment!" });
    assert.equal((await get("/secret")).status, 200);
    assert.deepEqual(JSON.parse((await get("/d1")).text), { id: 1, name: "Ada" });
    assert.equal((await get("/r2")).status, 404);
  });

  it("sends to the queue and records a data point that `hearth analytics sql` reads back", async () => {
    assert.deepEqual(await get("/queue"), { status: 200, text: "Sent!" });
    assert.deepEqual(await get("/analytics"), { status: 200, text: "Logged analytic" });
    let rows = "";
    for (let tries = 0; tries < 50 && rows === ""; tries++) {
      rows = hearth("analytics", "sql", "SELECT blob2 FROM tour FORMAT TabSeparated").trim();
      if (rows === "") await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(rows, "/analytics");
  });

  it("answers 503 naming what to start for the bindings that need another process", async () => {
    const ai = await get("/ai");
    assert.equal(ai.status, 503);
    assert.match(ai.text, /HEARTH_AI_BASE_URL/);
    for (const [pathname, worker] of [["/service", "service-worker"], ["/durable-object", "durable-object-worker"]] as const) {
      const answer = await get(pathname);
      assert.equal(answer.status, 503);
      assert.match(answer.text, new RegExp(`"${worker}"`));
    }
  });
});
