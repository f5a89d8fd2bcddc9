import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TOTAL = 10_000;
const PER_REQUEST = 100;

/**
 * The consumer is the bottleneck on purpose (two batches of 100 at a time, 100 ms each), so when
 * the server is killed there is a backlog and there are batches in flight.
 */
const WRANGLER_TOML = `
name = "queues-crash"
main = "index.js"
compatibility_date = "2026-04-01"
kv_namespaces = [{ binding = "SEEN", id = "seen" }]

[[queues.producers]]
binding = "JOBS"
queue = "jobs"

[[queues.consumers]]
queue = "jobs"
max_batch_size = 100
max_batch_timeout = 0
max_concurrency = 2
`;

const WORKER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const from = Number(url.searchParams.get("from"));
    await env.JOBS.sendBatch(Array.from({ length: ${PER_REQUEST} }, (_, i) => ({ body: from + i })));
    return new Response("sent");
  },
  async queue(batch, env) {
    await scheduler.wait(100);
    await env.SEEN.put("batch:" + crypto.randomUUID(), batch.messages.map((m) => m.body).join(","));
  },
};
`;

/** Messages leased to a consumer right now (read straight from the queue's file). */
function leasedCount(queueDb: string): number {
  const db = new Database(queueDb, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM queue_messages WHERE lease_owner IS NOT NULL").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Every message body the consumer has recorded (read straight from the KV file). */
function seenBodies(stateDir: string): Set<number> {
  const db = new Database(path.join(stateDir, "kv", "seen", "db.sqlite"), { readonly: true, fileMustExist: true });
  try {
    const seen = new Set<number>();
    for (const { value } of db.prepare("SELECT CAST(value AS TEXT) AS value FROM kv_entries").all() as { value: string }[]) {
      for (const n of value.split(",")) seen.add(Number(n));
    }
    return seen;
  } finally {
    db.close();
  }
}

test("a SIGKILL in the middle of 10,000 queue messages loses none: every acknowledged send is delivered", { timeout: 90_000 }, async () => {
  const dir = makeProject({ "wrangler.toml": WRANGLER_TOML, "index.js": WORKER });
  const stateDir = path.join(dir, "state");
  const queueDb = path.join(stateDir, "queues", "jobs", "db.sqlite");
  try {
    // 1. Send until half the messages are acknowledged, then kill the server without warning.
    const first = await startDev(dir, ["--persist-to", stateDir]);
    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (!killed && next < TOTAL) {
        const from = next;
        next += PER_REQUEST;
        try {
          const res = await first.fetch(`/?from=${from}`);
          if (res.status === 200 && (await res.text()) === "sent") acknowledged.add(from);
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = [sender(), sender()];
    while (acknowledged.size * PER_REQUEST < TOTAL / 2) await sleep(10);
    // The kill must find batches leased to the consumer; on a fast machine half the sends can be
    // acknowledged before the first batch goes out.
    const leaseDeadline = Date.now() + 10_000;
    while (leasedCount(queueDb) === 0 && Date.now() < leaseDeadline) await sleep(5);
    killed = true;
    await first.stop("SIGKILL");
    await Promise.all(senders);

    // 2. What the crash left: an intact database, a backlog, and batches that never finished.
    const db = new Database(queueDb, { readonly: true });
    let inFlight: number[];
    let stored: number;
    try {
      assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
      stored = (db.prepare("SELECT count(*) AS n FROM queue_messages").get() as { n: number }).n;
      inFlight = (db.prepare("SELECT CAST(body AS TEXT) AS body FROM queue_messages WHERE lease_owner IS NOT NULL").all() as { body: string }[]).map((r) =>
        Number(r.body),
      );
    } finally {
      db.close();
    }
    assert.ok(stored > 0, "the server was killed with messages still queued");
    assert.ok(inFlight.length > 0, "the server was killed with batches in flight");

    // 3. Restart, send what was never acknowledged, and wait for every message.
    const second = await startDev(dir, ["--persist-to", stateDir]);
    try {
      for (let from = 0; from < TOTAL; from += PER_REQUEST) {
        if (acknowledged.has(from)) continue;
        const res = await second.fetch(`/?from=${from}`);
        assert.equal(await res.text(), "sent");
      }
      const deadline = Date.now() + 45_000;
      let seen = seenBodies(stateDir);
      while (seen.size < TOTAL && Date.now() < deadline) {
        await sleep(250);
        seen = seenBodies(stateDir);
      }
      const missing = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => !seen.has(i));
      assert.deepEqual(missing.slice(0, 20), [], `${missing.length} message(s) were never delivered`);
      for (const n of inFlight) assert.ok(seen.has(n), `message ${n}, in flight at the crash, was delivered after the restart`);
      // Every message is settled: nothing is left waiting or in flight.
      for (;;) {
        const check = new Database(queueDb, { readonly: true });
        const left = (check.prepare("SELECT count(*) AS n FROM queue_messages").get() as { n: number }).n;
        check.close();
        if (left === 0) break;
        assert.ok(Date.now() < deadline, `${left} message(s) were never acknowledged`);
        await sleep(100);
      }
    } finally {
      await second.stop();
    }
  } finally {
    removeProject(dir);
  }
});
