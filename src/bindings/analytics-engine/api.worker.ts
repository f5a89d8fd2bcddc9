/**
 * `AnalyticsEngineDataset`, the object user code sees as `env.NAME`: `writeDataPoint()` checks the
 * point against Cloudflare's limits synchronously (throwing a TypeError with workerd's wording),
 * then hands it to a sink and returns `undefined` at once — writes never block or fail the request.
 *
 * Types match `@cloudflare/workers-types` (`AnalyticsEngineDataset`, `AnalyticsEngineDataPoint`).
 */
import { AE_MAX_BLOBS, AE_MAX_DOUBLES, AE_MAX_INDEX_SIZE_BYTES, AE_MAX_INDEXES, AE_MAX_TOTAL_BLOB_SIZE_BYTES } from "./limits.js";
import type { StoredDataPoint } from "./store.js";
import { byteView, utf8Length } from "../../shared/bytes.js";

export interface AnalyticsEngineDataPoint {
  indexes?: ((ArrayBuffer | string) | null)[];
  doubles?: number[];
  blobs?: ((ArrayBuffer | string) | null)[];
}

export interface AnalyticsEngineDataset {
  writeDataPoint(event?: AnalyticsEngineDataPoint): void;
}

/** Where checked points go; called synchronously, must not throw for storage reasons. */
export type DataPointSink = (point: StoredDataPoint) => void;

export interface AnalyticsEngineApiOptions {
  /** The dataset (the SQL API's table) the points belong to. */
  dataset: string;
  sink: DataPointSink;
  /** Milliseconds since the epoch; a test passes a fixed clock. */
  now?: () => number;
}

const lossyUtf8 = new TextDecoder();

function limitError(message: string): TypeError {
  return new TypeError(`writeDataPoint(): ${message}`);
}

/** A blob or index as the text the SQL API returns, and its size in bytes. */
function fieldValue(value: unknown): { text: string; bytes: number } {
  if (value === null || value === undefined) return { text: "", bytes: 0 };
  const view = byteView(value);
  if (view) return { text: lossyUtf8.decode(view), bytes: view.byteLength };
  const text = String(value);
  return { text, bytes: utf8Length(text) };
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError("writeDataPoint(): blobs, doubles and indexes must be arrays.");
  return value;
}

/** Checks one point and turns it into its stored columns; throws what Cloudflare throws. */
export function toStoredDataPoint(event: AnalyticsEngineDataPoint | undefined, dataset: string, timestamp: number): StoredDataPoint {
  const indexes = listOf(event?.indexes);
  const blobs = listOf(event?.blobs);
  const doubles = listOf(event?.doubles);
  if (indexes.length > AE_MAX_INDEXES) throw limitError(`Maximum of ${AE_MAX_INDEXES} indexes supported.`);
  if (blobs.length > AE_MAX_BLOBS) throw limitError(`Maximum of ${AE_MAX_BLOBS} blobs supported.`);
  if (doubles.length > AE_MAX_DOUBLES) throw limitError(`Maximum of ${AE_MAX_DOUBLES} doubles supported.`);
  const index = fieldValue(indexes[0]);
  if (index.bytes > AE_MAX_INDEX_SIZE_BYTES) throw limitError(`Maximum index size is ${AE_MAX_INDEX_SIZE_BYTES} bytes, got ${index.bytes}.`);
  const blobValues = blobs.map(fieldValue);
  const blobBytes = blobValues.reduce((sum, blob) => sum + blob.bytes, 0);
  if (blobBytes > AE_MAX_TOTAL_BLOB_SIZE_BYTES) throw limitError(`Maximum total size of blobs is ${AE_MAX_TOTAL_BLOB_SIZE_BYTES} bytes, got ${blobBytes}.`);
  return {
    dataset,
    timestamp,
    index: index.text,
    blobs: blobValues.map((blob) => blob.text),
    // NaN has no SQLite REAL representation (it would be stored as NULL); it reads back as 0.
    doubles: doubles.map((d) => {
      const n = Number(d);
      return Number.isNaN(n) ? 0 : n;
    }),
  };
}

class Dataset implements AnalyticsEngineDataset {
  readonly #options: AnalyticsEngineApiOptions;
  readonly #now: () => number;

  constructor(options: AnalyticsEngineApiOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  writeDataPoint(event?: AnalyticsEngineDataPoint): void {
    this.#options.sink(toStoredDataPoint(event, this.#options.dataset, this.#now()));
  }

  get [Symbol.toStringTag](): string {
    return "AnalyticsEngineDataset";
  }
}

export function createAnalyticsEngineApi(options: AnalyticsEngineApiOptions): AnalyticsEngineDataset {
  return new Dataset(options);
}
