/**
 * The conformance suite every QueueStore driver runs (see store.ts for the contract it checks).
 * A driver's test file calls `runQueueStoreCases(name, factory)`; a case the driver cannot pass is
 * listed in `skip` with the reason.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import type { QueueMessageInput, QueueStore } from "./store.js";

export interface QueueStoreUnderTest {
  store: QueueStore;
  /** Closes `store` and opens a new one on the same data; omit when data does not outlive a handle. */
  reopen?: () => Promise<QueueStore>;
  /** Opens a second, independent handle on the same data. Optional. */
  openAnother?: () => Promise<QueueStore>;
  /** Removes everything the factory created. */
  dispose: () => Promise<void>;
}

export type QueueStoreFactory = (options: { clock: ReturnType<typeof fixedClock> }) => Promise<QueueStoreUnderTest>;

export type QueueStoreCaseName = (typeof CASE_NAMES)[number];

const CASE_NAMES = [
  "round trip",
  "order",
  "delays",
  "exclusive leases",
  "settle",
  "settle ignores other owners",
  "counters",
  "abandoned leases",
  "kept ids",
  "metrics",
  "readiness",
  "stats",
  "purge",
  "fresh copies",
  "persistence",
  "second handle",
  "close",
] as const;

const START_MS = 1_700_000_000_000;
const enc = new TextEncoder();
const dec = new TextDecoder();
const msg = (text: string, extra: Partial<QueueMessageInput> = {}): QueueMessageInput => ({
  body: enc.encode(text),
  contentType: "text",
  delaySeconds: 0,
  ...extra,
});
const texts = (records: { body: Uint8Array }[]) => records.map((r) => dec.decode(r.body));

export function runQueueStoreCases(
  driverName: string,
  factory: QueueStoreFactory,
  options: { skip?: Partial<Record<QueueStoreCaseName, string>> } = {},
): void {
  describe(`QueueStore conformance: ${driverName}`, () => {
    const cases: Record<QueueStoreCaseName, (t: QueueStoreUnderTest, clock: ReturnType<typeof fixedClock>) => Promise<void>> = {
      async "round trip"({ store }) {
        const bytes = new Uint8Array([0, 1, 2, 255]);
        await store.enqueue([msg("hello"), { body: bytes, contentType: "bytes", delaySeconds: 0 }, msg('{"a":1}', { contentType: "json" })]);
        const leased = await store.lease(10, "owner-a");
        assert.equal(leased.length, 3);
        assert.deepEqual(leased.map((m) => m.contentType), ["text", "bytes", "json"]);
        assert.deepEqual([...leased[1]!.body], [...bytes]);
        assert.equal(dec.decode(leased[0]!.body), "hello");
        for (const m of leased) {
          assert.match(m.id, /^[0-9a-f]{32}$/);
          assert.equal(m.timestampMs, START_MS);
          assert.equal(m.attempts, 1);
        }
        assert.equal(new Set(leased.map((m) => m.id)).size, 3, "ids are unique");
      },
      async order({ store }) {
        await store.enqueue([msg("1"), msg("2")]);
        await store.enqueue([msg("3")]);
        assert.deepEqual(texts(await store.lease(2, "o")), ["1", "2"]);
        assert.deepEqual(texts(await store.lease(2, "o")), ["3"]);
        assert.deepEqual(await store.lease(2, "o"), []);
      },
      async delays({ store }, clock) {
        await store.enqueue([msg("later", { delaySeconds: 30 }), msg("now")]);
        assert.deepEqual(texts(await store.lease(10, "o")), ["now"]);
        clock.advance(29_999);
        assert.deepEqual(await store.lease(10, "o"), []);
        clock.advance(1);
        const [later] = await store.lease(10, "o");
        assert.equal(dec.decode(later!.body), "later");
        assert.equal(later!.timestampMs, START_MS, "the timestamp is the send time, not the delivery time");
      },
      async "exclusive leases"({ store }) {
        await store.enqueue([msg("a"), msg("b"), msg("c")]);
        const first = await store.lease(2, "one");
        const second = await store.lease(10, "two");
        assert.deepEqual(texts(first), ["a", "b"]);
        assert.deepEqual(texts(second), ["c"]);
        assert.deepEqual(await store.lease(10, "three"), []);
      },
      async settle({ store }, clock) {
        await store.enqueue([msg("ack"), msg("retry"), msg("release")]);
        const [ack, retry, release] = await store.lease(10, "o");
        await store.settle("o", { acked: [ack!.id], retried: [{ id: retry!.id, visibleMs: START_MS + 5000 }], released: [release!.id] });
        const again = await store.lease(10, "o");
        assert.deepEqual(texts(again), ["release"]);
        assert.equal(again[0]!.attempts, 1, "a released delivery is not counted");
        clock.advance(5000);
        const retried = await store.lease(10, "o");
        assert.deepEqual(texts(retried), ["retry"]);
        assert.equal(retried[0]!.attempts, 2);
        assert.equal(retried[0]!.id, retry!.id);
      },
      async "settle ignores other owners"({ store }) {
        await store.enqueue([msg("a")]);
        const [a] = await store.lease(1, "mine");
        await store.settle("theirs", { acked: [a!.id] });
        assert.equal((await store.metrics()).backlogCount, 1);
        await store.settle("mine", { acked: [a!.id, "0".repeat(32)] });
        assert.equal((await store.metrics()).backlogCount, 0);
      },
      async counters({ store }) {
        await store.enqueue([msg("a"), msg("b"), msg("c")]);
        const [a, b, c] = await store.lease(10, "o");
        await store.settle("o", { deadLettered: [a!.id, b!.id], dropped: [c!.id] });
        const stats = await store.stats();
        assert.equal(stats.deadLettered, 2);
        assert.equal(stats.dropped, 1);
        assert.equal(stats.backlogCount, 0);
      },
      async "abandoned leases"({ store }) {
        await store.enqueue([msg("a"), msg("b")]);
        await store.lease(1, "dead");
        await store.lease(1, "alive");
        assert.equal(await store.releaseAbandoned((owner) => owner === "alive"), 1);
        const again = await store.lease(10, "new");
        assert.deepEqual(texts(again), ["a"]);
        assert.equal(again[0]!.attempts, 2, "the abandoned delivery stays counted");
      },
      async "kept ids"({ store }) {
        const id = "ab".repeat(16);
        await store.enqueue([msg("first", { id, timestampMs: 42 })]);
        await store.enqueue([msg("duplicate", { id, timestampMs: 43 })]);
        const leased = await store.lease(10, "o");
        assert.deepEqual(leased.map((m) => [m.id, m.timestampMs, dec.decode(m.body)]), [[id, 42, "first"]]);
      },
      async metrics({ store }, clock) {
        assert.deepEqual(await store.metrics(), { backlogCount: 0, backlogBytes: 0 });
        const after = await store.enqueue([msg("abc"), msg("de")]);
        assert.deepEqual(after, { backlogCount: 2, backlogBytes: 5, oldestMessageTimestampMs: START_MS });
        clock.advance(10);
        await store.enqueue([msg("f")]);
        await store.lease(1, "o");
        assert.deepEqual(await store.metrics(), { backlogCount: 3, backlogBytes: 6, oldestMessageTimestampMs: START_MS }, "in-flight messages count");
      },
      async readiness({ store }, clock) {
        assert.deepEqual(await store.readiness(10), { readyCount: 0 });
        await store.enqueue([msg("a")]);
        clock.advance(100);
        await store.enqueue([msg("b"), msg("c", { delaySeconds: 60 })]);
        assert.deepEqual(await store.readiness(10), { readyCount: 2, oldestReadyMs: START_MS, nextVisibleMs: START_MS + 100 + 60_000 });
        assert.equal((await store.readiness(1)).readyCount, 1, "counted up to the limit");
        await store.lease(10, "o");
        assert.deepEqual(await store.readiness(10), { readyCount: 0, nextVisibleMs: START_MS + 100 + 60_000 });
      },
      async stats({ store }) {
        await store.enqueue([msg("a"), msg("b"), msg("later", { delaySeconds: 10 })]);
        await store.lease(1, "o");
        const stats = await store.stats();
        assert.deepEqual(
          { ...stats },
          { backlogCount: 3, backlogBytes: 7, oldestMessageTimestampMs: START_MS, waiting: 2, delayed: 1, inFlight: 1, deadLettered: 0, dropped: 0 },
        );
      },
      async purge({ store }) {
        await store.enqueue([msg("a"), msg("b")]);
        await store.lease(1, "o");
        assert.equal(await store.purge(), 2);
        assert.equal((await store.metrics()).backlogCount, 0);
        assert.equal(await store.purge(), 0);
      },
      async "fresh copies"({ store }) {
        const body = enc.encode("abc");
        await store.enqueue([{ body, contentType: "text", delaySeconds: 0 }]);
        body[0] = 0x7a;
        const [m] = await store.lease(1, "o");
        assert.equal(dec.decode(m!.body), "abc", "the store copied the body it was given");
        assert.equal(Object.getPrototypeOf(m!.body), Uint8Array.prototype, "a plain Uint8Array, not a Buffer");
        assert.equal(m!.body.byteLength, m!.body.buffer.byteLength, "spans its own ArrayBuffer");
      },
      async persistence(t, clock) {
        await t.store.enqueue([msg("kept"), msg("leased")]);
        const [kept] = await t.store.lease(1, "o");
        await t.store.settle("o", { retried: [{ id: kept!.id, visibleMs: START_MS + 1000 }] });
        assert.deepEqual(texts(await t.store.lease(1, "o")), ["leased"]);
        const reopened = await t.reopen!();
        const stats = await reopened.stats();
        assert.equal(stats.backlogCount, 2);
        assert.equal(stats.inFlight, 1, "leases outlive the handle");
        assert.equal(stats.delayed, 1, "so do retry delays");
        clock.advance(1000);
        const [again] = await reopened.lease(10, "o2");
        assert.equal(dec.decode(again!.body), "kept");
        assert.equal(again!.attempts, 2);
      },
      async "second handle"(t) {
        const other = await t.openAnother!();
        try {
          await t.store.enqueue([msg("a"), msg("b")]);
          const mine = await t.store.lease(1, "one");
          const theirs = await other.lease(10, "two");
          assert.deepEqual([...texts(mine), ...texts(theirs)], ["a", "b"]);
          await other.settle("two", { acked: theirs.map((m) => m.id) });
          assert.equal((await t.store.metrics()).backlogCount, 1);
        } finally {
          await other.close();
        }
      },
      async close({ store }) {
        await store.close();
        await store.close();
        await assert.rejects(store.enqueue([msg("x")]));
        await assert.rejects(store.lease(1, "o"));
      },
    };

    for (const name of CASE_NAMES) {
      const reason = options.skip?.[name];
      it(name, { skip: reason ?? false }, async () => {
        const clock = fixedClock(START_MS);
        const t = await factory({ clock });
        if ((name === "persistence" && !t.reopen) || (name === "second handle" && !t.openAnother)) {
          await t.dispose();
          return;
        }
        try {
          await cases[name](t, clock);
        } finally {
          await t.dispose();
        }
      });
    }
  });
}
