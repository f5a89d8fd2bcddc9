/**
 * Cron triggers and queue consumers against real isolates: a Worker is planned from a wrangler
 * config, started, and driven by SessionTriggers; results are read back from its KV namespace.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { closeKvNamespaces, createKvNamespace } from "../bindings/kv/index.js";
import type { KvBinding } from "../bindings/descriptor.js";
import { planWorker } from "../config/index.js";
import { createMemoryLogger } from "../shared/log.js";
import { RunningWorker } from "./running-worker.js";
import { SessionTriggers } from "./session-triggers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tempRoots: string[] = [];
after(async () => {
  await closeKvNamespaces();
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-triggers-"));
  tempRoots.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Starts the project's Worker, then its triggers with the clock `makeClock` makes (default: the system clock). */
async function start(dir: string, makeClock?: () => { now(): number }) {
  const logger = createMemoryLogger("debug");
  const plan = planWorker({ cwd: dir });
  const worker = await RunningWorker.start(plan, { logger, watch: false });
  const clock = makeClock?.();
  const triggers = new SessionTriggers({ logger, clock });
  await triggers.sync([worker]);
  const kv = createKvNamespace(plan.bindings.find((b): b is KvBinding => b.kind === "kv")!);
  return {
    clock,
    logger,
    kv,
    fetch: (pathname: string) =>
      worker.service.fetch({ method: "GET", url: `http://localhost${pathname}`, headers: [], httpVersion: "1.1" }),
    async stop() {
      await triggers.dispose();
      await worker.dispose();
    },
  };
}

async function waitFor<T>(read: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(50);
  }
}

describe("SessionTriggers: cron", () => {
  it("fires scheduled() at the next scheduled minute, with that minute as scheduledTime", { timeout: 20_000 }, async () => {
    const dir = project({
      "wrangler.toml": `name = "cron"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\nkv_namespaces = [{ binding = "KV", id = "kv" }]\n[triggers]\ncrons = ["* * * * *", "0 0 1 1 *"]\n`,
      "index.js": `
        export default {
          async scheduled(controller, env, ctx) {
            ctx.waitUntil(env.KV.put("fired:" + controller.cron, JSON.stringify({ cron: controller.cron, scheduledTime: controller.scheduledTime })));
          },
        };
      `,
    });
    // A clock set 1 s before a minute boundary when the triggers start: the trigger is due almost at once.
    const w = await start(dir, () => {
      const now = Date.now();
      const offset = Math.ceil(now / 60_000) * 60_000 - now - 1000;
      return { now: () => Date.now() + offset };
    });
    const expectedMinute = Math.ceil(w.clock!.now() / 60_000) * 60_000;
    try {
      const fired = await waitFor(() => w.kv.get("fired:* * * * *", "json"), 10_000);
      assert.deepEqual(fired, { cron: "* * * * *", scheduledTime: expectedMinute });
      assert.equal(await w.kv.get("fired:0 0 1 1 *"), null, "an expression that does not match the minute does not fire");
      assert.match(w.logger.lines.join("\n"), /\[hearth\] CRON "\* \* \* \* \*" \S+ ok/);
    } finally {
      await w.stop();
    }
  });
});

describe("SessionTriggers: queue consumers", () => {
  const config = (name: string) =>
    `name = "${name}"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\nkv_namespaces = [{ binding = "KV", id = "kv" }]\n` +
    `[[queues.producers]]\nbinding = "Q"\nqueue = "q"\n[[queues.consumers]]\nqueue = "q"\nmax_batch_size = 3\nmax_batch_timeout = 0\nmax_retries = 1\n`;

  it("delivers to a service-worker Worker's queue listeners", { timeout: 20_000 }, async () => {
    const dir = project({
      "wrangler.toml": config("sw-consumer"),
      "index.js": `
        addEventListener("fetch", (event) => event.respondWith(Q.send({ n: 1 }).then(() => new Response("sent"))));
        addEventListener("queue", (event) => {
          event.waitUntil(KV.put("got", JSON.stringify({ queue: event.queue, bodies: event.messages.map((m) => m.body), attempts: event.messages.map((m) => m.attempts) })));
        });
      `,
    });
    const w = await start(dir);
    try {
      await w.fetch("/");
      assert.deepEqual(await waitFor(() => w.kv.get("got", "json"), 5000), { queue: "q", bodies: [{ n: 1 }], attempts: [1] });
    } finally {
      await w.stop();
    }
  });

  it("delivers to a WorkerEntrypoint's queue() method; per-message calls win over later batch calls", { timeout: 20_000 }, async () => {
    const dir = project({
      "wrangler.toml": config("class-consumer"),
      "index.js": `
        import { WorkerEntrypoint } from "cloudflare:workers";
        export default class extends WorkerEntrypoint {
          async fetch() {
            await this.env.Q.sendBatch([{ body: "keep" }, { body: "again" }, { body: "later", delaySeconds: 1 }]);
            return new Response("sent");
          }
          async queue(batch) {
            for (const m of batch.messages) await this.env.KV.put("seen:" + m.body + ":" + m.attempts, "1");
            const again = batch.messages.find((m) => m.body === "again" && m.attempts === 1);
            if (again) { again.retry(); again.ack(); batch.ackAll(); }
          }
        };
      `,
    });
    const w = await start(dir);
    try {
      await w.fetch("/");
      await waitFor(() => w.kv.get("seen:again:2"), 5000);
      await waitFor(() => w.kv.get("seen:later:1"), 5000);
      await sleep(300);
      const keys = (await w.kv.list({ prefix: "seen:" })).keys.map((k) => k.name);
      assert.deepEqual(keys, ["seen:again:1", "seen:again:2", "seen:keep:1", "seen:later:1"]);
      assert.match(w.logger.lines.join("\n"), /Received a call to ack\(\) on message \w+ after retry\(\) was already called/);
    } finally {
      await w.stop();
    }
  });

  it("drops a message that keeps failing when there is no dead letter queue, with a log line", { timeout: 20_000 }, async () => {
    const dir = project({
      "wrangler.toml": config("dropping-consumer"),
      "index.js": `
        export default {
          async fetch(request, env) { await env.Q.send("poison"); return new Response("sent"); },
          async queue(batch, env) {
            await env.KV.put("attempt:" + batch.messages[0].attempts, "1");
            throw new Error("cannot handle " + batch.messages[0].body);
          },
        };
      `,
    });
    const w = await start(dir);
    try {
      await w.fetch("/");
      await waitFor(async () => (w.logger.lines.some((l) => l.includes("Dropped message")) ? true : null), 5000);
      assert.deepEqual((await w.kv.list({ prefix: "attempt:" })).keys.map((k) => k.name), ["attempt:1", "attempt:2"]);
      const log = w.logger.lines.join("\n");
      assert.match(log, /Uncaught Error: cannot handle poison/);
      assert.match(log, /Dropped message "\w+" on queue "q" after 2 failed attempts!/);
    } finally {
      await w.stop();
    }
  });
});
