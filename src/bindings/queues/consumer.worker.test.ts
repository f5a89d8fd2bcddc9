import assert from "node:assert/strict";
import v8 from "node:v8";
import { describe, it } from "node:test";
import { createMessageBatch, type QueueDelivery } from "./consumer.worker.js";
import type { V8Serializer } from "./message-body.js";

const v8Serializer: V8Serializer = { serialize: (value) => new Uint8Array(v8.serialize(value)), deserialize: (bytes) => v8.deserialize(bytes) };
const enc = new TextEncoder();

function delivery(ids: string[]): QueueDelivery {
  return {
    queue: "q",
    metrics: { backlogCount: 7, backlogBytes: 70, oldestMessageTimestampMs: 1000 },
    messages: ids.map((id, i) => ({ id, timestampMs: 5000 + i, contentType: "json", body: enc.encode(JSON.stringify({ id })), attempts: i + 1 })),
  };
}

function session(ids = ["a", "b", "c"]) {
  const warnings: string[] = [];
  const s = createMessageBatch(delivery(ids), { v8: v8Serializer, warn: (w) => warnings.push(w) });
  const [a, b, c] = s.batch.messages;
  const verdict = (outcome: "ok" | "exception") =>
    s.decide(outcome).map((d) => `${d.id}:${d.action}${d.delaySeconds === undefined ? "" : `+${d.delaySeconds}`}`);
  return { ...s, a: a!, b: b!, c: c!, warnings, verdict };
}

describe("MessageBatch", () => {
  it("shows the queue, the metrics and each message's id, timestamp, body and attempts", () => {
    const { batch } = session();
    assert.equal(batch.queue, "q");
    assert.deepEqual(batch.metadata, { metrics: { backlogCount: 7, backlogBytes: 70, oldestMessageTimestamp: new Date(1000) } });
    assert.deepEqual(
      batch.messages.map((m) => [m.id, m.timestamp.getTime(), m.body, m.attempts]),
      [
        ["a", 5000, { id: "a" }, 1],
        ["b", 5001, { id: "b" }, 2],
        ["c", 5002, { id: "c" }, 3],
      ],
    );
    assert.ok(Object.isFrozen(batch.messages));
  });

  it("acknowledges what nobody decided when the handler succeeds, retries it when it throws", () => {
    assert.deepEqual(session().verdict("ok"), ["a:ack", "b:ack", "c:ack"]);
    assert.deepEqual(session().verdict("exception"), ["a:retry", "b:retry", "c:retry"]);
  });

  it("keeps explicit acks when the handler throws", () => {
    const s = session();
    s.a.ack();
    s.b.retry({ delaySeconds: 30 });
    assert.deepEqual(s.verdict("exception"), ["a:ack", "b:retry+30", "c:retry"]);
  });

  it("the first explicit call on a message wins, with workerd's warnings", () => {
    const s = session();
    s.a.ack();
    s.a.retry();
    s.b.retry();
    s.b.ack();
    assert.deepEqual(s.verdict("ok"), ["a:ack", "b:retry", "c:ack"]);
    assert.deepEqual(s.warnings, [
      "Received a call to retry() on message a after ack() was already called. Calling retry() on a message after calling ack() has no effect.",
      "Received a call to ack() on message b after retry() was already called. Calling ack() on a message after calling retry() has no effect.",
    ]);
  });

  it("per-message calls win over later batch calls", () => {
    const s = session();
    s.a.ack();
    s.b.retry({ delaySeconds: 5 });
    s.batch.retryAll({ delaySeconds: 60 });
    assert.deepEqual(s.verdict("ok"), ["a:ack", "b:retry+5", "c:retry+60"]);
    const t = session();
    t.a.retry();
    t.batch.ackAll();
    assert.deepEqual(t.verdict("exception"), ["a:retry", "b:ack", "c:ack"]);
  });

  it("batch calls made first win over later per-message calls", () => {
    const s = session();
    s.batch.ackAll();
    s.a.retry();
    s.b.ack();
    assert.deepEqual(s.verdict("exception"), ["a:ack", "b:ack", "c:ack"]);
    assert.deepEqual(s.warnings, [
      "Received a call to retry() on message a after ackAll() was already called. Calling retry() on a message after calling ackAll() has no effect.",
    ]);
    const t = session();
    t.batch.retryAll();
    t.a.ack();
    t.b.retry({ delaySeconds: 9 });
    assert.deepEqual(t.verdict("ok"), ["a:retry", "b:retry+9", "c:retry"]);
    assert.deepEqual(t.warnings, [
      "Received a call to ack() on message a after retryAll() was already called. Calling ack() on a message after calling retryAll() has no effect.",
    ]);
  });

  it("retryAll() after ackAll() and ackAll() after retryAll() are ignored with a warning", () => {
    const s = session();
    s.batch.ackAll();
    s.batch.retryAll();
    assert.deepEqual(s.verdict("ok"), ["a:ack", "b:ack", "c:ack"]);
    const t = session();
    t.batch.retryAll({ delaySeconds: 2 });
    t.batch.ackAll();
    assert.deepEqual(t.verdict("ok"), ["a:retry+2", "b:retry+2", "c:retry+2"]);
    assert.deepEqual([...s.warnings, ...t.warnings], [
      "Received a call to retryAll() after ackAll() was already called. Calling retryAll() after calling ackAll() has no effect.",
      "Received a call to ackAll() after retryAll() was already called. Calling ackAll() after calling retryAll() has no effect.",
    ]);
  });

  it("retry delays are whole seconds within 0 … 12 h", () => {
    const s = session();
    s.a.retry({ delaySeconds: 2.7 });
    s.b.retry({ delaySeconds: -4 });
    s.c.retry({ delaySeconds: 1e9 });
    assert.deepEqual(s.verdict("ok"), ["a:retry+2", "b:retry+0", "c:retry+43200"]);
  });
});
