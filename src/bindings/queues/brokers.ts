/**
 * The brokers of one `hearth dev` session: one per folder holding messages of a queue that a
 * Worker of the session consumes. `sync` is called with the session's consumers whenever a plan
 * changes; brokers whose settings changed are restarted, those no longer wanted are stopped.
 *
 * A queue has one consumer Worker (as on Cloudflare): when two Workers of a session consume the
 * same queue, the first keeps it and the second is reported.
 */
import { systemClock, type Clock } from "../../shared/clock.js";
import type { Logger } from "../../shared/log.js";
import { systemTimers, type Timers } from "../../shared/timers.js";
import { QueueBroker, type QueueConsumerSettings, type QueueDeliveryResult } from "./broker.js";
import type { QueueDelivery } from "./consumer.worker.js";
import { openSqliteQueueStore } from "./drivers/sqlite.js";
import type { QueueStore } from "./store.js";
import { listenForQueue } from "./wake-channel.js";

/** A consumer from a Worker's config, resolved: its settings and where its messages live. */
export interface QueueConsumerPlan extends QueueConsumerSettings {
  /** The queue's folder in the consumer Worker's state root. */
  dir: string;
  /** The dead letter queue's folder, when `deadLetterQueue` is set. */
  deadLetterDir?: string;
}

/** A consumer as a session runs it. */
export interface SessionQueueConsumer {
  /** The Worker whose `queue()` handler gets the batches. */
  workerName: string;
  plan: QueueConsumerPlan;
  /**
   * Other folders of the same queue: producers of the session whose Worker keeps its state
   * elsewhere (another project without a shared `--persist-to`). Each gets a broker too.
   */
  otherDirs?: string[];
}

export interface QueueBrokersOptions {
  logger: Logger;
  /** Hands a batch to the named Worker's `queue()` handler. */
  deliver(workerName: string, delivery: QueueDelivery): Promise<QueueDeliveryResult>;
  clock?: Clock;
  timers?: Timers;
}

interface RunningBroker {
  key: string;
  broker: QueueBroker;
  stopListening(): void;
}

export class QueueBrokers {
  readonly #options: QueueBrokersOptions;
  readonly #brokers = new Map<string, RunningBroker>();
  readonly #stores = new Map<string, QueueStore>();
  #chain: Promise<void> = Promise.resolve();

  constructor(options: QueueBrokersOptions) {
    this.#options = options;
  }

  /** Runs exactly the brokers these consumers need (calls are applied one after the other). */
  sync(consumers: readonly SessionQueueConsumer[]): Promise<void> {
    const run = this.#chain.then(() => this.#sync(consumers));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Stops every broker and closes the queue files. */
  async dispose(): Promise<void> {
    await this.sync([]);
    const stores = [...this.#stores.values()];
    this.#stores.clear();
    await Promise.all(stores.map((store) => store.close()));
  }

  /** The queues being consumed, by folder (for tests and the banner). */
  get folders(): string[] {
    return [...this.#brokers.keys()];
  }

  async #sync(consumers: readonly SessionQueueConsumer[]): Promise<void> {
    const wanted = new Map<string, { key: string; consumer: SessionQueueConsumer }>();
    const owners = new Map<string, string>();
    for (const consumer of consumers) {
      const { queue } = consumer.plan;
      const owner = owners.get(queue);
      if (owner !== undefined && owner !== consumer.workerName) {
        this.#options.logger.warn(`Queue "${queue}" already has a consumer (Worker "${owner}"); Worker "${consumer.workerName}" will not receive its messages.`);
        continue;
      }
      owners.set(queue, consumer.workerName);
      for (const dir of [consumer.plan.dir, ...(consumer.otherDirs ?? [])]) {
        if (!wanted.has(dir)) wanted.set(dir, { key: JSON.stringify([consumer.workerName, consumer.plan]), consumer });
      }
    }
    for (const [dir, running] of [...this.#brokers]) {
      if (wanted.get(dir)?.key === running.key) continue;
      this.#brokers.delete(dir);
      running.stopListening();
      await running.broker.stop();
    }
    for (const [dir, { key, consumer }] of wanted) {
      if (this.#brokers.has(dir)) continue;
      const broker = this.#createBroker(dir, consumer);
      this.#brokers.set(dir, { key, broker, stopListening: listenForQueue(dir, () => broker.wake()) });
      await broker.start();
    }
  }

  #createBroker(dir: string, { workerName, plan }: SessionQueueConsumer): QueueBroker {
    const { deadLetterDir } = plan;
    return new QueueBroker({
      settings: plan,
      store: this.#store(dir),
      deliver: (delivery) => this.#options.deliver(workerName, delivery),
      deadLetter:
        deadLetterDir === undefined
          ? undefined
          : async (messages) => {
              await this.#store(deadLetterDir).enqueue(messages);
              this.#brokers.get(deadLetterDir)?.broker.wake();
            },
      clock: this.#options.clock ?? systemClock,
      timers: this.#options.timers ?? systemTimers,
      logger: this.#options.logger,
    });
  }

  #store(dir: string): QueueStore {
    let store = this.#stores.get(dir);
    if (store === undefined) {
      store = openSqliteQueueStore(dir, { clock: this.#options.clock ?? systemClock });
      this.#stores.set(dir, store);
    }
    return store;
  }
}
