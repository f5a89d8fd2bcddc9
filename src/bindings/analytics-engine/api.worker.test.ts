import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAnalyticsEngineApi, toStoredDataPoint } from "./api.worker.js";
import { AE_MAX_INDEX_SIZE_BYTES, AE_MAX_TOTAL_BLOB_SIZE_BYTES } from "./limits.js";
import type { StoredDataPoint } from "./store.js";

const NOW_MS = 1_700_000_000_123;

function datasetWithSink() {
  const points: StoredDataPoint[] = [];
  const dataset = createAnalyticsEngineApi({ dataset: "metrics", sink: (p) => points.push(p), now: () => NOW_MS });
  return { dataset, points };
}

describe("writeDataPoint", () => {
  it("returns undefined synchronously and hands the point to the sink with its dataset and time", () => {
    const { dataset, points } = datasetWithSink();
    assert.equal(dataset.writeDataPoint({ blobs: ["GET", "/home", null], doubles: [1, 2.5, -3], indexes: ["customer-1"] }), undefined);
    assert.deepEqual(points, [{ dataset: "metrics", timestamp: NOW_MS, index: "customer-1", blobs: ["GET", "/home", ""], doubles: [1, 2.5, -3] }]);
  });

  it("accepts no argument, an empty point and ArrayBuffer / typed-array blobs and indexes", () => {
    const { dataset, points } = datasetWithSink();
    dataset.writeDataPoint();
    dataset.writeDataPoint({});
    dataset.writeDataPoint({ blobs: [new TextEncoder().encode("héllo").buffer, new Uint8Array([104, 105]) as unknown as ArrayBuffer], indexes: [new TextEncoder().encode("idx").buffer] });
    assert.deepEqual(
      points.map((p) => [p.index, p.blobs, p.doubles]),
      [
        ["", [], []],
        ["", [], []],
        ["idx", ["héllo", "hi"], []],
      ],
    );
  });

  it("accepts the maxima: 20 blobs, 20 doubles, one index of 96 bytes, 16 KB of blobs", () => {
    const { dataset, points } = datasetWithSink();
    dataset.writeDataPoint({ blobs: Array(20).fill("b"), doubles: Array(20).fill(1), indexes: ["i".repeat(AE_MAX_INDEX_SIZE_BYTES)] });
    dataset.writeDataPoint({ blobs: ["x".repeat(AE_MAX_TOTAL_BLOB_SIZE_BYTES)] });
    assert.equal(points.length, 2);
  });

  it("throws workerd's TypeErrors past the limits, and stores nothing", () => {
    const { dataset, points } = datasetWithSink();
    const cases: [Parameters<typeof dataset.writeDataPoint>[0], RegExp][] = [
      [{ indexes: ["a", "b"] }, /^writeDataPoint\(\): Maximum of 1 indexes supported\.$/],
      [{ blobs: Array(21).fill("b") }, /^writeDataPoint\(\): Maximum of 20 blobs supported\.$/],
      [{ doubles: Array(21).fill(1) }, /^writeDataPoint\(\): Maximum of 20 doubles supported\.$/],
      [{ indexes: ["é".repeat(49)] }, /index size is 96 bytes, got 98/],
      [{ blobs: ["x".repeat(10_000), "y".repeat(7_000)] }, /total size of blobs is 16384 bytes, got 17000/],
    ];
    for (const [point, message] of cases) {
      assert.throws(() => dataset.writeDataPoint(point), (e: unknown) => e instanceof TypeError && message.test(e.message));
    }
    assert.equal(points.length, 0);
  });

  it("reads a NaN double back as 0 and coerces numeric strings as Number() does", () => {
    const point = toStoredDataPoint({ doubles: [Number.NaN, "7" as unknown as number, Infinity] }, "d", 0);
    assert.deepEqual(point.doubles, [0, 7, Infinity]);
  });

  it("is shaped like workers-types' AnalyticsEngineDataset", () => {
    const { dataset } = datasetWithSink();
    assert.equal(typeof dataset, "object");
    assert.equal(typeof dataset.writeDataPoint, "function");
    assert.equal(Object.prototype.toString.call(dataset), "[object AnalyticsEngineDataset]");
  });
});
