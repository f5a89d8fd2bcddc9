import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows each batch inserts; large enough that a kill usually lands inside one. */
const ROWS_PER_BATCH = 200;

test("a SIGKILL of hearth dev during D1 write batches leaves each batch all there or not at all", async () => {
  const dir = makeProject({
    "wrangler.toml": [
      'name = "d1-crash"',
      'main = "index.js"',
      'compatibility_date = "2026-04-01"',
      "",
      "[[d1_databases]]",
      'binding = "DB"',
      'database_name = "crash-db"',
      'database_id = "crash"',
      "",
    ].join("\n"),
    "index.js": `
      export default {
        async fetch(request, env) {
          const url = new URL(request.url);
          if (url.pathname === "/setup") {
            await env.DB.exec("CREATE TABLE IF NOT EXISTS rows (batch INTEGER NOT NULL, i INTEGER NOT NULL, payload TEXT NOT NULL)");
            return new Response("ok");
          }
          if (url.pathname === "/batch") {
            const b = Number(url.searchParams.get("b"));
            const insert = env.DB.prepare("INSERT INTO rows VALUES (?1, ?2, ?3)");
            const statements = Array.from({ length: ${ROWS_PER_BATCH} }, (_, i) => insert.bind(b, i, "x".repeat(200)));
            await env.DB.batch(statements);
            return new Response("stored");
          }
          const { results } = await env.DB.prepare("SELECT batch, count(*) AS n FROM rows GROUP BY batch ORDER BY batch").all();
          return Response.json(results);
        },
      };
    `,
  });
  const stateDir = path.join(dir, "state");
  try {
    const first = await startDev(dir, ["--persist-to", stateDir]);
    const acknowledged = new Set<number>();
    const inFlight = new Set<number>();
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const b = next++;
        inFlight.add(b);
        try {
          const res = await first.fetch(`/batch?b=${b}`);
          if (res.status === 200 && (await res.text()) === "stored") acknowledged.add(b);
        } catch {
          return; // the server is gone: this batch's fate is unknown
        }
        inFlight.delete(b);
      }
    };
    let writers: Promise<void>[] = [];
    try {
      assert.equal(await (await first.fetch("/setup")).text(), "ok");
      writers = [writer(), writer()];
      const deadline = Date.now() + 30_000;
      while (acknowledged.size < 25) {
        assert.ok(Date.now() < deadline, `only ${acknowledged.size} batches were acknowledged in 30 s:\n${first.output()}`);
        await sleep(10);
      }
    } finally {
      killed = true;
      await first.stop("SIGKILL");
      await Promise.all(writers);
    }
    assert.ok(inFlight.size > 0, "batches were in flight when the server was killed");

    const db = new Database(path.join(stateDir, "d1", "crash", "db.sqlite"));
    let counts: { batch: number; n: number }[];
    try {
      assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
      counts = db.prepare("SELECT batch, count(*) AS n FROM rows GROUP BY batch ORDER BY batch").all() as { batch: number; n: number }[];
    } finally {
      db.close();
    }
    for (const { batch, n } of counts) assert.equal(n, ROWS_PER_BATCH, `batch ${batch} has ${n} of its ${ROWS_PER_BATCH} rows`);
    const present = new Set(counts.map((c) => c.batch));
    for (const b of acknowledged) assert.ok(present.has(b), `acknowledged batch ${b} is missing after the crash`);

    const second = await startDev(dir, ["--persist-to", stateDir]);
    try {
      const seen = (await (await second.fetch("/counts")).json()) as { batch: number; n: number }[];
      assert.deepEqual(seen, counts, "the restarted server reads the same batches through env.DB");
    } finally {
      await second.stop();
    }
  } finally {
    removeProject(dir);
  }
});
