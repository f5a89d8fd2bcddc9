/**
 * The producer binding as user code sees it (`env.MY_QUEUE`): `send`, `sendBatch` and `metrics`
 * with the shapes of `@cloudflare/workers-types`, workerd's argument checks and Cloudflare's
 * limits and errors. Storage is a `QueueStore` handed in by binding.ts; this file never imports a
 * driver or a Node module (it runs in the Worker realm).
 *
 * Checks happen in workerd's order: the body, the content type, serialisation (TypeErrors), then
 * what the queue service would refuse (size, delay: `Queue send failed: …`). A send resolves once
 * its messages are committed to disk.
 */
import { queueError, type QueueSendMethod } from "./errors.js";
import { QUEUE_MAX_DELAY_SECONDS, QUEUE_MAX_MESSAGE_SIZE_BYTES, QUEUE_MAX_SEND_BATCH_MESSAGES, QUEUE_MAX_SEND_BATCH_SIZE_BYTES } from "./limits.js";
import { encodeBody, toContentType, type V8Serializer } from "./message-body.js";
import type { QueueContentType, QueueMessageInput, QueueMetrics as StoreMetrics, QueueStore } from "./store.js";

// ---------------------------------------------------------------------------------------------
// Types, as declared by @cloudflare/workers-types (Queue and friends).
// ---------------------------------------------------------------------------------------------

export interface QueueSendOptions {
  contentType?: QueueContentType;
  delaySeconds?: number;
}

export interface QueueSendBatchOptions {
  delaySeconds?: number;
}

export interface MessageSendRequest<Body = unknown> {
  body: Body;
  contentType?: QueueContentType;
  delaySeconds?: number;
}

export interface QueueMetrics {
  backlogCount: number;
  backlogBytes: number;
  oldestMessageTimestamp?: Date;
}

export interface QueueSendResponse {
  metadata: { metrics: QueueMetrics };
}

export interface Queue<Body = unknown> {
  metrics(): Promise<QueueMetrics>;
  send(message: Body, options?: QueueSendOptions): Promise<QueueSendResponse>;
  sendBatch(messages: Iterable<MessageSendRequest<Body>>, options?: QueueSendBatchOptions): Promise<QueueSendResponse>;
}

// ---------------------------------------------------------------------------------------------
// The producer object.
// ---------------------------------------------------------------------------------------------

export interface QueueApiOptions {
  /** Used when a message names no content type: "json" from compatibility date 2024-03-18, else "v8". */
  defaultContentType: QueueContentType;
  /** The producer's `delivery_delay`, in seconds: the delay of messages that name none. */
  deliveryDelaySeconds: number;
  v8: V8Serializer;
  /** Called after each commit (the broker of this process is woken up). */
  onSent?: () => void;
}

/** Wraps a store in the object user code sees as `env.NAME`. */
export function createQueueApi(store: QueueStore, options: QueueApiOptions): Queue {
  return new WorkerQueue(store, options);
}

type Options = Record<string, unknown>;

class WorkerQueue implements Queue {
  readonly #store: QueueStore;
  readonly #options: QueueApiOptions;

  constructor(store: QueueStore, options: QueueApiOptions) {
    this.#store = store;
    this.#options = options;
  }

  async send(body: unknown, options?: QueueSendOptions): Promise<QueueSendResponse> {
    if (body === undefined) throw queueError("bodyUndefined");
    const o = (options ?? {}) as Options;
    const contentType = o.contentType === undefined ? this.#options.defaultContentType : toContentType(o.contentType);
    const bytes = encodeBody(body, contentType, this.#options.v8, "send");
    if (bytes.byteLength > QUEUE_MAX_MESSAGE_SIZE_BYTES) throw queueError("payloadTooLarge", "send");
    const delaySeconds = this.#delay("send", o.delaySeconds);
    return this.#enqueue("send", [{ body: bytes, contentType, delaySeconds }]);
  }

  async sendBatch(messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions): Promise<QueueSendResponse> {
    if (typeof messages !== "object" || messages === null || typeof (messages as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
      throw queueError("notSequence");
    }
    const requests = [...messages];
    if (requests.length === 0) throw queueError("emptyBatch");
    const serialised = requests.map((request) => {
      if (typeof request !== "object" || request === null) throw queueError("notMessageRequest");
      const r = request as unknown as Options;
      if (r.body === undefined) throw queueError("bodyUndefined");
      const contentType = r.contentType === undefined ? this.#options.defaultContentType : toContentType(r.contentType);
      return { body: encodeBody(r.body, contentType, this.#options.v8, "sendBatch"), contentType, delay: r.delaySeconds };
    });
    const total = serialised.reduce((sum, m) => sum + m.body.byteLength, 0);
    if (
      serialised.length > QUEUE_MAX_SEND_BATCH_MESSAGES ||
      serialised.some((m) => m.body.byteLength > QUEUE_MAX_MESSAGE_SIZE_BYTES) ||
      total > QUEUE_MAX_SEND_BATCH_SIZE_BYTES
    ) {
      throw queueError("payloadTooLarge", "sendBatch");
    }
    const batchDelay = this.#delay("sendBatch", ((options ?? {}) as Options).delaySeconds);
    const inputs: QueueMessageInput[] = serialised.map((m) => ({
      body: m.body,
      contentType: m.contentType,
      delaySeconds: m.delay === undefined ? batchDelay : this.#delay("sendBatch", m.delay),
    }));
    return this.#enqueue("sendBatch", inputs);
  }

  async metrics(): Promise<QueueMetrics> {
    return toMetrics(await this.#store.metrics());
  }

  /** A message's delay in seconds: the given one (an integer in 0 … 12 h), else the producer's. */
  #delay(method: QueueSendMethod, value: unknown): number {
    if (value === undefined) return this.#options.deliveryDelaySeconds;
    const seconds = Number(value);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > QUEUE_MAX_DELAY_SECONDS) throw queueError("badRequest", method);
    return seconds;
  }

  async #enqueue(method: QueueSendMethod, messages: QueueMessageInput[]): Promise<QueueSendResponse> {
    let metrics: StoreMetrics;
    try {
      metrics = await this.#store.enqueue(messages);
    } catch (error) {
      throw queueError("internal", method, error);
    }
    this.#options.onSent?.();
    return { metadata: { metrics: toMetrics(metrics) } };
  }
}

function toMetrics(metrics: StoreMetrics): QueueMetrics {
  const out: QueueMetrics = { backlogCount: metrics.backlogCount, backlogBytes: metrics.backlogBytes };
  if (metrics.oldestMessageTimestampMs !== undefined) out.oldestMessageTimestamp = new Date(metrics.oldestMessageTimestampMs);
  return out;
}
