import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { after, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import { createQueueApi, type Queue } from "./api.worker.js";
import { decodeBody, type V8Serializer } from "./message-body.js";
import { openSqliteQueueStore } from "./drivers/sqlite.js";
import type { QueueStore } from "./store.js";

const START_MS = 1_700_000_000_000;
const v8Serializer: V8Serializer = { serialize: (value) => new Uint8Array(v8.serialize(value)), deserialize: (bytes) => v8.deserialize(bytes) };
const stores: QueueStore[] = [];
const tempRoots: string[] = [];
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

function setup(options: { defaultContentType?: "json" | "v8"; deliveryDelaySeconds?: number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-queue-api-"));
  tempRoots.push(dir);
  const clock = fixedClock(START_MS);
  const store = openSqliteQueueStore(dir, { clock });
  stores.push(store);
  let sent = 0;
  const queue = createQueueApi(store, {
    defaultContentType: options.defaultContentType ?? "json",
    deliveryDelaySeconds: options.deliveryDelaySeconds ?? 0,
    v8: v8Serializer,
    onSent: () => sent++,
  });
  return {
    queue,
    clock,
    store,
    sent: () => sent,
    /** Everything ready now, decoded. */
    async take() {
      const leased = await store.lease(100, "test");
      await store.settle("test", { acked: leased.map((m) => m.id) });
      return leased.map((m) => ({ contentType: m.contentType, body: decodeBody(m.body, m.contentType, v8Serializer) }));
    },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe("Queue producer: send()", () => {
  it("serialises each content type and stores it before resolving", async () => {
    const { queue, take, sent } = setup();
    await queue.send({ a: [1, 2] });
    await queue.send("text body", { contentType: "text" });
    await queue.send(new Uint16Array([1, 2]), { contentType: "BYTES" as never });
    await queue.send({ when: new Date(5), m: new Map([["k", 1]]) }, { contentType: "v8" });
    await queue.send("json string", { contentType: "Json" as never });
    assert.equal(sent(), 5);
    const got = await take();
    assert.deepEqual(got.map((m) => m.contentType), ["json", "text", "bytes", "v8", "json"]);
    assert.deepEqual(got[0]!.body, { a: [1, 2] });
    assert.equal(got[1]!.body, "text body");
    assert.ok(got[2]!.body instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(got[2]!.body as ArrayBuffer)], [1, 0, 2, 0]);
    const cloned = got[3]!.body as { when: Date; m: Map<string, number> };
    assert.ok(cloned.when instanceof Date && cloned.m instanceof Map);
    assert.equal(got[4]!.body, "json string");
  });

  it("uses v8 by default before compatibility date 2024-03-18", async () => {
    const { queue, take } = setup({ defaultContentType: "v8" });
    await queue.send(new Map([["a", 1]]));
    const [m] = await take();
    assert.equal(m!.contentType, "v8");
    assert.ok(m!.body instanceof Map);
  });

  it("resolves to the queue's metrics", async () => {
    const { queue } = setup();
    const first = await queue.send("ab");
    assert.deepEqual(first, { metadata: { metrics: { backlogCount: 1, backlogBytes: 4, oldestMessageTimestamp: new Date(START_MS) } } });
    assert.deepEqual(await queue.metrics(), { backlogCount: 1, backlogBytes: 4, oldestMessageTimestamp: new Date(START_MS) });
  });

  it("refuses what workerd refuses, with its errors", async () => {
    const { queue, store } = setup();
    assert.equal(await errorOf(queue.send(undefined)), "TypeError: Message body cannot be undefined");
    assert.equal(await errorOf(queue.send("x", { contentType: "xml" as never })), "TypeError: Unsupported queue message content type: xml");
    assert.equal(
      await errorOf(queue.send({ a: 1 }, { contentType: "text" })),
      'TypeError: Content Type "text" requires a value of type string, but received: object',
    );
    assert.equal(
      await errorOf(queue.send("str", { contentType: "bytes" })),
      'TypeError: Content Type "bytes" requires a value of type ArrayBufferView, but received: string',
    );
    assert.equal(await errorOf(queue.send(() => 1, { contentType: "v8" })), "DataCloneError: () => 1 could not be cloned.");
    assert.equal(await errorOf(queue.send("x".repeat(128_001), { contentType: "text" })), "Error: Queue send failed: Payload Too Large");
    assert.equal(await errorOf(queue.send("x".repeat(128_000), { contentType: "text" })), "ok");
    for (const delaySeconds of [-1, 1.5, 43_201, Number.NaN]) {
      assert.equal(await errorOf(queue.send("x", { delaySeconds })), "Error: Queue send failed: Bad Request", String(delaySeconds));
    }
    assert.equal((await store.metrics()).backlogCount, 1, "nothing refused was stored");
  });

  it("keeps a message back for delaySeconds, else for the producer's delivery_delay; 0 overrides it", async () => {
    const { queue, clock, take } = setup({ deliveryDelaySeconds: 10 });
    await queue.send("default");
    await queue.send("explicit", { delaySeconds: 3 });
    await queue.send("zero", { delaySeconds: 0 });
    assert.deepEqual((await take()).map((m) => m.body), ["zero"]);
    clock.advance(3000);
    assert.deepEqual((await take()).map((m) => m.body), ["explicit"]);
    clock.advance(7000);
    assert.deepEqual((await take()).map((m) => m.body), ["default"]);
  });
});

describe("Queue producer: sendBatch()", () => {
  it("stores every message of any iterable, in order, in one commit", async () => {
    const { queue, take, sent } = setup();
    await queue.sendBatch(new Set([{ body: 1 }, { body: "two", contentType: "text" as const }, { body: { three: 3 } }]));
    assert.equal(sent(), 1);
    assert.deepEqual((await take()).map((m) => m.body), [1, "two", { three: 3 }]);
  });

  it("applies the message's delay, else the batch's, else the producer's", async () => {
    const { queue, clock, take } = setup({ deliveryDelaySeconds: 20 });
    await queue.sendBatch([{ body: "own", delaySeconds: 1 }, { body: "batch" }], { delaySeconds: 5 });
    await queue.sendBatch([{ body: "producer" }]);
    clock.advance(1000);
    assert.deepEqual((await take()).map((m) => m.body), ["own"]);
    clock.advance(4000);
    assert.deepEqual((await take()).map((m) => m.body), ["batch"]);
    clock.advance(15_000);
    assert.deepEqual((await take()).map((m) => m.body), ["producer"]);
  });

  it("refuses what workerd refuses, with its errors", async () => {
    const { queue, store } = setup();
    const q = queue as Queue<unknown> & { sendBatch(messages: unknown, options?: unknown): Promise<unknown> };
    assert.equal(await errorOf(q.sendBatch(null)), "TypeError: Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'Sequence'.");
    assert.equal(await errorOf(q.sendBatch("abc")), "TypeError: Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'Sequence'.");
    assert.equal(await errorOf(q.sendBatch([])), "TypeError: sendBatch() requires at least one message");
    assert.equal(await errorOf(q.sendBatch([1])), "TypeError: Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'MessageSendRequest'.");
    assert.equal(await errorOf(q.sendBatch([{ body: undefined }])), "TypeError: Message body cannot be undefined");
    assert.equal(await errorOf(q.sendBatch([{ body: 1, contentType: "yaml" }])), "TypeError: Unsupported queue message content type: yaml");
    const many = Array.from({ length: 101 }, (_, i) => ({ body: i }));
    assert.equal(await errorOf(q.sendBatch(many)), "Error: Queue sendBatch failed: Payload Too Large");
    assert.equal(await errorOf(q.sendBatch(many.slice(1))), "ok");
    const big = (n: number) => ({ body: "x".repeat(n), contentType: "text" });
    assert.equal(await errorOf(q.sendBatch([big(128_001)])), "Error: Queue sendBatch failed: Payload Too Large");
    assert.equal(await errorOf(q.sendBatch([big(128_000), big(128_000), big(1)])), "Error: Queue sendBatch failed: Payload Too Large");
    assert.equal(await errorOf(q.sendBatch([big(1)], { delaySeconds: -5 })), "Error: Queue sendBatch failed: Bad Request");
    assert.equal(await errorOf(q.sendBatch([{ body: 1, delaySeconds: 50_000 }])), "Error: Queue sendBatch failed: Bad Request");
    assert.equal((await store.metrics()).backlogCount, 100, "only the accepted batch was stored");
  });
});
