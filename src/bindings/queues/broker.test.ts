import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import { createMemoryLogger } from "../../shared/log.js";
import { manualTimers } from "../../shared/timers.js";
import { isLeaseOwnerAlive, QueueBroker, type QueueConsumerSettings, type QueueDeliveryResult } from "./broker.js";
import type { QueueDelivery } from "./consumer.worker.js";
import { openSqliteQueueStore } from "./drivers/sqlite.js";
import type { QueueMessageInput, QueueStore } from "./store.js";

const START_MS = 1_700_000_000_000;
const enc = new TextEncoder();
const dec = new TextDecoder();
const tempRoots: string[] = [];
const stores: QueueStore[] = [];
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

type Handler = (delivery: QueueDelivery) => QueueDeliveryResult | Promise<QueueDeliveryResult>;
const ackAll: Handler = (d) => ({ outcome: "ok", decisions: d.messages.map((m) => ({ id: m.id, action: "ack" })) });

function setup(settings: Partial<QueueConsumerSettings> = {}, handler: Handler = ackAll) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-queue-broker-"));
  tempRoots.push(dir);
  const clock = fixedClock(START_MS);
  const timers = manualTimers(clock);
  const store = openSqliteQueueStore(dir, { clock });
  stores.push(store);
  const logger = createMemoryLogger("debug");
  const deliveries: { at: number; bodies: string[]; attempts: number[] }[] = [];
  const deadLetters: QueueMessageInput[] = [];
  const broker = new QueueBroker({
    settings: { queue: "q", maxBatchSize: 3, maxBatchTimeoutMs: 1000, maxRetries: 2, retryDelaySeconds: 0, maxConcurrency: 10, ...settings },
    store,
    deliver: async (delivery) => {
      deliveries.push({ at: clock.now() - START_MS, bodies: delivery.messages.map((m) => dec.decode(m.body)), attempts: delivery.messages.map((m) => m.attempts) });
      return handler(delivery);
    },
    deadLetter: settings.deadLetterQueue === undefined ? undefined : async (messages) => void deadLetters.push(...messages),
    clock,
    timers,
    logger,
  });
  const send = (...bodies: string[]) => store.enqueue(bodies.map((b) => ({ body: enc.encode(b), contentType: "text" as const, delaySeconds: 0 })));
  return { broker, store, clock, timers, logger, deliveries, deadLetters, send };
}

describe("QueueBroker: batching", () => {
  it("sends full batches at once and the rest after max_batch_timeout", async () => {
    const t = setup();
    await t.send("1", "2", "3", "4", "5", "6", "7");
    await t.broker.start();
    await t.timers.advance(0);
    assert.deepEqual(t.deliveries.map((d) => d.bodies), [["1", "2", "3"], ["4", "5", "6"]]);
    await t.timers.advance(999);
    assert.equal(t.deliveries.length, 2);
    await t.timers.advance(1);
    assert.deepEqual(t.deliveries.map((d) => [d.at, d.bodies]), [[0, ["1", "2", "3"]], [0, ["4", "5", "6"]], [1000, ["7"]]]);
    assert.equal((await t.store.metrics()).backlogCount, 0, "acknowledged messages are removed");
    assert.match(t.logger.lines.join("\n"), /\[hearth\] QUEUE q 3\/3 \(\d+ms\)/);
    await t.broker.stop();
  });

  it("never delivers an empty batch, and picks up messages when woken", async () => {
    const t = setup({ maxBatchTimeoutMs: 0 });
    await t.broker.start();
    await t.timers.advance(5000);
    assert.equal(t.deliveries.length, 0);
    await t.send("late");
    t.broker.wake();
    await t.timers.advance(0);
    assert.deepEqual(t.deliveries.map((d) => d.bodies), [["late"]]);
    await t.broker.stop();
  });

  it("finds messages another process wrote at its next poll", async () => {
    const t = setup({ maxBatchTimeoutMs: 0 });
    await t.broker.start();
    await t.timers.advance(0);
    await t.send("from elsewhere");
    await t.timers.advance(499);
    assert.equal(t.deliveries.length, 0);
    await t.timers.advance(1);
    assert.equal(t.deliveries.length, 1);
    await t.broker.stop();
  });

  it("delivers a delayed message when its delay is over", async () => {
    const t = setup({ maxBatchTimeoutMs: 0 });
    await t.store.enqueue([{ body: enc.encode("later"), contentType: "text", delaySeconds: 90 }]);
    await t.broker.start();
    await t.timers.advance(89_999);
    assert.equal(t.deliveries.length, 0);
    await t.timers.advance(1);
    assert.deepEqual(t.deliveries.map((d) => [d.at, d.bodies]), [[90_000, ["later"]]]);
    await t.broker.stop();
  });

  it("keeps at most max_concurrency batches in flight", async () => {
    const releases: (() => void)[] = [];
    const t = setup({ maxBatchSize: 1, maxConcurrency: 2 }, (d) => new Promise((resolve) => releases.push(() => resolve(ackAll(d) as QueueDeliveryResult))));
    await t.send("a", "b", "c", "d");
    await t.broker.start();
    await t.timers.advance(0);
    assert.equal(t.deliveries.length, 2);
    releases.shift()!();
    await t.timers.advance(0);
    assert.equal(t.deliveries.length, 3);
    while (releases.length > 0) {
      releases.shift()!();
      await t.timers.advance(0);
    }
    assert.deepEqual(t.deliveries.map((d) => d.bodies[0]), ["a", "b", "c", "d"]);
    await t.broker.stop();
  });
});

describe("QueueBroker: retries, dead letters, drops", () => {
  const retryAll: Handler = (d) => ({ outcome: "ok", decisions: d.messages.map((m) => ({ id: m.id, action: "retry" })) });

  it("redelivers a retried message after its delay, else after retry_delay, counting attempts", async () => {
    const t = setup({ maxBatchTimeoutMs: 0, retryDelaySeconds: 5 }, (d) => ({
      outcome: "ok",
      decisions: d.messages.map((m) => (m.attempts > 1 ? { id: m.id, action: "ack" } : dec.decode(m.body) === "own" ? { id: m.id, action: "retry", delaySeconds: 2 } : { id: m.id, action: "retry" })),
    }));
    await t.send("own", "default");
    await t.broker.start();
    await t.timers.advance(10_000);
    assert.deepEqual(t.deliveries.map((d) => [d.at, d.bodies, d.attempts]), [
      [0, ["own", "default"], [1, 1]],
      [2000, ["own"], [2]],
      [5000, ["default"], [2]],
    ]);
    await t.broker.stop();
  });

  it("retries the whole batch when the handler throws, except explicit acks", async () => {
    const t = setup({ maxBatchTimeoutMs: 0 }, (d) =>
      d.messages[0]!.attempts === 1
        ? { outcome: "exception", decisions: [{ id: d.messages[0]!.id, action: "ack" }], error: { stack: "Error: boom\n    at queue" } }
        : ackAll(d),
    );
    await t.send("acked", "retried");
    await t.broker.start();
    await t.timers.advance(100);
    assert.deepEqual(t.deliveries.map((d) => d.bodies), [["acked", "retried"], ["retried"]]);
    assert.match(t.logger.lines.join("\n"), /Uncaught Error: boom/);
    await t.broker.stop();
  });

  it("counts a consumer that could not run at all as a failed delivery", async () => {
    const t = setup({ maxBatchTimeoutMs: 0 }, (d) => {
      if (d.messages[0]!.attempts === 1) throw new Error("The Worker's isolate crashed");
      return ackAll(d);
    });
    await t.send("m");
    await t.broker.start();
    await t.timers.advance(100);
    assert.deepEqual(t.deliveries.map((d) => d.attempts), [[1], [2]]);
    assert.match(t.logger.lines.join("\n"), /the consumer could not take the batch: The Worker's isolate crashed/);
    await t.broker.stop();
  });

  it("moves a message to the dead letter queue after max_retries retries, keeping its id and timestamp", async () => {
    const t = setup({ maxBatchTimeoutMs: 0, maxRetries: 2, deadLetterQueue: "dlq" }, retryAll);
    await t.send("poison");
    await t.broker.start();
    await t.timers.advance(100);
    assert.deepEqual(t.deliveries.map((d) => d.attempts), [[1], [2], [3]]);
    assert.equal(t.deadLetters.length, 1);
    assert.equal(dec.decode(t.deadLetters[0]!.body), "poison");
    assert.equal(t.deadLetters[0]!.timestampMs, START_MS);
    assert.match(t.deadLetters[0]!.id!, /^[0-9a-f]{32}$/);
    const stats = await t.store.stats();
    assert.equal(stats.backlogCount, 0);
    assert.equal(stats.deadLettered, 1);
    assert.match(t.logger.lines.join("\n"), /Moving message "[0-9a-f]{32}" on queue "q" to dead letter queue "dlq" after 3 failed attempts\.\.\./);
    await t.broker.stop();
  });

  it("drops it with a log line when there is no dead letter queue", async () => {
    const t = setup({ maxBatchTimeoutMs: 0, maxRetries: 0 }, retryAll);
    await t.send("poison");
    await t.broker.start();
    await t.timers.advance(100);
    assert.equal(t.deliveries.length, 1);
    assert.equal((await t.store.stats()).dropped, 1);
    assert.match(t.logger.lines.join("\n"), /Dropped message "[0-9a-f]{32}" on queue "q" after 1 failed attempt!/);
    await t.broker.stop();
  });
});

describe("QueueBroker: leases", () => {
  it("on start, gives back messages leased by a broker that is gone, not by one that runs", async () => {
    const t = setup({ maxBatchTimeoutMs: 0 });
    const other = setup({ maxBatchTimeoutMs: 0 });
    await other.broker.start();
    await t.send("orphan", "taken");
    await t.store.lease(1, "999999999-deadbeef");
    await t.store.lease(1, other.broker.owner);
    await t.broker.start();
    await t.timers.advance(0);
    assert.deepEqual(t.deliveries.map((d) => [d.bodies, d.attempts]), [[["orphan"], [2]]]);
    assert.equal(isLeaseOwnerAlive(other.broker.owner), true);
    await other.broker.stop();
    assert.equal(isLeaseOwnerAlive(other.broker.owner), false);
    assert.equal(isLeaseOwnerAlive("not-an-owner"), false);
    await t.broker.stop();
  });

  it("stop() waits for batches in flight, then gives back the unfinished ones without counting them", async () => {
    let release: (() => void) | undefined;
    const t = setup({ maxBatchTimeoutMs: 0 }, (d) => new Promise((resolve) => (release = () => resolve(ackAll(d) as QueueDeliveryResult))));
    await t.send("slow");
    await t.broker.start();
    await t.timers.advance(0);
    assert.equal(t.deliveries.length, 1);
    const stopped = t.broker.stop();
    await t.timers.advance(3000);
    await stopped;
    const stats = await t.store.stats();
    assert.deepEqual([stats.waiting, stats.inFlight], [1, 0]);
    const [again] = await t.store.lease(1, "next");
    assert.equal(again!.attempts, 1, "the abandoned delivery is not counted");
    release!();
  });
});
