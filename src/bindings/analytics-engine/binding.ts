/**
 * Wiring for Analytics Engine: config entries → descriptors (host side), descriptor → `env.NAME`
 * (isolate side). Points of every binding writing to one state root are batched: they are
 * committed together once per event-loop turn, so a Worker writing a point per request costs one
 * transaction per turn, not one per point.
 */
import { setImmediate } from "node:timers";
import type { AnalyticsEngineBinding } from "../descriptor.js";
import { createAnalyticsEngineApi, type AnalyticsEngineDataset } from "./api.worker.js";
import { analyticsEngineDir, openSqliteAnalyticsStore } from "./drivers/sqlite.js";
import type { AnalyticsEngineStore, StoredDataPoint } from "./store.js";

/** One `analytics_engine_datasets[]` entry of a wrangler config. */
export interface AnalyticsEngineDatasetConfig {
  binding: string;
  dataset?: string;
}

/** Descriptors for the config's datasets; `dataset` defaults to the binding name, as on Cloudflare. */
export function analyticsEngineDescriptors(entries: readonly AnalyticsEngineDatasetConfig[], stateRoot: string): AnalyticsEngineBinding[] {
  return entries.map((entry) => ({
    kind: "analytics-engine",
    name: entry.binding,
    dataset: entry.dataset ?? entry.binding,
    dir: analyticsEngineDir(stateRoot),
  }));
}

/** Points waiting for the next commit, and the store they go to, per database folder. */
class BatchedWriter {
  #pending: StoredDataPoint[] = [];
  #scheduled = false;
  #store: AnalyticsEngineStore | undefined;

  constructor(private readonly dir: string) {}

  add(point: StoredDataPoint): void {
    this.#pending.push(point);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.#scheduled = false;
    const points = this.#pending.splice(0);
    if (points.length === 0) return;
    try {
      this.#store ??= openSqliteAnalyticsStore(this.dir);
      this.#store.append(points);
    } catch (error) {
      // Writes are fire-and-forget on Cloudflare too: a storage failure is reported, never thrown into the Worker.
      console.error(`Analytics Engine: could not store ${points.length} data point(s) in ${this.dir}: ${(error as Error).message}`);
    }
  }

  close(): void {
    this.flush();
    this.#store?.close();
    this.#store = undefined;
  }
}

const writers = new Map<string, BatchedWriter>();

/** `env.NAME` for an Analytics Engine dataset binding. */
export function createAnalyticsEngineDataset(descriptor: AnalyticsEngineBinding): AnalyticsEngineDataset {
  let writer = writers.get(descriptor.dir);
  if (!writer) writers.set(descriptor.dir, (writer = new BatchedWriter(descriptor.dir)));
  const target = writer;
  return createAnalyticsEngineApi({ dataset: descriptor.dataset, sink: (point) => target.add(point) });
}

/** Commits the points still waiting and closes the databases (an isolate shutting down, a test). */
export function closeAnalyticsEngineWriters(): void {
  for (const writer of writers.values()) writer.close();
  writers.clear();
}
