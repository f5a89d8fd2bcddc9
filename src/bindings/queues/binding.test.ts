import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { isHearthError } from "../../shared/errors.js";
import {
  closeQueueProducers,
  createQueueProducer,
  defaultQueueContentType,
  listLocalQueues,
  queueConsumerPlans,
  queueDir,
  queueProducerDescriptors,
} from "./binding.js";
import { openSqliteQueueStore } from "./drivers/sqlite.js";

const tempRoots: string[] = [];
after(async () => {
  await closeQueueProducers();
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
const tempRoot = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-queue-binding-"));
  tempRoots.push(dir);
  return dir;
};

describe("queues wiring", () => {
  it("puts each queue in its own folder, named file-safe", () => {
    assert.equal(queueDir("/state", "jobs"), path.join("/state", "queues", "jobs"));
    assert.equal(queueDir("/state", "../a/b"), path.join("/state", "queues", "..%2Fa%2Fb"));
  });

  it("sends JSON by default from compatibility date 2024-03-18, or with queues_json_messages", () => {
    assert.equal(defaultQueueContentType("2024-03-18", []), "json");
    assert.equal(defaultQueueContentType("2024-03-17", []), "v8");
    assert.equal(defaultQueueContentType("2023-01-01", ["queues_json_messages"]), "json");
    assert.equal(defaultQueueContentType("2026-01-01", ["no_queues_json_messages"]), "v8");
  });

  it("makes one producer descriptor per entry", () => {
    assert.deepEqual(queueProducerDescriptors([{ binding: "JOBS", queue: "jobs", delivery_delay: 30 }, { binding: "MAIL", queue: "mail" }], "/s", { defaultContentType: "json" }), [
      { kind: "queue", name: "JOBS", queueName: "jobs", dir: queueDir("/s", "jobs"), deliveryDelaySeconds: 30, defaultContentType: "json" },
      { kind: "queue", name: "MAIL", queueName: "mail", dir: queueDir("/s", "mail"), deliveryDelaySeconds: 0, defaultContentType: "json" },
    ]);
    assert.throws(
      () => queueProducerDescriptors([{ binding: "J", queue: "j", delivery_delay: 50_000 }], "/s", { defaultContentType: "json", source: { file: "wrangler.toml" } }),
      (e) => isHearthError(e) && e.message === "wrangler.toml: queues.producers[0].delivery_delay must be an integer from 0 to 43200, not 50000 (see https://developers.cloudflare.com/queues/configuration/configure-queues/).",
    );
  });

  it("applies Cloudflare's production defaults to consumers: batches of 10, 5 s, 3 retries", () => {
    assert.deepEqual(queueConsumerPlans([{ queue: "jobs" }], "/s"), [
      { queue: "jobs", dir: queueDir("/s", "jobs"), maxBatchSize: 10, maxBatchTimeoutMs: 5000, maxRetries: 3, retryDelaySeconds: 0, maxConcurrency: 250 },
    ]);
    const [plan] = queueConsumerPlans(
      [{ queue: "jobs", max_batch_size: 100, max_batch_timeout: 0.5, max_retries: 0, retry_delay: 60, max_concurrency: 1, dead_letter_queue: "dead" }],
      "/s",
    );
    assert.deepEqual(plan, {
      queue: "jobs",
      dir: queueDir("/s", "jobs"),
      maxBatchSize: 100,
      maxBatchTimeoutMs: 500,
      maxRetries: 0,
      retryDelaySeconds: 60,
      maxConcurrency: 1,
      deadLetterQueue: "dead",
      deadLetterDir: queueDir("/s", "dead"),
    });
    assert.equal(queueConsumerPlans([{ queue: "j", max_concurrency: null }], "/s")[0]!.maxConcurrency, 250);
  });

  it("refuses consumer settings out of Cloudflare's ranges", () => {
    for (const [entry, key] of [
      [{ max_batch_size: 0 }, "max_batch_size"],
      [{ max_batch_size: 101 }, "max_batch_size"],
      [{ max_batch_size: 2.5 }, "max_batch_size"],
      [{ max_batch_timeout: 61 }, "max_batch_timeout"],
      [{ max_retries: 101 }, "max_retries"],
      [{ retry_delay: -1 }, "retry_delay"],
      [{ max_concurrency: 251 }, "max_concurrency"],
      [{ dead_letter_queue: "q" }, "dead_letter_queue"],
    ] as const) {
      assert.throws(
        () => queueConsumerPlans([{ queue: "q", ...entry }], "/s", { file: "wrangler.toml" }),
        (e) => isHearthError(e) && e.code === "ERR_CONFIG_INVALID" && e.context.key === `queues.consumers[0].${key}` && e.message.startsWith("wrangler.toml: "),
        key,
      );
    }
  });

  it("a producer writes to the queue's folder; the folder is then listed", async () => {
    const root = tempRoot();
    const [descriptor] = queueProducerDescriptors([{ binding: "JOBS", queue: "jobs" }], root, { defaultContentType: "json" });
    assert.deepEqual(listLocalQueues(root), []);
    const queue = createQueueProducer(descriptor!);
    await queue.send({ hello: "world" });
    assert.deepEqual(listLocalQueues(root), ["jobs"]);
    const store = openSqliteQueueStore(queueDir(root, "jobs"));
    try {
      const [message] = await store.lease(1, "test");
      assert.equal(message!.contentType, "json");
      assert.equal(new TextDecoder().decode(message!.body), '{"hello":"world"}');
    } finally {
      await store.close();
    }
  });
});
