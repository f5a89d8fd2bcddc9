/**
 * The consumer side, inside the isolate: the `MessageBatch` a `queue()` handler receives, and the
 * verdict on each of its messages once the handler is done.
 *
 * Acknowledgement rules, as workerd (`queue.c++`) records them and Cloudflare's broker applies them:
 * - the first explicit call on a message wins: `retry()` after `ack()` (or after `ackAll()`), and
 *   `ack()` after `retry()` (or after `retryAll()`), are ignored with workerd's warning;
 *   `retryAll()` after `ackAll()` and the reverse likewise;
 * - a message's own call wins over a batch-level call made later;
 * - what nobody decided follows the outcome: acknowledged when the handler (and its `waitUntil`
 *   promises) succeeded, retried when it threw.
 * A retry delay is the message's `retry({ delaySeconds })`, else `retryAll({ delaySeconds })`, else
 * the consumer's `retry_delay` (applied by the broker). Delays are whole seconds, clamped to 0 … 12 h.
 *
 * Pure module: values user code sees (Date, bodies) are made in this realm; the V8 deserializer is
 * handed in.
 */
import { QUEUE_MAX_DELAY_SECONDS } from "./limits.js";
import { queueWarning } from "./errors.js";
import { decodeBody, type V8Serializer } from "./message-body.js";
import type { QueueContentType, QueueMetrics as StoreMetrics } from "./store.js";

// ---------------------------------------------------------------------------------------------
// Types, as declared by @cloudflare/workers-types (MessageBatch and friends).
// ---------------------------------------------------------------------------------------------

export interface QueueRetryOptions {
  delaySeconds?: number;
}

export interface Message<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  readonly attempts: number;
  retry(options?: QueueRetryOptions): void;
  ack(): void;
}

export interface MessageBatchMetrics {
  backlogCount: number;
  backlogBytes: number;
  oldestMessageTimestamp?: Date;
}

export interface MessageBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly Message<Body>[];
  readonly metadata: { metrics: MessageBatchMetrics };
  retryAll(options?: QueueRetryOptions): void;
  ackAll(): void;
}

// ---------------------------------------------------------------------------------------------
// What travels from the broker to the isolate, and back.
// ---------------------------------------------------------------------------------------------

/** One message of a delivered batch, as it crosses the thread boundary. */
export interface QueueDeliveryMessage {
  id: string;
  /** Send time, ms since the epoch. */
  timestampMs: number;
  contentType: QueueContentType;
  body: Uint8Array;
  /** Deliveries so far, this one included. */
  attempts: number;
}

/** A batch for a consumer. */
export interface QueueDelivery {
  queue: string;
  messages: QueueDeliveryMessage[];
  /** The queue's backlog when the batch was taken. */
  metrics: StoreMetrics;
}

/** The consumer's verdict on one message. */
export interface QueueMessageDecision {
  id: string;
  action: "ack" | "retry";
  /** For a retry: its delay in seconds; absent = the consumer's `retry_delay`. */
  delaySeconds?: number;
}

export interface MessageBatchSession {
  batch: MessageBatch;
  /** The verdict on every message, in delivery order, given how the handler ended. */
  decide(outcome: "ok" | "exception"): QueueMessageDecision[];
}

interface BatchState {
  ackAll: boolean;
  retryAll: boolean;
  retryAllDelay?: number;
  acks: Set<string>;
  retries: Map<string, number | undefined>;
  warn(text: string): void;
}

/** Builds the batch a handler receives; bodies are decoded here (a body that cannot be decoded throws). */
export function createMessageBatch(delivery: QueueDelivery, options: { v8: V8Serializer; warn(text: string): void }): MessageBatchSession {
  const state: BatchState = { ackAll: false, retryAll: false, acks: new Set(), retries: new Map(), warn: options.warn };
  const messages = delivery.messages.map((m) => new QueueMessage(m, decodeBody(m.body, m.contentType, options.v8), state));
  const batch = new QueueBatch(delivery.queue, Object.freeze(messages), toMetrics(delivery.metrics), state);
  return {
    batch,
    decide: (outcome) =>
      delivery.messages.map(({ id }): QueueMessageDecision => {
        if (state.retries.has(id)) return retry(id, state.retries.get(id) ?? state.retryAllDelay);
        if (state.acks.has(id)) return { id, action: "ack" };
        if (state.retryAll) return retry(id, state.retryAllDelay);
        if (state.ackAll || outcome === "ok") return { id, action: "ack" };
        return retry(id, undefined);
      }),
  };
}

function retry(id: string, delaySeconds: number | undefined): QueueMessageDecision {
  return delaySeconds === undefined ? { id, action: "retry" } : { id, action: "retry", delaySeconds };
}

/** A retry delay as whole seconds within 0 … 12 h; absent when not given. */
function retryDelay(options: QueueRetryOptions | undefined): number | undefined {
  const value = options?.delaySeconds;
  if (value === undefined || value === null) return undefined;
  const seconds = Math.trunc(Number(value));
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), QUEUE_MAX_DELAY_SECONDS) : undefined;
}

class QueueMessage implements Message {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: unknown;
  readonly attempts: number;
  readonly #state: BatchState;

  constructor(message: QueueDeliveryMessage, body: unknown, state: BatchState) {
    this.id = message.id;
    this.timestamp = new Date(message.timestampMs);
    this.body = body;
    this.attempts = message.attempts;
    this.#state = state;
  }

  retry(options?: QueueRetryOptions): void {
    const state = this.#state;
    if (state.ackAll) return state.warn(queueWarning("retryAfterAckAll", this.id));
    if (state.acks.has(this.id)) return state.warn(queueWarning("retryAfterAck", this.id));
    state.retries.set(this.id, retryDelay(options) ?? state.retries.get(this.id));
  }

  ack(): void {
    const state = this.#state;
    if (state.ackAll) return;
    if (state.retryAll) return state.warn(queueWarning("ackAfterRetryAll", this.id));
    if (state.retries.has(this.id)) return state.warn(queueWarning("ackAfterRetry", this.id));
    state.acks.add(this.id);
  }
}

class QueueBatch implements MessageBatch {
  readonly queue: string;
  readonly messages: readonly Message[];
  readonly metadata: { metrics: MessageBatchMetrics };
  readonly #state: BatchState;

  constructor(queue: string, messages: readonly Message[], metrics: MessageBatchMetrics, state: BatchState) {
    this.queue = queue;
    this.messages = messages;
    this.metadata = { metrics };
    this.#state = state;
  }

  retryAll(options?: QueueRetryOptions): void {
    const state = this.#state;
    if (state.ackAll) return state.warn(queueWarning("retryAllAfterAckAll"));
    state.retryAll = true;
    const delay = retryDelay(options);
    if (delay !== undefined) state.retryAllDelay = delay;
  }

  ackAll(): void {
    const state = this.#state;
    if (state.retryAll) return state.warn(queueWarning("ackAllAfterRetryAll"));
    state.ackAll = true;
  }
}

function toMetrics(metrics: StoreMetrics): MessageBatchMetrics {
  const out: MessageBatchMetrics = { backlogCount: metrics.backlogCount, backlogBytes: metrics.backlogBytes };
  if (metrics.oldestMessageTimestampMs !== undefined) out.oldestMessageTimestamp = new Date(metrics.oldestMessageTimestampMs);
  return out;
}
