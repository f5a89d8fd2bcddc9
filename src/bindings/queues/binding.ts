/**
 * Wiring for Queues: config entries → producer descriptors and consumer plans (host side),
 * descriptor → `env.NAME` and delivered batch → `MessageBatch` (isolate side). The only file of
 * this folder that sees config, store and api together.
 */
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { systemClock, type Clock } from "../../shared/clock.js";
import { HearthError } from "../../shared/errors.js";
import { kindDir, safeFileSegment } from "../../shared/paths.js";
import type { QueueProducerBinding } from "../descriptor.js";
import { createQueueApi, type Queue } from "./api.worker.js";
import type { QueueConsumerPlan } from "./brokers.js";
import { createMessageBatch, type MessageBatchSession, type QueueDelivery } from "./consumer.worker.js";
import { openSqliteQueueStore, QUEUE_DB_FILE } from "./drivers/sqlite.js";
import {
  QUEUE_DEFAULT_MAX_BATCH_SIZE_MESSAGES,
  QUEUE_DEFAULT_MAX_BATCH_TIMEOUT_SECONDS,
  QUEUE_DEFAULT_MAX_RETRIES,
  QUEUE_DEFAULT_RETRY_DELAY_SECONDS,
  QUEUE_MAX_CONCURRENCY_BATCHES,
  QUEUE_MAX_DELAY_SECONDS,
  QUEUE_MAX_MAX_BATCH_SIZE_MESSAGES,
  QUEUE_MAX_MAX_BATCH_TIMEOUT_SECONDS,
  QUEUE_MAX_MAX_RETRIES,
  QUEUES_CONSUMER_DOCS_URL,
} from "./limits.js";
import type { V8Serializer } from "./message-body.js";
import type { QueueStore } from "./store.js";
import { notifyQueue } from "./wake-channel.js";

/** One `queues.producers[]` entry of a wrangler config. */
export interface QueueProducerConfig {
  binding: string;
  queue: string;
  delivery_delay?: number;
}

/** One `queues.consumers[]` entry of a wrangler config. */
export interface QueueConsumerConfig {
  queue: string;
  max_batch_size?: number;
  max_batch_timeout?: number;
  max_retries?: number;
  dead_letter_queue?: string;
  retry_delay?: number;
  max_concurrency?: number | null;
}

/** Where a config entry came from, for error messages. */
export interface QueueConfigSource {
  /** The config file. */
  file?: string;
}

/** The first compatibility date on which a body without a content type is sent as JSON (flag `queues_json_messages`). */
const JSON_MESSAGES_DATE = "2024-03-18";

/** Node's structured-clone wire format, for the `v8` content type. */
const nodeV8: V8Serializer = {
  serialize: (value) => {
    const buffer = v8.serialize(value);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  },
  deserialize: (bytes) => v8.deserialize(bytes),
};

/** Where a queue's messages live: `<stateRoot>/queues/<queue name, made file-safe>`. */
export function queueDir(stateRoot: string, queueName: string): string {
  return path.join(kindDir(stateRoot, "queues"), safeFileSegment(queueName));
}

/** The content type of a body sent without one: `json` from 2024-03-18 (or with `queues_json_messages`), else `v8`. */
export function defaultQueueContentType(compatibilityDate: string, compatibilityFlags: readonly string[]): "json" | "v8" {
  if (compatibilityFlags.includes("no_queues_json_messages")) return "v8";
  if (compatibilityFlags.includes("queues_json_messages")) return "json";
  return compatibilityDate >= JSON_MESSAGES_DATE ? "json" : "v8";
}

/** One descriptor per producer entry, for the host to hand to isolates. */
export function queueProducerDescriptors(
  entries: readonly QueueProducerConfig[],
  stateRoot: string,
  options: { defaultContentType: "json" | "v8"; source?: QueueConfigSource },
): QueueProducerBinding[] {
  return entries.map((entry, i) => ({
    kind: "queue",
    name: entry.binding,
    queueName: entry.queue,
    dir: queueDir(stateRoot, entry.queue),
    deliveryDelaySeconds: checkSetting(entry.delivery_delay, 0, { min: 0, max: QUEUE_MAX_DELAY_SECONDS, integer: true }, `queues.producers[${i}].delivery_delay`, options.source),
    defaultContentType: options.defaultContentType,
  }));
}

/** The consumers of a config with Cloudflare's defaults applied; out-of-range settings are refused. */
export function queueConsumerPlans(entries: readonly QueueConsumerConfig[], stateRoot: string, source: QueueConfigSource = {}): QueueConsumerPlan[] {
  return entries.map((entry, i) => {
    const key = (name: string) => `queues.consumers[${i}].${name}`;
    const plan: QueueConsumerPlan = {
      queue: entry.queue,
      dir: queueDir(stateRoot, entry.queue),
      maxBatchSize: checkSetting(entry.max_batch_size, QUEUE_DEFAULT_MAX_BATCH_SIZE_MESSAGES, { min: 1, max: QUEUE_MAX_MAX_BATCH_SIZE_MESSAGES, integer: true }, key("max_batch_size"), source),
      maxBatchTimeoutMs:
        checkSetting(entry.max_batch_timeout, QUEUE_DEFAULT_MAX_BATCH_TIMEOUT_SECONDS, { min: 0, max: QUEUE_MAX_MAX_BATCH_TIMEOUT_SECONDS, integer: false }, key("max_batch_timeout"), source) * 1000,
      maxRetries: checkSetting(entry.max_retries, QUEUE_DEFAULT_MAX_RETRIES, { min: 0, max: QUEUE_MAX_MAX_RETRIES, integer: true }, key("max_retries"), source),
      retryDelaySeconds: checkSetting(entry.retry_delay, QUEUE_DEFAULT_RETRY_DELAY_SECONDS, { min: 0, max: QUEUE_MAX_DELAY_SECONDS, integer: true }, key("retry_delay"), source),
      maxConcurrency: checkSetting(entry.max_concurrency ?? undefined, QUEUE_MAX_CONCURRENCY_BATCHES, { min: 1, max: QUEUE_MAX_CONCURRENCY_BATCHES, integer: true }, key("max_concurrency"), source),
    };
    if (entry.dead_letter_queue !== undefined) {
      if (entry.dead_letter_queue === entry.queue) {
        throw new HearthError("ERR_CONFIG_INVALID", `${source.file ?? "config"}: ${key("dead_letter_queue")} cannot be the queue itself ("${entry.queue}").`, {
          file: source.file,
          key: key("dead_letter_queue"),
        });
      }
      plan.deadLetterQueue = entry.dead_letter_queue;
      plan.deadLetterDir = queueDir(stateRoot, entry.dead_letter_queue);
    }
    return plan;
  });
}

function checkSetting(
  value: number | undefined,
  fallback: number,
  range: { min: number; max: number; integer: boolean },
  key: string,
  source: QueueConfigSource | undefined,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
    const what = range.integer ? "an integer" : "a number";
    throw new HearthError(
      "ERR_CONFIG_INVALID",
      `${source?.file ?? "config"}: ${key} must be ${what} from ${range.min} to ${range.max}, not ${JSON.stringify(value)} (see ${QUEUES_CONSUMER_DOCS_URL}).`,
      { file: source?.file, key },
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Isolate side.
// ---------------------------------------------------------------------------------------------

export interface CreateQueueProducerOptions {
  /** Send times and delays. Default: the system clock. */
  clock?: Clock;
}

/** Stores opened by createQueueProducer in this thread, until closed. */
const openStores = new Map<Queue, QueueStore>();

/** Opens the queue's storage (creating `<descriptor.dir>/db.sqlite` if needed) and returns the `Queue` user code sees. */
export function createQueueProducer(descriptor: QueueProducerBinding, options: CreateQueueProducerOptions = {}): Queue {
  const store = openSqliteQueueStore(descriptor.dir, { clock: options.clock ?? systemClock });
  const queue = createQueueApi(store, {
    defaultContentType: descriptor.defaultContentType,
    deliveryDelaySeconds: descriptor.deliveryDelaySeconds,
    v8: nodeV8,
    onSent: () => notifyQueue(descriptor.dir),
  });
  openStores.set(queue, store);
  return queue;
}

/** Closes every queue createQueueProducer opened in this thread. */
export async function closeQueueProducers(): Promise<void> {
  const stores = [...openStores.values()];
  openStores.clear();
  await Promise.all(stores.map((store) => store.close()));
}

/** The `MessageBatch` for a delivered batch (inside the consumer's isolate); bodies are decoded here. */
export function openMessageBatch(delivery: QueueDelivery, warn: (text: string) => void): MessageBatchSession {
  return createMessageBatch(delivery, { v8: nodeV8, warn });
}

/** Queue names that have data under `<stateRoot>/queues/`, sorted. */
export function listLocalQueues(stateRoot: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(kindDir(stateRoot, "queues"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const queues: string[] = [];
  for (const name of names) {
    if (!fs.existsSync(path.join(kindDir(stateRoot, "queues"), name, QUEUE_DB_FILE))) continue;
    try {
      queues.push(decodeURIComponent(name));
    } catch {
      // Not a folder safeFileSegment made; not ours.
    }
  }
  return queues.sort();
}
