/**
 * The broker of one queue folder, on the host (main thread): it batches ready messages, hands each
 * batch to the consumer Worker, and applies the consumer's verdict — acknowledged messages are
 * removed, retried ones wait their delay, and a message that fails after `max_retries` retries goes
 * to the dead letter queue (or is dropped, with a log line).
 *
 * When a batch goes out: as soon as `max_batch_size` messages are ready, or when the oldest ready
 * message has waited `max_batch_timeout` (measured from the time it became ready, so messages left
 * over from a previous run go out at once). Up to `max_concurrency` batches are in flight at once.
 * The broker looks again when woken (a producer of this process committed), when a timeout or a
 * delay falls due, and at least every QUEUE_POLL_INTERVAL_MS (producers in other processes).
 *
 * At least once: a message is leased (with its delivery counted) before it is sent and removed only
 * after the consumer's verdict; if the process dies in between, the next broker finds the lease
 * abandoned and delivers the message again.
 */
import { randomBytes } from "node:crypto";
import process from "node:process";
import type { Clock } from "../../shared/clock.js";
import type { Logger } from "../../shared/log.js";
import type { Timers, TimerHandle } from "../../shared/timers.js";
import type { QueueDelivery, QueueMessageDecision } from "./consumer.worker.js";
import type { QueueMessageInput, QueueMessageRecord, QueueReadiness, QueueStore } from "./store.js";

/** The longest the broker goes without looking at its queue, in milliseconds. */
export const QUEUE_POLL_INTERVAL_MS = 500;
/** How long `stop()` waits for batches in flight before giving their messages back, in milliseconds. */
const STOP_TIMEOUT_MS = 3000;

/** A consumer's settings, resolved (defaults applied, units in the names). */
export interface QueueConsumerSettings {
  queue: string;
  maxBatchSize: number;
  maxBatchTimeoutMs: number;
  maxRetries: number;
  retryDelaySeconds: number;
  maxConcurrency: number;
  deadLetterQueue?: string;
}

/** How a delivered batch ended, as the consumer's isolate reports it. */
export interface QueueDeliveryResult {
  outcome: "ok" | "exception";
  decisions: QueueMessageDecision[];
  /** The handler's error (source-mapped stack), when it threw. */
  error?: { stack: string };
}

export interface QueueBrokerOptions {
  settings: QueueConsumerSettings;
  store: QueueStore;
  /** Runs the consumer's `queue()` handler; rejects when it could not run it at all (isolate gone…). */
  deliver(delivery: QueueDelivery): Promise<QueueDeliveryResult>;
  /** Stores messages in the dead letter queue (durably) before they leave this one. */
  deadLetter?(messages: QueueMessageInput[]): Promise<void>;
  clock: Clock;
  timers: Timers;
  logger: Logger;
}

/** Owners (leases) of the brokers running in this process. */
const liveOwners = new Set<string>();

/** Whether the broker that took a lease may still settle it: its process runs, and in this process, it does. */
export function isLeaseOwnerAlive(owner: string): boolean {
  const pid = Number(owner.split("-")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return liveOwners.has(owner);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class QueueBroker {
  readonly owner = `${process.pid}-${randomBytes(6).toString("hex")}`;
  readonly #o: QueueBrokerOptions;
  readonly #batches = new Map<Promise<void>, QueueMessageRecord[]>();
  #timer: TimerHandle | undefined;
  #readiness: QueueReadiness = { readyCount: 0 };
  #ticking = false;
  #again = false;
  #stopped = false;

  constructor(options: QueueBrokerOptions) {
    this.#o = options;
  }

  get settings(): QueueConsumerSettings {
    return this.#o.settings;
  }

  /** Gives back messages whose broker died mid-batch, then starts delivering. */
  async start(): Promise<void> {
    liveOwners.add(this.owner);
    const released = await this.#o.store.releaseAbandoned(isLeaseOwnerAlive);
    if (released > 0) this.#o.logger.debug(`Queue "${this.#o.settings.queue}": ${released} message(s) of an interrupted batch will be delivered again.`);
    this.wake();
  }

  /** Look at the queue now (a producer committed, a dead letter arrived). */
  wake(): void {
    if (this.#stopped) return;
    this.#schedule(0);
  }

  /** Stops delivering; waits a little for batches in flight, then gives their messages back. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    const timeout = new Promise<void>((resolve) => this.#o.timers.setTimeout(resolve, STOP_TIMEOUT_MS));
    await Promise.race([Promise.allSettled([...this.#batches.keys()]), timeout]);
    const unfinished = [...this.#batches.values()].flat().map((m) => m.id);
    if (unfinished.length > 0) await this.#o.store.settle(this.owner, { released: unfinished }).catch(() => undefined);
    liveOwners.delete(this.owner);
  }

  #schedule(ms: number): void {
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = undefined;
      void this.#tick();
    }, ms);
  }

  async #tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = true;
    try {
      do {
        this.#again = false;
        await this.#dispatchReady();
      } while (this.#again && !this.#stopped);
    } catch (error) {
      this.#o.logger.error(`Queue "${this.#o.settings.queue}": ${(error as Error).stack ?? String(error)}`);
    } finally {
      this.#ticking = false;
    }
    if (!this.#stopped) this.#schedule(this.#nextLookMs());
  }

  /** Leases and sends batches while one is due and the concurrency allows. */
  async #dispatchReady(): Promise<void> {
    const { maxBatchSize, maxBatchTimeoutMs, maxConcurrency } = this.#o.settings;
    while (!this.#stopped && this.#batches.size < maxConcurrency) {
      const readiness = (this.#readiness = await this.#o.store.readiness(maxBatchSize));
      if (readiness.readyCount === 0) return;
      const due = readiness.readyCount >= maxBatchSize || readiness.oldestReadyMs! + maxBatchTimeoutMs <= this.#o.clock.now();
      if (!due) return;
      const metrics = await this.#o.store.metrics();
      const messages = await this.#o.store.lease(maxBatchSize, this.owner);
      if (messages.length === 0) return;
      this.#send({ queue: this.#o.settings.queue, messages, metrics }, messages);
    }
  }

  /** When to look again: the next batch timeout, the next delayed message, or the poll interval. */
  #nextLookMs(): number {
    const now = this.#o.clock.now();
    let at = now + QUEUE_POLL_INTERVAL_MS;
    const { oldestReadyMs, nextVisibleMs } = this.#readiness;
    if (oldestReadyMs !== undefined && this.#batches.size < this.#o.settings.maxConcurrency) at = Math.min(at, oldestReadyMs + this.#o.settings.maxBatchTimeoutMs);
    if (nextVisibleMs !== undefined) at = Math.min(at, nextVisibleMs);
    return Math.max(0, at - now);
  }

  #send(delivery: QueueDelivery, messages: QueueMessageRecord[]): void {
    const started = this.#o.clock.now();
    const batch = (async () => {
      let result: QueueDeliveryResult;
      try {
        result = await this.#o.deliver(delivery);
      } catch (error) {
        if (this.#stopped) return; // shutting down: stop() gives the messages back uncounted
        this.#o.logger.error(`Queue "${delivery.queue}": the consumer could not take the batch: ${(error as Error).message}`);
        result = { outcome: "exception", decisions: [] };
      }
      await this.#settle(messages, result, started);
    })()
      .catch((error: unknown) => {
        if (!this.#stopped) this.#o.logger.error(`Queue "${delivery.queue}": ${(error as Error).stack ?? String(error)}`);
      })
      .finally(() => {
        this.#batches.delete(batch);
        this.wake();
      });
    this.#batches.set(batch, messages);
  }

  async #settle(messages: QueueMessageRecord[], result: QueueDeliveryResult, started: number): Promise<void> {
    const { queue, maxRetries, retryDelaySeconds, deadLetterQueue } = this.#o.settings;
    const { logger } = this.#o;
    if (result.error) logger.error(`Uncaught ${result.error.stack}`);
    const decisions = new Map(result.decisions.map((d) => [d.id, d]));
    const now = this.#o.clock.now();
    const acked: string[] = [];
    const retried: { id: string; visibleMs: number }[] = [];
    const exhausted: QueueMessageRecord[] = [];
    for (const message of messages) {
      const decision = decisions.get(message.id) ?? { id: message.id, action: result.outcome === "ok" ? "ack" : "retry" };
      if (decision.action === "ack") acked.push(message.id);
      else if (message.attempts > maxRetries) exhausted.push(message);
      else retried.push({ id: message.id, visibleMs: now + (decision.delaySeconds ?? retryDelaySeconds) * 1000 });
    }
    const attempts = `${maxRetries + 1} failed attempt${maxRetries === 0 ? "" : "s"}`;
    const deadLettered: string[] = [];
    const dropped: string[] = [];
    if (exhausted.length > 0 && deadLetterQueue !== undefined && this.#o.deadLetter) {
      try {
        await this.#o.deadLetter(exhausted.map((m) => ({ body: m.body, contentType: m.contentType, delaySeconds: 0, id: m.id, timestampMs: m.timestampMs })));
        for (const m of exhausted) {
          logger.warn(`Moving message "${m.id}" on queue "${queue}" to dead letter queue "${deadLetterQueue}" after ${attempts}...`);
          deadLettered.push(m.id);
        }
      } catch (error) {
        logger.error(`Queue "${queue}": could not move messages to dead letter queue "${deadLetterQueue}" (they will be retried): ${(error as Error).message}`);
        for (const m of exhausted) retried.push({ id: m.id, visibleMs: now });
      }
    } else {
      for (const m of exhausted) {
        logger.warn(`Dropped message "${m.id}" on queue "${queue}" after ${attempts}!`);
        dropped.push(m.id);
      }
    }
    await this.#o.store.settle(this.owner, { acked, retried, deadLettered, dropped });
    logger.info(`[hearth] QUEUE ${queue} ${acked.length}/${messages.length} (${this.#o.clock.now() - started}ms)`);
  }
}
