import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createMemoryLogger } from "../../shared/log.js";
import { queueConsumerPlans, queueDir } from "./binding.js";
import type { QueueDeliveryResult } from "./broker.js";
import { QueueBrokers } from "./brokers.js";
import type { QueueDelivery } from "./consumer.worker.js";
import { openSqliteQueueStore } from "./drivers/sqlite.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
const tempRoot = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-queue-brokers-"));
  tempRoots.push(dir);
  return dir;
};

async function send(dir: string, ...bodies: string[]): Promise<void> {
  const store = openSqliteQueueStore(dir);
  await store.enqueue(bodies.map((b) => ({ body: new TextEncoder().encode(b), contentType: "text" as const, delaySeconds: 0 })));
  await store.close();
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(20);
  }
}

function session(handle: (worker: string, d: QueueDelivery) => QueueDeliveryResult) {
  const logger = createMemoryLogger("debug");
  const seen: string[] = [];
  const brokers = new QueueBrokers({
    logger,
    deliver: async (worker, delivery) => {
      for (const m of delivery.messages) seen.push(`${worker}:${delivery.queue}:${new TextDecoder().decode(m.body)}:${m.attempts}`);
      return handle(worker, delivery);
    },
  });
  return { brokers, logger, seen };
}

const ack = (_: string, d: QueueDelivery): QueueDeliveryResult => ({ outcome: "ok", decisions: d.messages.map((m) => ({ id: m.id, action: "ack" })) });

describe("QueueBrokers", () => {
  it("gives each queue one consumer: the first Worker keeps it, the second is reported", async () => {
    const root = tempRoot();
    const [plan] = queueConsumerPlans([{ queue: "jobs", max_batch_timeout: 0 }], root);
    const s = session(ack);
    await s.brokers.sync([
      { workerName: "first", plan: plan! },
      { workerName: "second", plan: plan! },
    ]);
    await send(plan!.dir, "m");
    await until(() => s.seen.length === 1);
    assert.deepEqual(s.seen, ["first:jobs:m:1"]);
    assert.match(s.logger.lines.join("\n"), /Queue "jobs" already has a consumer \(Worker "first"\); Worker "second" will not receive its messages/);
    await s.brokers.dispose();
  });

  it("consumes the other folders of a queue too, and hands dead letters to the dead letter queue's consumer", async () => {
    const root = tempRoot();
    const elsewhere = queueDir(tempRoot(), "jobs");
    const [jobs, dead] = queueConsumerPlans([{ queue: "jobs", max_batch_timeout: 0, max_retries: 0, dead_letter_queue: "dead" }, { queue: "dead", max_batch_timeout: 0 }], root);
    const s = session((worker, d) => (d.queue === "jobs" ? { outcome: "exception", decisions: [] } : ack(worker, d)));
    await s.brokers.sync([
      { workerName: "w", plan: jobs!, otherDirs: [elsewhere] },
      { workerName: "w", plan: dead! },
    ]);
    assert.deepEqual(s.brokers.folders.sort(), [jobs!.dir, dead!.dir, elsewhere].sort());
    await send(elsewhere, "from another project");
    await until(() => s.seen.length === 2);
    assert.deepEqual(s.seen, ["w:jobs:from another project:1", "w:dead:from another project:1"]);
    await s.brokers.dispose();
  });

  it("restarts a broker whose settings changed and stops those no longer wanted", async () => {
    const root = tempRoot();
    const [before] = queueConsumerPlans([{ queue: "jobs", max_batch_timeout: 0 }], root);
    const [afterChange] = queueConsumerPlans([{ queue: "jobs", max_batch_timeout: 0, max_batch_size: 2 }], root);
    const s = session(ack);
    await s.brokers.sync([{ workerName: "w", plan: before! }]);
    await s.brokers.sync([{ workerName: "w", plan: afterChange! }]);
    await send(before!.dir, "a", "b", "c");
    await until(() => s.seen.length === 3);
    assert.match(s.logger.lines.join("\n"), /QUEUE jobs 2\/2/);
    await s.brokers.sync([]);
    assert.deepEqual(s.brokers.folders, []);
    await send(before!.dir, "unconsumed");
    await sleep(700);
    assert.equal(s.seen.length, 3);
    await s.brokers.dispose();
  });
});
