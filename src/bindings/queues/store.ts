/**
 * The storage interface behind one queue: what a Queues driver must do, and nothing more.
 *
 * The producer api (api.worker.ts) validates and serialises message bodies; the broker
 * (broker.ts) decides when to deliver, and what an outcome means. A store only keeps messages,
 * leases them to a broker, and settles the lease. Drivers live in ./drivers/ and each one runs the
 * suite in ./store.case.ts.
 *
 * Contract (every driver, every method):
 *
 * - **Plain data in and out.** Arguments and results are structured-cloneable; every method returns a
 *   Promise. A returned body is a plain `Uint8Array` spanning its own `ArrayBuffer`, shared with no
 *   one; a store never keeps a reference to an argument after its promise settles.
 * - **Durable.** When `enqueue` resolves, the messages survive a crash of the process or the
 *   machine; so does every `settle`. Several handles (threads, processes) may use one queue at once.
 * - **Time** comes from the clock the driver was given (milliseconds since the UNIX epoch). A message
 *   is *ready* when it is not leased and its visible time is at or before now; before that it is
 *   *delayed*.
 * - **Leases.** `lease` hands out ready messages, oldest first (by the order they were enqueued),
 *   each to one owner only, and counts a delivery (`attempts` is then the number of deliveries,
 *   this one included). A leased message is *in flight* until its owner settles it; if the owner
 *   dies first, `releaseAbandoned` makes it ready again (its delivery stays counted), so a message
 *   is delivered at least once.
 * - **Ids** are strings the store makes (32 hex digits) unless the input names one (dead-lettering
 *   keeps a message's id and timestamp). Enqueueing an id that is already stored keeps the stored one.
 */

/** How a body was serialised, as Cloudflare names it (`contentType` of `send()`). */
export type QueueContentType = "json" | "text" | "bytes" | "v8";

/** A message to store: its body already serialised by the producer. */
export interface QueueMessageInput {
  body: Uint8Array;
  contentType: QueueContentType;
  /** Not ready before now + this many seconds (an integer ≥ 0; 0 = at once). */
  delaySeconds: number;
  /** Keep this id (dead-lettering); absent = make a new one. */
  id?: string;
  /** Keep this send time, ms since the epoch (dead-lettering); absent = now. */
  timestampMs?: number;
}

/** A leased message, as the broker delivers it. */
export interface QueueMessageRecord {
  id: string;
  /** When it was first sent, ms since the epoch. */
  timestampMs: number;
  contentType: QueueContentType;
  body: Uint8Array;
  /** Deliveries so far, this one included (1 on the first delivery). */
  attempts: number;
}

/** What Cloudflare reports as `metadata.metrics`: the messages not yet delivered and settled. */
export interface QueueMetrics {
  /** Messages stored: ready, delayed and in flight. */
  backlogCount: number;
  /** Their bodies' total size, in bytes. */
  backlogBytes: number;
  /** Send time of the oldest of them, ms since the epoch; absent when there are none. */
  oldestMessageTimestampMs?: number;
}

/** What the broker needs to decide whether to deliver now, and when to look again. */
export interface QueueReadiness {
  /** Ready messages, counted up to the `limit` asked for. */
  readyCount: number;
  /** The earliest time a ready message became ready, ms since the epoch; absent when none is ready. */
  oldestReadyMs?: number;
  /** When the next delayed message becomes ready, ms since the epoch; absent when none is delayed. */
  nextVisibleMs?: number;
}

/** The numbers `hearth queues info` shows. */
export interface QueueStats extends QueueMetrics {
  /** Ready or delayed messages (not in flight). */
  waiting: number;
  /** Of those, the delayed ones. */
  delayed: number;
  /** Leased to a broker and not yet settled. */
  inFlight: number;
  /** Messages moved to a dead letter queue since the queue was created. */
  deadLettered: number;
  /** Messages dropped after their last retry (no dead letter queue) since the queue was created. */
  dropped: number;
}

/** What became of the messages of one delivered batch. Ids not leased by the owner are ignored. */
export interface QueueSettlement {
  /** Delivered and acknowledged: removed. */
  acked?: string[];
  /** To be delivered again, not before `visibleMs` (ms since the epoch). */
  retried?: { id: string; visibleMs: number }[];
  /** Removed after their last retry; counted as dead-lettered (already copied to the DLQ). */
  deadLettered?: string[];
  /** Removed after their last retry; counted as dropped. */
  dropped?: string[];
  /** Never shown to the consumer (delivery abandoned): ready again, the delivery not counted. */
  released?: string[];
}

export interface QueueStore {
  /** Stores the messages in one transaction; resolves with the metrics after the commit. */
  enqueue(messages: readonly QueueMessageInput[]): Promise<QueueMetrics>;
  /** The current metrics. */
  metrics(): Promise<QueueMetrics>;
  /** How many messages are ready (up to `limit`), since when, and when the next delayed one is due. */
  readiness(limit: number): Promise<QueueReadiness>;
  /** Leases up to `limit` ready messages to `owner`, oldest first, counting a delivery of each. */
  lease(limit: number, owner: string): Promise<QueueMessageRecord[]>;
  /** Applies a batch's outcome to messages `owner` leased, in one transaction. */
  settle(owner: string, settlement: QueueSettlement): Promise<void>;
  /** Makes messages leased by owners for which `isAlive` is false ready again; resolves with their number. */
  releaseAbandoned(isAlive: (owner: string) => boolean): Promise<number>;
  /** Counts for `hearth queues info`. */
  stats(): Promise<QueueStats>;
  /** Deletes every message (in flight too); resolves with how many there were. */
  purge(): Promise<number>;
  /** Releases files and handles. Every other method rejects after this; closing twice is fine. */
  close(): Promise<void>;
}
