import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A value for key i: small ones stay in SQLite, every fifth is large enough to be a blob file. */
function valueFor(i: number): string {
  return i % 5 === 0 ? `big-${i}-`.padEnd(100 * 1024, String(i % 10)) : `value-${i}`;
}

test("a SIGKILL during a stream of puts loses no acknowledged write and corrupts nothing", async () => {
  const dir = makeProject({
    "wrangler.toml": `name = "kv-crash"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\nkv_namespaces = [{ binding = "KV", id = "crash" }]\n`,
    "index.js": `
      export default {
        async fetch(request, env) {
          const url = new URL(request.url);
          const key = url.searchParams.get("key");
          if (request.method === "PUT") { await env.KV.put(key, await request.text()); return new Response("stored"); }
          const value = await env.KV.get(key);
          return new Response(value, { status: value === null ? 404 : 200 });
        },
      };
    `,
  });
  const stateDir = path.join(dir, "state");
  try {
    const first = await startDev(dir, ["--persist-to", stateDir]);
    const acknowledged: number[] = [];
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const i = next++;
        try {
          const res = await first.fetch(`/?key=k${i}`, { method: "PUT", body: valueFor(i) });
          if (res.status === 200 && (await res.text()) === "stored") acknowledged.push(i);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    while (acknowledged.length < 150) await sleep(20);
    killed = true;
    await first.stop("SIGKILL");
    await Promise.all(writers);
    assert.ok(acknowledged.length >= 150);

    const db = new Database(path.join(stateDir, "kv", "crash", "db.sqlite"));
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();

    const second = await startDev(dir, ["--persist-to", stateDir]);
    try {
      for (const i of acknowledged) {
        const res = await second.fetch(`/?key=k${i}`);
        assert.equal(res.status, 200, `acknowledged key k${i} is missing after the crash`);
        assert.equal(await res.text(), valueFor(i), `acknowledged key k${i} has the wrong value`);
      }
    } finally {
      await second.stop();
    }
    const leftovers = fs.readdirSync(path.join(stateDir, "kv", "crash", "blobs")).filter((f) => f.startsWith(".tmp"));
    assert.deepEqual(leftovers, [], "temporary blob files are cleaned up on the next open");
  } finally {
    removeProject(dir);
  }
});
